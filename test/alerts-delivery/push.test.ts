import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqlitePushStore } from '../../src/store/sqlite/alerts-push-store.ts';
import { ensureVapidKeys, InProcessBus, OutboxWorker, PushDispatcher, PushSubscriptionError } from '../../src/alerts/delivery/index.ts';
import { generateVapidKeys, WebPushSender } from '../../src/adapters/web-push/index.ts';
import { approver, missileDraft, operator, regionDirectory, testEnv, type TestEnv } from '../alerts-lifecycle/helpers.ts';
import { browserSubscription, selfSignedCert, TestPushService } from './push-endpoint.ts';

const tls = selfSignedCert();

async function setup(env: TestEnv, service: TestPushService) {
  const pushStore = new SqlitePushStore(env.db);
  const vapid = await ensureVapidKeys(pushStore, 'mailto:alerts@refuge.test', generateVapidKeys);
  const sender = new WebPushSender(vapid, { agent: service.agent, now: () => env.clock.now });
  const dispatcher = new PushDispatcher({ store: pushStore, sender, regions: regionDirectory(env.regions), baseBackoffMs: 1000, maxAttempts: 5, now: () => env.clock.now });
  const worker = new OutboxWorker({ store: env.store, bus: new InProcessBus(), pushFanOut: (e) => dispatcher.fanOut(e), now: () => env.clock.now });
  return { pushStore, vapid, sender, dispatcher, worker };
}

async function issue(env: TestEnv, overrides: Record<string, unknown> = {}) {
  return env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft(overrides, env.clock.now))).id);
}

test('VAPID keys are generated at first start and kept', async () => {
  const env = testEnv();
  try {
    const store = new SqlitePushStore(env.db);
    const first = await ensureVapidKeys(store, 'mailto:alerts@refuge.test', generateVapidKeys);
    const second = await ensureVapidKeys(store, 'mailto:alerts@refuge.test', generateVapidKeys);
    assert.equal(first.generated, true);
    assert.equal(second.generated, false);
    assert.equal(second.publicKey, first.publicKey);
    assert.equal(Buffer.from(first.publicKey, 'base64url').length, 65);
    await assert.rejects(() => ensureVapidKeys(store, 'alerts@refuge.test', generateVapidKeys), /mailto/);
  } finally {
    env.close();
  }
});

test('push goes to subscribers of the region with TTL, Urgency, Topic and VAPID, encrypted per RFC 8291', async (t) => {
  if (!tls) return t.skip('openssl is not available to make a test certificate');
  const env = testEnv();
  const service = await TestPushService.start(tls);
  const { dispatcher, worker, sender, pushStore } = await setup(env, service);
  try {
    const raion = browserSubscription(`${service.origin}/push/raion`);
    const elsewhere = browserSubscription(`${service.origin}/push/sderot`);
    await dispatcher.subscribe(raion, ['UA-30-1']);
    await dispatcher.subscribe(elsewhere, ['IL-SDEROT']);
    await assert.rejects(() => dispatcher.subscribe({ ...raion, endpoint: 'http://insecure/x' }, ['UA-30-1']), PushSubscriptionError);
    await assert.rejects(() => dispatcher.subscribe(raion, ['NOPE']), /regions/);

    const a = await issue(env, { regions: ['UA-30'] }); // oblast-wide reaches the raion subscriber
    const b = await issue(env, { regions: ['UA-30-1'], status: 'Exercise', headline: 'Drill' });
    await worker.kick();
    await dispatcher.kick();
    assert.deepEqual(service.received.map((r) => r.path), ['/push/raion', '/push/raion']);
    const [first, second] = service.received;
    assert.equal(Number(first.headers.ttl), 30 * 60, 'TTL: seconds until the alert expires');
    assert.equal(first.headers.urgency, 'high');
    assert.match(String(first.headers.topic), /^[A-Za-z0-9_-]{1,32}$/);
    assert.notEqual(first.headers.topic, second.headers.topic);
    assert.equal(second.headers.urgency, 'normal', 'an exercise does not wake phones like a real alert');
    assert.match(String(first.headers.authorization), /^vapid t=.+, k=.+$/);
    assert.equal(first.headers['content-encoding'], 'aes128gcm');
    const payload = JSON.parse(raion.decrypt(first.body));
    assert.equal(payload.id, a.record.id);
    assert.equal(payload.status, 'Actual');
    // The event name and its CAP grading travel too: a notification needs them when a message has no headline.
    assert.equal(payload.event, 'Missile attack');
    assert.deepEqual([payload.urgency, payload.severity, payload.certainty], ['Immediate', 'Extreme', 'Observed']);
    assert.equal(payload.regions[0].warningTimeS, 120);
    assert.equal(JSON.parse(raion.decrypt(second.body)).exercise, true);
    assert.equal(sender.stats.vapidSigned, 1, 'one VAPID signature for the origin, then the cached header');
    assert.deepEqual([...(await pushStore.pushSentFor([a.seq!, b.seq!])).values()], [1, 1], 'counted per event');
    assert.equal(first.headers.authorization, second.headers.authorization);
    assert.ok(b.seq);
  } finally {
    await dispatcher.stop();
    await worker.stop();
    await service.close();
    env.close();
  }
});

test('failed pushes are retried with growing back-off; 404/410 subscriptions are removed', async (t) => {
  if (!tls) return t.skip('openssl is not available to make a test certificate');
  const env = testEnv();
  const service = await TestPushService.start(tls);
  const { dispatcher, worker, pushStore } = await setup(env, service);
  try {
    const flaky = browserSubscription(`${service.origin}/push/flaky`);
    const gone = browserSubscription(`${service.origin}/push/gone`);
    const missing = browserSubscription(`${service.origin}/push/missing`);
    service.script.set('/push/flaky', [503, 429, 500, 201]);
    service.script.set('/push/gone', [410]);
    service.script.set('/push/missing', [404]);
    for (const s of [flaky, gone, missing]) await dispatcher.subscribe(s, ['UA-30-1']);
    assert.equal(await pushStore.countSubscriptions(), 3);

    await issue(env, { regions: ['UA-30-1'] });
    await worker.kick();
    await dispatcher.kick();
    assert.equal(await pushStore.countSubscriptions(), 1, 'the 410 and 404 subscriptions are gone');
    assert.equal(await pushStore.pendingPushJobs(), 1, 'the 503 is queued for a retry');
    const delays: number[] = [];
    for (let round = 0; round < 10 && await pushStore.pendingPushJobs() > 0; round++) {
      const next = env.db.prepare('SELECT next_attempt_ms FROM push_jobs').pluck().get() as number;
      delays.push(next - env.clock.now);
      await dispatcher.kick();
      assert.equal(service.received.filter((r) => r.path === '/push/flaky').length, round + 1, 'not retried before its time');
      env.clock.now = next;
      await dispatcher.kick();
    }
    assert.deepEqual(delays, [1000, 2000, 4000], 'back-off doubles');
    assert.equal(service.received.filter((r) => r.path === '/push/flaky').length, 4);
    assert.equal(await pushStore.pendingPushJobs(), 0);
    assert.equal(dispatcher.stats.sent, 1);
    assert.equal(dispatcher.stats.gone, 2);
  } finally {
    await dispatcher.stop();
    await worker.stop();
    await service.close();
    env.close();
  }
});

test('an alert that expires while its push is being retried is never delivered', async (t) => {
  if (!tls) return t.skip('openssl is not available to make a test certificate');
  const env = testEnv();
  const service = await TestPushService.start(tls);
  const { dispatcher, worker, pushStore } = await setup(env, service);
  try {
    const down = browserSubscription(`${service.origin}/push/down`);
    service.script.set('/push/down', [503, 201]);
    await dispatcher.subscribe(down, ['UA-30-1']);
    await issue(env, { regions: ['UA-30-1'], expires: new Date(env.clock.now + 60_000).toISOString() });
    await worker.kick();
    await dispatcher.kick();
    assert.equal(service.received.length, 1);
    env.clock.now += 61_000; // past expiry; the push service would now accept
    await dispatcher.kick();
    assert.equal(service.received.length, 1, 'no attempt after expiry');
    assert.equal(await pushStore.pendingPushJobs(), 0);
    assert.equal(dispatcher.stats.expired, 1);

    // Queued after expiry (e.g. a worker that was down): nothing is queued at all.
    const late = await issue(env, { regions: ['UA-30-1'], expires: new Date(env.clock.now + 1000).toISOString() });
    env.clock.now += 2000;
    await worker.kick();
    await dispatcher.kick();
    assert.equal(service.received.length, 1, `expired alert ${late.record.id} not pushed`);
  } finally {
    await dispatcher.stop();
    await worker.stop();
    await service.close();
    env.close();
  }
});
