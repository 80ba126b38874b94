// The buildings of an OpenStreetMap extract (closed ways tagged building=*), for the population estimate
// (building-estimate.ts). Multipolygon buildings (relations) are counted and reported, not estimated.
import { readPbfBlocks, PbfFormatError } from '../network/pbf-reader.ts';
import type { OsmBuilding } from './building-estimate.ts';

export { PbfFormatError };

export interface OsmBuildings {
  buildings: OsmBuilding[];
  /** Building ways that are not closed rings or miss nodes (a clipped extract). */
  unusable: Array<{ id: number; reason: string }>;
  relations: number;
}

export async function readOsmBuildings(file: string): Promise<OsmBuildings> {
  const coords = new Map<number, [number, number]>();
  const ways: Array<{ id: number; refs: number[]; tags: Record<string, string> }> = [];
  let relations = 0;
  await readPbfBlocks(file, { node: false, way: true, relation: true }, (items, blobAt) => {
    for (const it of items) {
      if (it.type === 'node') {
        if (!Number.isFinite(it.lat) || !Number.isFinite(it.lon) || Math.abs(it.lat!) > 90 || Math.abs(it.lon!) > 180) throw new PbfFormatError(file, blobAt, `node ${it.id} has invalid coordinates`);
        coords.set(it.id, [it.lon!, it.lat!]);
      } else if (it.type === 'way' && it.tags?.building !== undefined && it.tags.building !== 'no') {
        ways.push({ id: it.id, refs: it.refs ?? [], tags: it.tags as Record<string, string> });
      } else if (it.type === 'relation' && it.tags?.building !== undefined) relations++;
    }
  });
  const buildings: OsmBuilding[] = [];
  const unusable: OsmBuildings['unusable'] = [];
  for (const w of ways) {
    if (w.refs.length < 4 || w.refs[0] !== w.refs[w.refs.length - 1]) { unusable.push({ id: w.id, reason: 'not a closed ring' }); continue; }
    const ring: Array<[number, number]> = [];
    for (const r of w.refs) {
      const c = coords.get(r);
      if (!c) break;
      ring.push(c);
    }
    if (ring.length !== w.refs.length) { unusable.push({ id: w.id, reason: 'references nodes that are not in the extract (clipped at its edge?)' }); continue; }
    buildings.push({ id: w.id, tags: w.tags, ring });
  }
  return { buildings, unusable, relations };
}
