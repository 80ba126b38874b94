// Land or sea at a point, offline: Natural Earth land polygons at 1:50m (public domain, via the world-atlas
// package as TopoJSON). Coasts at this scale are generalised by a few kilometres (small islands, harbours, piers
// and reclaimed land can be missing), so callers asking "is this plausibly a building?" should also accept points
// within a few kilometres of the coast (nearCoastKm).
//
// The index is over coastline segments, not polygons: the rings are few and very long (Eurasia alone has ~10,000
// vertices), so a bounding box per polygon would send most lookups through a full ring scan. A ray from the
// point to the nearer antimeridian only meets the segments whose boxes it crosses; counting their crossings
// (even-odd over all rings at once, which is exact because land rings never overlap) decides inside or out.
//
// The TopoJSON land is stitched across the antimeridian: a ring that crosses it (Chukotka, Wrangel, Fiji) has
// two edges that jump from +180 to -180, and Antarctica's ring goes round the pole with one such jump. Taken
// as flat polygons those jumps would paint a band round the world, so rings that cross are unwrapped
// (longitudes continue past 180; lookups also try lon ± 360) and the polar ring is closed along the pole.
import { createRequire } from 'node:module';
import Flatbush from 'flatbush';
import { pointInPolygon, type FlatPolygon } from './point-in-polygon.ts';

const KM_PER_DEGREE = 111.32;

export class LandIndex {
  /** Segment s runs from (seg[4s], seg[4s+1]) to (seg[4s+2], seg[4s+3]), lon/lat degrees. */
  private readonly seg: Float64Array;
  private readonly tree: Flatbush | null;
  private readonly polygons: FlatPolygon[];

  /** `polygons`: GeoJSON Polygon coordinates (outer ring, then holes; [lon, lat] positions). */
  constructor(polygons: Iterable<number[][][]>) {
    this.polygons = [];
    let count = 0;
    for (const polygon of polygons) {
      const flat = polygon.map(planarRing).filter((r): r is number[][] => r !== null).map((ring) => Float64Array.from(ring.flat()));
      if (flat.length === 0) continue;
      this.polygons.push(flat);
      for (const ring of flat) count += ring.length / 2;
    }
    this.seg = new Float64Array(count * 4);
    let s = 0;
    for (const polygon of this.polygons) {
      for (const ring of polygon) {
        const n = ring.length;
        // every vertex pairs with its predecessor; a closed ring's duplicate last vertex gives one empty segment
        for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
          this.seg[s++] = ring[j];
          this.seg[s++] = ring[j + 1];
          this.seg[s++] = ring[i];
          this.seg[s++] = ring[i + 1];
        }
      }
    }
    if (count === 0) {
      this.tree = null;
      return;
    }
    this.tree = new Flatbush(count);
    const g = this.seg;
    for (let k = 0; k < g.length; k += 4) {
      this.tree.add(Math.min(g[k], g[k + 2]), Math.min(g[k + 1], g[k + 3]), Math.max(g[k], g[k + 2]), Math.max(g[k + 1], g[k + 3]));
    }
    this.tree.finish();
  }

  get segments(): number {
    return this.seg.length / 4;
  }

  /** Inside a land polygon (and not in one of its holes: large lakes and inland seas). */
  isLand(lat: number, lon: number): boolean {
    if (!this.tree || !Number.isFinite(lat) || !Number.isFinite(lon)) return false;
    const t = this.tree;
    return this.parity(lat, lon) || (lon + 360 <= t.maxX && this.parity(lat, lon + 360)) || (lon - 360 >= t.minX && this.parity(lat, lon - 360));
  }

  private parity(lat: number, lon: number): boolean {
    const t = this.tree!;
    const g = this.seg;
    let inside = false;
    // Ray towards the nearer edge of the data. The same half-open test as pointInRing, on only the segments
    // the ray can meet.
    const east = t.maxX - lon <= lon - t.minX;
    t.search(east ? lon : t.minX, lat, east ? t.maxX : lon, lat, (s) => {
      const k = s * 4;
      const yi = g[k + 3], yj = g[k + 1];
      if (yi > lat !== yj > lat) {
        const xi = g[k + 2], xj = g[k];
        const x = ((xj - xi) * (lat - yi)) / (yj - yi) + xi;
        if (east ? lon < x : lon > x) inside = !inside;
      }
      return false;
    });
    return inside;
  }

  /** The same answer by testing every polygon in turn: benchmark anchor and test oracle. */
  isLandNaive(lat: number, lon: number): boolean {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return false;
    for (const polygon of this.polygons) {
      if (pointInPolygon(polygon, lon, lat) || pointInPolygon(polygon, lon + 360, lat) || pointInPolygon(polygon, lon - 360, lat)) return true;
    }
    return false;
  }

  /** Distance in km from the point to the nearest coastline, if it is within `maxKm`; else null. */
  coastWithin(lat: number, lon: number, maxKm: number): number | null {
    if (!this.tree || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
    const kx = KM_PER_DEGREE * Math.max(Math.cos((lat * Math.PI) / 180), 1e-6), ky = KM_PER_DEGREE;
    const dLat = maxKm / ky, dLon = Math.min(maxKm / kx, 360);
    const g = this.seg;
    const tree = this.tree;
    let best = Infinity;
    // Unwrapped rings reach past ±180, so look at the point's copies one turn east and west as well.
    for (const x of [lon, lon + 360, lon - 360]) {
      if (x + dLon < tree.minX || x - dLon > tree.maxX) continue;
      tree.search(x - dLon, lat - dLat, x + dLon, lat + dLat, (s) => {
        const k = s * 4;
        // local equirectangular plane around the point, in km
        const ax = (g[k] - x) * kx, ay = (g[k + 1] - lat) * ky;
        const bx = (g[k + 2] - x) * kx, by = (g[k + 3] - lat) * ky;
        const dx = bx - ax, dy = by - ay;
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
        const d = Math.hypot(ax + t * dx, ay + t * dy);
        if (d < best) best = d;
        return false;
      });
    }
    return best <= maxKm ? best : null;
  }

  /** On land, or at sea but within `nearCoastKm` of the (generalised) coast. */
  ashore(lat: number, lon: number, nearCoastKm: number): boolean {
    return this.isLand(lat, lon) || this.coastWithin(lat, lon, nearCoastKm) !== null;
  }
}

/**
 * A ring as a flat polygon: unwrapped across the antimeridian if it crosses it twice, closed along the pole if
 * it goes round one, dropped (null) if it is only the degenerate pole line some datasets carry.
 */
export function planarRing(ring: number[][]): number[][] | null {
  if (ring.every((p) => Math.abs(p[1]) >= 89.99)) return null;
  let offset = 0;
  const unwrapped: number[][] = [ring[0]];
  const jumps: number[] = [];
  for (let i = 1; i < ring.length; i++) {
    const dx = ring[i][0] - ring[i - 1][0];
    if (Math.abs(dx) > 180) {
      offset -= Math.sign(dx) * 360;
      jumps.push(i);
    }
    unwrapped.push([ring[i][0] + offset, ring[i][1]]);
  }
  if (jumps.length === 0) return ring;
  if (offset === 0) {
    // Keep the bulk of the ring in -180..180 (Eurasia may start on the Chukotka side of the antimeridian).
    let minX = Infinity, maxX = -Infinity;
    for (const p of unwrapped) {
      if (p[0] < minX) minX = p[0];
      if (p[0] > maxX) maxX = p[0];
    }
    const shift = (minX + maxX) / 2 > 180 ? -360 : (minX + maxX) / 2 < -180 ? 360 : 0;
    return shift === 0 ? unwrapped : unwrapped.map(([x, y]) => [x + shift, y]);
  }
  // Round a pole: cut at the antimeridian and go down (or up) the meridian, along the pole and back.
  const out: number[][] = [ring[0]];
  let mean = 0;
  for (const p of ring) mean += p[1];
  const pole = mean < 0 ? -90 : 90;
  for (let i = 1; i < ring.length; i++) {
    const [x1, y1] = ring[i - 1], [x2, y2] = ring[i];
    if (Math.abs(x2 - x1) > 180) {
      const side = x1 > 0 ? 180 : -180;
      const before = Math.abs(side - x1), after = Math.abs(x2 + side); // degrees to the meridian, and beyond it
      const t = before + after === 0 ? 0 : before / (before + after);
      const y = y1 + t * (y2 - y1);
      out.push([side, y], [side, pole], [-side, pole], [-side, y]);
    }
    out.push(ring[i]);
  }
  return out;
}

interface Topology {
  objects: { land: unknown };
}
interface TopojsonClient {
  feature(topology: Topology, object: unknown): { features: Array<{ geometry: { type: string; coordinates: unknown } }> };
}

function* polygonsOf(geometry: { type: string; coordinates: unknown }): Generator<number[][][]> {
  if (geometry.type === 'Polygon') yield geometry.coordinates as number[][][];
  else if (geometry.type === 'MultiPolygon') yield* geometry.coordinates as number[][][][];
  else throw new Error(`land data: geometry type "${geometry.type}" where Polygon or MultiPolygon was expected`);
}

let shared: LandIndex | null = null;

/** Natural Earth 1:50m land, built on first use (~60,000 coastline segments; tens of milliseconds). */
export function landIndex(): LandIndex {
  if (shared) return shared;
  const require = createRequire(import.meta.url);
  const topology = require('world-atlas/land-50m.json') as Topology;
  const { feature } = require('topojson-client') as TopojsonClient;
  const polygons: number[][][][] = [];
  for (const f of feature(topology, topology.objects.land).features) polygons.push(...polygonsOf(f.geometry));
  shared = new LandIndex(polygons);
  return shared;
}
