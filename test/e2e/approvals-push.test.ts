// Issue 14 in Chromium: the console's live "Approvals" badge (a draft made by one user shows in another approver's
// console through the approvals stream), and "Test my alerts" end to end: the page asks the server, the server sends
// this device's subscription a TEST push through Web Push to a local push service, the push is delivered into the real
// service worker (DevTools ServiceWorker.deliverPushMessage, as in web-push.test.ts), which shows it as a real alert is
// shown and tells the page it arrived. The approval notification is delivered the same way and opens the console.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CDPSession, Page } from 'playwright-core';
import { startApp, launchBrowser, chromiumAvailable, seedRegions, signIn, noSeriousViolations, type App, type Browser, until, registrationOf } from './harness.ts';
import { browserSubscription, localPushService, selfSignedCert, type TestPushService } from '../alerts-delivery/push-endpoint.ts';
import en from '../../web/src/i18n/en.ts';

const tls = chromiumAvailable() ? selfSignedCert() : null;
let app: App;
let browser: Browser;
let service: TestPushService;
let pushService: Awaited<ReturnType<typeof localPushService>>;
let olga: string;

before(async () => {
  if (!chromiumAvailable() || !tls) return;
  pushService = await localPushService(tls);
  service = pushService.service;
  app = await startApp(seedRegions);
  olga = await app.server.ctx.accounts.createApiToken('olga');
  browser = await launchBrowser({ geolocation: { latitude: 55.6761, longitude: 12.5683 } });
  await browser.context.grantPermissions(['geolocation', 'notifications'], { origin: app.url });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await pushService?.close();
});

function skipped(t: { skip: (msg: string) => void }): boolean {
  if (chromiumAvailable() && tls) return false;
  t.skip('needs Chromium at /usr/bin/chromium and openssl');
  return true;
}


const draftBody = (headline: string) => ({
  status: 'Exercise', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
  headline, description: 'Drill.', instruction: 'Go to the nearest shelter.', regions: ['DK-IB'], expires: new Date(Date.now() + 20 * 60_000).toISOString(),
});

async function draftAsOlga(headline: string): Promise<string> {
  const res = await fetch(`${app.url}/api/alerts`, { method: 'POST', headers: { authorization: `Bearer ${olga}`, 'content-type': 'application/json' }, body: JSON.stringify(draftBody(headline)) });
  const text = await res.text();
  assert.equal(res.status, 201, text);
  return (JSON.parse(text) as { id: string }).id;
}


async function notifications(page: Page): Promise<Array<{ title: string; body: string; tag: string; requireInteraction: boolean; vibrate: number[]; data: unknown }>> {
  return page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications())
    .map((n) => ({ title: n.title, body: n.body, tag: n.tag, requireInteraction: n.requireInteraction, vibrate: [...((n as unknown as { vibrate?: number[] }).vibrate ?? [])], data: n.data })));
}

/** As a push service redelivers what was not acknowledged: headless Chromium now and then drops a first delivery. */
async function deliver(cdp: CDPSession, registrationId: string, data: string, arrived: () => Promise<boolean>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(app.url).origin, registrationId, data });
    try {
      await until('the push to be shown', arrived, 5_000);
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

test('the Approvals badge follows drafts live in another approver\'s console, with an accessible label', async (t) => {
  if (skipped(t)) return;
  const page = await browser.context.newPage();
  t.after(() => page.close());
  await signIn(page, app.url, 'avi');
  const link = '#nav a[href="#/approvals"]';
  await page.waitForSelector(link);
  assert.equal(await page.locator(`${link} .nav-badge`).count(), 0, 'nothing waits yet');
  await draftAsOlga('Badge drill one');
  await page.waitForSelector(`${link} .nav-badge[data-count="1"][data-live="stream"]`);
  assert.equal(await page.textContent(`${link} .nav-badge .sr-only`), en['alog.badge'].replace('{count}', '1'));
  assert.equal(await page.getAttribute(`${link} .nav-badge > [aria-hidden="true"]`, 'aria-hidden'), 'true');
  await draftAsOlga('Badge drill two');
  await page.waitForSelector(`${link} .nav-badge[data-count="2"]`);
  // Another screen redraws the nav: the count stays.
  await page.goto(`${app.url}/console.html#/active`);
  await page.waitForSelector(`${link} .nav-badge[data-count="2"]`);
  await noSeriousViolations(page, 'console with the approvals badge');

  // The drafter is an operator: no badge, no approval notifications offered.
  const op = await browser.context.newPage();
  t.after(() => op.close());
  await signIn(op, app.url, 'olga');
  await op.waitForSelector('#nav a[href="#/registry"]');
  assert.equal(await op.locator('#approvals-push').count(), 0);
  assert.equal(await op.locator('.nav-badge[data-live="stream"]').count(), 0);
});

test('Test my alerts: a TEST push sent by the server reaches the service worker, shown as a real alert is; and an approval notification', async (t) => {
  if (skipped(t)) return;
  const device = browserSubscription(`${service.origin}/push/phone`);
  // The device's subscription, registered through the ordinary subscribe route.
  const sub = await fetch(`${app.url}/api/push/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subscription: { endpoint: device.endpoint, keys: device.keys }, regions: ['DK-IB'] }) });
  assert.equal(sub.status, 201, await sub.text());
  const page = await browser.context.newPage();
  t.after(() => page.close());
  const cdp = await browser.context.newCDPSession(page);
  // The browser's push service stood in for: this page's subscription is the one above.
  await page.addInitScript({ content: `PushManager.prototype.getSubscription = function () { return Promise.resolve({ endpoint: ${JSON.stringify(device.endpoint)}, options: {}, toJSON() { return { endpoint: this.endpoint }; } }); };` });
  await page.goto(`${app.url}/`);
  await page.waitForSelector('body[data-ready=true]');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const registrationId = await registrationOf(cdp, app.url);

  await page.click('#places');
  await page.click('#test-alerts');
  // The server sent it, encrypted for this device only.
  const got = await until('the test push at the push service', () => service.received.find((r) => r.path === '/push/phone'));
  assert.deepEqual(service.received.map((r) => r.path), ['/push/phone']);
  const text = device.decrypt(got.body);
  const payload = JSON.parse(text) as { kind: string; nonce: string; status: string };
  assert.deepEqual([payload.kind, payload.status], ['test', 'Test']);
  // What the push service hands the device: into the real service worker.
  await deliver(cdp, registrationId, text, async () => (await notifications(page)).some((n) => n.tag === 'refuge-test'));
  await page.waitForSelector('#test-result [data-check="notification"].ok', { timeout: 30_000 });
  assert.equal(await page.textContent('#test-result [data-check="notification"]').then((s) => s?.includes(en['test.notified'])), true);
  const shown = (await notifications(page)).find((n) => n.tag === 'refuge-test')!;
  assert.equal(shown.title, en['ptest.sw.title'], 'in the page\'s language, marked TEST');
  assert.equal(shown.requireInteraction, true, 'stays until touched, as a real alert');
  assert.deepEqual(shown.vibrate, [800, 300, 800, 300, 800, 300, 800], 'the long pattern of a real alert');

  // At once again: refused for this device, and the page says why in plain words.
  await page.click('#alert button.end-test').catch(() => undefined);
  await page.click('#places');
  await page.click('#test-alerts');
  await page.waitForSelector('#test-result [data-check="notification"].not');
  assert.match(await page.textContent('#test-result [data-check="notification"]') ?? '', /less than a minute ago/);
  assert.equal(service.received.length, 1);

  // An approval notification, as the server sends it: no draft text, and it opens the console's approval queue.
  await deliver(cdp, registrationId, JSON.stringify({ kind: 'approval', url: '/console.html#/approvals' }), async () => (await notifications(page)).some((n) => n.tag === 'refuge-approvals'));
  const approval = (await notifications(page)).find((n) => n.tag === 'refuge-approvals')!;
  assert.equal(approval.title, 'An alert waits for your approval');
  assert.deepEqual(approval.data, { url: `${new URL(app.url).origin}/console.html#/approvals` });
});
