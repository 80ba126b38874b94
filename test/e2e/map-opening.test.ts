// Where the public map opens when the operator set no start view: on the registry (here Jerusalem's), not on the
// built-in default (Copenhagen), for a visitor who shares no location; and on a phone the map's credits fold into a
// compact button instead of covering the map.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importShelters } from '../../src/registry/import/index.ts';
import { SHARED } from '../helpers.ts';
import { chromiumAvailable, launchBrowser, skipWithoutChromium, startApp, type App } from './harness.ts';

let app: App | null = null;
before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(async (server) => {
    const file = join(SHARED, 'jerusalem-shelters', 'shelters.geojson');
    await importShelters(server.ctx.registry, readFileSync(file), 'shelters.geojson', { source: 'jerusalem', attribution: 'Jerusalem Municipality', licence: null, actor: 'e2e' });
  }, { shelters: false });
});
after(async () => { await app?.close(); });

test('with no start view configured, the map opens on the registry; on a phone the credits are a compact button', async (t) => {
  if (skipWithoutChromium(t) || !app) return;
  assert.ok(app.server.ctx.registry.all().length > 100, 'the Jerusalem registry is loaded');
  const browser = await launchBrowser({ viewport: { width: 390, height: 844 } }); // no location shared
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  await page.goto(`${app.url}/`);
  await page.waitForSelector('body[data-ready=true]');
  const centre = async () => page.evaluate(() => {
    const c = (window as unknown as { refugeMap: { map: { getCenter(): { lng: number; lat: number } } } }).refugeMap.map.getCenter();
    return [c.lng, c.lat];
  });
  await page.waitForFunction(() => {
    const c = (window as unknown as { refugeMap?: { map: { getCenter(): { lat: number } } } }).refugeMap?.map.getCenter();
    return !!c && c.lat < 40;
  }, undefined, { timeout: 30_000 }).catch(() => undefined);
  const [lon, lat] = await centre();
  assert.ok(lat > 31 && lat < 32.5 && lon > 34 && lon < 36, `the map opens on Jerusalem's shelters, not Copenhagen (centre ${lon}, ${lat})`);
  assert.equal(await page.locator('.maplibregl-ctrl-attrib.maplibregl-compact').count(), 1, 'compact credits on a phone');
  assert.match((await page.textContent('.maplibregl-ctrl-attrib')) ?? '', /OpenStreetMap/, 'still credited');
});
