// Web Push end to end in Chromium: a resident subscribes from the public page, operators issue alerts, the server
// encrypts and sends them, and the page's service worker shows them as notifications; then the resident stops.
//
// Only the browser's push service is substituted. Headless Chromium's push service (FCM) is out of reach, so before
// the page loads an init script replaces PushManager.prototype.subscribe/getSubscription with one that hands out
// subscriptions whose endpoints are this test's HTTPS receiver and whose P-256 key and auth secret the test made
// (node:crypto), so the test can decrypt (RFC 8291, aes128gcm) what the server sends and check its VAPID signature
// (RFC 8292). What arrives is delivered into the real service worker with the DevTools protocol
// (ServiceWorker.deliverPushMessage), as the push service would, and the notification it shows is read back.
// Everything of ours is real: page, service worker, server, database, encryption, sending.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { startApp, launchBrowser, chromiumAvailable, seedRegions, axe, describeViolations, type App, type Browser, until } from './harness.ts';
import { browserSubscription, localPushService, selfSignedCert, type TestPushService, type ReceivedPush } from '../alerts-delivery/push-endpoint.ts';
import { alertServices } from '../../src/server/capabilities/alerts-lifecycle.ts';
import { startServer } from '../../src/server/index.ts';
import type { SqliteStore } from '../../src/store/sqlite/index.ts';

const tls = chromiumAvailable() ? selfSignedCert() : null;

let app: App;
let resident: Browser;
let service: TestPushService;
let pushService: Awaited<ReturnType<typeof localPushService>>;
let tokens: { olga: string; avi: string };

before(async () => {
  if (!chromiumAvailable() || !tls) return;
  // The receiver listens on 127.0.0.1 with a certificate of its own: the server may reach loopback and trusts it.
  pushService = await localPushService(tls);
  service = pushService.service;
  app = await startApp(seedRegions);
  tokens = { olga: await app.server.ctx.accounts.createApiToken('olga'), avi: await app.server.ctx.accounts.createApiToken('avi') };
  // Indre By (DK-IB, 90 s warning time).
  resident = await launchBrowser({ geolocation: { latitude: 55.6761, longitude: 12.5683 } });
  // Chromium replaces an origin's grants as a whole: keep geolocation along with notifications.
  await resident.context.grantPermissions(['geolocation', 'notifications'], { origin: app.url });
});

after(async () => {
  await resident?.close();
  await app?.close();
  await pushService?.close();
});

function skipped(t: { skip: (msg: string) => void }): boolean {
  if (!chromiumAvailable()) {
    t.skip('Chromium is not installed at /usr/bin/chromium (.ci/run installs it with apt)');
    return true;
  }
  if (!tls) {
    t.skip('openssl is not available to make the push receiver its certificate');
    return true;
  }
  return false;
}

interface FakeSub { endpoint: string; keys: { p256dh: string; auth: string } }

/**
 * Runs in the page before its scripts: the browser's push service, as PushManager shows it. subscribe() behaves as
 * Chromium's does (permission and userVisibleOnly required; a different applicationServerKey while subscribed is an
 * InvalidStateError) and hands out the next of `subs`; `stale` is a subscription the device already holds, made
 * for another server key.
 */
function fakePushService(cfg: { subs: FakeSub[]; stale: (FakeSub & { applicationServerKey: string }) | null }): void {
  const bytes = (s: string) => {
    const raw = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  };
  const b64url = (b: Uint8Array) => btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const log = { subscribeCalls: [] as Array<{ userVisibleOnly: boolean; applicationServerKey: string }>, unsubscribed: [] as string[] };
  type Sub = { endpoint: string; options: { userVisibleOnly: boolean; applicationServerKey: ArrayBuffer } };
  let current: Sub | null = null;
  let next = 0;
  const make = (d: FakeSub, key: Uint8Array): Sub => {
    const sub = {
      endpoint: d.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: key.slice().buffer },
      getKey: (name: 'p256dh' | 'auth') => bytes(d.keys[name]).buffer,
      toJSON: () => ({ endpoint: d.endpoint, expirationTime: null, keys: { ...d.keys } }),
      unsubscribe: async () => {
        log.unsubscribed.push(d.endpoint);
        if (current === sub) current = null;
        return true;
      },
    };
    return sub;
  };
  if (cfg.stale) current = make(cfg.stale, bytes(cfg.stale.applicationServerKey));
  (window as unknown as { __testPush: typeof log }).__testPush = log;
  PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
    if (Notification.permission !== 'granted') throw new DOMException('Registration failed - permission denied', 'NotAllowedError');
    if (!options?.userVisibleOnly) throw new DOMException('Registration failed - userVisibleOnly is required', 'NotAllowedError');
    const k = options.applicationServerKey;
    const key = typeof k === 'string' ? bytes(k) : k instanceof ArrayBuffer ? new Uint8Array(k) : new Uint8Array(k!.buffer, k!.byteOffset, k!.byteLength);
    log.subscribeCalls.push({ userVisibleOnly: true, applicationServerKey: b64url(key) });
    if (current) {
      if (b64url(new Uint8Array(current.options.applicationServerKey)) !== b64url(key)) {
        throw new DOMException('Registration failed - A subscription with a different applicationServerKey (or gcm_sender_id) already exists', 'InvalidStateError');
      }
      return current as unknown as PushSubscription;
    }
    const d = cfg.subs[next++];
    if (!d) throw new DOMException('test push service: no subscription left to hand out', 'AbortError');
    current = make(d, key);
    return current as unknown as PushSubscription;
  };
  PushManager.prototype.getSubscription = async function () {
    return current as unknown as PushSubscription | null;
  };
}


async function api(who: keyof typeof tokens, path: string, body: unknown): Promise<{ id: string; preparedCancelId?: string }> {
  const res = await fetch(app.url + path, { method: 'POST', headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
  return res.json() as Promise<{ id: string }>;
}

/** One operator drafts, another person approves: the alert is issued. */
async function issue(draft: Record<string, unknown>): Promise<{ id: string; preparedCancelId: string }> {
  const { id } = await api('olga', '/api/alerts', { expires: new Date(Date.now() + 20 * 60_000).toISOString(), ...draft });
  const approved = await api('avi', `/api/alerts/${id}/approve`, {});
  return { id, preparedCancelId: approved.preparedCancelId! };
}

function storedSubscriptions(): Array<{ endpoint: string; regions: string[] }> {
  const rows = (app.server.ctx.store as SqliteStore).db.prepare('SELECT endpoint, regions FROM push_subscriptions ORDER BY endpoint').all() as Array<{ endpoint: string; regions: string }>;
  return rows.map((r) => ({ endpoint: r.endpoint, regions: JSON.parse(r.regions) as string[] }));
}

/** RFC 8292: `vapid t=<ES256 JWT for this push service's origin>, k=<the server's public key>`. */
function checkVapid(authorization: string, audience: string, publicKey: string): void {
  const m = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+), k=([A-Za-z0-9_-]+)$/.exec(authorization);
  assert.ok(m, `Authorization header: ${authorization}`);
  assert.equal(m[2], publicKey, 'k= is the key the page subscribed with');
  const [h, p, s] = m[1].split('.');
  assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url').toString()), { typ: 'JWT', alg: 'ES256' });
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { aud: string; exp: number; sub: string };
  assert.equal(claims.aud, audience);
  const nowS = Date.now() / 1000;
  assert.ok(claims.exp > nowS && claims.exp <= nowS + 24 * 3600, `exp ${claims.exp} within 24 h`);
  assert.match(claims.sub, /^(mailto:|https:)/);
  const raw = Buffer.from(publicKey, 'base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') }, format: 'jwk' });
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')), 'the JWT signature verifies with the server key');
}

interface ShownNotification { title: string; body: string; tag: string; requireInteraction: boolean }

async function notifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, requireInteraction: n.requireInteraction }));
  });
}

/**
 * What the push service does on receipt: hand the (decrypted) message to the service worker's push event; then wait
 * for what `shown` looks for among the notifications. Headless Chromium drops the first message DevTools delivers to
 * a freshly started browser now and then (no push event fires; the next delivery works), so, as a push service
 * redelivers what was not acknowledged, an unseen message is delivered again, up to three times in all. The
 * notification is keyed by its alert thread, so a repeat replaces it rather than adding one.
 */
async function deliverToServiceWorker<T>(cdp: CDPSession, registrationId: string, data: string, what: string, shown: (list: ShownNotification[]) => T | null | undefined | false, page: Page): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(app.url).origin, registrationId, data });
    try {
      return await until(what, async () => shown(await notifications(page)), 5_000);
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/** Waits for the push panel's status line to match; on timeout, says what it showed. */
async function panelStatus(page: Page, want: RegExp): Promise<string> {
  const read = async () => (await page.textContent('#panel [role=status]')) ?? '';
  await until(`the push panel to say ${want}`, async () => want.test(await read()), 15_000).catch(async (err: Error) => {
    throw new Error(`${err.message}; it says ${JSON.stringify(await read())}`);
  });
  return read();
}

async function pushFor(endpointPath: string, count: number): Promise<ReceivedPush> {
  const got = await until(`push #${count} at ${endpointPath}`, () => {
    const list = service.received.filter((r) => r.path === endpointPath);
    return list.length >= count ? list : null;
  });
  return got[count - 1];
}

test('Web Push end to end: subscribe from the page, the server sends encrypted, the service worker notifies; stop', async (t) => {
  if (skipped(t)) return;
  const vapidKey = ((await (await fetch(`${app.url}/api/push/vapid-public-key`)).json()) as { publicKey: string }).publicKey;
  const device = browserSubscription(`${service.origin}/push/device-1`);
  const stale = browserSubscription(`${service.origin}/push/stale`);
  const staleServerKey = Buffer.concat([Buffer.from([4]), randomBytes(64)]).toString('base64url');
  const page = await resident.context.newPage();
  const cdp = await resident.context.newCDPSession(page);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  if (process.env.DEBUG_PUSH_E2E) page.on('console', (m) => console.error('page:', m.text()));
  const registrations = new Map<string, { registrationId: string; scopeURL: string; isDeleted: boolean }>();
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => { for (const r of e.registrations) registrations.set(r.registrationId, r); });
  try {
    await cdp.send('ServiceWorker.enable');
    const cfg = {
      subs: [{ endpoint: device.endpoint, keys: device.keys }],
      stale: { endpoint: stale.endpoint, keys: stale.keys, applicationServerKey: staleServerKey },
    };
    // As source text: tsx (esbuild) wraps the function's inner functions in __name(), which the page does not have.
    await page.addInitScript({ content: `{ const __name = (f) => f; (${fakePushService.toString()})(${JSON.stringify(cfg)}); }` });
    await page.goto(`${app.url}/`); // with the service worker (no ?nosw)
    await page.waitForSelector('body[data-ready=true]');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const scope = `${new URL(app.url).origin}/`;
    const registrationId = (await until('the service worker registration', () => [...registrations.values()].find((r) => r.scopeURL === scope && !r.isDeleted))).registrationId;

    // 1. Alerts for my position: Find shelter gives the page the position; the server turns it into Indre By.
    await page.click('#find');
    await page.waitForSelector('.results .result');
    await page.click('#push');
    await page.click('#push-here');
    await panelStatus(page, /receive alerts for Indre By/);
    const log1 = await page.evaluate(() => (window as unknown as { __testPush: { subscribeCalls: unknown[]; unsubscribed: string[] } }).__testPush);
    assert.deepEqual(log1.subscribeCalls, [{ userVisibleOnly: true, applicationServerKey: vapidKey }], 'subscribed once, with the server key');
    assert.deepEqual(log1.unsubscribed, [stale.endpoint], 'the subscription made for another server key was ended');
    assert.deepEqual(storedSubscriptions(), [{ endpoint: device.endpoint, regions: ['DK-IB'] }]);
    assert.equal(await page.isVisible('#push-stop'), true, 'Stop is offered once subscribed');
    const v = await axe(page);
    assert.deepEqual(v, [], `push panel, subscribed:\n${describeViolations(v)}`);

    // 2. An Actual alert for Indre By reaches the receiver: encrypted, VAPID-signed, TTL/Urgency/Topic set.
    const actual = await issue({ status: 'Actual', event: 'missile', headline: 'Push e2e: take cover', instruction: 'Go to the nearest shelter now.', regions: ['DK-IB'] });
    const first = await pushFor('/push/device-1', 1);
    assert.equal(first.headers['content-encoding'], 'aes128gcm');
    assert.equal(first.headers.urgency, 'high');
    const ttl = Number(first.headers.ttl);
    assert.ok(ttl > 19 * 60 && ttl <= 20 * 60, `TTL ${ttl}: seconds until the alert expires`);
    assert.match(String(first.headers.topic), /^[A-Za-z0-9_-]{1,32}$/);
    checkVapid(String(first.headers.authorization), service.origin, vapidKey);
    const actualText = device.decrypt(first.body);
    const actualPayload = JSON.parse(actualText);
    assert.equal(actualPayload.id, actual.id);
    assert.equal(actualPayload.status, 'Actual');
    assert.equal(actualPayload.exercise, false);
    assert.equal(actualPayload.eventType, 'missile');
    assert.equal(actualPayload.event, 'Missile attack');
    assert.equal(actualPayload.severity, 'Extreme');
    assert.equal(actualPayload.headline, 'Push e2e: take cover');
    assert.deepEqual(actualPayload.regions, [{ code: 'DK-IB', name: 'Indre By', warningTimeS: 90 }]);

    // ... and the service worker shows it: the headline as is, kept on screen until the user acts.
    const shownActual = await deliverToServiceWorker(cdp, registrationId, actualText, 'the Actual notification', (list) => list.find((n) => n.tag === `refuge-${actual.id}`), page);
    assert.deepEqual(shownActual, { title: 'Push e2e: take cover', body: 'Go to the nearest shelter now.', tag: `refuge-${actual.id}`, requireInteraction: true });

    // 3. An Update takes the alert's place: same Topic at the push service, same notification on the device ...
    const update = await issue({ msgType: 'Update', references: [actual.id], status: 'Actual', event: 'missile', headline: 'Push e2e: stay in the shelter', instruction: 'Stay inside.', regions: ['DK-IB'] });
    const second = await pushFor('/push/device-1', 2);
    assert.equal(second.headers.topic, first.headers.topic, 'the update overtakes the alert at the push service');
    const updateText = device.decrypt(second.body);
    const updatePayload = JSON.parse(updateText);
    assert.equal(updatePayload.msgType, 'Update');
    assert.deepEqual(updatePayload.replaces, [actual.id]);
    const afterUpdate = await deliverToServiceWorker(cdp, registrationId, updateText, 'the Update notification', (list) => (list.some((n) => n.title === 'Push e2e: stay in the shelter') ? list : null), page);
    assert.deepEqual(afterUpdate.map((n) => [n.tag, n.title]), [[`refuge-${actual.id}`, 'Push e2e: stay in the shelter']], 'one notification for the thread');
    // ... and the update's false-alarm cancel (which lists the update) leaves one notification: the cancel's.
    await api('avi', `/api/alerts/${update.id}/cancel`, { falseAlarm: true });
    const cancel = await pushFor('/push/device-1', 3);
    assert.equal(cancel.headers.urgency, 'normal');
    assert.equal(cancel.headers.topic, first.headers.topic, 'the cancel of the update is in the alert\'s thread: it overtakes a queued update');
    const cancelText = device.decrypt(cancel.body);
    const cancelPayload = JSON.parse(cancelText);
    assert.equal(cancelPayload.msgType, 'Cancel');
    assert.equal(cancelPayload.falseAlarm, true);
    assert.deepEqual(cancelPayload.replaces, [update.id]);
    const afterCancel = await deliverToServiceWorker(cdp, registrationId, cancelText, 'the cancel notification', (list) => (list.some((n) => n.title === cancelPayload.headline) ? list : null), page);
    assert.deepEqual(afterCancel.map((n) => [n.title, n.requireInteraction]), [[cancelPayload.headline, false]], 'the cancel replaced the update: one notification, not kept on screen');

    // The open page also got both over SSE (full-screen alert, then the all-clear): dismiss it, open the panel again.
    await page.waitForSelector('#alert.all-clear:not([hidden])');
    await page.click('#alert.all-clear button:has-text("Dismiss")');
    await page.click('#push');
    await page.waitForSelector('#push-stop:visible'); // this device is subscribed: Stop is offered at once

    // 4. Regions chosen by name (typed by hand, any case) replace the position's region for this device.
    await page.fill('#push-region', 'vesterbro');
    await page.click('form.push-add button[type=submit]');
    await page.waitForSelector('#panel .chips li:has-text("Vesterbro (DK-VB)")');
    await page.fill('#push-region', 'Nowhere');
    await page.click('form.push-add button[type=submit]');
    await panelStatus(page, /Nowhere/);
    await page.click('#push-chosen');
    await panelStatus(page, /receive alerts for Vesterbro/);
    assert.deepEqual(storedSubscriptions(), [{ endpoint: device.endpoint, regions: ['DK-VB'] }]);
    const log2 = await page.evaluate(() => (window as unknown as { __testPush: { subscribeCalls: unknown[] } }).__testPush);
    assert.equal(log2.subscribeCalls.length, 1, 'the device kept its subscription');

    // 5. An alert for Indre By no longer reaches it; an Exercise for Vesterbro does, marked EXERCISE once.
    const notForDevice = await issue({ status: 'Actual', event: 'missile', headline: 'Push e2e: not for this device', regions: ['DK-IB'] });
    const exercise = await issue({ status: 'Exercise', event: 'drone', severity: 'Severe', headline: 'Drone drill', instruction: 'Practise going to the shelter.', regions: ['DK-VB'],
      translations: [{ language: 'uk', headline: 'Навчання: дрон', instruction: 'Потренуйтеся йти до укриття.' }] });
    const fourth = await pushFor('/push/device-1', 4);
    assert.equal(fourth.headers.urgency, 'normal', 'an exercise does not wake phones like a real alert');
    const exerciseText = device.decrypt(fourth.body);
    const exercisePayload = JSON.parse(exerciseText);
    assert.equal(exercisePayload.id, exercise.id, 'the Indre By alert was not sent to this device');
    assert.equal(exercisePayload.status, 'Exercise');
    assert.equal(exercisePayload.exercise, true);
    assert.equal(exercisePayload.event, 'Hostile drone');
    assert.equal(exercisePayload.severity, 'Severe');
    const shownExercise = await deliverToServiceWorker(cdp, registrationId, exerciseText, 'the Exercise notification', (list) => list.find((n) => n.tag === `refuge-${exercise.id}`), page);
    assert.equal(shownExercise.title, 'EXERCISE - Drone drill', 'marked EXERCISE, once');
    assert.equal(shownExercise.body, 'EXERCISE - Practise going to the shelter.');
    assert.equal(shownExercise.requireInteraction, false);
    // A message whose text lacks the mark (e.g. CAP imported from another authority) gets it from the service worker.
    const shownTest = await deliverToServiceWorker(cdp, registrationId, JSON.stringify({ ...exercisePayload, id: 'imported-1', headline: 'Siren test', status: 'Test' }), 'the Test notification', (list) => list.find((n) => n.tag === 'refuge-imported-1'), page);
    assert.equal(shownTest.title, 'TEST: Siren test');
    // The payload carries the alert's other languages; a device whose page speaks Ukrainian (the page leaves its
    // language for the service worker when it subscribes; English here) shows the Ukrainian text.
    assert.deepEqual(exercisePayload.translations, [{ language: 'uk', headline: 'EXERCISE - Навчання: дрон', instruction: 'EXERCISE - Потренуйтеся йти до укриття.' }]);
    await page.evaluate(async () => {
      const cache = await caches.open('refuge-data-v1');
      const old = await (await cache.match('/__refuge/notify-strings.json'))!.json();
      if (old.language !== 'en') throw new Error(`the page left ${JSON.stringify(old.language)}, not en`);
      await cache.put('/__refuge/notify-strings.json', new Response(JSON.stringify({ ...old, language: 'uk' }), { headers: { 'content-type': 'application/json' } }));
    });
    const shownUk = await deliverToServiceWorker(cdp, registrationId, exerciseText, 'the Exercise notification in Ukrainian', (list) => list.find((n) => n.tag === `refuge-${exercise.id}` && n.title.includes('Навчання')), page);
    assert.deepEqual([shownUk.title, shownUk.body], ['EXERCISE - Навчання: дрон', 'EXERCISE - Потренуйтеся йти до укриття.']);

    // 6. Stop alerts on this device: the server forgets it and the browser's subscription ends. (The page, still at
    // Indre By, shows that alert over SSE: end it and open the panel again.)
    await api('avi', `/api/alerts/${notForDevice.id}/cancel`, { falseAlarm: true });
    await page.waitForSelector('#alert.all-clear:not([hidden])');
    await page.click('#alert.all-clear button:has-text("Dismiss")');
    await page.click('#push');
    await page.waitForSelector('#push-stop:visible');
    await page.click('#push-stop');
    await panelStatus(page, /no longer receive alerts/);
    assert.deepEqual(storedSubscriptions(), []);
    assert.equal(await alertServices(app.server.ctx).pushStore.countSubscriptions(), 0);
    const log3 = await page.evaluate(() => (window as unknown as { __testPush: { unsubscribed: string[] } }).__testPush);
    assert.deepEqual(log3.unsubscribed, [stale.endpoint, device.endpoint]);
    assert.equal(await page.isVisible('#push-stop'), false);
    assert.equal(await page.evaluate(async () => (await (await navigator.serviceWorker.ready).pushManager.getSubscription()) === null), true);
    assert.deepEqual(service.received.map((r) => r.path), Array(4).fill('/push/device-1'), 'four messages, none to the stale endpoint');
    assert.deepEqual(pageErrors, [], 'no uncaught error in the page');
  } finally {
    await cdp.detach().catch(() => undefined);
    await page.close();
  }
});

test('REFUGE_PUSH_CA_FILE that cannot be read stops the server start, naming the setting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'refuge-push-ca-bad-'));
  const was = process.env.REFUGE_PUSH_CA_FILE;
  try {
    process.env.REFUGE_PUSH_CA_FILE = join(dir, 'missing.pem');
    await assert.rejects(startServer({ dbPath: join(dir, 'refuge.db'), port: 0 }), /REFUGE_PUSH_CA_FILE: cannot read/);
    writeFileSync(join(dir, 'not-a-cert.pem'), 'hello');
    process.env.REFUGE_PUSH_CA_FILE = join(dir, 'not-a-cert.pem');
    await assert.rejects(startServer({ dbPath: join(dir, 'refuge2.db'), port: 0 }), /REFUGE_PUSH_CA_FILE: .* holds no PEM certificate/);
  } finally {
    if (was === undefined) delete process.env.REFUGE_PUSH_CA_FILE;
    else process.env.REFUGE_PUSH_CA_FILE = was;
    rmSync(dir, { recursive: true, force: true });
  }
});
