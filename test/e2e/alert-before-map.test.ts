// The alert never waits for anything (issue 14): the public page's alert board is drawn, and a new alert arrives on
// it, while every map file is held back or refused; the resident's dictionary is the only one fetched; the map code
// is asked for only once the alert is on screen. Phone viewport, location denied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Route } from 'playwright-core';
import { skipWithoutChromium, launchBrowser, type App, apiCall, withAlertApp } from './harness.ts';
import en from '../../web/src/i18n/en.ts';
import he from '../../web/src/i18n/he.ts';
import ar from '../../web/src/i18n/ar.ts';

const PHONE = { width: 412, height: 860 };
/** The map's code: MapLibre, its worker and our map module (built as assets/maplibre-*.js, assets/map-*.js). */
const MAP_CODE = /\/assets\/(maplibre|map)-[^/]*\.m?js$/;
const DICTIONARY = /\/assets\/(en|uk|he|da|ar|ru)-[^/]*\.js$/;

let app: App;
let operator: string;
let approver: string;
withAlertApp((scene) => ({ app, operator, approver } = scene));

const api = (method: string, path: string, token: string, body?: unknown) => apiCall(app.url, method, path, token, body);

async function issue(headline: string) {
  const draft = await api('POST', '/api/alerts', operator, {
    status: 'Exercise', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
    headline, description: 'Missiles launched.', instruction: 'Go to the nearest shelter now.', regions: ['DK-VB'],
    expires: new Date(Date.now() + 30 * 60_000).toISOString(),
  });
  await api('POST', `/api/alerts/${draft.id}/approve`, approver, {});
  return { id: draft.id as string, approvedAt: Date.now() };
}

test('the map code held back: the board shows the live alert and a new one arrives; the map comes once let through', async (t) => {
  if (skipWithoutChromium(t)) return;
  const live = await issue(`Live before the page ${Date.now()}`);
  t.after(() => api('POST', `/api/alerts/${live.id}/cancel`, approver, { falseAlarm: true }));
  const browser = await launchBrowser({ viewport: PHONE });
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  // The order, as the browser reports it: the alerts on screen (the page's mark, through a binding), then the map code.
  const order: string[] = [];
  await page.exposeFunction('alertsReadyForTest', () => order.push('alerts-ready'));
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.body?.dataset.alertsReady !== 'true') return;
      observer.disconnect();
      (window as unknown as { alertsReadyForTest: () => void }).alertsReadyForTest();
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-alerts-ready'] });
  });
  const held: Route[] = [];
  let holding = true;
  let mapAsked!: () => void;
  const asked = new Promise<void>((resolve) => { mapAsked = resolve; });
  await page.route(MAP_CODE, (route) => {
    if (!holding) return route.continue();
    order.push('map');
    held.push(route);
    mapAsked();
  });
  await page.goto(app.url + '/?nosw');

  await page.waitForSelector(`#alert-board li[data-id="${live.id}"] .board-headline`, { timeout: 10_000 });
  await page.waitForSelector('body[data-alerts-ready=true]');
  const fresh = await issue(`Approved while the map is held ${Date.now()}`);
  t.after(() => api('POST', `/api/alerts/${fresh.id}/cancel`, approver, { falseAlarm: true }));
  await page.waitForSelector(`#alert-board li[data-id="${fresh.id}"] .board-headline`, { timeout: 5000 });
  assert.ok(Date.now() - fresh.approvedAt < 5000, 'on the board within 5 s of approval');
  assert.equal(await page.evaluate(() => document.body.dataset.ready), undefined, 'the map has not been drawn: the alert did not wait for it');
  await asked;
  assert.equal(order[0], 'alerts-ready', `the map code was asked for only once the alerts were on screen (${order.join(', ')})`);

  // Let the map code through: the map is drawn as before.
  holding = false;
  for (const route of held.splice(0)) await route.continue();
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.classList.contains('no-map')), false, 'the map is drawn');
});

test('the map code refused: the list replaces the map and alerts keep arriving', async (t) => {
  if (skipWithoutChromium(t)) return;
  const browser = await launchBrowser({ viewport: PHONE });
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  await page.route(MAP_CODE, (route) => route.abort('failed'));
  await page.goto(app.url + '/?nosw');
  await page.waitForSelector('body[data-ready=true]', { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.body.classList.contains('no-map')), true, 'list mode');
  assert.equal(await page.isVisible('#nomap'), true);
  const fresh = await issue(`Approved with no map ${Date.now()}`);
  t.after(() => api('POST', `/api/alerts/${fresh.id}/cancel`, approver, { falseAlarm: true }));
  await page.waitForSelector(`#alert-board li[data-id="${fresh.id}"] .board-headline`, { timeout: 5000 });
  assert.ok(Date.now() - fresh.approvedAt < 5000, 'on the board within 5 s of approval');
});

test('only the resident\'s dictionary is fetched; another is fetched when chosen', async (t) => {
  if (skipWithoutChromium(t)) return;
  const browser = await launchBrowser({ viewport: PHONE, locale: 'he-IL', args: ['--disable-webgl', '--disable-3d-apis'] });
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  const dictionaries: string[] = [];
  page.on('request', (r) => { const m = DICTIONARY.exec(new URL(r.url()).pathname); if (m) dictionaries.push(m[1]); });
  await page.goto(app.url + '/?nosw');
  await page.waitForSelector('body[data-ready=true]');
  assert.deepEqual(dictionaries, ['he']);
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await page.textContent('#find'), he['find.button']);

  await page.selectOption('#lang', 'ar');
  await page.waitForFunction(() => document.documentElement.lang === 'ar');
  assert.deepEqual(dictionaries, ['he', 'ar']);
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await page.textContent('#find'), ar['find.button']);
  // The choice holds for the next visit, in that language's dictionary alone.
  dictionaries.length = 0;
  await page.reload();
  await page.waitForSelector('body[data-alerts-ready=true]');
  assert.deepEqual(dictionaries, ['ar']);
});

test('the rest of the page cannot be fetched: the page says so, and alerts still arrive', async (t) => {
  if (skipWithoutChromium(t)) return;
  const browser = await launchBrowser({ viewport: PHONE });
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  await page.route(/\/assets\/app-[^/]*\.js$/, (route) => route.abort('failed'));
  await page.goto(app.url + '/?nosw');
  await page.waitForSelector('#nomap[role=alert]', { timeout: 30_000 });
  assert.equal(await page.textContent('#nomap'), en['ready.restFailed']);
  const fresh = await issue(`Approved with no app ${Date.now()}`);
  t.after(() => api('POST', `/api/alerts/${fresh.id}/cancel`, approver, { falseAlarm: true }));
  await page.waitForSelector(`#alert-board li[data-id="${fresh.id}"] .board-headline`, { timeout: 5000 });
  assert.ok(Date.now() - fresh.approvedAt < 5000, 'on the board within 5 s of approval');
});
