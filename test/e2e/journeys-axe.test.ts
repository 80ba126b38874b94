// axe-core over every page on a phone viewport, in English, Hebrew and Arabic (issue 14: "axe finds no serious issue
// on any page"): every console screen the nav offers an admin (read from the nav itself, so a screen added later is
// checked too) plus the screens reached from them (a shelter, an alert, the Exercise composer, the plan map with a
// plan, the warden's My shelters, the sign-in page); and the public page with and without WebGL, before and after
// Find shelter, with My places open, with the alert map showing an alert and with the alert history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { skipWithoutChromium, startApp, seedRegions, launchBrowser, chromiumAvailable, noSeriousViolations, signIn, type App, type Browser } from './harness.ts';
import type { PopulationCell } from '../../src/planning/index.ts';

const PHONE = { width: 390, height: 844 };
const NO_WEBGL = ['--disable-webgl', '--disable-3d-apis'];
const HERE = { latitude: 55.6761, longitude: 12.5683 }; // inside the DK-IB test region
const LANGS = ['en', 'he', 'ar'] as const;
type Lang = (typeof LANGS)[number];
const ADMIN = { name: 'ada', password: 'ada-admin-pass-1' };

/** A 3 x 3 grid of 300 m population cells in central Copenhagen, for a plan the plan map can show. */
function cells(): PopulationCell[] {
  const mLat = (6_371_008.8 * Math.PI) / 180, mLon = mLat * Math.cos((55.676 * Math.PI) / 180);
  const out: PopulationCell[] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    const x = (m: number) => 12.555 + m / mLon, y = (m: number) => 55.676 + m / mLat;
    const [e, n] = [i * 300, j * 300];
    const ring = [[x(e), y(n)], [x(e + 300), y(n)], [x(e + 300), y(n + 300)], [x(e), y(n + 300)], [x(e), y(n)]];
    out.push({ key: `g${i}${j}`, lat: y(n + 150), lon: x(e + 150), population: 400, polygons: [[ring]] });
  }
  return out;
}

let app: App;
let shelterId = '';
let alertId = '';

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(async (server) => {
    await seedRegions(server);
    await server.ctx.accounts.createUser(ADMIN.name, 'admin', ADMIN.password);
    await server.ctx.store.population.replace(cells(), { file: 'grid.geojson', sha256: 'b'.repeat(64), format: 'geojson', populationField: 'population' });
  });
  const all = app.server.ctx.registry.all();
  shelterId = all[0].id;
  await app.server.ctx.registry.setWarden(shelterId, 'wendy', true, 'olga');
  const token = (who: string) => app.server.ctx.accounts.createApiToken(who);
  const post = async (who: string, path: string, body: unknown) => {
    const res = await fetch(app.url + path, { method: 'POST', headers: { authorization: `Bearer ${await token(who)}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
    return res.json() as Promise<{ id: string }>;
  };
  // One issued alert (the active list, the alert page, the public board) and one waiting (approvals, the badge).
  const issued = await post('olga', '/api/alerts', {
    status: 'Exercise', event: 'missile', headline: 'Exercise: missile alert', instruction: 'Go to the nearest shelter now.',
    regions: ['DK-VB'], expires: new Date(Date.now() + 60 * 60_000).toISOString(),
  });
  await post('avi', `/api/alerts/${issued.id}/approve`, {});
  alertId = issued.id;
  await post('olga', '/api/alerts', {
    status: 'Exercise', event: 'drone', headline: 'Exercise: drone alert', instruction: 'Take cover indoors.',
    regions: ['DK-IB'], expires: new Date(Date.now() + 60 * 60_000).toISOString(),
  });
});

after(async () => {
  await app?.close();
});

async function signInAdmin(page: Page, lang: Lang): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${app.url}/console.html?lang=${lang}#/registry`);
  await page.fill('#login-name', ADMIN.name);
  await page.fill('#login-password', ADMIN.password);
  await page.click('form button[type=submit]');
  await page.waitForSelector('#nav:not([hidden]) a');
  await page.waitForFunction(() => !!document.querySelector('#main h2') && document.title.includes(document.querySelector('#main h2')!.textContent ?? ''));
}

/** Opens a console route and waits until its screen has drawn: a new heading, and the title the router sets once the
 * screen is done. The same route again is redrawn (no hashchange would fire by itself). */
async function screen(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    document.title = 'pending';
    document.querySelector('#main h2')?.setAttribute('data-stale', '');
    if (location.hash === h) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = h;
  }, hash);
  await page.waitForFunction(() => document.title !== 'pending' && !!document.querySelector('#main h2:not([data-stale])'), undefined, { timeout: 60_000 })
    .catch((err: Error) => { throw new Error(`${hash} did not draw: ${err.message}`); });
}

/** The plan map has its cells loaded and drawn (as console-plan-map.test.ts waits for them). */
async function planMapDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const map = (document.querySelector('.pm-map') as (HTMLElement & { maplibre?: { isSourceLoaded(id: string): boolean; getSource(id: string): unknown; areTilesLoaded(): boolean } }) | null)?.maplibre;
    return !!map && !!map.getSource('pm-cells') && map.isSourceLoaded('pm-cells') && map.areTilesLoaded();
  }, undefined, { timeout: 120_000 });
}

test('the plan exists for the plan map (made in the console, as an operator does)', async (t) => {
  if (skipWithoutChromium(t)) return;
  const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  await signIn(page, app.url, 'olga');
  await screen(page, '#/coverage');
  await page.fill('#pl-minutes', '5');
  await page.click('button:text-is("Make the plan (a place for every resident)")');
  await page.waitForSelector('.pm-map canvas', { timeout: 120_000 });
  await planMapDrawn(page);
});

for (const lang of LANGS) {
  test(`${lang} phone: every console screen passes axe-core`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const browser = await launchBrowser({ viewport: PHONE });
    t.after(() => browser.close());
    const page = await browser.context.newPage();

    // Signed out: the sign-in page.
    await page.goto(`${app.url}/console.html?lang=${lang}#/registry`);
    await page.waitForSelector('#login-name');
    assert.equal(await page.getAttribute('html', 'dir'), lang === 'en' ? 'ltr' : 'rtl');
    await noSeriousViolations(page, `${lang} sign-in`);

    await signInAdmin(page, lang);
    const nav = await page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('href')!));
    for (const expected of ['#/registry', '#/approvals', '#/templates', '#/alert-log', '#/coverage', '#/accounts']) assert.ok(nav.includes(expected), `the admin's nav offers ${expected}: ${nav.join(' ')}`);
    const extra = ['#/compose/exercise', `#/shelter/${encodeURIComponent(shelterId)}`, `#/alert/${encodeURIComponent(alertId)}`, `#/accounts/${ADMIN.name}`];
    const checked: string[] = [];
    for (const hash of [...new Set([...nav, ...extra])]) {
      await screen(page, hash);
      if (hash === '#/coverage') await planMapDrawn(page);
      if (hash.startsWith('#/compose')) await page.waitForSelector('.region-picker[data-basemap]');
      if (hash === '#/approvals') await page.waitForSelector('#nav .nav-badge[data-count="1"]');
      await noSeriousViolations(page, `${lang} ${hash}`);
      checked.push(hash);
    }
    assert.ok(checked.length >= nav.length + extra.length - 1, `checked ${checked.join(' ')}`);
    t.diagnostic(`${lang}: ${checked.length} screens: ${checked.join(' ')}`);

    // The warden's own screen.
    await page.goto(`${app.url}/console.html?lang=${lang}`);
    await signIn(page, app.url, 'wendy');
    await page.waitForSelector(`section.warden-shelter[data-shelter="${shelterId}"]`);
    await noSeriousViolations(page, `${lang} #/my-shelters`);
  });
}

for (const lang of LANGS) {
  for (const webgl of [true, false]) {
    test(`${lang} phone ${webgl ? 'with' : 'without'} WebGL: the public page passes axe-core (map or list, results, My places, the alert map, history)`, async (t) => {
      if (skipWithoutChromium(t)) return;
      const browser: Browser = await launchBrowser({ viewport: PHONE, geolocation: HERE, args: webgl ? [] : NO_WEBGL });
      t.after(() => browser.close());
      const page = await browser.context.newPage();
      await page.goto(`${app.url}/?lang=${lang}`);
      await page.waitForSelector('body[data-ready=true]');
      await page.waitForSelector('body[data-alerts-ready=true]');
      assert.equal(await page.evaluate(() => document.body.classList.contains('no-map')), !webgl);
      await page.locator(`#alert-board li[data-id="${alertId}"]`).waitFor();
      await noSeriousViolations(page, `${lang} public page`);
      await page.click('#find');
      await page.waitForSelector('.results .result');
      await noSeriousViolations(page, `${lang} public results`);
      await page.click('#places');
      await page.waitForSelector('#test-alerts');
      await noSeriousViolations(page, `${lang} My places`);
      await page.goto(`${app.url}/?lang=${lang}`);
      await page.waitForSelector('body[data-alerts-ready=true]');
      await page.click('#alert-board .board-map');
      await page.waitForSelector('.amap-svg path[data-state]');
      await noSeriousViolations(page, `${lang} alert map`);
      // The history of the last days (the header's History button).
      await page.goto(`${app.url}/?lang=${lang}`);
      await page.waitForSelector('body[data-alerts-ready=true]');
      await page.click('#history');
      await page.waitForSelector('.history .history-region, .history .history-list li');
      await noSeriousViolations(page, `${lang} alert history`);
    });
  }
}
