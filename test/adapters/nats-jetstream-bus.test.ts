// The NATS bus on JetStream, against the real local NATS server (started with -js): events cross connections, the
// same outbox row published twice is stored once, a subscriber cut off from NATS gets what was published meanwhile
// exactly once after it reconnects, and a server without JetStream is refused with an error that says so.
// Each test uses a subject (hence a stream) of its own and deletes the stream afterwards.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { connect, RetentionPolicy, StorageType } from 'nats';
import { NatsBus, parseNatsUrl, streamNameFor, STREAM_MAX_AGE_MS, DUPLICATE_WINDOW_MS } from '../../src/adapters/alert-bus/nats-bus.ts';
import { connectBus } from '../../src/adapters/alert-bus/connect-bus.ts';
import type { AlertEvent } from '../../src/alerts/lifecycle/index.ts';
import { reachable } from '../alerts-delivery/http-helpers.ts';
import { TcpProxy } from '../tcp-proxy.ts';

const NATS = process.env.REFUGE_TEST_NATS ?? 'nats://127.0.0.1:4222';
const NATS_PORT = Number(new URL(NATS.replace(/^nats:/, 'http:')).port || 4222);
let counter = 0;

function event(seq: number, id = `jsbus-${process.pid}-${++counter}`): AlertEvent {
  return {
    seq, id, identifier: id, sender: 'alerts@refuge.test', sent: new Date().toISOString(),
    status: 'Exercise', exercise: true, msgType: 'Alert', eventType: 'drone', event: 'Hostile drone', stage: 'alert',
    urgency: 'Immediate', severity: 'Severe', certainty: 'Observed', headline: 'EXERCISE - drone', description: null, instruction: null,
    language: 'en', regions: [{ code: 'UA-30', name: 'UA-30', warningTimeS: 60 }], areas: [{ areaDesc: 'UA-30', regionCodes: ['UA-30'] }],
    onset: null, expires: new Date(Date.now() + 60_000).toISOString(), replaces: [], references: [], falseAlarm: false,
    signature: null, signatureKeyId: null, verified: false, capUrl: '/api/alerts/x.cap',
  };
}

type T = { after: (fn: () => Promise<void> | void) => void; skip: (why: string) => void };

/**
 * A subject of the test's own; its stream is deleted after all tests, when every bus is closed (a bus still
 * subscribed would recreate a stream deleted under it, and leave it behind).
 */
const subjects: string[] = [];
after(async () => {
  for (const subject of subjects) await NatsBus.deleteStream(NATS, subject).catch(() => false);
});
function subjectFor(_t: T, name: string): string {
  const subject = `refuge.test.js.${process.pid}.${Date.now().toString(36)}.${name}`;
  subjects.push(subject);
  return subject;
}

async function until(what: string, probe: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Lets time pass for anything still in flight (no assertion depends on how long). */
const settle = (ms = 500) => new Promise((r) => setTimeout(r, ms));

async function streamInfo(name: string) {
  const nc = await connect({ servers: NATS.replace(/^nats:\/\//, '') });
  try {
    const jsm = await nc.jetstreamManager();
    return await jsm.streams.info(name);
  } finally {
    await nc.close();
  }
}


test('JetStream bus: what one connection publishes, another receives; a subscriber starts at new messages', async (t) => {
  if (!(await reachable(NATS_PORT))) return t.skip('NATS is not reachable');
  const subject = subjectFor(t, 'pubsub');
  const a = await NatsBus.connect(NATS, subject);
  const b = await NatsBus.connect(NATS, subject);
  t.after(async () => {
    await a.close();
    await b.close();
  });
  assert.equal(a.stream, streamNameFor(subject));
  const info = await streamInfo(a.stream);
  assert.deepEqual(info.config.subjects, [subject]);
  assert.equal(info.config.storage, StorageType.File);
  assert.equal(info.config.retention, RetentionPolicy.Limits);
  assert.equal(info.config.max_age, STREAM_MAX_AGE_MS * 1_000_000, 'kept as long as an alert can live (48 h)');
  assert.equal(info.config.duplicate_window, DUPLICATE_WINDOW_MS * 1_000_000);

  await a.publish(event(1)); // before anyone subscribed: not replayed to a new subscriber
  const got: AlertEvent[] = [];
  const unsub = await b.subscribe((e) => got.push(e));
  await a.publish(event(2));
  await b.publish(event(3)); // its own publications too: every process delivers to its own clients through the bus
  await until('two events', () => got.length >= 2);
  await settle();
  assert.deepEqual(got.map((e) => e.seq), [2, 3]);
  assert.ok(a.lastAck && !a.lastAck.duplicate && a.lastAck.stream === a.stream);
  await unsub();
  await a.publish(event(4));
  await settle();
  assert.deepEqual(got.map((e) => e.seq), [2, 3], 'nothing after unsubscribing');
});

test('JetStream bus: the same outbox row published by two processes is stored and delivered once', async (t) => {
  if (!(await reachable(NATS_PORT))) return t.skip('NATS is not reachable');
  const subject = subjectFor(t, 'dedupe');
  const a = await NatsBus.connect(NATS, subject);
  const b = await NatsBus.connect(NATS, subject);
  const c = await connectBus(NATS, subject); // through the URL switch, as `refuge serve` does
  t.after(async () => {
    await a.close();
    await b.close();
    await c.close();
  });
  const got: AlertEvent[] = [];
  await c.subscribe((e) => got.push(e));
  const row = event(7);
  await a.publish(row);
  assert.equal(a.lastAck?.duplicate, false);
  await b.publish(row); // the other process publishes the same row (it claimed it too, or retries after a crash)
  assert.equal(b.lastAck?.duplicate, true, 'JetStream reports the duplicate');
  assert.equal(b.lastAck?.seq, a.lastAck?.seq, 'and points at the stored message');
  // A database restored or reset reuses seq 7 for another alert: that is not a duplicate.
  await b.publish(event(7, `jsbus-other-${process.pid}-${Date.now()}`));
  assert.equal(b.lastAck?.duplicate, false);
  await until('two events', () => got.length >= 2);
  await settle();
  assert.deepEqual(got.map((e) => e.id), [row.id, got[1].id]);
  assert.notEqual(got[1].id, row.id);
  assert.equal((await streamInfo(a.stream)).state.messages, 2);
});

test('JetStream bus: a subscriber cut off from NATS gets what was published meanwhile, exactly once, in order', async (t) => {
  if (!(await reachable(NATS_PORT))) return t.skip('NATS is not reachable');
  const subject = subjectFor(t, 'outage');
  const proxy = new TcpProxy(NATS_PORT);
  await proxy.up();
  const publisher = await NatsBus.connect(NATS, subject);
  const subscriber = await NatsBus.connect(`nats://127.0.0.1:${proxy.port}`, subject);
  t.after(async () => {
    await proxy.up().catch(() => {});
    await subscriber.close();
    await publisher.close();
    await proxy.down();
  });
  const got: AlertEvent[] = [];
  await subscriber.subscribe((e) => got.push(e));
  await publisher.publish(event(1));
  await until('the first event', () => got.length === 1);
  const acceptedBefore = proxy.accepted;

  await proxy.down(); // the subscriber's connection is gone, and it cannot reconnect yet
  for (let seq = 2; seq <= 4; seq++) await publisher.publish(event(seq)); // durable in the stream meanwhile
  await settle(1500); // the subscriber tries to reconnect and is refused
  assert.deepEqual(got.map((e) => e.seq), [1], 'nothing arrives while cut off');

  await proxy.up();
  await until('the subscriber reconnected', () => proxy.accepted > acceptedBefore);
  await until('the three events published meanwhile', () => got.length >= 4);
  await publisher.publish(event(5));
  await until('the event published after', () => got.length >= 5);
  await settle(1000);
  assert.deepEqual(got.map((e) => e.seq), [1, 2, 3, 4, 5], 'each exactly once, in order');
});

test('JetStream bus: a subscriber cut off before its first event, whose consumer the server lost, still gets what was published meanwhile', async (t) => {
  // With a plain "deliver new" the library would start a recreated consumer at new messages again and lose these.
  if (!(await reachable(NATS_PORT))) return t.skip('NATS is not reachable');
  const subject = subjectFor(t, 'outage-first');
  const proxy = new TcpProxy(NATS_PORT);
  await proxy.up();
  const publisher = await NatsBus.connect(NATS, subject);
  await publisher.publish(event(1)); // before the subscription: not for it
  const subscriber = await NatsBus.connect(`nats://127.0.0.1:${proxy.port}`, subject);
  t.after(async () => {
    await proxy.up().catch(() => {});
    await subscriber.close();
    await publisher.close();
    await proxy.down();
  });
  const got: AlertEvent[] = [];
  await subscriber.subscribe((e) => got.push(e));
  const acceptedBefore = proxy.accepted;
  await proxy.down();
  // The server loses the subscriber's consumer meanwhile (as when NATS restarts: ordered consumers live in memory,
  // or when the outage outlasts their inactivity threshold), so the library has to recreate it.
  const nc = await connect({ servers: NATS.replace(/^nats:\/\//, '') });
  const jsm = await nc.jetstreamManager();
  const consumers = await jsm.consumers.list(subscriber.stream).next();
  assert.equal(consumers.length, 1);
  await jsm.consumers.delete(subscriber.stream, consumers[0].name);
  await nc.close();
  await publisher.publish(event(2));
  await publisher.publish(event(3));
  await settle(1500);
  await proxy.up();
  await until('the subscriber reconnected', () => proxy.accepted > acceptedBefore);
  await until('the two events published meanwhile', () => got.length >= 2, 40_000);
  await settle(1000);
  assert.deepEqual(got.map((e) => e.seq), [2, 3]);
});

test('JetStream bus: publish() resolves only once JetStream stored the event, so the outbox row stays pending otherwise', async (t) => {
  if (!(await reachable(NATS_PORT))) return t.skip('NATS is not reachable');
  const subject = subjectFor(t, 'ack');
  const bus = await NatsBus.connect(NATS, subject);
  t.after(() => bus.close());
  await bus.publish(event(1));
  assert.equal(bus.lastAck?.seq, 1);
  // The stream is gone (deleted by an operator, or its server lost it): nothing would store the event, so the
  // publication must fail (with core NATS it would have "succeeded" into the void).
  assert.equal(await NatsBus.deleteStream(NATS, subject), true);
  await assert.rejects(bus.publish(event(2)));
});

test('JetStream bus: an existing stream that captures the subject is used; a work-queue one is refused', async (t) => {
  if (!(await reachable(NATS_PORT))) return t.skip('NATS is not reachable');
  const nc = await connect({ servers: NATS.replace(/^nats:\/\//, '') });
  const jsm = await nc.jetstreamManager();
  const own = `REFUGE_TEST_OPERATOR_${process.pid}_${Date.now().toString(36)}`;
  const base = `refuge.test.js.${process.pid}.${Date.now().toString(36)}`;
  t.after(async () => {
    await jsm.streams.delete(own).catch(() => false);
    await jsm.streams.delete(`${own}_WQ`).catch(() => false);
    await nc.close();
  });
  await jsm.streams.add({ name: own, subjects: [`${base}.ops.>`], storage: StorageType.Memory });
  const bus = await NatsBus.connect(NATS, `${base}.ops.alerts`);
  try {
    assert.equal(bus.stream, own, "the operator's stream, not a new one");
    const got: AlertEvent[] = [];
    await bus.subscribe((e) => got.push(e));
    await nc.publish(`${base}.ops.other`, new TextEncoder().encode('{"seq":99}')); // same stream, another subject
    await bus.publish(event(1));
    await until('the event', () => got.length >= 1);
    await settle();
    assert.deepEqual(got.map((e) => e.seq), [1], 'only its own subject');
  } finally {
    await bus.close();
  }
  await jsm.streams.add({ name: `${own}_WQ`, subjects: [`${base}.wq`], retention: RetentionPolicy.Workqueue });
  await assert.rejects(NatsBus.connect(NATS, `${base}.wq`), /work-queue retention/);
});

test('JetStream bus: a NATS server without JetStream is refused with an error that says so', async (t) => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    child.once('spawn', () => resolve(true));
  });
  if (!spawned) return t.skip('nats-server is not installed');
  t.after(async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
  });
  for (let i = 0; i < 200 && !(await reachable(port)); i++) await new Promise((r) => setTimeout(r, 25));
  await assert.rejects(NatsBus.connect(`nats://127.0.0.1:${port}`, 'refuge.test.nojs'), /has no JetStream.*-js/);
});

test('JetStream bus: bad URLs and subjects are refused before connecting', async () => {
  assert.deepEqual(parseNatsUrl('nats://n1:4222,nats://n2:4222,n3:4222?replicas=3'), { servers: ['n1:4222', 'n2:4222', 'n3:4222'], replicas: 3 });
  assert.deepEqual(parseNatsUrl('nats://user:pw@127.0.0.1:4222'), { servers: ['user:pw@127.0.0.1:4222'], replicas: 1 });
  assert.throws(() => parseNatsUrl('nats://127.0.0.1:4222?replicas=9'), /replicas must be 1 to 5/);
  assert.throws(() => parseNatsUrl('nats://127.0.0.1:4222?stream=x'), /unknown option "stream"/);
  assert.throws(() => parseNatsUrl('nats://'), /must be nats:\/\/HOST:PORT/);
  await assert.rejects(NatsBus.connect(NATS, 'refuge.alerts.>'), /literal subject/);
  await assert.rejects(NatsBus.connect(NATS, 'refuge alerts'), /literal subject/);
  assert.equal(streamNameFor('refuge.alerts.events'), 'REFUGE_ALERTS');
  assert.equal(streamNameFor('refuge.test.mp_1'), 'REFUGE_ALERTS_refuge_test_mp_1');
});

async function consumersOn(stream: string): Promise<string[]> {
  const nc = await connect({ servers: NATS.replace(/^nats:\/\//, '') });
  try {
    const jsm = await nc.jetstreamManager();
    return (await jsm.consumers.list(stream).next()).map((c) => c.name);
  } finally {
    await nc.close();
  }
}

test('JetStream bus: a stream deleted under a running subscriber is said in the log, recreated, and the subscriber reads on', async (t) => {
  if (!(await reachable(NATS_PORT))) return t.skip('NATS is not reachable');
  const subject = subjectFor(t, 'deleted');
  const logged: string[] = [];
  const sub = await NatsBus.connect(NATS, subject, { log: (msg) => logged.push(msg), retryMs: 200 });
  const pub = await NatsBus.connect(NATS, subject, { log: (msg) => logged.push(`publisher: ${msg}`) });
  t.after(async () => {
    await sub.close();
    await pub.close();
  });
  const got: AlertEvent[] = [];
  await sub.subscribe((e) => got.push(e));
  await pub.publish(event(1));
  await until('the first event', () => got.length === 1);

  // An operator (or an accident) deletes the stream with the JetStream manager.
  const nc = await connect({ servers: NATS.replace(/^nats:\/\//, '') });
  t.after(() => nc.close());
  assert.equal(await (await nc.jetstreamManager()).streams.delete(sub.stream), true);

  // The subscriber notices, says so, recreates the stream and subscribes again (no publish needed for that).
  await until('the subscriber to recover', () => sub.stats.resubscribed >= 1, 60_000);
  assert.ok(logged.some((m) => m.includes(`stream ${sub.stream}`) && /stopped|gone/.test(m)), logged.join('\n'));
  assert.ok(logged.some((m) => /subscribed to stream .* again/.test(m)), logged.join('\n'));
  assert.equal((await streamInfo(sub.stream)).config.retention, RetentionPolicy.Limits, 'recreated with our configuration');
  await pub.publish(event(2));
  await until('the event after the deletion', () => got.length === 2);
  await settle();
  assert.deepEqual(got.map((e) => e.seq), [1, 2], 'everything published since, once');
});

test('JetStream bus: a publish that finds the stream deleted recreates it, so the outbox\'s retry is stored', async (t) => {
  if (!(await reachable(NATS_PORT))) return t.skip('NATS is not reachable');
  const subject = subjectFor(t, 'pubdeleted');
  const logged: string[] = [];
  const pub = await NatsBus.connect(NATS, subject, { log: (msg) => logged.push(msg) });
  t.after(() => pub.close());
  await NatsBus.deleteStream(NATS, subject);
  await assert.rejects(pub.publish(event(1)), 'the first attempt fails: the outbox keeps the row');
  assert.ok(logged.some((m) => /found no stream/.test(m)), logged.join('\n'));
  await pub.publish(event(1));
  assert.equal(pub.lastAck?.stream, pub.stream);
});

test('JetStream bus: unsubscribing and closing delete the consumer on the server at once', async (t) => {
  if (!(await reachable(NATS_PORT))) return t.skip('NATS is not reachable');
  const subject = subjectFor(t, 'consumers');
  const bus = await NatsBus.connect(NATS, subject);
  const other = await NatsBus.connect(NATS, subject);
  t.after(async () => {
    await bus.close();
    await other.close();
  });
  const unsub = await bus.subscribe(() => {});
  await other.subscribe(() => {});
  assert.equal((await consumersOn(bus.stream)).length, 2);
  await unsub();
  assert.equal((await consumersOn(bus.stream)).length, 1, 'the unsubscribed one is gone, the other process\'s stays');
  await other.close();
  assert.deepEqual(await consumersOn(bus.stream), [], 'close removes its consumers too');
});
