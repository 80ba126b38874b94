// Picking regions by area and by family: which regions a drawn polygon touches, and a region's sub-regions. Pure
// (plain GeoJSON coordinates, [lon, lat]); the composer's region picker and the tests use the same code.

export type Position = readonly [number, number] | readonly number[];
export type Ring = readonly Position[];
export type RegionGeometry = { type: 'Polygon'; coordinates: readonly Ring[] } | { type: 'MultiPolygon'; coordinates: readonly (readonly Ring[])[] };

type Box = [number, number, number, number];

function ringBox(ring: Ring, box: Box = [Infinity, Infinity, -Infinity, -Infinity]): Box {
  for (const p of ring) {
    if (p[0] < box[0]) box[0] = p[0];
    if (p[1] < box[1]) box[1] = p[1];
    if (p[0] > box[2]) box[2] = p[0];
    if (p[1] > box[3]) box[3] = p[1];
  }
  return box;
}

const polygonsOf = (g: RegionGeometry): readonly (readonly Ring[])[] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

/** The bounding box [minLon, minLat, maxLon, maxLat] of geometries (null when there are no coordinates). */
export function boundsOf(geometries: Iterable<RegionGeometry>): Box | null {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of geometries) for (const poly of polygonsOf(g)) if (poly[0]) ringBox(poly[0], box);
  return box[0] <= box[2] ? box : null;
}

/** Even-odd test of a point against one ring. */
function inRing(ring: Ring, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the outer ring and outside every hole. */
function inPolygon(rings: readonly Ring[], x: number, y: number): boolean {
  if (!rings[0] || !inRing(rings[0], x, y)) return false;
  for (let h = 1; h < rings.length; h++) if (inRing(rings[h], x, y)) return false;
  return true;
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return Math.min(ax, bx) <= cx && cx <= Math.max(ax, bx) && Math.min(ay, by) <= cy && cy <= Math.max(ay, by);
}

/** Whether segments ab and cd share a point (touching counts). */
export function segmentsIntersect(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orient(a[0], a[1], b[0], b[1], c[0], c[1]);
  const o2 = orient(a[0], a[1], b[0], b[1], d[0], d[1]);
  const o3 = orient(c[0], c[1], d[0], d[1], a[0], a[1]);
  const o4 = orient(c[0], c[1], d[0], d[1], b[0], b[1]);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(a[0], a[1], b[0], b[1], c[0], c[1])) return true;
  if (o2 === 0 && onSegment(a[0], a[1], b[0], b[1], d[0], d[1])) return true;
  if (o3 === 0 && onSegment(c[0], c[1], d[0], d[1], a[0], a[1])) return true;
  if (o4 === 0 && onSegment(c[0], c[1], d[0], d[1], b[0], b[1])) return true;
  return false;
}

function ringsCross(a: Ring, b: Ring): boolean {
  const bb = ringBox(b);
  for (let i = 0; i < a.length; i++) {
    const p = a[i], q = a[(i + 1) % a.length];
    // Skip edges of `a` wholly outside b's box: the long rings of real regions make this the hot loop.
    if (Math.max(p[0], q[0]) < bb[0] || Math.min(p[0], q[0]) > bb[2] || Math.max(p[1], q[1]) < bb[1] || Math.min(p[1], q[1]) > bb[3]) continue;
    for (let j = 0; j < b.length; j++) if (segmentsIntersect(p, q, b[j], b[(j + 1) % b.length])) return true;
  }
  return false;
}

/**
 * Whether the drawn area (one closed ring, first point not repeated or repeated) and the region share any point:
 * an edge crosses, or one lies inside the other (a hole of the region that holds the whole area does not count).
 */
export function areaTouches(area: Ring, region: RegionGeometry): boolean {
  if (area.length < 3) return false;
  const ab = ringBox(area);
  for (const poly of polygonsOf(region)) {
    const outer = poly[0];
    if (!outer || outer.length < 3) continue;
    const rb = ringBox(outer);
    if (rb[0] > ab[2] || rb[2] < ab[0] || rb[1] > ab[3] || rb[3] < ab[1]) continue;
    if (poly.some((ring) => ringsCross(area, ring))) return true;
    if (inPolygon(poly, area[0][0], area[0][1])) return true;
    if (inRing(area, outer[0][0], outer[0][1])) return true;
  }
  return false;
}

/** Parent -> children over a list of regions (parents not in the list are ignored). */
export class RegionFamily {
  private readonly parent = new Map<string, string | null>();
  private readonly children = new Map<string, string[]>();

  constructor(regions: Iterable<{ code: string; parentCode: string | null }>) {
    for (const r of regions) this.parent.set(r.code, r.parentCode);
    for (const [code, p] of this.parent) {
      if (p === null || !this.parent.has(p) || p === code) continue;
      const list = this.children.get(p);
      if (list) list.push(code);
      else this.children.set(p, [code]);
    }
  }

  /** Every region below `code` (children, their children, ...), each once; a parent cycle stops the walk. */
  descendants(code: string): string[] {
    const out: string[] = [];
    const seen = new Set([code]);
    const todo = [...(this.children.get(code) ?? [])];
    while (todo.length) {
      const c = todo.shift()!;
      if (seen.has(c)) continue;
      seen.add(c);
      out.push(c);
      todo.push(...(this.children.get(c) ?? []));
    }
    return out;
  }

  /** The regions above `code`, nearest first (16 levels at most, as the server follows them). */
  ancestors(code: string): string[] {
    const out: string[] = [];
    let c = this.parent.get(code) ?? null;
    while (c !== null && this.parent.has(c) && !out.includes(c) && c !== code && out.length < 16) {
      out.push(c);
      c = this.parent.get(c) ?? null;
    }
    return out;
  }

  /** The codes without those that are an ancestor of another code in the list: the most specific regions. */
  mostSpecific(codes: readonly string[]): string[] {
    const covered = new Set<string>();
    for (const c of codes) for (const a of this.ancestors(c)) covered.add(a);
    return codes.filter((c) => !covered.has(c));
  }
}
