// The alert comes first: a visitor who has denied location and whose browser has no WebGL still sees every live
// alert's headline within 5 s of its approval, and a list of shelters with the way in words replaces the map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipWithoutChromium, launchBrowser, axe, describeViolations, type App, apiCall, withAlertApp } from './harness.ts';

const NO_WEBGL = ['--disable-webgl', '--disable-3d-apis'];
const HERE = { latitude: 55.6761, longitude: 12.5683 }; // Copenhagen, Rådhuspladsen, inside the DK-IB test region

let app: App;
let operator: string;
let approver: string;
withAlertApp((scene) => ({ app, operator, approver } = scene));

const api = (method: string, path: string, token: string, body?: unknown) => apiCall(app.url, method, path, token, body);

async function issue(headline: string, status = 'Actual') {
  const draft = await api('POST', '/api/alerts', operator, {
    status, msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
    headline, description: 'Missiles launched.', instruction: 'Go to the nearest shelter now.', regions: ['DK-VB'],
    expires: new Date(Date.now() + 30 * 60_000).toISOString(),
  });
  const approved = await api('POST', `/api/alerts/${draft.id}/approve`, approver, {});
  return { id: draft.id as string, approvedAt: Date.now(), preparedCancelId: approved.preparedCancelId as string };
}

for (const locale of ['en-GB', 'he-IL']) {
  test(`${locale}: location denied, no WebGL: the page lists shelters instead of a map and shows an alert's headline within 5 s of approval`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const browser = await launchBrowser({ args: NO_WEBGL, locale });
    t.after(() => browser.close());
    const page = await browser.context.newPage();
    await page.goto(app.url + '/');
    await page.waitForSelector('body[data-ready=true]');
    assert.equal(await page.evaluate(() => document.body.classList.contains('no-map')), true, 'no WebGL: list mode');
    assert.equal(await page.isVisible('#nomap'), true);
    assert.equal(await page.isVisible('#map'), false);
    assert.equal(await page.evaluate(() => 'refugeMap' in window), false, 'the map library was never started');

    const headline = `Missile warning ${locale} ${Date.now()}`;
    const { id, approvedAt } = await issue(headline);
    await page.waitForSelector(`#alert-board .board-headline:text("${headline}")`, { timeout: 5000 });
    const seenAfter = Date.now() - approvedAt;
    assert.ok(seenAfter < 5000, `shown ${seenAfter} ms after approval`);
    const item = page.locator(`#alert-board li[data-id="${id}"]`);
    assert.match(await item.textContent() ?? '', /Vesterbro/, 'where');
    const violations = await axe(page);
    assert.deepEqual(violations, [], describeViolations(violations));

    // An alert ended by staff leaves the board.
    await api('POST', `/api/alerts/${id}/cancel`, approver, { falseAlarm: true });
    await page.waitForSelector(`#alert-board li[data-id="${id}"]`, { state: 'detached', timeout: 5000 });
  });
}

test('an alert that is already live is on the board at once for a visitor who shares nothing', async (t) => {
  if (skipWithoutChromium(t)) return;
  const headline = `Already live ${Date.now()}`;
  const { id } = await issue(headline, 'Exercise');
  const browser = await launchBrowser({ args: NO_WEBGL });
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector(`#alert-board .board-headline:text("${headline}")`, { timeout: 5000 });
  assert.match(await page.locator(`#alert-board li[data-id="${id}"]`).textContent() ?? '', /EXERCISE/, 'an exercise is marked as one');
  await api('POST', `/api/alerts/${id}/cancel`, approver, { falseAlarm: true });
});

test('no WebGL, location allowed: Find shelter lists shelters by walking time with the way in words', async (t) => {
  if (skipWithoutChromium(t)) return;
  const browser = await launchBrowser({ args: NO_WEBGL, geolocation: HERE });
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  await page.click('#find');
  await page.waitForSelector('#panel .results .result');
  const steps = await page.locator('#panel .route-text li').allTextContents();
  assert.ok(steps.length >= 1, 'the way is said in words');
  assert.match(steps[0], /^Head (north|north-east|east|south-east|south|south-west|west|north-west) for \d+ m$/);
  const total = steps.reduce((sum, s) => sum + Number(/(\d+) m/.exec(s)![1]), 0);
  const metres = Number((await page.locator('#panel .result.selected .meters').textContent())!.replace(/\D/g, ''));
  assert.ok(Math.abs(total - metres) <= Math.max(30, metres * 0.1), `the legs (${total} m) add up to the route (${metres} m)`);
  const violations = await axe(page);
  assert.deepEqual(violations, [], describeViolations(violations));
});

test('the readiness regime where the resident is shows on the public page (inherited from the region set)', async (t) => {
  if (skipWithoutChromium(t)) return;
  const res = await fetch(app.url + '/api/regimes/DK-IB', { method: 'PUT', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, body: JSON.stringify({ level: 'heightened', reason: 'e2e: threat level raised' }) });
  assert.ok(res.status === 200, `set the regime: ${res.status} ${await res.text()}`);
  const browser = await launchBrowser({ args: NO_WEBGL, geolocation: HERE });
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('#regime[data-level="heightened"]', { timeout: 10_000 });
  assert.equal(await page.textContent('#regime'), 'Readiness in Indre By: heightened readiness');
});
