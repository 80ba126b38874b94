// Issue 14: the public alert map names regions in the resident's language when the source has that name (the OSM
// oblasts of Ukraine with their name:xx tags), on a phone without location or WebGL, in Ukrainian, English, Hebrew
// and Danish (which the source lacks: the region's own name); and the heading of the region's history likewise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, noSeriousViolations, type App } from './harness.ts';
import { SHARED } from '../helpers.ts';
import { parseRegionsGeoJson } from '../../src/geo/index.ts';
import { reloadRegions } from '../../src/server/capabilities/regions.ts';

const OBLASTS = parseRegionsGeoJson(readFileSync(join(SHARED, 'ukraine-oblasts', 'ukraine_oblasts_osm_raw.json'), 'utf8'), {}, 'osm').regions;
const LVIV = 'UA-46';

let app: App;
let alertId: string;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(async (server) => { await reloadRegions(server.ctx, 'osm', OBLASTS); }, { shelters: false });
  const operator = await app.server.ctx.accounts.createApiToken('olga');
  const approver = await app.server.ctx.accounts.createApiToken('avi');
  const call = async (path: string, token: string, body: unknown) => {
    const res = await fetch(app.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    assert.ok(res.status < 300, `${path}: ${res.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const draft = await call('/api/alerts', operator, {
    status: 'Exercise', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
    headline: 'Region names exercise', instruction: 'Go to the nearest shelter now.', regions: [LVIV], expires: new Date(Date.now() + 30 * 60_000).toISOString(),
  });
  alertId = String(draft.id);
  await call(`/api/alerts/${alertId}/approve`, approver, {});
});

after(async () => {
  await app?.close();
});

for (const [locale, want] of [['uk-UA', 'Львівська область'], ['en-GB', 'Lviv Oblast'], ['he-IL', 'מחוז לבוב'], ['da-DK', 'Львівська область']] as const) {
  test(`${locale}: the alert map names the region under alert "${want}"`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const browser = await launchBrowser({ viewport: { width: 390, height: 844 }, args: ['--disable-webgl', '--disable-3d-apis'], locale });
    t.after(() => browser.close());
    const page = await browser.context.newPage();
    await page.goto(app.url + '/');
    await page.waitForSelector('body[data-alerts-ready=true]');
    await page.click('#alert-board .board-map');
    await page.waitForSelector(`.amap-svg path[data-code="${LVIV}"][data-state="exercise"]`);
    assert.equal((await page.textContent(`.amap-svg path[data-code="${LVIV}"] title`))?.trim(), want);
    assert.match((await page.textContent(`.amap-under li[data-code="${LVIV}"]`)) ?? '', new RegExp(want));
    await page.click(`.amap-under li[data-code="${LVIV}"] button`);
    await page.waitForSelector(`.amap-history[data-region="${LVIV}"] .history-entry[data-alert-id="${alertId}"]`);
    assert.match((await page.textContent(`.amap-history[data-region="${LVIV}"] h3`)) ?? '', new RegExp(want));
    await noSeriousViolations(page, `${locale} alert map with translated region names`);
  });
}
