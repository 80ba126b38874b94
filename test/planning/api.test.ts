// Planning over HTTP: jobs in a worker thread with progress, staff roles, and the public "your place".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers.ts';
import { importShelters } from '../../src/registry/import/index.ts';
import { parsePopulation } from '../../src/planning/index.ts';
import { east } from './fixtures.ts';

async function until(server: TestServer, path: string, token: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const r = await server.request('GET', path, { token });
    if (r.status === 200 && (r.body.state === 'done' || r.body.state === undefined)) return r.body;
    if (r.status !== 202 && r.body.state !== 'running' && r.body.state !== 'queued') return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`job at ${path} did not finish`);
}

const square = (m: number) => {
  const x0 = east(m - 20), x1 = east(m + 20), y = east(20);
  return { type: 'Polygon', coordinates: [[[x0, -y], [x1, -y], [x1, y], [x0, y], [x0, -y]]] };
};

/** The hand instance of cli.test.ts: A is nearest to S1 but the plan sends A to S2 so that B (only S1 in reach) has a place. */
async function seed(server: TestServer): Promise<void> {
  const csv = `id,name,lat,lon,capacity\ns1,S1,0,${east(100)},100\ns2,S2,0,${east(-250)},100\n`;
  await importShelters(server.ctx.registry, Buffer.from(csv), 'hand.csv', { source: 'hand', coordinates: 'as-labelled' });
  const pop = parsePopulation(JSON.stringify({
    type: 'FeatureCollection',
    features: [
      // Small squares (40 m across) around 0 m and 350 m: too small for the 100 m grid, so their people are at the centroid.
      { type: 'Feature', id: 'A', properties: { population: 100 }, geometry: square(0) },
      { type: 'Feature', id: 'B', properties: { population: 100 }, geometry: square(350) },
    ],
  }), 'pop.geojson');
  await server.ctx.store.population.replace(pop.cells, { file: 'pop.geojson', sha256: 'x'.repeat(64), format: 'geojson', populationField: 'population' });
}

test('coverage as a shared job, assign as the current plan, your place differing from the nearest, roles', async (t) => {
  const server = await startTestServer(t);
  const { tokens } = server;

  // No population yet: a clear 409, not a 500.
  const none = await server.request('GET', '/api/plan/coverage?minutes=5', { token: tokens.operator });
  assert.equal(none.status, 409);
  assert.equal(none.body.code, 'NO_POPULATION');
  await seed(server);

  // Staff only; the public may not run plans.
  assert.equal((await server.request('GET', '/api/plan/coverage?minutes=5')).status, 401);
  const bad = await server.request('GET', '/api/plan/coverage?minutes=-3', { token: tokens.operator });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'querystring.minutes');

  const first = await server.request('GET', '/api/plan/coverage?minutes=5&speed=1&detour=1', { token: tokens.warden });
  assert.ok(first.status === 202 || first.status === 200);
  const again = await server.request('GET', '/api/plan/coverage?minutes=5&speed=1&detour=1', { token: tokens.approver });
  assert.equal(again.body.id, first.body.id, 'identical requests share one job');
  const done = await until(server, `/api/plan/jobs/${first.body.id}`, tokens.operator);
  assert.equal(done.state, 'done');
  assert.equal(done.result.mode, 'straight-line');
  assert.deepEqual(done.result.totals, { population: 200, places: 200, covered: 200, uncovered: 0, meanWalkSeconds: 250 });
  assert.deepEqual(done.progress && typeof done.progress.phase, 'string');

  // your place before any plan
  const noPlan = await server.request('GET', `/api/plan/place?lat=0&lon=${east(0)}`);
  assert.equal(noPlan.status, 404);
  assert.equal(noPlan.body.code, 'NO_PLAN');

  // Wardens may look, not plan.
  assert.equal((await server.request('POST', '/api/plan/jobs', { token: tokens.warden, body: { kind: 'assign', minutes: 5 } })).status, 403);
  const noCount = await server.request('POST', '/api/plan/jobs', { token: tokens.operator, body: { kind: 'siting', minutes: 5 } });
  assert.equal(noCount.status, 400);
  assert.equal(noCount.body.field, 'body.count');
  const started = await server.request('POST', '/api/plan/jobs', { token: tokens.operator, body: { kind: 'assign', minutes: 5, speed: 1, detour: 1 } });
  assert.equal(started.status, 202);
  const assigned = await until(server, `/api/plan/jobs/${started.body.id}`, tokens.operator);
  assert.equal(assigned.state, 'done');
  assert.match(assigned.planId, /^[0-9a-f-]{36}$/);

  const current = await server.request('GET', '/api/plan/current', { token: tokens.approver });
  assert.equal(current.status, 200);
  assert.equal(current.body.id, assigned.planId);
  assert.equal(current.body.stale, false);

  // A lives at 0 m: nearest is S1 (100 m), the plan gives A a place at S2 (250 m), because B can reach only S1.
  const place = await server.request('GET', `/api/plan/place?lat=0&lon=${east(0)}`);
  assert.equal(place.status, 200);
  const s1 = server.ctx.registry.all().find((s) => s.name === 'S1')!, s2 = server.ctx.registry.all().find((s) => s.name === 'S2')!;
  assert.equal(place.body.assigned.id, s2.id);
  assert.equal(place.body.assigned.walkSeconds, 250);
  assert.equal(place.body.assigned.straightLineMeters, 250);
  assert.equal(place.body.nearest.id, s1.id);
  assert.equal(place.body.differsFromNearest, true);
  // Anywhere inside B's square.
  const placeB = await server.request('GET', `/api/plan/place?lat=${east(15)}&lon=${east(365)}`);
  assert.equal(placeB.body.cell, 'B');
  assert.equal(placeB.body.assigned.id, s1.id);
  assert.equal(placeB.body.differsFromNearest, false);
  const far = await server.request('GET', '/api/plan/place?lat=10&lon=10');
  assert.equal(far.status, 404);
  assert.equal(far.body.code, 'OUTSIDE_PLAN');

  const layer = await server.request('GET', '/api/plan/current/cells', { token: tokens.operator });
  assert.equal(layer.status, 200);
  assert.deepEqual(layer.body.features.map((f: any) => [f.properties.key, f.properties.covered, f.properties.meanWalkSeconds]), [['A', 100, 250], ['B', 100, 250]]);

  // A registry change makes the plan stale.
  await server.ctx.registry.decommission(s1.id, s1.version, 'admin');
  const afterChange = await server.request('GET', '/api/plan/current', { token: tokens.approver });
  assert.equal(afterChange.body.stale, true);
  assert.match(afterChange.body.reasons[0], /registry changed/);
  const stalePlace = await server.request('GET', `/api/plan/place?lat=0&lon=${east(0)}`);
  assert.equal(stalePlace.body.stale, true);
});

test('planning jobs are bounded per person: a burst is refused with 429 PLANNING_BUSY while another planner can still start one', async (t) => {
  const server = await startTestServer(t);
  await seed(server);
  const post = (token: string, minutes: number) => server.request('POST', '/api/plan/jobs', { token, body: { kind: 'coverage', minutes, speed: 1, detour: 1 } });
  // Twenty at once: each job runs for a while in a worker, one after the other, so most are still waiting.
  const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => post(server.tokens.operator, 1 + i)));
  const refused = burst.filter((r) => r.status === 429);
  assert.ok(refused.length > 0, `some refused: ${burst.map((r) => r.status).join(',')}`);
  assert.ok(burst.filter((r) => r.status === 202).length >= 3, 'the first ones are taken');
  for (const r of refused) {
    assert.equal(r.body.code, 'PLANNING_BUSY');
    assert.match(r.body.detail, /already has \d planning jobs waiting or running \(at most 3\)/);
  }
  const other = await post(server.tokens.admin, 5);
  assert.equal(other.status, 202, JSON.stringify(other.body));
  for (const r of [...burst.filter((x) => x.status === 202), other]) assert.equal((await until(server, `/api/plan/jobs/${r.body.id}`, server.tokens.operator)).state, 'done');
});
