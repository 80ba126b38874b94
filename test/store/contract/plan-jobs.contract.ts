// The contract every PlanJobRepository implementation must meet (and PlanRepository.list), run on both stores by
// plan-jobs.test.ts. `other` is a second connection to the same database: another server process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanJobRecord, PlanJobRepository, PlanRepository, StoredPlan } from '../../../src/planning/ports.ts';

export interface PlanJobStores {
  jobs: PlanJobRepository;
  plans: PlanRepository;
  /** The jobs through another connection (a second process). */
  other: PlanJobRepository;
}

const T0 = '2026-06-01T12:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const INPUTS = { registryVersion: 'reg-1', populationVersion: '1:abcdef012345', networkVersion: null };

function job(id: string, over: Partial<PlanJobRecord> = {}): PlanJobRecord {
  return {
    id, kind: 'coverage', request: { kind: 'coverage', minutes: 5, whatIf: { excludeLocked: true }, zeta: [2, 1] }, requestedBy: 'olena', state: 'queued',
    progress: null, planId: null, error: null, inputs: INPUTS, shareKey: null, owner: 'host-a/100/aa', heartbeatAt: at(0), createdAt: at(0), startedAt: null, finishedAt: null, ...over,
  };
}

function plan(id: string, kind: StoredPlan['kind'], createdAt: string): StoredPlan {
  return { id, kind, createdAt, createdBy: 'olena', mode: 'straight-line', params: { minutes: 5 }, registryVersion: 'reg-1', populationVersion: '1:abc', networkVersion: null, summary: { totals: { covered: 1 } } };
}

export function planJobsContract(name: string, make: (t: any) => Promise<PlanJobStores>): void {
  test(`${name}: a created job reads back exactly, from another connection too; unknown ids are null`, async (t) => {
    const { jobs, other } = await make(t);
    const j = job('j1', { shareKey: 'k1' });
    assert.deepEqual(await jobs.create(j, { perPerson: 3 }), { outcome: 'created', job: j });
    assert.deepEqual(await jobs.get('j1'), j);
    assert.deepEqual(await other.get('j1'), j);
    assert.equal(await jobs.get('nope'), null);
  });

  test(`${name}: identical requests share a job until it fails; the per-person limit counts queued and running jobs only`, async (t) => {
    const { jobs, other, plans } = await make(t);
    await jobs.create(job('a', { shareKey: 'same' }), { perPerson: 3 });
    const shared = await other.create(job('b', { shareKey: 'same', requestedBy: 'mykola' }), { perPerson: 3 });
    assert.equal(shared.outcome, 'shared');
    assert.equal(shared.outcome === 'shared' && shared.job.id, 'a');
    assert.equal(await jobs.get('b'), null, 'nothing inserted for a shared request');
    await jobs.create(job('c'), { perPerson: 3 });
    await other.create(job('d'), { perPerson: 3 });
    assert.deepEqual(await jobs.create(job('e'), { perPerson: 3 }), { outcome: 'busy', waiting: 3 });
    // Someone else may still start one; and a requester of none (null) is counted as one person.
    assert.equal((await jobs.create(job('f', { requestedBy: 'mykola' }), { perPerson: 3 })).outcome, 'created');
    assert.equal((await jobs.create(job('n1', { requestedBy: null }), { perPerson: 1 })).outcome, 'created');
    assert.deepEqual(await jobs.create(job('n2', { requestedBy: null }), { perPerson: 1 }), { outcome: 'busy', waiting: 1 });
    // A finished job no longer counts; a done one is still shared, a failed one is not.
    assert.equal(await jobs.start('a', 'host-a/100/aa', INPUTS, at(1)), true);
    await plans.save(plan('p-a', 'coverage', at(2)), []);
    assert.equal(await jobs.finish('a', 'host-a/100/aa', { state: 'done', planId: 'p-a', progress: { phase: 'solve', done: 1, total: 1 } }, at(2)), true);
    assert.equal((await jobs.create(job('g'), { perPerson: 3 })).outcome, 'created');
    const again = await jobs.create(job('h', { shareKey: 'same' }), { perPerson: 9 });
    assert.equal(again.outcome === 'shared' && again.job.id, 'a');
    assert.equal(await jobs.start('g', 'host-a/100/aa', INPUTS, at(3)), true);
    await jobs.finish('g', 'host-a/100/aa', { state: 'failed', error: 'boom' }, at(4));
    await jobs.create(job('s1', { shareKey: 'once', requestedBy: 'x' }), { perPerson: 3 });
    await jobs.start('s1', 'host-a/100/aa', INPUTS, at(5));
    await jobs.finish('s1', 'host-a/100/aa', { state: 'failed', error: 'boom' }, at(6));
    assert.equal((await jobs.create(job('s2', { shareKey: 'once', requestedBy: 'x' }), { perPerson: 3 })).outcome, 'created', 'a failed job is not shared');
  });

  test(`${name}: concurrent creates through two connections keep the per-person limit`, async (t) => {
    const { jobs, other } = await make(t);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? jobs : other).create(job(`c${i}`), { perPerson: 3 })));
    assert.equal(results.filter((r) => r.outcome === 'created').length, 3);
    assert.equal(results.filter((r) => r.outcome === 'busy').length, 7);
  });

  test(`${name}: start, progress, finish only by the owner while the state allows it; the plan is the result`, async (t) => {
    const { jobs, plans } = await make(t);
    await jobs.create(job('j'), { perPerson: 3 });
    const newer = { registryVersion: 'reg-2', populationVersion: '2:abc', networkVersion: 'net@1' };
    assert.equal(await jobs.start('j', 'someone-else', newer, at(1)), false);
    assert.equal(await jobs.start('j', 'host-a/100/aa', newer, at(1)), true);
    assert.equal(await jobs.start('j', 'host-a/100/aa', newer, at(1)), false, 'not twice');
    await jobs.progress('j', 'someone-else', { phase: 'x', done: 9, total: 9 }, at(2));
    await jobs.progress('j', 'host-a/100/aa', { phase: 'pairs', done: 5, total: 10 }, at(2));
    let r = (await jobs.get('j'))!;
    assert.deepEqual([r.state, r.progress, r.inputs, r.startedAt, r.heartbeatAt], ['running', { phase: 'pairs', done: 5, total: 10 }, newer, at(1), at(2)]);
    await plans.save(plan('pj', 'coverage', at(3)), []);
    assert.equal(await jobs.finish('j', 'someone-else', { state: 'done', planId: 'pj', progress: null }, at(3)), false);
    assert.equal(await jobs.finish('j', 'host-a/100/aa', { state: 'done', planId: 'pj', progress: null }, at(3)), true);
    r = (await jobs.get('j'))!;
    assert.deepEqual([r.state, r.planId, r.progress, r.finishedAt, r.error], ['done', 'pj', { phase: 'pairs', done: 5, total: 10 }, at(3), null]);
    assert.equal(await jobs.finish('j', 'host-a/100/aa', { state: 'failed', error: 'late' }, at(4)), false, 'a finished job stays finished');
  });

  test(`${name}: only a queued job is cancelled, from any connection; it no longer counts, is not shared, and never starts`, async (t) => {
    const { jobs, other } = await make(t);
    await jobs.create(job('q', { shareKey: 'k' }), { perPerson: 1 });
    assert.equal(await other.cancel('q', at(5)), true);
    const r = (await jobs.get('q'))!;
    assert.deepEqual([r.state, r.finishedAt], ['cancelled', at(5)]);
    assert.equal(await jobs.cancel('q', at(6)), false);
    assert.equal(await jobs.cancel('nope', at(6)), false);
    assert.equal(await jobs.start('q', 'host-a/100/aa', INPUTS, at(7)), false, 'a cancelled job never starts');
    assert.equal((await jobs.create(job('q2', { shareKey: 'k' }), { perPerson: 1 })).outcome, 'created', 'not shared, not counted');
    await jobs.start('q2', 'host-a/100/aa', INPUTS, at(8));
    assert.equal(await jobs.cancel('q2', at(9)), false, 'a running job is not cancelled');
    assert.equal((await jobs.get('q2'))!.state, 'running');
  });

  test(`${name}: abandoned running jobs fail (stale heartbeat or a dead owner); orphaned queued jobs are claimed once`, async (t) => {
    const { jobs, other } = await make(t);
    const A = 'host-a/100/aa', B = 'host-b/200/bb', DEAD = 'host-a/300/cc';
    await jobs.create(job('alive', { owner: A, requestedBy: 'p1' }), { perPerson: 9 });
    await jobs.create(job('stale', { owner: B, requestedBy: 'p2' }), { perPerson: 9 });
    await jobs.create(job('dead', { owner: DEAD, requestedBy: 'p3' }), { perPerson: 9 });
    for (const [id, o] of [['alive', A], ['stale', B], ['dead', DEAD]]) assert.equal(await jobs.start(id, o, INPUTS, at(1)), true);
    assert.equal(await jobs.heartbeat(A, at(40)), 1);
    assert.equal(await jobs.heartbeat(DEAD, at(40)), 1);
    assert.deepEqual((await jobs.activeOwners()).sort(), [A, B, DEAD].sort());
    const failed = await jobs.failAbandoned(at(10), [DEAD], 'the process running it stopped', at(41));
    assert.deepEqual(failed.sort(), ['dead', 'stale']);
    for (const id of ['dead', 'stale']) {
      const r = (await jobs.get(id))!;
      assert.deepEqual([r.state, r.error, r.finishedAt], ['failed', 'the process running it stopped', at(41)]);
    }
    assert.equal((await jobs.get('alive'))!.state, 'running');

    // Queued: released (no owner), stale, dead and alive; two processes claim at once and never take the same one.
    await jobs.create(job('q-released', { owner: A, createdAt: at(50), requestedBy: 'q' }), { perPerson: 9 });
    await jobs.create(job('q-stale', { owner: B, heartbeatAt: at(5), createdAt: at(51), requestedBy: 'q' }), { perPerson: 9 });
    await jobs.create(job('q-dead', { owner: DEAD, heartbeatAt: at(60), createdAt: at(52), requestedBy: 'q' }), { perPerson: 9 });
    await jobs.create(job('q-alive', { owner: A, heartbeatAt: at(60), createdAt: at(53), requestedBy: 'q' }), { perPerson: 9 });
    assert.equal(await jobs.release(A), 2, 'both of A\'s queued jobs are given back');
    await jobs.heartbeat(A, at(60));
    // q-alive was released too; take it back for A by claiming it first (the oldest first, limit 1 each).
    const mine = await jobs.claimOrphans(A, at(10), [DEAD], 1, at(61));
    assert.deepEqual(mine.map((j) => [j.id, j.owner, j.heartbeatAt]), [['q-released', A, at(61)]]);
    const [x, y] = await Promise.all([jobs.claimOrphans('P1', at(10), [DEAD], 10, at(62)), other.claimOrphans('P2', at(10), [DEAD], 10, at(62))]);
    const claimed = [...x, ...y].map((j) => j.id).sort();
    assert.deepEqual(claimed, ['q-alive', 'q-dead', 'q-stale'], 'each orphan claimed by exactly one process');
    for (const j of [...x, ...y]) assert.equal((await jobs.get(j.id))!.owner, x.includes(j) ? 'P1' : 'P2');
    assert.deepEqual(await jobs.claimOrphans('P3', at(10), [DEAD], 10, at(63)), [], 'a fresh owner keeps its jobs');
    assert.deepEqual(await jobs.claimOrphans('P3', at(10), [], 0, at(63)), []);
  });

  test(`${name}: list newest first; prune keeps the newest finished jobs, every unfinished one, and assignment plans`, async (t) => {
    const { jobs, plans } = await make(t);
    for (let i = 0; i < 6; i++) {
      await jobs.create(job(`j${i}`, { createdAt: at(i), requestedBy: `p${i}` }), { perPerson: 9 });
      if (i === 5) continue; // j5 stays queued
      await jobs.start(`j${i}`, 'host-a/100/aa', INPUTS, at(i));
      const kind = i === 0 ? 'assign' : 'coverage';
      await plans.save(plan(`p${i}`, kind, at(i)), []);
      await jobs.finish(`j${i}`, 'host-a/100/aa', { state: 'done', planId: `p${i}`, progress: null }, at(i));
    }
    await plans.save(plan('p-orphan-new', 'siting', at(100)), []);
    assert.deepEqual((await jobs.list(3)).map((j) => j.id), ['j5', 'j4', 'j3']);
    assert.equal(await jobs.prune(3, at(50)), 3);
    assert.deepEqual((await jobs.list(10)).map((j) => j.id), ['j5', 'j4', 'j3']);
    // p0 is an assignment (kept), p1 and p2 lost their jobs (gone), p3 and p4 are referenced, the new one is too young.
    const left = [...await plans.list('coverage', 10), ...await plans.list('assign', 10), ...await plans.list('siting', 10)].map((p) => p.id).sort();
    assert.deepEqual(left, ['p-orphan-new', 'p0', 'p3', 'p4']);
    assert.deepEqual((await plans.list('coverage', 1)).map((p) => p.id), ['p4'], 'newest first, at most the limit');
  });
}
