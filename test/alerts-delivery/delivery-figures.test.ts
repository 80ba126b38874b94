// Delivery figures from the real store: Web Push outcomes counted per event as they happen (against a local HTTPS
// push service), stream reach written by two hubs on two connections to one database file (as two processes), a
// silent process no longer counted, and an outbox row completed by two workers fanning out to push once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/sqlite/db.ts';
import { SqlitePushStore } from '../../src/store/sqlite/alerts-push-store.ts';
import { SqliteDeliveryStore } from '../../src/store/sqlite/alerts-delivery-store.ts';
import { deliveryFigures, ensureVapidKeys, InProcessBus, OutboxWorker, PushDispatcher, ReachReporter, SseHub, REACH_SILENT_AFTER_MS } from '../../src/alerts/delivery/index.ts';
import { generateVapidKeys, WebPushSender } from '../../src/adapters/web-push/index.ts';
import { approver, missileDraft, operator, regionDirectory, testEnv, type TestEnv } from '../alerts-lifecycle/helpers.ts';
import { browserSubscription, selfSignedCert, TestPushService } from './push-endpoint.ts';
import { MemorySink } from './sse-parse.ts';

const tls = selfSignedCert();

async function issue(env: TestEnv, overrides: Record<string, unknown> = {}) {
  return env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft(overrides, env.clock.now))).id);
}

test('Web Push outcomes are counted per event in the store: targeted, accepted, pending, retrying, failed, expired, gone', async (t) => {
  if (!tls) return t.skip('openssl is not available to make a test certificate');
  const env = testEnv();
  const service = await TestPushService.start(tls);
  const pushStore = new SqlitePushStore(env.db);
  const delivery = new SqliteDeliveryStore(env.db);
  const vapid = await ensureVapidKeys(pushStore, 'mailto:alerts@refuge.test', generateVapidKeys);
  const sender = new WebPushSender(vapid, { agent: service.agent, now: () => env.clock.now });
  const dispatcher = new PushDispatcher({ store: pushStore, sender, regions: regionDirectory(env.regions), baseBackoffMs: 1000, maxAttempts: 5, now: () => env.clock.now });
  const worker = new OutboxWorker({ store: env.store, bus: new InProcessBus(), pushFanOut: (e) => dispatcher.fanOut(e), now: () => env.clock.now });
  const figures = async (seq: number) => deliveryFigures((await delivery.recordsFor([seq]))[0], env.clock.now, null, false);
  try {
    const subs = Object.fromEntries(['ok', 'gone', 'flaky', 'bad', 'leaver'].map((n) => [n, browserSubscription(`${service.origin}/push/${n}`)]));
    service.script.set('/push/gone', [410]);
    service.script.set('/push/flaky', [503, 201]);
    service.script.set('/push/bad', [400]);
    service.script.set('/push/leaver', [503]);
    for (const s of Object.values(subs)) await dispatcher.subscribe(s, ['UA-30-1']);

    const a = await issue(env, { regions: ['UA-30'] });
    const before = await figures(a.seq!);
    assert.equal(before.bus.state, 'pending');
    assert.equal(before.push.targeted, 0, 'nothing targeted before the outbox fans out');
    await worker.kick();
    const issuedAt = env.clock.now;
    await dispatcher.kick();
    let f = await figures(a.seq!);
    assert.deepEqual(f.bus, { state: 'published', via: 'in-process', publishedAt: new Date(issuedAt).toISOString(), mqtt: { configured: false, publishedAt: null } });
    assert.deepEqual(
      { targeted: f.push.targeted, accepted: f.push.accepted, pending: f.push.pending, retrying: f.push.retrying, failed: f.push.failed, expired: f.push.expired, gone: f.push.gone },
      { targeted: 5, accepted: 1, pending: 2, retrying: 2, failed: 1, expired: 0, gone: 1 });
    assert.equal(f.push.firstAcceptedAt, new Date(issuedAt).toISOString());

    // The resident unsubscribes while a retry is queued: that job will never be sent, it counts as gone.
    await dispatcher.unsubscribe(subs.leaver.endpoint);
    env.clock.now += 1000;
    await dispatcher.kick();
    f = await figures(a.seq!);
    assert.deepEqual([f.push.accepted, f.push.pending, f.push.retrying, f.push.failed, f.push.gone], [2, 0, 0, 1, 2]);
    assert.equal(f.push.targeted, f.push.accepted + f.push.pending + f.push.failed + f.push.expired + f.push.gone);
    assert.equal(f.push.lastAcceptedAt, new Date(issuedAt + 1000).toISOString(), 'the retried one was accepted a second later');

    // An alert that expires while its push waits for a retry: dropped, counted as expired (the TTL ran out).
    const down = browserSubscription(`${service.origin}/push/down`);
    service.script.set('/push/down', [503, 201]);
    await dispatcher.subscribe(down, ['IL-SDEROT']);
    const b = await issue(env, { regions: ['IL-SDEROT'], expires: new Date(env.clock.now + 60_000).toISOString() });
    await worker.kick();
    await dispatcher.kick();
    assert.deepEqual([(await figures(b.seq!)).push.pending, (await figures(b.seq!)).push.retrying], [1, 1]);
    env.clock.now += 61_000;
    await dispatcher.kick();
    f = await figures(b.seq!);
    assert.deepEqual([f.push.targeted, f.push.accepted, f.push.pending, f.push.expired, f.push.failed], [1, 0, 0, 1, 0]);
    assert.equal(f.expired, true);
    assert.equal((await figures(a.seq!)).push.targeted, 5, 'figures are per event');
  } finally {
    await dispatcher.stop();
    await worker.stop();
    await service.close();
    env.close();
  }
});

test('an outbox row completed by two workers at once fans out to push once', async () => {
  const env = testEnv();
  const pushStore = new SqlitePushStore(env.db);
  const delivery = new SqliteDeliveryStore(env.db);
  try {
    await pushStore.upsertSubscription({ ...browserSubscription('https://push.example.test/one'), regions: ['UA-30-1'] }, ['UA-30-1', 'UA-30'], new Date(env.clock.now).toISOString());
    const a = await issue(env, { regions: ['UA-30'] });
    // Both "processes" read the row as pending before either completed it.
    const [row] = await env.store.pendingOutbox(10);
    const fanOut = { regionCodes: ['UA-30'], expiresMs: env.clock.now + 60_000, nowMs: env.clock.now };
    assert.deepEqual(await env.store.completeOutbox(row.seq, 'published', new Date(env.clock.now).toISOString(), 'redis', fanOut), { completed: true, queued: 1 });
    // The first process's push is accepted and its job removed before the second finishes publishing.
    await pushStore.completePushJob(row.seq, 'https://push.example.test/one', 'accepted', env.clock.now);
    assert.deepEqual(await env.store.completeOutbox(row.seq, 'published', new Date(env.clock.now + 5).toISOString(), 'nats', fanOut), { completed: false, queued: 0 });
    assert.equal(await pushStore.pendingPushJobs(), 0, 'no second notification queued');
    const [rec] = await delivery.recordsFor([a.seq!]);
    assert.deepEqual([rec.push.targeted, rec.push.accepted, rec.via], [1, 1, 'redis']);
    // A job already removed is not counted twice.
    await pushStore.completePushJob(row.seq, 'https://push.example.test/one', 'failed', env.clock.now);
    assert.equal((await delivery.recordsFor([a.seq!]))[0].push.failed, 0);
  } finally {
    env.close();
  }
});

test('stream reach: two processes on one database file are summed; a silent one stops counting; expired events keep their last figures', async () => {
  const env = testEnv();
  const second = openDatabase(env.dbPath); // another connection to the same file, as a second server process has
  const bus = new InProcessBus();
  const clock = { now: env.clock.now };
  const hubA = new SseHub({ regions: regionDirectory(env.regions), now: () => clock.now });
  const hubB = new SseHub({ regions: regionDirectory(env.regions), now: () => clock.now });
  const storeA = new SqliteDeliveryStore(env.db);
  const storeB = new SqliteDeliveryStore(second);
  const reportA = new ReachReporter({ hub: hubA, store: storeA, processId: 'host:1:a', now: () => clock.now });
  const reportB = new ReachReporter({ hub: hubB, store: storeB, processId: 'host:2:b', now: () => clock.now });
  const worker = new OutboxWorker({ store: env.store, bus, now: () => env.clock.now });
  try {
    await bus.subscribe((e) => hubA.accept(e));
    await bus.subscribe((e) => hubB.accept(e));
    const sinks = [new MemorySink(), new MemorySink(), new MemorySink()];
    hubA.connect(sinks[0], ['UA-30-1'], null);
    hubA.connect(sinks[1], ['*'], null);
    hubA.connect(new MemorySink(), ['IL-SDEROT'], null); // another region: not reached
    hubB.connect(sinks[2], ['UA-30'], null);
    const a = await issue(env, { regions: ['UA-30'], expires: new Date(env.clock.now + 10 * 60_000).toISOString() });
    await worker.kick();
    await new Promise((r) => setImmediate(r));
    assert.ok(sinks.every((s) => s.events().length === 1));
    // A late client of process B gets it by replay (Last-Event-ID 0): reached too.
    clock.now += 500;
    hubB.connect(new MemorySink(), ['UA-30-2'], 0);
    await reportA.flush();
    await reportB.flush();
    const read = async () => (await storeA.recordsFor([a.seq!]))[0];
    let f = deliveryFigures(await read(), clock.now + 1000, null, false);
    assert.deepEqual(f.stream, { reached: 4, processes: 2, silentProcesses: 0, silentReached: 0, firstAt: new Date(env.clock.now).toISOString() });

    // B goes silent (stopped or stuck); A keeps writing. After 30 s B's clients no longer count.
    clock.now += REACH_SILENT_AFTER_MS + 1000;
    await reportA.flush();
    f = deliveryFigures(await read(), clock.now, null, false);
    assert.deepEqual([f.stream.reached, f.stream.processes, f.stream.silentProcesses, f.stream.silentReached], [2, 1, 1, 2]);
    // The answering process's in-memory count replaces its own (older) row.
    f = deliveryFigures(await read(), clock.now, { processId: 'host:2:b', reached: 3, firstMs: clock.now }, false);
    assert.deepEqual([f.stream.reached, f.stream.processes, f.stream.silentProcesses], [5, 2, 0]);

    // After expiry the hub prunes the event; its final figures are still written once and kept.
    hubA.connect(new MemorySink(), ['UA-30'], 0);
    clock.now = Date.parse(a.record.cap.info[0].expires!) + 1;
    hubA.prune();
    await reportA.stop();
    const rows = env.db.prepare('SELECT process_id, reached FROM alert_reach WHERE seq = ? ORDER BY process_id').all(a.seq!);
    assert.deepEqual(rows, [{ process_id: 'host:1:a', reached: 3 }, { process_id: 'host:2:b', reached: 2 }]);
    assert.equal(hubA.reachRows().length, 0, 'nothing live left to report');
    // An hour later (after-action review): A's figures are final and still count; B, stuck before writing a final
    // row, is still reported as silent.
    f = deliveryFigures(await read(), clock.now + 3_600_000, null, false);
    assert.deepEqual([f.stream.reached, f.stream.processes, f.stream.silentProcesses, f.stream.silentReached], [3, 1, 1, 2]);
  } finally {
    await worker.stop();
    await reportB.stop();
    hubA.close();
    hubB.close();
    second.close();
    env.close();
  }
});

test('a reach write that fails (database busy) is written with the next one, final figures of a pruned event included', async () => {
  const env = testEnv();
  const other = openDatabase(env.dbPath);
  other.pragma('busy_timeout = 0'); // fail at once instead of waiting for the lock
  const bus = new InProcessBus();
  const clock = { now: env.clock.now };
  const hub = new SseHub({ regions: regionDirectory(env.regions), now: () => clock.now });
  const errors: string[] = [];
  const reporter = new ReachReporter({ hub, store: new SqliteDeliveryStore(other), processId: 'p', now: () => clock.now, log: (m) => errors.push(m) });
  const worker = new OutboxWorker({ store: env.store, bus, now: () => env.clock.now });
  try {
    await bus.subscribe((e) => hub.accept(e));
    hub.connect(new MemorySink(), ['UA-30'], null);
    const a = await issue(env, { regions: ['UA-30'], expires: new Date(env.clock.now + 60_000).toISOString() });
    await worker.kick();
    await new Promise((r) => setImmediate(r));
    clock.now += 61_000;
    hub.prune(); // expired: the hub lets go of it
    env.db.exec('BEGIN IMMEDIATE'); // another process holds the write lock
    await reporter.flush();
    env.db.exec('COMMIT');
    assert.equal(reporter.stats.failures, 1);
    assert.match(errors[0], /recording stream reach of 1 events failed/);
    assert.equal(env.db.prepare('SELECT count(*) FROM alert_reach').pluck().get(), 0);
    await reporter.flush();
    assert.deepEqual(env.db.prepare('SELECT process_id, seq, reached FROM alert_reach').all(), [{ process_id: 'p', seq: a.seq, reached: 1 }]);
  } finally {
    await worker.stop();
    hub.close();
    other.close();
    env.close();
  }
});

test('stop waits for an interval write still running and writes the final figures after it, never under it', async () => {
  const env = testEnv();
  const bus = new InProcessBus();
  const hub = new SseHub({ regions: regionDirectory(env.regions), now: () => env.clock.now });
  const real = new SqliteDeliveryStore(env.db);
  // The real store, with its first write held open (a slow database) to put the interval write and stop() side by side.
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  const writes: boolean[] = [];
  let calls = 0;
  const store = Object.create(real) as SqliteDeliveryStore;
  store.recordReach = async (processId, rows, nowMs) => {
    if (calls++ === 0) await held;
    writes.push(rows.every((r) => r.final === true));
    return real.recordReach(processId, rows, nowMs);
  };
  const reporter = new ReachReporter({ hub, store, processId: 'p', now: () => env.clock.now });
  const worker = new OutboxWorker({ store: env.store, bus, now: () => env.clock.now });
  try {
    await bus.subscribe((e) => hub.accept(e));
    hub.connect(new MemorySink(), ['UA-30'], null);
    const a = await issue(env, { regions: ['UA-30'], expires: new Date(env.clock.now + 60_000).toISOString() });
    await worker.kick();
    await new Promise((r) => setImmediate(r));
    const interval = reporter.flush(); // the timer's write, stuck in the database
    let stopped = false;
    const stopping = reporter.stop().then(() => { stopped = true; });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(stopped, false, 'stop returned while a write was still running');
    release();
    await Promise.all([interval, stopping]);
    assert.deepEqual(writes, [false, true], 'the final write comes last');
    const row = env.db.prepare('SELECT reached, final FROM alert_reach WHERE seq = ?').get(a.seq!) as { reached: number; final: number };
    assert.equal(row.final, 1);
  } finally {
    await worker.stop();
    hub.close();
    env.close();
  }
});
