// The buildings of an OpenStreetMap extract, for the population estimate (building-estimate.ts): closed ways tagged
// building=*, and multipolygon buildings (relations type=multipolygon with building=*), whose area is their outer
// rings minus their inner rings and whose levels and type come from the relation's tags. A relation's member ways
// are joined end to end into rings (an outline is often split over several ways). Relations that cannot be
// assembled (a member or node missing from a clipped extract, rings that do not close) are reported, not guessed.
import { readPbfBlocks, PbfFormatError } from '../network/pbf-reader.ts';
import type { OsmBuilding } from './building-estimate.ts';

export { PbfFormatError };

export interface OsmBuildings {
  buildings: OsmBuilding[];
  /** Building ways that are not closed rings or miss nodes (a clipped extract). */
  unusable: Array<{ id: number; reason: string }>;
  /** Building relations NOT counted: not type=multipolygon, or not assembled (see `unusableRelations`). */
  relations: number;
  /** Multipolygon building relations counted (they are among `buildings`, kind 'relation'). */
  relationsCounted: number;
  /** Building relations not counted, with the reason. */
  unusableRelations: Array<{ id: number; reason: string }>;
  /** Building ways that are also an outer ring of a counted multipolygon building: counted once, as the relation. */
  waysInRelations: number;
}

type Ring = Array<[number, number]>;
interface RelationCandidate { id: number; tags: Record<string, string>; outer: number[]; inner: number[] }

function readRelations(items: Array<{ type: string; id: number; tags?: Record<string, string>; members?: Array<{ type: string; ref: number; role: string }> }>, candidates: RelationCandidate[], unusable: OsmBuildings['unusableRelations']): void {
  for (const it of items) {
    if (it.type !== 'relation' || it.tags?.building === undefined || it.tags.building === 'no') continue;
    if (it.tags.type !== 'multipolygon') { unusable.push({ id: it.id, reason: `type=${it.tags.type ?? '(none)'}, not a multipolygon` }); continue; }
    const outer: number[] = [], inner: number[] = [];
    for (const m of it.members ?? []) {
      if (m.type !== 'way') continue;
      if (m.role === 'inner') inner.push(m.ref);
      else if (m.role === 'outer' || m.role === '') outer.push(m.ref);
    }
    candidates.push({ id: it.id, tags: it.tags, outer, inner });
  }
}

/** Joins ways (node id sequences) end to end into closed rings; null when some cannot be closed. */
export function joinRings(ways: number[][]): number[][] | null {
  const left = ways.filter((w) => w.length >= 2).map((w) => [...w]);
  const rings: number[][] = [];
  while (left.length) {
    const cur = left.shift()!;
    while (cur[0] !== cur[cur.length - 1]) {
      const end = cur[cur.length - 1];
      const i = left.findIndex((w) => w[0] === end || w[w.length - 1] === end);
      if (i < 0) return null;
      const next = left.splice(i, 1)[0];
      const seq = next[0] === end ? next : [...next].reverse();
      for (let k = 1; k < seq.length; k++) cur.push(seq[k]);
    }
    if (cur.length < 4) return null;
    rings.push(cur);
  }
  return rings;
}

function inRing(ring: Ring, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export async function readOsmBuildings(file: string): Promise<OsmBuildings> {
  // Relations come after the ways in an extract: a first pass finds the multipolygon buildings and their member ways.
  const candidates: RelationCandidate[] = [];
  const unusableRelations: OsmBuildings['unusableRelations'] = [];
  await readPbfBlocks(file, { node: false, way: false, relation: true }, (items) => readRelations(items as never, candidates, unusableRelations));
  const memberWays = new Set<number>();
  for (const c of candidates) for (const id of [...c.outer, ...c.inner]) memberWays.add(id);

  const coords = new Map<number, [number, number]>();
  const ways: Array<{ id: number; refs: number[]; tags: Record<string, string> }> = [];
  const memberRefs = new Map<number, number[]>();
  await readPbfBlocks(file, { node: false, way: true, relation: false }, (items, blobAt) => {
    for (const it of items) {
      if (it.type === 'node') {
        if (!Number.isFinite(it.lat) || !Number.isFinite(it.lon) || Math.abs(it.lat!) > 90 || Math.abs(it.lon!) > 180) throw new PbfFormatError(file, blobAt, `node ${it.id} has invalid coordinates`);
        coords.set(it.id, [it.lon!, it.lat!]);
      } else if (it.type === 'way') {
        if (memberWays.has(it.id)) memberRefs.set(it.id, it.refs ?? []);
        if (it.tags?.building !== undefined && it.tags.building !== 'no') ways.push({ id: it.id, refs: it.refs ?? [], tags: it.tags as Record<string, string> });
      }
    }
  });
  const toRing = (refs: number[]): Ring | null => {
    const ring: Ring = [];
    for (const r of refs) {
      const c = coords.get(r);
      if (!c) return null;
      ring.push(c);
    }
    return ring;
  };

  const buildings: OsmBuilding[] = [];
  const outerWaysCounted = new Set<number>();
  let relationsCounted = 0;
  for (const c of candidates) {
    if (c.outer.length === 0) { unusableRelations.push({ id: c.id, reason: 'no outer member way' }); continue; }
    const missing = [...c.outer, ...c.inner].filter((id) => !memberRefs.has(id));
    if (missing.length) { unusableRelations.push({ id: c.id, reason: `member ways not in the extract (clipped at its edge?): ${missing.slice(0, 5).join(', ')}` }); continue; }
    const outerIds = joinRings(c.outer.map((id) => memberRefs.get(id)!));
    const innerIds = joinRings(c.inner.map((id) => memberRefs.get(id)!));
    if (!outerIds || !innerIds) { unusableRelations.push({ id: c.id, reason: `its ${outerIds ? 'inner' : 'outer'} ways do not join into closed rings` }); continue; }
    const outers = outerIds.map(toRing), inners = innerIds.map(toRing);
    if (outers.some((r) => r === null) || inners.some((r) => r === null)) { unusableRelations.push({ id: c.id, reason: 'references nodes that are not in the extract (clipped at its edge?)' }); continue; }
    const polygons: Ring[][] = (outers as Ring[]).map((o) => [o]);
    let stray = false;
    for (const inner of inners as Ring[]) {
      const home = polygons.find((p) => inRing(p[0], inner[0][0], inner[0][1]));
      if (home) home.push(inner);
      else stray = true;
    }
    if (stray) { unusableRelations.push({ id: c.id, reason: 'an inner ring lies outside every outer ring' }); continue; }
    for (const id of c.outer) outerWaysCounted.add(id);
    // The largest outer ring stands for the outline where one ring is wanted.
    let main = polygons[0][0];
    for (const p of polygons) if (p[0].length > main.length) main = p[0];
    buildings.push({ id: c.id, kind: 'relation', tags: c.tags, ring: main, polygons });
    relationsCounted++;
  }

  const unusable: OsmBuildings['unusable'] = [];
  const wayBuildings: OsmBuilding[] = [];
  let waysInRelations = 0;
  for (const w of ways) {
    // An outline tagged building=* that is also the outer ring of a counted multipolygon building: the relation counts it.
    if (outerWaysCounted.has(w.id)) { waysInRelations++; continue; }
    if (w.refs.length < 4 || w.refs[0] !== w.refs[w.refs.length - 1]) { unusable.push({ id: w.id, reason: 'not a closed ring' }); continue; }
    const ring = toRing(w.refs);
    if (!ring) { unusable.push({ id: w.id, reason: 'references nodes that are not in the extract (clipped at its edge?)' }); continue; }
    wayBuildings.push({ id: w.id, tags: w.tags, ring });
  }
  return { buildings: [...wayBuildings, ...buildings], unusable, relations: unusableRelations.length, relationsCounted, unusableRelations, waysInRelations };
}
