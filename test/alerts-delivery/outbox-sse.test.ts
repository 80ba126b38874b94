import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/sqlite/db.ts';
import { SqliteAlertStore } from '../../src/store/sqlite/alerts-store.ts';
import { InProcessBus, OutboxWorker, SseHub, type AlertBus } from '../../src/alerts/delivery/index.ts';
import type { AlertEvent } from '../../src/alerts/lifecycle/index.ts';
import { approver, missileDraft, operator, regionDirectory, testEnv, type TestEnv } from '../alerts-lifecycle/helpers.ts';
import { MemorySink } from './sse-parse.ts';

function wire(env: TestEnv, bus: AlertBus = new InProcessBus()) {
  const hub = new SseHub({ regions: regionDirectory(env.regions), now: () => env.clock.now });
  const worker = new OutboxWorker({ store: env.store, bus, now: () => env.clock.now });
  return { hub, worker, bus, ready: bus.subscribe((e) => hub.accept(e)) };
}

async function issue(env: TestEnv, overrides: Record<string, unknown> = {}) {
  const d = await env.lifecycle.draft(operator, missileDraft(overrides, env.clock.now));
  return env.lifecycle.approve(approver, d.id);
}

test('issued alerts flow outbox -> bus -> hub to the clients of the regions concerned, parents included', async () => {
  const env = testEnv();
  const { hub, worker, ready } = wire(env);
  try {
    await ready;
    const raion = new MemorySink();
    const other = new MemorySink();
    const everyone = new MemorySink();
    hub.connect(raion, ['UA-30-1'], null);
    hub.connect(other, ['IL-SDEROT'], null);
    hub.connect(everyone, ['*'], null);
    const a = await issue(env, { regions: ['UA-30'] }); // oblast-wide: reaches the raion's subscriber
    await worker.kick();
    assert.equal((await env.store.pendingOutbox(10)).length, 0, 'the outbox row is completed after publishing');
    const got = raion.events();
    assert.equal(got.length, 1);
    assert.equal(got[0].id, String(a.seq));
    assert.equal(got[0].event, 'alert');
    const ev = JSON.parse(got[0].data) as AlertEvent;
    assert.equal(ev.id, a.record.id);
    assert.equal(ev.headline, 'Missile attack: take cover now');
    assert.equal(ev.stage, 'alert');
    assert.equal(ev.eventType, 'missile');
    assert.equal(ev.signature, a.record.signature);
    assert.equal(other.events().length, 0, 'a client elsewhere gets nothing');
    assert.equal(everyone.events().length, 1);
  } finally {
    hub.close();
    await worker.stop();
    env.close();
  }
});

test('a client reconnecting with Last-Event-ID receives exactly the events it missed, once', async () => {
  const env = testEnv();
  const bus = new InProcessBus();
  const { hub, worker, ready } = wire(env, bus);
  try {
    await ready;
    const first = new MemorySink();
    const disconnect = hub.connect(first, ['UA-30-1'], null);
    const a1 = await issue(env, { regions: ['UA-30-1'] });
    await worker.kick();
    assert.deepEqual(first.events().map((e) => e.id), [String(a1.seq)]);
    disconnect();

    // While away: one alert for this raion, one for another raion, one oblast-wide, one expiring before return.
    env.clock.now += 1000;
    const a2 = await issue(env, { regions: ['UA-30-1'], headline: 'Second wave' });
    const a3 = await issue(env, { regions: ['UA-30-2'], headline: 'Not here' });
    const a4 = await issue(env, { regions: ['UA-30'], headline: 'Whole oblast' });
    const a5 = await issue(env, { regions: ['UA-30-1'], headline: 'Short', expires: new Date(env.clock.now + 2000).toISOString() });
    await worker.kick();
    // The bus may deliver twice (at-least-once after a crash): the hub must not replay or forward duplicates.
    for (const e of await env.store.liveEvents(env.clock.now, 100)) await bus.publish(e.event);
    env.clock.now += 5000; // a5 has now expired

    const again = new MemorySink();
    hub.connect(again, ['UA-30-1'], a1.seq);
    const ids = again.events().map((e) => Number(e.id));
    assert.deepEqual(ids, [a2.seq, a4.seq], `missed: a2 and a4 (not a3, elsewhere; not a5, expired ${a5.seq}; not a1, seen ${a3.seq})`);

    // Live events keep coming, after the replay and without repeats.
    const a6 = await issue(env, { regions: ['UA-30-1'], headline: 'Third wave' });
    await worker.kick();
    await bus.publish((await env.store.liveEvents(env.clock.now, 100)).at(-1)!.event);
    assert.deepEqual(again.events().map((e) => Number(e.id)), [a2.seq, a4.seq, a6.seq]);
    assert.match(again.text, /^retry: \d+\n/);
  } finally {
    hub.close();
    await worker.stop();
    env.close();
  }
});

test('a new client gets the alerts in force; cancelled, replaced and expired ones are not in force', async () => {
  const env = testEnv();
  const { hub, worker, ready } = wire(env);
  try {
    await ready;
    const a = await issue(env, { regions: ['UA-30-1'] });
    const b = await issue(env, { regions: ['UA-30-1'], headline: 'To be cancelled' });
    const c = await issue(env, { regions: ['UA-30-1'], headline: 'Short', expires: new Date(env.clock.now + 2000).toISOString() });
    await env.lifecycle.cancel(approver, b.record.id);
    await worker.kick();
    env.clock.now += 3000;
    const fresh = new MemorySink();
    hub.connect(fresh, ['UA-30-1'], null);
    assert.deepEqual(fresh.events().map((e) => JSON.parse(e.data).id), [a.record.id], `not ${b.record.id} (cancelled) nor ${c.record.id} (expired)`);
  } finally {
    hub.close();
    await worker.stop();
    env.close();
  }
});

test('an event that expires before the worker gets to it is never delivered', async () => {
  const env = testEnv();
  const { hub, worker, ready } = wire(env);
  try {
    await ready;
    const sink = new MemorySink();
    hub.connect(sink, ['*'], null);
    await issue(env, { expires: new Date(env.clock.now + 1000).toISOString() });
    env.clock.now += 2000;
    await worker.kick();
    assert.equal(worker.stats.expired, 1);
    assert.equal(sink.events().length, 0);
    assert.equal((await env.store.pendingOutbox(10)).length, 0);
  } finally {
    hub.close();
    await worker.stop();
    env.close();
  }
});

test('an alert committed before a crash is delivered by the next process from the outbox, with its replay log warmed', async () => {
  const env = testEnv();
  try {
    // Process one commits and dies before any delivery (no worker ever ran).
    const a = await issue(env);
    env.db.close();

    // Process two opens the same file.
    const db = openDatabase(env.dbPath);
    const store = new SqliteAlertStore(db);
    const bus = new InProcessBus();
    const hub = new SseHub({ regions: regionDirectory(env.regions), now: () => env.clock.now });
    hub.warm(await store.liveEvents(env.clock.now, 1000));
    await bus.subscribe((e) => hub.accept(e));
    const sink = new MemorySink();
    hub.connect(sink, ['UA-30'], 0);
    assert.equal(sink.events().length, 0, 'nothing published yet');
    const worker = new OutboxWorker({ store, bus, now: () => env.clock.now });
    await worker.kick();
    assert.deepEqual(sink.events().map((e) => Number(e.id)), [a.seq!]);
    // A third process would find it in the warm replay log.
    const later = new SseHub({ regions: regionDirectory(env.regions), now: () => env.clock.now });
    later.warm(await store.liveEvents(env.clock.now, 1000));
    const back = new MemorySink();
    later.connect(back, ['UA-30'], 0);
    assert.deepEqual(back.events().map((e) => Number(e.id)), [a.seq!]);
    hub.close();
    later.close();
    await worker.stop();
    db.close();
  } finally {
    env.close();
  }
});

test('heartbeats are written to idle streams', async () => {
  const env = testEnv();
  const hub = new SseHub({ regions: regionDirectory(env.regions), heartbeatMs: 20 });
  try {
    const sink = new MemorySink();
    hub.connect(sink, ['UA-30'], null);
    await new Promise((r) => setTimeout(r, 120));
    assert.match(sink.text, /: heartbeat /);
  } finally {
    hub.close();
    env.close();
  }
});

test('reach counts the clients an alert reached; a client connected uncounted (a staff console) gets it but is not counted', async () => {
  const env = testEnv();
  const { hub, worker, ready } = wire(env);
  try {
    await ready;
    const resident = new MemorySink();
    const staffConsole = new MemorySink();
    hub.connect(resident, ['UA-30-1'], null);
    hub.connect(staffConsole, ['*'], null, { counted: false });
    const a = await issue(env, { regions: ['UA-30'] });
    await worker.kick();
    assert.equal(staffConsole.events().length, 1, 'the console still receives the alert');
    assert.equal(hub.reachedCount(a.seq!), 1, 'only the resident counts');
    // Replay to a newcomer counts too; to an uncounted one it does not.
    hub.connect(new MemorySink(), ['UA-30-1'], null);
    hub.connect(new MemorySink(), ['*'], null, { counted: false });
    assert.equal(hub.reachedCount(a.seq!), 2);
    assert.equal(hub.reachRows().find((r) => r.seq === a.seq!)?.reached, 2);
  } finally {
    hub.close();
    await worker.stop();
    env.close();
  }
});
