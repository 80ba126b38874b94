// Issue 11: planning jobs live in the database, not in the memory of the process that started them. With real
// `refuge serve` processes on one database (a PostgreSQL schema when REFUGE_TEST_DATABASE_URL is set, else one SQLite
// file): a job started on A is read on B with its progress and then its result; the per-person limit counts A's jobs
// when asking B; identical requests share one job across processes; a job whose process was SIGKILLed is failed with
// a reason when read elsewhere; after a restart, the running job is failed (not lost) and the queued one is run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, crashDb, kill, prepareStaff, type CrashDb, type Served } from '../crash/harness.ts';
import { ShelterRegistry } from '../../src/registry/index.ts';
import { importShelters } from '../../src/registry/import/index.ts';
import type { PopulationCell } from '../../src/planning/index.ts';

/** 3,600 points of 10 people in central Copenhagen and two shelters with 420 places: most people have no place. */
async function prepare(db: CrashDb): Promise<string> {
  const staff = await prepareStaff(db);
  const store = await db.open();
  try {
    const registry = new ShelterRegistry(store.shelters);
    await registry.load();
    await importShelters(registry, Buffer.from('id,name,capacity,lat,lon\nnear,Near,300,55.6759,12.5690\nfar,Far,120,55.6797,12.5900\n'), 'shelters.csv', { source: 'pj', coordinates: 'as-labelled' });
    const cells: PopulationCell[] = [];
    for (let i = 0; i < 60; i++) for (let j = 0; j < 60; j++) cells.push({ key: `c${i}-${j}`, lat: 55.66 + i * 0.0005, lon: 12.55 + j * 0.0008, population: 10, polygons: null });
    await store.population.replace(cells, { file: 'grid.geojson', sha256: 'c'.repeat(64), format: 'geojson', populationField: 'population' });
  } finally {
    await store.close();
  }
  return staff.operator;
}

/** A siting job over 100 candidate points: long enough (many exact re-solves) to be seen running from elsewhere. */
const LONG = {
  kind: 'siting', minutes: 5, count: 5, capacity: 300,
  candidates: Array.from({ length: 100 }, (_, i) => ({ id: `k${i}`, lat: 55.66 + (i % 10) * 0.003, lon: 12.55 + Math.floor(i / 10) * 0.0045 })),
};

async function post(s: Served, token: string, body: unknown): Promise<string> {
  const r = await call(s.url, 'POST', '/api/plan/jobs', token, body);
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return r.body.id as string;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 300_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const job = async (s: Served, token: string, id: string) => {
  const r = await call(s.url, 'GET', `/api/plan/jobs/${id}`, token);
  assert.equal(r.status, 200, `${id} on ${s.url}: ${JSON.stringify(r.body)}`);
  return r.body;
};

test('a job started on A is read on B with progress and result; limits and sharing span processes; a killed process\'s job fails with a reason', { timeout: 900_000 }, async (t) => {
  const db = await crashDb(t);
  t.diagnostic(`store: ${db.kind}`);
  const op = await prepare(db);
  const a = await db.serve();
  const b = await db.serve();

  const long = await post(a, op, LONG);
  // Two more of olena's behind it on A: three waiting, so B refuses her a fourth.
  const q1 = await post(a, op, { kind: 'coverage', minutes: 4 });
  const q2 = await post(a, op, { kind: 'assign', minutes: 3 });
  const refused = await call(b.url, 'POST', '/api/plan/jobs', op, { kind: 'coverage', minutes: 2 });
  assert.equal(refused.status, 429, JSON.stringify(refused.body));
  assert.equal(refused.body.code, 'PLANNING_BUSY');
  assert.match(refused.body.detail, /olena already has 3 planning jobs waiting or running \(at most 3\)/);

  // B reads A's job: running with progress, then done with the result.
  let seen = null as { phase: string; done: number; total: number } | null;
  const done = await until('the siting job, read on B, to finish', async () => {
    const j = await job(b, op, long);
    if (j.state === 'running' && j.progress) seen ??= j.progress;
    assert.notEqual(j.state, 'failed', j.error);
    return j.state === 'done' && j;
  });
  assert.ok(seen && typeof seen.phase === 'string', 'B saw the job running with progress');
  assert.equal(done.result.sites.length, 5);
  assert.equal(done.result.before.covered, 420);
  assert.ok(done.result.after.covered > 420);
  assert.equal(done.startedAt !== null && done.finishedAt !== null, true);
  assert.deepEqual((await job(a, op, long)).result, done.result, 'the same result on both processes');

  // The queued ones run on A; B sees them done; the assignment is B's current plan too.
  const assigned = await until('the queued jobs to finish', async () => {
    const [x, y] = [await job(b, op, q1), await job(b, op, q2)];
    return x.state === 'done' && y.state === 'done' && y;
  });
  const current = await call(b.url, 'GET', '/api/plan/current', op);
  assert.equal(current.body.id, assigned.planId);
  const list = await call(b.url, 'GET', '/api/plan/jobs', op);
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.jobs.map((j: { id: string }) => j.id).slice(0, 3), [q2, q1, long], 'newest first, from every process');
  const plans = await call(b.url, 'GET', '/api/plan/plans', op);
  assert.deepEqual(plans.body.plans.map((p: { id: string; current: boolean }) => [p.id, p.current]), [[assigned.planId, true]]);

  // Identical GETs on unchanged inputs share one job, whichever process is asked.
  const onA = await call(a.url, 'GET', '/api/plan/coverage?minutes=6', op);
  const onB = await call(b.url, 'GET', '/api/plan/coverage?minutes=6', op);
  assert.ok([200, 202].includes(onA.status) && [200, 202].includes(onB.status), `${JSON.stringify(onA.body)} ${JSON.stringify(onB.body)}`);
  assert.equal(onB.body.id, onA.body.id);
  // And the report B makes from the job A ran (its uncovered rows are stored with its result).
  const report = await until('the report on B', async () => {
    const r = await call(b.url, 'GET', '/api/plan/report?minutes=6', op);
    if (r.status !== 200 && r.status !== 202) throw new Error(`report on B: ${r.status} ${JSON.stringify(r.body)}`);
    return r.status === 200 && (r.body as string);
  });
  assert.match(report, /\*\*Total:\*\* 36,000 people, 420 places, 420 covered, 35,580 without a place/);
  assert.match(report, /Largest gaps/);

  // A dies while running a job: B, asked about it, fails it with the reason at once (A's pid is gone), not 404.
  const orphan = await post(a, op, LONG);
  await until('the second siting job to run on A', async () => (await job(b, op, orphan)).state === 'running');
  await kill(a);
  const failed = await job(b, op, orphan);
  assert.equal(failed.state, 'failed');
  assert.match(failed.error, /the process running it stopped/);
  const again = await call(b.url, 'GET', '/api/plan/jobs/' + orphan, op);
  assert.equal(again.body.state, 'failed');
});

test('after a restart, the job that was running is failed with a reason and the queued one is run, not lost', { timeout: 900_000 }, async (t) => {
  const db = await crashDb(t);
  t.diagnostic(`store: ${db.kind}`);
  const op = await prepare(db);
  const a = await db.serve();
  const running = await post(a, op, LONG);
  const queued = await post(a, op, { kind: 'coverage', minutes: 5 });
  await until('the siting job to run', async () => (await job(a, op, running)).state === 'running');
  await kill(a);

  const restarted = await db.serve();
  const r = await job(restarted, op, running);
  assert.equal(r.state, 'failed');
  assert.match(r.error, /the process running it stopped/);
  assert.ok(r.finishedAt);
  const q = await until('the queued job to run after the restart', async () => {
    const j = await job(restarted, op, queued);
    assert.notEqual(j.state, 'failed', j.error);
    return j.state === 'done' && j;
  });
  assert.deepEqual(q.result.totals, { population: 36_000, places: 420, covered: 420, uncovered: 35_580, meanWalkSeconds: q.result.totals.meanWalkSeconds });
  const rows = await db.rows<{ id: string; state: string }>('SELECT id, state FROM plan_jobs');
  assert.deepEqual(Object.fromEntries(rows.map((x) => [x.id, x.state])), { [running]: 'failed', [queued]: 'done' });
});
