// Issue 11 over HTTP on one process: the job and plan lists (staff only, bad input named), a stored plan by id and its
// layers (an assignment only), and the heartbeat rule: a job another process left running without a heartbeat for
// longer than STALE_MS is failed with a reason when read, and a queued one it left is run here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers.ts';
import { importShelters } from '../../src/registry/import/index.ts';
import { parsePopulation } from '../../src/planning/index.ts';
import { STALE_MS } from '../../src/app/services/planning.ts';
import { east } from './fixtures.ts';

async function seed(server: TestServer): Promise<void> {
  await importShelters(server.ctx.registry, Buffer.from(`id,name,lat,lon,capacity\ns1,S1,0,${east(100)},100\n`), 'hand.csv', { source: 'hand', coordinates: 'as-labelled' });
  const pop = parsePopulation(JSON.stringify({ type: 'FeatureCollection', features: [
    { type: 'Feature', id: 'A', properties: { population: 150 }, geometry: { type: 'Point', coordinates: [0, 0] } },
  ] }), 'pop.geojson');
  await server.ctx.store.population.replace(pop.cells, { file: 'pop.geojson', sha256: 'x'.repeat(64), format: 'geojson', populationField: 'population' });
}

async function finished(server: TestServer, id: string): Promise<any> {
  for (let i = 0; i < 2400; i++) {
    const r = await server.request('GET', `/api/plan/jobs/${id}`, { token: server.tokens.warden });
    assert.equal(r.status, 200, r.text);
    if (r.body.state !== 'queued' && r.body.state !== 'running') return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

test('job and plan lists, a stored plan and its layers by id; clear 4xx for bad input and for a result that is not an assignment', async (t) => {
  const server = await startTestServer(t);
  await seed(server);
  const { tokens } = server;
  const cov = await server.request('POST', '/api/plan/jobs', { token: tokens.operator, body: { kind: 'coverage', minutes: 5, speed: 1, detour: 1 } });
  const asg = await server.request('POST', '/api/plan/jobs', { token: tokens.operator, body: { kind: 'assign', minutes: 5, speed: 1, detour: 1 } });
  const c = await finished(server, cov.body.id), a = await finished(server, asg.body.id);
  assert.equal(c.state, 'done');
  assert.equal(c.planId, null, 'planId stays the assignment\'s only');
  assert.match(c.resultId, /^[0-9a-f-]{36}$/);
  assert.deepEqual(c.result.totals, { population: 150, places: 100, covered: 100, uncovered: 50, meanWalkSeconds: 100 });
  assert.equal(a.planId, a.resultId);

  assert.equal((await server.request('GET', '/api/plan/jobs')).status, 401);
  const jobs = await server.request('GET', '/api/plan/jobs?limit=1', { token: tokens.warden });
  assert.equal(jobs.status, 200);
  assert.deepEqual(jobs.body.jobs.map((j: any) => [j.id, j.kind, j.state, j.createdBy, 'result' in j]), [[a.id, 'assign', 'done', 'operator', false]]);
  const bad = await server.request('GET', '/api/plan/jobs?limit=0', { token: tokens.warden });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'querystring.limit');

  const plans = await server.request('GET', '/api/plan/plans', { token: tokens.warden });
  assert.deepEqual(plans.body.plans.map((p: any) => [p.id, p.kind, p.current, p.stale, p.totals.covered]), [[a.planId, 'assign', true, false, 100]]);
  const covPlans = await server.request('GET', '/api/plan/plans?kind=coverage', { token: tokens.warden });
  assert.deepEqual(covPlans.body.plans.map((p: any) => [p.id, p.current]), [[c.resultId, false]]);
  assert.equal((await server.request('GET', '/api/plan/plans?kind=nope', { token: tokens.warden })).body.field, 'querystring.kind');

  const one = await server.request('GET', `/api/plan/plans/${a.planId}`, { token: tokens.warden });
  assert.equal(one.status, 200);
  assert.equal(one.body.id, a.planId);
  assert.equal(one.body.populationEstimated, false);
  const cells = await server.request('GET', `/api/plan/plans/${a.planId}/cells`, { token: tokens.warden });
  const current = await server.request('GET', '/api/plan/current/cells', { token: tokens.warden });
  assert.deepEqual(cells.body, current.body);
  const missing = await server.request('GET', '/api/plan/plans/nope/cells', { token: tokens.warden });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'NO_PLAN');
  assert.equal(missing.body.field, 'params.id');
  const notMappable = await server.request('GET', `/api/plan/plans/${c.resultId}/cells`, { token: tokens.warden });
  assert.equal(notMappable.status, 404);
  assert.match(notMappable.body.detail, /a coverage result, not an assignment/);
  const unknownJob = await server.request('GET', '/api/plan/jobs/nope', { token: tokens.warden });
  assert.equal(unknownJob.status, 404);
  assert.equal(unknownJob.body.code, 'JOB_NOT_FOUND');
});

test('a job another process left without a heartbeat is failed when read (running) or run here (queued)', async (t) => {
  const server = await startTestServer(t);
  await seed(server);
  const jobs = server.ctx.store.planJobs;
  // Another machine's process (its pid cannot be checked from here): only the heartbeat tells.
  const gone = 'other-host.example/4242/abcd';
  const old = new Date(Date.now() - STALE_MS - 5_000).toISOString();
  const inputs = { registryVersion: 'r', populationVersion: 'p', networkVersion: null };
  const base = { requestedBy: 'operator', progress: null, planId: null, error: null, inputs, shareKey: null, owner: gone, heartbeatAt: old, createdAt: old, startedAt: null, finishedAt: null };
  await jobs.create({ ...base, id: 'left-running', kind: 'coverage', request: { kind: 'coverage', minutes: 5 }, state: 'queued' }, { perPerson: 9 });
  assert.equal(await jobs.start('left-running', gone, inputs, old), true);
  await jobs.create({ ...base, id: 'left-queued', kind: 'coverage', request: { kind: 'coverage', minutes: 5, speed: 1, detour: 1 }, state: 'queued' }, { perPerson: 9 });
  // A fresh heartbeat from the same process would keep it: shown by a job of another owner heartbeating now.
  await jobs.create({ ...base, id: 'alive-elsewhere', owner: 'other-host.example/1/live', heartbeatAt: new Date().toISOString(), kind: 'coverage', request: { kind: 'coverage', minutes: 5 }, state: 'queued' }, { perPerson: 9 });

  const r = await server.request('GET', '/api/plan/jobs/left-running', { token: server.tokens.warden });
  assert.equal(r.body.state, 'failed');
  assert.match(r.body.error, /the process running it stopped/);
  const q = await finished(server, 'left-queued');
  assert.equal(q.state, 'done', q.error);
  assert.deepEqual(q.result.totals, { population: 150, places: 100, covered: 100, uncovered: 50, meanWalkSeconds: 100 });
  const alive = await server.request('GET', '/api/plan/jobs/alive-elsewhere', { token: server.tokens.warden });
  assert.deepEqual([alive.body.state, (await jobs.get('alive-elsewhere'))!.owner], ['queued', 'other-host.example/1/live']);
});

test('DELETE /api/plan/jobs/:id cancels a queued job (planners only); a running or finished one is refused (409 JOB_NOT_QUEUED)', async (t) => {
  const server = await startTestServer(t);
  await seed(server);
  const { tokens } = server;
  // Queued by a process on another host that is alive (fresh heartbeat): it stays queued until cancelled.
  const now = new Date().toISOString();
  await server.ctx.store.planJobs.create({
    id: 'waiting', kind: 'coverage', request: { kind: 'coverage', minutes: 5 }, requestedBy: 'operator', state: 'queued', progress: null, planId: null, error: null,
    inputs: null, shareKey: null, owner: 'other-host.example/1/live', heartbeatAt: now, createdAt: now, startedAt: null, finishedAt: null,
  }, { perPerson: 9 });
  assert.equal((await server.request('DELETE', '/api/plan/jobs/waiting', { token: tokens.warden })).status, 403);
  const cancelled = await server.request('DELETE', '/api/plan/jobs/waiting', { token: tokens.operator });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal(cancelled.body.state, 'cancelled');
  const again = await server.request('DELETE', '/api/plan/jobs/waiting', { token: tokens.operator });
  assert.equal(again.status, 409, 'a job no longer queued: a conflict with its state, not a bad request');
  assert.equal(again.body.code, 'JOB_NOT_QUEUED');
  assert.equal((await server.request('DELETE', '/api/plan/jobs/nope', { token: tokens.operator })).status, 404);
  const read = await server.request('GET', '/api/plan/jobs/waiting', { token: tokens.warden });
  assert.equal(read.body.state, 'cancelled');
  const done = await server.request('POST', '/api/plan/jobs', { token: tokens.operator, body: { kind: 'coverage', minutes: 5 } });
  assert.equal((await finished(server, done.body.id)).state, 'done');
  assert.equal((await server.request('DELETE', `/api/plan/jobs/${done.body.id}`, { token: tokens.admin })).status, 409, "a finished job is not queued either");
});
