// The console's delivery figures end to end: a real server, real stream clients, a local HTTPS push service that
// accepts one subscription and answers 410 for another; one operator drafts, another approves; the Active alerts
// table and the alert's Delivery section show the figures the server counted, refreshed live; axe-core on both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { noSeriousViolations, startApp, launchBrowser, chromiumAvailable, seedRegions, axe, describeViolations, signIn, type App, type Browser } from './harness.ts';
import { browserSubscription, localPushService, selfSignedCert, type TestPushService } from '../alerts-delivery/push-endpoint.ts';
import { SseClient } from '../alerts-delivery/http-helpers.ts';

const tls = chromiumAvailable() ? selfSignedCert() : null;

let app: App;
let staff: Browser;
let service: TestPushService;
let pushService: Awaited<ReturnType<typeof localPushService>>;
const streams: SseClient[] = [];

before(async () => {
  if (!chromiumAvailable() || !tls) return;
  // The receiver listens on 127.0.0.1 with a certificate of its own: the server may reach loopback and trusts it.
  pushService = await localPushService(tls);
  service = pushService.service;
  app = await startApp(seedRegions, { shelters: false });
  staff = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  for (const s of streams) s.close();
  await staff?.close();
  await app?.close();
  await pushService?.close();
});

async function api(token: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(app.url + path, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Waits until the text of `selector` equals what `expected` derives from the server's figures at that moment. */
async function showsServerFigure(page: Page, selector: string, expected: () => Promise<string>): Promise<string> {
  const end = Date.now() + 20_000;
  let seen = '', want = '';
  while (Date.now() < end) {
    want = await expected();
    seen = ((await page.textContent(selector).catch(() => null)) ?? '').trim();
    if (seen === want) return seen;
    await page.waitForTimeout(250);
  }
  throw new Error(`${selector}: shows ${JSON.stringify(seen)}, the server says ${JSON.stringify(want)}`);
}

test('console: the active alerts table and the alert page show the delivery figures, live', async (t) => {
  if (!chromiumAvailable()) return t.skip('Chromium is not installed at /usr/bin/chromium (.ci/run installs it with apt)');
  if (!tls) return t.skip('openssl is not available to make the push service its certificate');
  const olga = await app.server.ctx.accounts.createApiToken('olga');
  const avi = await app.server.ctx.accounts.createApiToken('avi');
  // Residents of Indre By: two live streams and two push subscriptions, one of which the push service says is gone.
  for (let i = 0; i < 2; i++) {
    const s = await SseClient.open(`${app.url}/api/alerts/stream?regions=DK-IB`);
    streams.push(s);
    await s.until((c) => c.text.includes(': connected'));
  }
  service.script.set('/push/gone', [410]);
  for (const name of ['ok', 'gone']) {
    const res = await fetch(`${app.url}/api/push/subscribe`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subscription: browserSubscription(`${service.origin}/push/${name}`), regions: ['DK-IB'] }),
    });
    assert.equal(res.status, 201, await res.text());
  }
  // Two people: olga drafts, avi approves.
  const draft = await api(olga, 'POST', '/api/alerts', {
    status: 'Actual', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
    headline: 'Missile attack: take cover now', instruction: 'Go to the nearest shelter now.', regions: ['DK-IB'],
    expires: new Date(Date.now() + 20 * 60_000).toISOString(),
  });
  const issued = await api(avi, 'POST', `/api/alerts/${draft.id}/approve`, {});
  for (const s of streams) await s.until((c) => c.text.includes(`id: ${issued.seq}\n`));
  const figures = () => api(olga, 'GET', `/api/alerts/${draft.id}/delivery`);
  const end = Date.now() + 20_000;
  while ((await figures()).push.pending > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
  const settled = await figures();
  assert.deepEqual([settled.push.targeted, settled.push.accepted, settled.push.gone, settled.push.pending, settled.stream.reached], [2, 1, 1, 0, 2]);

  const page = await staff.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page, app.url, 'olga');

  // The alert's page: a Delivery section with every figure.
  await page.goto(`${app.url}/console.html#/alert/${encodeURIComponent(draft.id)}`);
  await page.waitForSelector('section.delivery dd[data-figure="push-accepted"]');
  assert.equal(await page.textContent('#delivery-title'), 'Delivery');
  assert.equal(await page.textContent('[data-figure="push-targeted"]'), '2');
  assert.equal(await page.textContent('[data-figure="push-accepted"]'), '1');
  assert.equal(await page.textContent('[data-figure="push-gone"]'), '1');
  assert.equal(await page.textContent('[data-figure="push-failed"]'), '0');
  assert.equal(await page.textContent('[data-figure="push-pending"]'), '0 (0 retrying)');
  assert.match((await page.textContent('[data-figure="bus"]'))!, new RegExp(`^Published on in-process at \\d\\d:\\d\\d:\\d\\d \\(${settled.timing.toBusMs.toLocaleString('en')} ms after issue\\)$`));
  assert.equal(await page.textContent('[data-figure="mqtt"]'), 'Not configured on this server');
  assert.match((await page.textContent('[data-figure="first-push"]'))!, new RegExp(`\\(${settled.timing.toFirstPushMs.toLocaleString('en')} ms after issue\\)$`));
  // The console's own stream (it listens to ?all=1, signed in) is not someone the alert reached: only the residents count.
  const shown = await showsServerFigure(page, '[data-figure="stream"]', async () => `Clients reached: ${(await figures()).stream.reached}; server processes reporting: 1`);
  assert.equal(shown, 'Clients reached: 2; server processes reporting: 1', 'the two residents, not the console');
  assert.equal(await page.getAttribute('[data-figure="summary"]', 'aria-live'), 'polite');
  await showsServerFigure(page, '[data-figure="summary"]', async () => {
    const f = await figures();
    return `Live stream: ${f.stream.reached} reached. Push: 1 of 2 accepted, 0 pending, 0 failed, 1 gone.`;
  });
  await noSeriousViolations(page, 'alert page with delivery figures');

  // Live: another resident connects; the page follows without a reload (the stream's event or the next poll).
  const late = await SseClient.open(`${app.url}/api/alerts/stream?regions=DK-IB`);
  streams.push(late);
  await late.until((c) => c.text.includes(`id: ${issued.seq}\n`));
  const before = Number(/Clients reached: (\d+)/.exec(shown)![1]);
  await showsServerFigure(page, '[data-figure="stream"]', async () => {
    const f = await figures();
    return f.stream.reached > before ? `Clients reached: ${f.stream.reached}; server processes reporting: 1` : 'not yet: the server has not counted the new client';
  });

  // The Active alerts table: reached on stream, push accepted of targeted, failed; with column headers.
  await page.goto(`${app.url}/console.html#/active`);
  const row = `tr[data-alert="${draft.id}"]`;
  await page.waitForSelector(`${row} td[data-figure="push"]`);
  // (The alert log below has a table of its own: only the active alerts' table is read here.)
  const headers = await page.$eval(`table:has(${row})`, (table) => [...table.querySelectorAll('thead th')].map((th) => [th.textContent, th.getAttribute('scope')]));
  assert.deepEqual(headers.slice(4), [['On live stream', 'col'], ['Push accepted', 'col'], ['Push failed', 'col']]);
  assert.equal(await page.textContent(`${row} td[data-figure="push"]`), '1 of 2');
  assert.equal(await page.textContent(`${row} td[data-figure="failed"]`), '0');
  await showsServerFigure(page, `${row} td[data-figure="stream"]`, async () => String((await figures()).stream.reached));
  await noSeriousViolations(page, 'active alerts with delivery figures');
  assert.deepEqual(errors, []);
  await page.close();
});
