// The contract every PushStore implementation must meet (SQLite and PostgreSQL run it; push.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importAlert, matchCodes, MIN, subscription, T0, type AlertStores, type MakeAlertStores } from './alerts.fixtures.ts';

const iso = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

async function subscribe(s: AlertStores, name: string, codes: string[]) {
  const sub = subscription(name, codes);
  await s.push.upsertSubscription(sub, matchCodes(codes), iso(0));
  return sub;
}

async function figures(s: AlertStores, seq: number) {
  const [r] = await s.reach.recordsFor([seq]);
  return r.push;
}

export function pushStoreContract(name: string, make: MakeAlertStores): void {
  test(`${name}: settings: the first writer wins, also across processes`, async (t) => {
    const s = await make(t);
    const other = await s.another();
    assert.equal(await s.push.getSetting('vapid'), null);
    const [x, y] = await Promise.all([s.push.setSettingOnce('vapid', 'key-a'), other.push.setSettingOnce('vapid', 'key-b')]);
    assert.equal(x, y, 'both processes end up with the same key');
    assert.ok(['key-a', 'key-b'].includes(x));
    assert.equal(await s.push.setSettingOnce('vapid', 'key-c'), x);
    assert.equal(await other.push.getSetting('vapid'), x);
    assert.equal(await s.push.getSetting('other'), null);
  });

  test(`${name}: subscriptions: upsert replaces keys and regions; remove forgets`, async (t) => {
    const s = await make(t);
    assert.equal(await s.push.countSubscriptions(), 0);
    await subscribe(s, 'a', ['UA-30-1']);
    await subscribe(s, 'b', ['IL-SDEROT']);
    assert.equal(await s.push.countSubscriptions(), 2);
    const { seq } = await importAlert(s, 'x', { regions: ['UA-30'] });
    assert.equal(await s.push.enqueuePush(seq, matchCodes(['UA-30']), T0 + 30 * MIN, T0), 1, 'only a matches UA-30 (through its parent)');
    // a moves to Sderot with new keys: an alert for Sderot now finds both, with a's new keys.
    await s.push.upsertSubscription({ ...subscription('a', ['IL-SDEROT']), keys: { p256dh: 'new-p', auth: 'new-a' } }, ['IL-SDEROT'], iso(1));
    assert.equal(await s.push.countSubscriptions(), 2);
    const { seq: seq2 } = await importAlert(s, 'y', { regions: ['IL-SDEROT'] });
    assert.equal(await s.push.enqueuePush(seq2, ['IL-SDEROT'], T0 + 30 * MIN, T0), 2);
    const jobs = await s.push.duePushJobs(T0, 10);
    const aJob = jobs.find((j) => j.seq === seq2 && j.endpoint.endsWith('/a'))!;
    assert.deepEqual(aJob.subscription, { endpoint: 'https://push.example/a', keys: { p256dh: 'new-p', auth: 'new-a' }, regions: ['IL-SDEROT'] });
    const { seq: seq3 } = await importAlert(s, 'z', { regions: ['UA-30'] });
    assert.equal(await s.push.enqueuePush(seq3, matchCodes(['UA-30']), T0 + 30 * MIN, T0), 0, 'a no longer matches Kyiv oblast');
    assert.equal(await s.push.removeSubscription('https://push.example/b'), true);
    assert.equal(await s.push.removeSubscription('https://push.example/b'), false);
    assert.equal(await s.push.countSubscriptions(), 1);
  });

  test(`${name}: enqueuePush queues one job per matching subscription, once, and counts them as targeted`, async (t) => {
    const s = await make(t);
    await subscribe(s, 'k1', ['UA-30-1']);
    await subscribe(s, 'k2', ['UA-30-2']);
    await subscribe(s, 'both', ['UA-30-1', 'UA-30-2']);
    await subscribe(s, 'sderot', ['IL-SDEROT']);
    const { seq } = await importAlert(s, 'x');
    assert.equal(await s.push.enqueuePush(seq, [], T0 + 30 * MIN, T0), 0);
    assert.equal(await s.push.enqueuePush(seq, matchCodes(['UA-30']), T0 + 30 * MIN, T0), 3, 'one job for a subscription matching twice');
    assert.equal(await s.push.enqueuePush(seq, matchCodes(['UA-30', 'IL-SDEROT']), T0 + 30 * MIN, T0), 1, 'only the job not queued yet');
    assert.equal(await s.push.pendingPushJobs(), 4);
    assert.deepEqual(await figures(s, seq), { targeted: 4, accepted: 0, failed: 0, expired: 0, gone: 0, pending: 4, retrying: 0, firstMs: null, lastMs: null });
  });

  test(`${name}: enqueuePush from two processes at once queues each job once`, async (t) => {
    const s = await make(t);
    const other = await s.another();
    for (let i = 0; i < 20; i++) await subscribe(s, `k${i}`, [i % 2 ? 'UA-30-1' : 'UA-30-2']);
    const { seq } = await importAlert(s, 'x');
    const codes = matchCodes(['UA-30']);
    const counts = await Promise.all([s, other, s, other].map((x) => x.push.enqueuePush(seq, codes, T0 + 30 * MIN, T0)));
    assert.equal(counts.reduce((a, b) => a + b, 0), 20);
    assert.equal(await s.push.pendingPushJobs(), 20);
    assert.equal((await figures(s, seq)).targeted, 20);
  });

  test(`${name}: due jobs carry subscription and event, are leased, and come back after the lease`, async (t) => {
    const s = await make(t);
    const sub = await subscribe(s, 'a', ['UA-30-1']);
    const x = await importAlert(s, 'x');
    const y = await importAlert(s, 'y');
    const event = (await s.alerts.eventFor('x'))!;
    assert.equal(await s.push.enqueuePush(y.seq, ['UA-30-1'], T0 + 30 * MIN, T0 + 4000), 1);
    assert.equal(await s.push.enqueuePush(x.seq, ['UA-30-1'], T0 + 30 * MIN, T0 + 5000), 1);
    assert.deepEqual(await s.push.duePushJobs(T0 + 3999, 10), [], 'not due before its time');
    assert.deepEqual((await s.push.duePushJobs(T0 + 4000, 10, 10_000)).map((j) => j.seq), [y.seq], 'only what is due');
    const [first, ...rest] = await s.push.duePushJobs(T0 + 5000, 10, 10_000);
    assert.equal(rest.length, 0, 'the leased job is not due again');
    assert.deepEqual(first, { seq: x.seq, endpoint: sub.endpoint, attempts: 0, subscription: sub, event });
    assert.deepEqual(await s.push.duePushJobs(T0 + 13_999, 10), []);
    assert.deepEqual((await s.push.duePushJobs(T0 + 14_000, 10)).map((j) => j.seq), [y.seq], 'y\'s lease ran out first');
    assert.deepEqual((await s.push.duePushJobs(T0 + 15_000, 1)).map((j) => j.seq), [x.seq]);
    assert.equal(await s.push.pendingPushJobs(), 2, 'leasing removes nothing');
  });

  test(`${name}: two processes claiming due jobs at once never get the same job`, async (t) => {
    const s = await make(t);
    const others = await Promise.all([1, 2, 3].map(() => s.another()));
    for (let i = 0; i < 30; i++) await subscribe(s, `k${i}`, ['UA-30-1']);
    const seqs = [(await importAlert(s, 'x')).seq, (await importAlert(s, 'y')).seq];
    for (const seq of seqs) await s.push.enqueuePush(seq, ['UA-30-1'], T0 + 30 * MIN, T0);
    const claimed: string[] = [];
    for (let round = 0; round < 10; round++) {
      const batches = await Promise.all([s, ...others].map((x) => x.push.duePushJobs(T0 + 1000, 4)));
      for (const b of batches) claimed.push(...b.map((j) => `${j.seq} ${j.endpoint}`));
    }
    assert.equal(claimed.length, 60, 'every job claimed');
    assert.equal(new Set(claimed).size, 60, 'none twice');
  });

  test(`${name}: retry counts attempts and delays; completing counts each outcome once`, async (t) => {
    const s = await make(t);
    for (const n of ['ok', 'flaky', 'bad', 'late']) await subscribe(s, n, ['UA-30-1']);
    const x = await importAlert(s, 'x');
    const y = await importAlert(s, 'y');
    await s.push.enqueuePush(x.seq, ['UA-30-1'], T0 + 30 * MIN, T0);
    await s.push.enqueuePush(y.seq, ['UA-30-1'], T0 + 30 * MIN, T0);
    const ep = (n: string) => `https://push.example/${n}`;
    await s.push.completePushJob(x.seq, ep('ok'), 'accepted', T0 + 2000);
    await s.push.completePushJob(x.seq, ep('ok'), 'accepted', T0 + 9000);
    await s.push.retryPushJob(x.seq, ep('flaky'), T0 + 60_000, 'HTTP 503 '.repeat(100));
    await s.push.completePushJob(x.seq, ep('bad'), 'failed', T0 + 2000);
    await s.push.completePushJob(x.seq, ep('late'), 'expired', T0 + 2000);
    assert.deepEqual(await figures(s, x.seq), { targeted: 4, accepted: 1, failed: 1, expired: 1, gone: 0, pending: 1, retrying: 1, firstMs: T0 + 2000, lastMs: T0 + 2000 });
    const due = await s.push.duePushJobs(T0 + 1000, 10);
    assert.deepEqual(due.map((j) => j.seq), [y.seq, y.seq, y.seq, y.seq], 'the retried job waits for its time');
    const [retried] = await s.push.duePushJobs(T0 + 60_000, 10);
    assert.deepEqual([retried.seq, retried.endpoint, retried.attempts], [x.seq, ep('flaky'), 1]);
    await s.push.completePushJob(x.seq, ep('flaky'), 'accepted', T0 + 60_500);
    await s.push.completePushJob(y.seq, ep('ok'), 'accepted', T0 + 1500);
    assert.deepEqual(await figures(s, x.seq), { targeted: 4, accepted: 2, failed: 1, expired: 1, gone: 0, pending: 0, retrying: 0, firstMs: T0 + 2000, lastMs: T0 + 60_500 });
    assert.equal(await s.push.pendingPushJobs(), 3);
    assert.deepEqual(await s.push.pushSentFor([x.seq, y.seq, 999]), new Map([[x.seq, 2], [y.seq, 1]]));
    assert.deepEqual(await s.push.pushSentFor([]), new Map());
  });

  test(`${name}: removing a subscription counts its queued jobs as gone, once`, async (t) => {
    const s = await make(t);
    const other = await s.another();
    for (const n of ['a', 'b', 'c']) await subscribe(s, n, ['UA-30-1']);
    const x = await importAlert(s, 'x');
    const y = await importAlert(s, 'y');
    await s.push.enqueuePush(x.seq, ['UA-30-1'], T0 + 30 * MIN, T0);
    await s.push.enqueuePush(y.seq, ['UA-30-1'], T0 + 30 * MIN, T0);
    await s.push.completePushJob(x.seq, 'https://push.example/a', 'accepted', T0 + 1000);
    assert.equal(await s.push.removeSubscription('https://push.example/a'), true);
    assert.deepEqual([(await figures(s, x.seq)).gone, (await figures(s, y.seq)).gone], [0, 1], 'the sent one is not gone');
    // A dispatcher completing a job while the subscription goes: the job counts once, as one or the other.
    await Promise.all([other.push.completePushJob(x.seq, 'https://push.example/b', 'accepted', T0 + 2000), s.push.removeSubscription('https://push.example/b')]);
    const fx = await figures(s, x.seq);
    assert.equal(fx.accepted + fx.gone, 2);
    for (const seq of [x.seq, y.seq]) {
      const f = await figures(s, seq);
      assert.equal(f.targeted, f.accepted + f.failed + f.expired + f.gone + f.pending, 'targeted = accepted + failed + expired + gone + pending');
    }
    assert.equal(await s.push.pendingPushJobs(), 2, 'c has its two jobs');
    assert.equal(await s.push.countSubscriptions(), 1);
  });
}
