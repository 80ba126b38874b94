// The plan's map layers over HTTP (issue 11, console map): the compact cells (short properties, rounded coordinates,
// the plan's figures), the shelters the plan counted with their load, and /api/plan/current saying whether the
// population was an estimate and where it lies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers.ts';
import { importShelters } from '../../src/registry/import/index.ts';
import { ESTIMATE_FORMAT, type PopulationCell } from '../../src/planning/index.ts';
import { compactCellsGeoJson, perCell } from '../../src/planning/export.ts';
import { east } from './fixtures.ts';

async function done(server: TestServer, id: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const r = await server.request('GET', `/api/plan/jobs/${id}`, { token: server.tokens.operator });
    if (r.body.state === 'done' || r.body.state === 'failed') return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('job did not finish');
}

const square = (key: string, m: number, population: number): PopulationCell => {
  const x0 = east(m - 20), x1 = east(m + 20), y = east(20);
  return { key, lat: 0, lon: east(m), population, polygons: [[[[x0, -y], [x1, -y], [x1, y], [x0, y], [x0, -y]]]] };
};

/** S1 (100 places) 100 m east of A; S2 (100 places, class C) 250 m west; B at 350 m reaches only S1; P far away. */
async function seed(server: TestServer, format: string): Promise<void> {
  const csv = `id,name,lat,lon,capacity,protection_class\ns1,S1,0,${east(100)},100,A\ns2,S2,0,${east(-250)},100,C\n`;
  await importShelters(server.ctx.registry, Buffer.from(csv), 'hand.csv', { source: 'hand', coordinates: 'as-labelled' });
  await server.ctx.store.population.replace([
    square('A', 0, 100), square('B', 350, 150),
    { key: 'P', lat: 0.5, lon: 0.5, population: 7, polygons: null },
  ], { file: 'pop', sha256: 'b'.repeat(64), format, populationField: format === ESTIMATE_FORMAT ? 'estimate' : 'population' });
}

test('compact cell and shelter layers of the current plan; the estimate flag and extent', async (t) => {
  const server = await startTestServer(t);
  const { tokens } = server;
  assert.equal((await server.request('GET', '/api/plan/current/cells?compact=true', { token: tokens.warden })).body.code, 'NO_PLAN');
  await seed(server, ESTIMATE_FORMAT);
  const job = await server.request('POST', '/api/plan/jobs', { token: tokens.operator, body: { kind: 'assign', minutes: 5, speed: 1, detour: 1 } });
  assert.equal((await done(server, job.body.id)).state, 'done');

  const current = await server.request('GET', '/api/plan/current', { token: tokens.warden });
  assert.equal(current.status, 200);
  assert.equal(current.body.populationEstimated, true);
  assert.equal(current.body.mode, 'straight-line');
  const [w, s, e, n] = current.body.extent;
  assert.ok(Math.abs(w - east(-20)) < 1e-9 && Math.abs(s + east(20)) < 1e-9 && e === 0.5 && n === 0.5, `extent ${current.body.extent}`);

  const cells = await server.request('GET', '/api/plan/current/cells?compact=true', { token: tokens.warden });
  assert.equal(cells.status, 200);
  assert.match(cells.headers.get('content-type') ?? '', /geo\+json/);
  const byKey = new Map<string, any>(cells.body.features.map((f: any) => [f.properties.k, f]));
  // A and B: 250 people, 200 places: S1 takes B's 100 (only S1 in reach of B... 250 s), S2 takes A's 100 (250 s); 50 of B and P's 7 are left.
  assert.deepEqual(byKey.get('A').properties, { k: 'A', p: 100, u: 0, w: 250, m: 250 });
  assert.deepEqual(byKey.get('B').properties, { k: 'B', p: 150, u: 50, w: 250, m: 250 });
  assert.deepEqual(byKey.get('P').properties, { k: 'P', p: 7, u: 7, w: null, m: null });
  assert.equal(byKey.get('A').geometry.type, 'Polygon');
  assert.equal(byKey.get('P').geometry.type, 'Point');
  for (const c of byKey.get('A').geometry.coordinates[0].flat()) assert.equal(c, Math.round(c * 1e6) / 1e6, 'six decimals');
  // The full export keeps the shelters per cell and full coordinates.
  const full = await server.request('GET', '/api/plan/current/cells', { token: tokens.warden });
  assert.equal(full.body.features.find((f: any) => f.properties.key === 'B').properties.uncovered, 50);
  assert.equal(Object.values(full.body.features.find((f: any) => f.properties.key === 'B').properties.shelters).reduce((a: number, b: any) => a + b, 0), 100);

  const shelters = await server.request('GET', '/api/plan/current/shelters?compact=true', { token: tokens.warden });
  assert.deepEqual(shelters.body.features.map((f: any) => [f.properties.name, f.properties.places, f.properties.assigned, 'cells' in f.properties]).sort(), [['S1', 100, 100, false], ['S2', 100, 100, false]]);
  assert.equal((await server.request('GET', '/api/plan/current/cells?compact=yes', { token: tokens.warden })).status, 400);

  // A what-if plan without class C: its shelters layer lists only the shelters it counted.
  const noC = await server.request('POST', '/api/plan/jobs', { token: tokens.operator, body: { kind: 'assign', minutes: 5, speed: 1, detour: 1, whatIf: { excludeClasses: ['C'] } } });
  assert.equal((await done(server, noC.body.id)).state, 'done');
  const counted = await server.request('GET', '/api/plan/current/shelters?compact=true', { token: tokens.warden });
  assert.deepEqual(counted.body.features.map((f: any) => f.properties.name), ['S1']);
});

test('counted population: not flagged as an estimate', async (t) => {
  const server = await startTestServer(t);
  await seed(server, 'geojson');
  const job = await server.request('POST', '/api/plan/jobs', { token: server.tokens.operator, body: { kind: 'assign', minutes: 5 } });
  assert.equal((await done(server, job.body.id)).state, 'done');
  const current = await server.request('GET', '/api/plan/current', { token: server.tokens.operator });
  assert.equal(current.body.populationEstimated, false);
});

test('compact cells of 100,000 H3-sized hexagons stay small', () => {
  // 100,000 hexagons of about 0.1 km² with seven points each: the compact layer must stay a fraction of the full one.
  const cells: PopulationCell[] = [];
  for (let i = 0; i < 100_000; i++) {
    const lon = 34 + (i % 400) * 0.004, lat = 31 + Math.floor(i / 400) * 0.0035;
    const ring = [0, 1, 2, 3, 4, 5, 0].map((k) => [lon + 0.002 * Math.cos((k * Math.PI) / 3), lat + 0.0017 * Math.sin((k * Math.PI) / 3)]);
    cells.push({ key: `8a2bd${i.toString(16).padStart(10, '0')}`, lat, lon, population: 100 + (i % 50), polygons: [[ring]] });
  }
  const rows = perCell(cells, cells.map((c, i) => ({ cellKey: c.key, lat: c.lat, lon: c.lon, shelterId: i % 10 === 0 ? null : `shelter-${i % 2000}`, people: c.population, seconds: 100 + (i % 200) })));
  const bytes = JSON.stringify(compactCellsGeoJson(rows, cells)).length;
  assert.ok(bytes < 300 * 100_000, `compact layer: ${(bytes / 1e6).toFixed(1)} MB for 100,000 cells`);
});

test('the region report over HTTP: 202 while its jobs run, then Markdown with gaps, proposed sites, inputs and dates', async (t) => {
  const server = await startTestServer(t);
  const { tokens } = server;
  await seed(server, ESTIMATE_FORMAT);
  const bad = await server.request('GET', '/api/plan/report?minutes=5&sites=2', { token: tokens.warden });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'querystring.capacity');
  assert.equal((await server.request('GET', '/api/plan/report?minutes=5')).status, 401);

  const report = async (query: string): Promise<string> => {
    for (let i = 0; i < 600; i++) {
      const r = await server.request('GET', `/api/plan/report?${query}`, { token: tokens.warden });
      if (r.status === 200) {
        assert.match(r.headers.get('content-type') ?? '', /text\/markdown/);
        return r.text;
      }
      assert.equal(r.status, 202, r.text);
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('the report did not finish');
  };
  const text = await report('minutes=5&speed=1&detour=1');
  assert.match(text, /^# Shelter coverage report/);
  assert.match(text, /\*\*Total:\*\* 257 people, 200 places, 200 covered, 57 without a place/);
  assert.match(text, /ESTIMATE from OpenStreetMap buildings, not a census/);
  // The largest gaps, most people first, and the inputs with their dates.
  assert.match(text, /\| \(outside every region\) \| 257 \| 200 \| 200 \| 57 \| B: 50, P: 7 \|/);
  assert.match(text, /registry [0-9a-f:]+ \(last changed \d{4}-\d\d-\d\dT/);
  assert.match(text, /population [^ ]+ from pop \(imported \d{4}-\d\d-\d\dT/);
  assert.match(text, /network none; made \d{4}-/);

  const withSites = await report('minutes=5&speed=1&detour=1&sites=1&capacity=100');
  assert.match(withSites, /With 1 proposed sites: 250 covered \(\+50\)/);
  assert.match(withSites, /## Proposed sites/);
  assert.match(withSites, /\| 1 \| [^|]+ \| 0\.0\d+, 0\.0\d+ \| 100 \| 50 \|/);
});
