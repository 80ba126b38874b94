// GET /api/nearest over real HTTP with a real SQLite file, the real Copenhagen registry and street network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../../src/server/index.ts';
import { importShelters } from '../../src/registry/import/index.ts';
import { networkFileFor } from '../../src/network/index.ts';
import { startTestServer, tempDir, ROOT } from '../helpers.ts';
import { KBH_PBF } from './fixtures.ts';
import { writePbf } from './pbf-writer.ts';

const CITY_HALL = { lat: 55.6761, lon: 12.5683 };

async function withCopenhagen(t: Parameters<typeof startTestServer>[0]) {
  const s = await startTestServer(t);
  await importShelters(s.ctx.registry, readFileSync(join(ROOT, 'data/demo/copenhagen-shelters.geojson')), 'copenhagen-shelters.geojson', {
    source: 'copenhagen-bbr', attribution: 'BBR', licence: 'public', actor: 'test',
  });
  const report = await s.ctx.network!.importFile(KBH_PBF);
  assert.equal(report.rebuilt, true);
  return s;
}

test('GET /api/nearest answers with network routes in the fixed shape, and follows shelter status changes', async (t) => {
  const s = await withCopenhagen(t);
  const res = await s.request('GET', `/api/nearest?lat=${CITY_HALL.lat}&lon=${CITY_HALL.lon}&k=3&within=150`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.mode, 'network');
  assert.equal(res.body.results.length, 3);
  const first = res.body.results[0];
  for (const key of ['id', 'name', 'walkSeconds', 'meters', 'reachableInTime', 'route']) assert.ok(key in first, key);
  assert.equal(first.route.type, 'LineString');
  assert.deepEqual(first.route.coordinates[0], [CITY_HALL.lon, CITY_HALL.lat]);
  assert.ok(first.walkSeconds <= res.body.results[1].walkSeconds);
  assert.equal(first.reachableInTime, first.walkSeconds <= 150);

  // The nearest shelter fills up: the answer changes at once.
  await s.ctx.registry.setStatus(first.id, 'full', 'warden');
  const after = await s.request('GET', `/api/nearest?lat=${CITY_HALL.lat}&lon=${CITY_HALL.lon}&k=3`);
  assert.ok(!after.body.results.some((r: { id: string }) => r.id === first.id), 'a full shelter is still offered');
  assert.equal(after.body.results[0].id, res.body.results[1].id);
  // Whole-city labels follow too.
  const router = s.ctx.network!.shelterRouter!;
  const labels = router.coverage();
  const idx = router.entries.findIndex((e) => e.shelter.id === first.id);
  assert.equal(labels.shelter.indexOf(idx), -1);
  const asked = await s.request('GET', `/api/nearest?lat=${CITY_HALL.lat}&lon=${CITY_HALL.lon}&k=1&includeUnusable=true`);
  assert.equal(asked.body.results[0].id, first.id);

  const sea = await s.request('GET', '/api/nearest?lat=55.70&lon=12.75');
  assert.equal(sea.status, 200);
  assert.equal(sea.body.mode, 'straight-line');
  assert.match(sea.body.reason, /off the network/);

  const status = await s.request('GET', '/api/network');
  assert.equal(status.body.loaded, true);
  assert.equal(status.body.source, 'kbh.osm.pbf');
  assert.ok(status.body.sheltersOnNetwork > 1000);
});

test('GET /api/nearest validates its query and is in the OpenAPI document', async (t) => {
  const s = await startTestServer(t);
  for (const q of ['lat=55.6', 'lat=91&lon=12', 'lat=55.6&lon=12.5&k=0', 'lat=55.6&lon=12.5&k=500', 'lat=55.6&lon=12.5&within=-1', 'lat=x&lon=12', 'lat=55.6&lon=12.5&stepFree=maybe', 'lat=55.6&lon=12.5&bogus=1']) {
    const r = await s.request('GET', `/api/nearest?${q}`);
    assert.equal(r.status, 400, `${q}: ${r.text}`);
    assert.match(r.headers.get('content-type') ?? '', /problem\+json/);
  }
  const doc = (await s.request('GET', '/openapi.json')).body;
  assert.ok(doc.paths['/api/nearest']?.get, 'GET /api/nearest missing from OpenAPI');
  const params = doc.paths['/api/nearest'].get.parameters.map((p: { name: string }) => p.name);
  for (const p of ['lat', 'lon', 'k', 'within', 'stepFree']) assert.ok(params.includes(p), p);
});

test('without a network the answer is straight-line and says why; a damaged network file does not stop the server', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'refuge.db');
  writeFileSync(networkFileFor(db), 'RFGNET01 this is not a graph');
  const server = await startServer({ dbPath: db });
  t.after(() => server.close());
  await server.ctx.registry.create({ name: 'Test', lat: 55.676, lon: 12.568, capacity: 50, kind: 'basement' } as never, 'test');
  const r = await (await fetch(`${server.url}/api/nearest?lat=55.6761&lon=12.5683`)).json() as { mode: string; reason: string; results: unknown[] };
  assert.equal(r.mode, 'straight-line');
  assert.match(r.reason, /no street network is loaded/);
  assert.equal(r.results.length, 1);
  const status = await (await fetch(`${server.url}/api/network`)).json() as { loaded: boolean; lastError: string };
  assert.equal(status.loaded, false);
  assert.match(status.lastError, /refuge\.db\.network\.bin/);
});

test('a network file built earlier loads at start, and a changed source is rebuilt in the background', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'refuge.db');
  const src = join(dir, 'city.osm.pbf');
  writeFileSync(src, writePbf([{ id: 1, lat: 60, lon: 25 }, { id: 2, lat: 60.001, lon: 25 }], [{ id: 3, refs: [1, 2], tags: { highway: 'footway' } }]));
  const { importNetwork } = await import('../../src/network/index.ts');
  await importNetwork(src, networkFileFor(db));
  copyFileSync(KBH_PBF, src); // the source changes while the server is down
  const server = await startServer({ dbPath: db });
  t.after(() => server.close());
  assert.equal(server.ctx.network!.graph!.meta.bbox[0] > 24, true, 'the old network (one footway in Helsinki) serves at once');
  await server.ctx.network!.settle();
  assert.ok(server.ctx.network!.graph!.meta.bbox[0] < 13, 'the rebuilt (Copenhagen) network is in service');
});
