// The population estimate from OpenStreetMap buildings (issue 11, "where no population data exists"): hand-checkable
// buildings, a written .osm.pbf with the mess real extracts have, the CLI refusing an extract without the flag, and
// the estimate labelled in every plan output; then the real Copenhagen extract with the shared registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, tempDir, SHARED, TEST_DATABASE_URL } from '../helpers.ts';
import { estimateFromBuildings, readOsmBuildings, ringAreaM2, type OsmBuilding } from '../../src/planning/index.ts';
import { writePbf, type TestNode } from '../network/pbf-writer.ts';
import { refuge } from './fixtures.ts';

const M_PER_DEG_LAT = (6_371_008.8 * Math.PI) / 180;
/** Everything here runs on SQLite files the CLI writes; the PostgreSQL pass (npm run test:pg) would repeat it as is. */
const skip = TEST_DATABASE_URL ? 'runs on SQLite files written by the CLI: nothing to add on PostgreSQL' : false;

/** A closed square of `side` metres with its south-west corner at (lat, lon). */
function square(lat: number, lon: number, side: number): Array<[number, number]> {
  const dLat = side / M_PER_DEG_LAT;
  const dLon = side / (M_PER_DEG_LAT * Math.cos((lat + dLat / 2) * Math.PI / 180));
  return [[lon, lat], [lon + dLon, lat], [lon + dLon, lat + dLat], [lon, lat + dLat], [lon, lat]];
}

const b = (id: number, tags: Record<string, string>, ring = square(55.68, 12.57, 10)): OsmBuilding => ({ id, tags, ring });

test('footprint area: a 10 m square is 100 m², a 100 m square 10,000 m², whichever way round', { skip }, () => {
  assert.ok(Math.abs(ringAreaM2(square(55.68, 12.57, 10)) - 100) < 0.5);
  assert.ok(Math.abs(ringAreaM2(square(-33.9, 151.2, 100)) - 10_000) < 50);
  assert.ok(Math.abs(ringAreaM2([...square(0, 0, 10)].reverse()) - 100) < 0.5);
  assert.equal(ringAreaM2([[0, 0], [1, 1], [0, 0]]), 0);
});

test('residents = footprint x levels x residential share / floor area per resident, by building type', { skip }, () => {
  const est = estimateFromBuildings([
    b(1, { building: 'apartments', 'building:levels': '5' }), // 100 x 5 / 40 = 12.5 -> 13
    b(2, { building: 'house' }), // default 2 levels: 100 x 2 / 40 = 5
    b(3, { building: 'yes' }), // untyped: 2 levels, half homes: 100 x 2 x 0.5 / 40 = 2.5 -> 3
    b(4, { building: 'office', 'building:levels': '10' }), // no residents
    b(5, { building: 'apartments', 'building:levels': '3;4' }), // several parts: the first, 3 -> 7.5 -> 8
    b(6, { building: 'apartments', 'building:levels': 'many' }), // unusable tag: the default 4 -> 10
    b(7, { building: 'apartments', 'building:levels': '900' }), // a tagging error: the default 4 -> 10
    b(8, { building: 'residential' }, square(55.68, 12.57, 1000)), // 1 km²: not one building
  ]);
  assert.deepEqual(est.cells.map((c) => [c.key, c.population]), [['way/1', 13], ['way/2', 5], ['way/3', 3], ['way/5', 8], ['way/6', 10], ['way/7', 10]]);
  assert.equal(est.total, 49);
  assert.equal(est.nonResidential, 1);
  assert.deepEqual(est.skipped.map((s) => s.id), [8]);
  assert.match(est.assumptions[0], /ESTIMATE/);
  const c = est.cells[0];
  assert.ok(Math.abs(c.lat - 55.68004) < 0.0001 && Math.abs(c.lon - 12.57008) < 0.0001, `centroid ${c.lat},${c.lon}`);
  // A denser assumption gives proportionally more people.
  assert.equal(estimateFromBuildings([b(1, { building: 'house' })], { floorM2PerResident: 20 }).total, 10);
  assert.throws(() => estimateFromBuildings([], { floorM2PerResident: 0 }), /positive/);
});

/** An extract with two homes, an office, an open way, a building clipped at the edge, a road and a `building=no`. */
function writeExtract(file: string): void {
  const nodes: TestNode[] = [];
  const ring = (first: number, sq: Array<[number, number]>) => {
    sq.slice(0, 4).forEach(([lon, lat], i) => nodes.push({ id: first + i, lat, lon }));
    return [first, first + 1, first + 2, first + 3, first];
  };
  const home = ring(100, square(55.68, 12.57, 20)); // 400 m² x 2 / 40 = 20
  const flats = ring(200, square(55.681, 12.57, 10)); // 100 m² x 4 / 40 = 10
  const office = ring(300, square(55.682, 12.57, 10));
  const open = ring(400, square(55.683, 12.57, 10)).slice(0, 4);
  const clipped = [...ring(500, square(55.684, 12.57, 10)).slice(0, 4), 999, 500];
  const notBuilding = ring(600, square(55.685, 12.57, 10));
  writeFileSync(file, writePbf(nodes, [
    { id: 1, refs: home, tags: { building: 'house' } },
    { id: 2, refs: flats, tags: { building: 'apartments' } },
    { id: 3, refs: office, tags: { building: 'office' } },
    { id: 4, refs: open, tags: { building: 'house' } },
    { id: 5, refs: clipped, tags: { building: 'house' } },
    { id: 6, refs: [100, 200], tags: { highway: 'footway' } },
    { id: 7, refs: notBuilding, tags: { building: 'no' } },
  ]));
}

test('an .osm.pbf extract: closed building ways are read; open and clipped ones are reported, not guessed', { skip }, async (t) => {
  const file = join(tempDir(t), 'town.osm.pbf');
  writeExtract(file);
  const read = await readOsmBuildings(file);
  assert.deepEqual(read.buildings.map((x) => x.id), [1, 2, 3]);
  assert.deepEqual(read.unusable.map((u) => [u.id, u.reason.split(' ')[0]]), [[4, 'not'], [5, 'references']]);
  const est = estimateFromBuildings(read.buildings);
  assert.equal(est.total, 30);
  await assert.rejects(readOsmBuildings(join(tempDir(t), 'missing.osm.pbf')));
  const bad = join(tempDir(t), 'bad.osm.pbf');
  writeFileSync(bad, Buffer.from([0, 0, 0, 5, 1, 2, 3]));
  await assert.rejects(readOsmBuildings(bad), /not a valid OSM PBF file/);
});

test('refuge import population: an extract needs --estimate-from-buildings; the estimate is labelled in the import, coverage, report and API', { skip }, async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'plan.db');
  const file = join(dir, 'town.osm.pbf');
  writeExtract(file);
  const refused = refuge(['import', 'population', file, '--db', db]);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /OpenStreetMap extract.*--estimate-from-buildings/);
  const notPbf = join(dir, 'pop.csv');
  writeFileSync(notPbf, 'h3,population\n');
  assert.match(refuge(['import', 'population', notPbf, '--db', db, '--estimate-from-buildings']).stderr, /not one/);
  assert.match(refuge(['import', 'population', file, '--db', db, '--estimate-from-buildings', '--floor-m2-per-resident', '0']).stderr, /floor-m2-per-resident/);

  const imported = refuge(['import', 'population', file, '--db', db, '--estimate-from-buildings', '--json']);
  assert.equal(imported.status, 0, imported.stderr);
  const summary = JSON.parse(imported.stdout);
  assert.equal(summary.estimated, true);
  assert.equal(summary.total, 30);
  assert.equal(summary.cells, 2);
  assert.ok(summary.notes.some((n: string) => /2 building ways unusable/.test(n)), summary.notes.join('\n'));

  writeFileSync(join(dir, 'shelters.csv'), 'id,name,lat,lon,capacity\ns1,S1,55.6805,12.5702,25\n');
  assert.equal(refuge(['import', 'shelters', join(dir, 'shelters.csv'), '--db', db, '--source', 'hand']).status, 0);
  const cov = refuge(['plan', 'coverage', '--db', db, '--minutes', '10', '--json']);
  assert.equal(cov.status, 0, cov.stderr);
  const out = JSON.parse(cov.stdout);
  assert.deepEqual([out.totals.population, out.totals.places, out.totals.covered, out.totals.uncovered], [30, 25, 25, 5]);
  assert.equal(out.inputs.populationEstimated, true);
  assert.ok(out.warnings.some((w: string) => /ESTIMATE from OpenStreetMap buildings/.test(w)), out.warnings.join('\n'));
  const human = refuge(['plan', 'coverage', '--db', db, '--minutes', '10']);
  assert.match(human.stdout, /ESTIMATE/);
  const report = refuge(['plan', 'report', '--db', db, '--minutes', '10']);
  assert.equal(report.status, 0, report.stderr);
  assert.match(report.stdout, /ESTIMATE from OpenStreetMap buildings, not a census/);

  // The API's plans say so too (a server over the same file).
  const server = await startTestServer(t, { dbPath: db });
  const job = await server.request('GET', '/api/plan/coverage?minutes=10', { token: server.tokens.operator });
  assert.ok(job.status === 200 || job.status === 202, job.text);
  let done = job.body;
  for (let i = 0; i < 600 && done.state !== 'done' && done.state !== 'failed'; i++) {
    await new Promise((res) => setTimeout(res, 50));
    done = (await server.request('GET', `/api/plan/jobs/${job.body.id}`, { token: server.tokens.operator })).body;
  }
  assert.equal(done.state, 'done', JSON.stringify(done).slice(0, 300));
  assert.ok(done.result.warnings.some((w: string) => /ESTIMATE from OpenStreetMap buildings/.test(w)), done.result.warnings.join('\n'));

  // Counted data replaces the estimate, and the label goes with it.
  writeFileSync(join(dir, 'counted.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { population: 12 }, geometry: { type: 'Point', coordinates: [12.5701, 55.6801] } }] }));
  assert.equal(refuge(['import', 'population', join(dir, 'counted.geojson'), '--db', db]).status, 0);
  const counted = JSON.parse(refuge(['plan', 'coverage', '--db', db, '--minutes', '10', '--json']).stdout);
  assert.equal(counted.inputs.populationEstimated, false);
  assert.ok(!counted.warnings.some((w: string) => /ESTIMATE/.test(w)));
});

test('Copenhagen: the shared OSM extract\'s buildings estimated, the shared registry counted against them; totals reconcile', { skip }, (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'kbh.db');
  const imported = refuge(['import', 'population', join(SHARED, 'osm', 'kbh.osm.pbf'), '--db', db, '--estimate-from-buildings', '--json']);
  assert.equal(imported.status, 0, imported.stderr);
  const summary = JSON.parse(imported.stdout);
  // Central Copenhagen and Frederiksberg: a few hundred thousand people live there; the 2012 extract lacks many buildings.
  assert.ok(summary.total > 50_000 && summary.total < 1_000_000, `estimate ${summary.total}`);
  assert.ok(summary.cells > 5_000, `buildings with residents: ${summary.cells}`);
  assert.equal(refuge(['import', 'shelters', join(SHARED, 'copenhagen-shelters', 'shelters.geojson'), '--db', db, '--source', 'kbh']).status, 0);
  const cov = JSON.parse(refuge(['plan', 'coverage', '--db', db, '--minutes', '5', '--json']).stdout);
  assert.equal(cov.totals.population, summary.total, 'every estimated resident is counted once');
  assert.equal(cov.totals.covered + cov.totals.uncovered, cov.totals.population);
  assert.ok(cov.totals.covered > 0 && cov.totals.covered <= cov.totals.places);
  assert.equal(cov.inputs.populationEstimated, true);
});
