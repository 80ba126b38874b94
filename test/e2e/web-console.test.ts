// The operator console end to end: sign in, registry edit with history and a 409 conflict, import with its error
// report, resident reports, the alert composer (Actual and Exercise differ), two-person approval reaching the public
// page over SSE with a countdown, the all-clear; and axe-core on every screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { noSeriousViolations, skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, axe, describeViolations, signIn, seedRegions, type App, type Browser } from './harness.ts';

let app: App;
let staff: Browser;
let resident: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(seedRegions);
  staff = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  resident = await launchBrowser({ geolocation: { latitude: 55.6761, longitude: 12.5683 } });
});

after(async () => {
  await staff?.close();
  await resident?.close();
  await app?.close();
});

test('the sign-in page is accessible and a wrong password is refused', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await staff.context.newPage();
  await page.goto(`${app.url}/console.html`);
  await page.waitForSelector('#login-name');
  await noSeriousViolations(page, 'sign-in');
  await page.fill('#login-name', 'olga');
  await page.fill('#login-password', 'not her password');
  await page.click('form button[type=submit]');
  await page.waitForSelector('.msg.err');
  assert.match((await page.textContent('.msg.err')) ?? '', /Wrong name or password/);
  await page.close();
});

test('registry: search, edit with history, and a conflicting edit is caught with 409 and resolved', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await staff.context.newPage();
  await signIn(page, app.url, 'olga');
  const target = app.server.ctx.registry.all()[0];
  await page.fill('#reg-q', target.address ?? target.name);
  await page.click('form[role=search] button[type=submit]');
  await page.waitForSelector(`a[href="#/shelter/${encodeURIComponent(target.id)}"]`);
  await noSeriousViolations(page, 'registry search');
  await page.click(`a[href="#/shelter/${encodeURIComponent(target.id)}"]`);
  await page.waitForSelector('#ed-name');
  await noSeriousViolations(page, 'shelter edit');

  await page.fill('#ed-capacity', '321');
  await page.click('form.grid button[type=submit]');
  await page.waitForSelector('.msg.ok');
  assert.equal(app.server.ctx.registry.get(target.id)?.capacity, 321);
  await page.waitForSelector('section table td:has-text("capacity")');

  // Someone else changes another field behind this page's back (a warden marks it full): the capacity edit goes
  // through and does not undo their change, since the page sends only what it changed.
  await app.server.ctx.registry.setStatus(target.id, 'full', 'wendy');
  await page.fill('#ed-capacity', '350');
  await page.click('form.grid button[type=submit]');
  await page.waitForSelector('.msg.ok:has-text("version")');
  assert.equal(app.server.ctx.registry.get(target.id)?.capacity, 350);
  assert.equal(app.server.ctx.registry.get(target.id)?.status, 'full', "the warden's status stands");
  await page.click('form.grid button[type=submit]');
  await page.waitForSelector('.msg.ok:has-text("Nothing changed")');

  // Someone else changes the same field: the next save must not overwrite silently.
  await app.server.ctx.registry.patch(target.id, null, { capacity: 321 }, 'avi');
  await page.fill('#ed-capacity', '400');
  await page.click('form.grid button[type=submit]');
  await page.waitForSelector('.conflict');
  assert.match((await page.textContent('.conflict')) ?? '', /Someone else changed this shelter/);
  assert.equal(app.server.ctx.registry.get(target.id)?.capacity, 321, 'the stale save changed nothing');
  assert.match((await page.textContent('.conflict')) ?? '', /321/, "the colleague's value is shown");
  await noSeriousViolations(page, 'conflict');
  await page.click('.conflict button.primary');
  await page.waitForSelector('.msg.ok');
  assert.equal(app.server.ctx.registry.get(target.id)?.capacity, 400);
  await page.close();
});

test('import: a file with bad rows is rejected with a report naming line and field', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await staff.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/import`);
  await page.waitForSelector('#imp-file');
  await noSeriousViolations(page, 'import');
  const before = app.server.ctx.registry.all().length;
  await page.setInputFiles('#imp-file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('name,lat,lon,capacity\nGood,55.68,12.57,10\nBad,not-a-lat,12.57,10\n') });
  await page.fill('#imp-source', 'e2e-upload');
  await page.click('form.grid button[type=submit]');
  await page.waitForSelector('table td');
  const text = (await page.textContent('#main')) ?? '';
  assert.match(text, /Rows with errors/);
  assert.match(text, /lat/);
  assert.equal(app.server.ctx.registry.all().length, before, 'nothing was imported');
  await page.close();
});

test('reports: a resident report is confirmed by the shelter\'s warden, which sets the shelter status', async (t) => {
  if (skipWithoutChromium(t)) return;
  const shelter = app.server.ctx.registry.all()[5];
  const filed = await fetch(`${app.url}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shelterId: shelter.id, kind: 'locked' }) });
  assert.equal(filed.status, 201);
  const { report } = await filed.json() as { report: { id: string } };
  await app.server.ctx.registry.setWarden(shelter.id, 'wendy', true, 'olga');
  const page = await staff.context.newPage();
  await signIn(page, app.url, 'wendy');
  await page.goto(`${app.url}/console.html#/reports`);
  await page.waitForSelector(`tr[data-report="${report.id}"]`);
  await noSeriousViolations(page, 'reports');
  await page.click(`tr[data-report="${report.id}"] button.primary`);
  await page.waitForSelector('.msg.ok');
  assert.equal(app.server.ctx.registry.get(shelter.id)?.status, 'locked');
  await page.close();
});

test('alerts: Actual and Exercise composers differ; a draft needs a second person; the public page shows the countdown; all-clear ends it', async (t) => {
  if (skipWithoutChromium(t)) return;
  if (!app.server.app.hasRoute({ method: 'POST', url: '/api/alerts' })) return t.skip('the alerts routes are not registered in this build');
  const page = await staff.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/compose/exercise`);
  await page.waitForSelector('.mode-banner.exercise');
  assert.match((await page.textContent('.mode-banner')) ?? '', /EXERCISE/);
  await noSeriousViolations(page, 'compose exercise');
  await page.goto(`${app.url}/console.html#/compose/actual`);
  await page.waitForSelector('.mode-banner.actual');
  assert.equal(await page.evaluate(() => document.body.classList.contains('mode-actual')), true);
  await noSeriousViolations(page, 'compose actual');

  // The resident is on the public page first, receiving alerts for where they are.
  const pub = await resident.context.newPage();
  await pub.goto(`${app.url}/`);
  await pub.waitForSelector('body[data-ready=true]');
  await pub.waitForFunction(() => document.querySelector('#watch')?.textContent?.includes('Receiving alerts'));

  await page.fill('#c-region', 'Indre By (DK-IB)');
  await page.click('#c-region ~ button, form:has(#c-region) button[type=submit]');
  await page.waitForSelector('.chips li:has-text("DK-IB")');
  assert.match((await page.textContent('pre.cap')) ?? '', /<value>DK-IB<\/value>/);
  await page.fill('#c-headline', 'Missile alert e2e');
  await page.click('form:has(#c-headline) button[type=submit]');
  await page.waitForSelector('.msg.ok');
  const draftId = decodeURIComponent((await page.getAttribute('.msg.ok + a', 'href'))!.split('/').pop()!);
  // The one who drafted (an operator) is not offered to approve: the list says an approver must.
  await page.goto(`${app.url}/console.html#/approvals`);
  await page.waitForSelector(`a[href="#/alert/${draftId}"]`);
  assert.equal(await page.locator(`tr:has(a[href="#/alert/${draftId}"]) .primary`).count(), 0);
  assert.match((await page.textContent(`tr:has(a[href="#/alert/${draftId}"])`)) ?? '', /An approver must approve this/);
  await page.close();

  const approver = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  try {
    const ap = await approver.context.newPage();
    await signIn(ap, app.url, 'avi');
    await ap.goto(`${app.url}/console.html#/approvals`);
    // The approver reviews the whole message and the phone preview on the alert's page, then approves there.
    await ap.waitForSelector(`tr:has(a[href="#/alert/${draftId}"]) a.primary`);
    await noSeriousViolations(ap, 'approvals');
    await ap.click(`tr:has(a[href="#/alert/${draftId}"]) a.primary`);
    await ap.waitForSelector('.phone-preview');
    await ap.click('button:has-text("Approve and issue")');
    await ap.waitForSelector('.msg.ok');

    // The resident's page shows it over SSE: full-screen, Actual, counting down from the region's 90 s.
    await pub.waitForSelector('#alert.actual:not([hidden])');
    assert.match((await pub.textContent('#alert h2')) ?? '', /Missile alert e2e/);
    const first = await pub.textContent('#alert .countdown');
    assert.match(first ?? '', /^0[01]:\d\d$/);
    await pub.waitForFunction((was) => document.querySelector('#alert .countdown')?.textContent !== was, first);
    assert.equal(await pub.getAttribute('#alert .countdown', 'role'), 'timer');
    assert.match((await pub.textContent('#announcer')) ?? '', /seconds/);
    await noSeriousViolations(pub, 'alert banner');

    // The active view lists it; the false-alarm cancel from its page ends it for the resident.
    await ap.goto(`${app.url}/console.html#/active`);
    await ap.waitForSelector(`a[href="#/alert/${draftId}"]`);
    await noSeriousViolations(ap, 'active alerts');
    await ap.goto(`${app.url}/console.html#/alert/${draftId}`);
    await ap.waitForSelector('pre.cap');
    await noSeriousViolations(ap, 'alert page');
    ap.once('dialog', (d) => void d.accept());
    await ap.click('button:has-text("False alarm")');
    await ap.waitForSelector('.msg.ok');
    await pub.waitForSelector('#alert.all-clear');
    assert.match((await pub.textContent('#alert')) ?? '', /false alarm/i);
  } finally {
    await approver.close();
    await pub.close();
  }
});

test('an Exercise alert reaches the public page marked as an exercise, never as an actual alert', async (t) => {
  if (skipWithoutChromium(t)) return;
  if (!app.server.app.hasRoute({ method: 'POST', url: '/api/alerts' })) return t.skip('the alerts routes are not registered in this build');
  const token = { olga: await app.server.ctx.accounts.createApiToken('olga'), avi: await app.server.ctx.accounts.createApiToken('avi') };
  const post = async (who: keyof typeof token, path: string, body: unknown) => {
    const res = await fetch(app.url + path, { method: 'POST', headers: { authorization: `Bearer ${token[who]}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
    return res.json() as Promise<{ id: string }>;
  };
  const pub = await resident.context.newPage();
  try {
    await pub.goto(`${app.url}/`);
    await pub.waitForSelector('body[data-ready=true]');
    await pub.waitForFunction(() => document.querySelector('#watch')?.textContent?.includes('Receiving alerts'));
    const draft = await post('olga', '/api/alerts', { status: 'Exercise', event: 'missile', headline: 'Drill e2e', regions: ['DK-IB'], expires: new Date(Date.now() + 600_000).toISOString() });
    await post('avi', `/api/alerts/${draft.id}/approve`, {});
    await pub.waitForSelector('#alert.exercise:not([hidden])');
    assert.equal(await pub.locator('#alert.actual').count(), 0);
    assert.match((await pub.textContent('#alert .band')) ?? '', /EXERCISE — NOT A REAL ALERT/);
    await noSeriousViolations(pub, 'exercise banner');
    await post('avi', `/api/alerts/${draft.id}/cancel`, { falseAlarm: true });
    await pub.waitForSelector('#alert.all-clear');
  } finally {
    await pub.close();
  }
});

test('the push panel offers this position or regions chosen by name, and is accessible', async (t) => {
  if (skipWithoutChromium(t)) return;
  const pub = await resident.context.newPage();
  try {
    await pub.goto(`${app.url}/`);
    await pub.waitForSelector('body[data-ready=true]');
    await pub.click('#push');
    await pub.waitForSelector('#push-region');
    await pub.waitForFunction(() => (document.getElementById('push-regions')?.childElementCount ?? 0) >= 2);
    await pub.fill('#push-region', 'Vesterbro (DK-VB)');
    await pub.click('form.push-add button[type=submit]');
    await pub.waitForSelector('#panel .chips li:has-text("Vesterbro")');
    await noSeriousViolations(pub, 'push panel');
  } finally {
    await pub.close();
  }
});
