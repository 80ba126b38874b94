// Takes the screenshots in docs/screenshots/ from a real server and Chromium:
//   node --import tsx test/e2e/screenshots.ts
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startApp, launchBrowser, signIn, seedRegions, ROOT } from './harness.ts';
import type { PopulationCell } from '../../src/planning/index.ts';

const OUT = join(ROOT, 'docs', 'screenshots');
/** Pictures that could not be retaken, said at the end (the script then exits with 1). */
const problems: string[] = [];
mkdirSync(OUT, { recursive: true });
const HERE = { latitude: 55.6761, longitude: 12.5683 };

/** A 6 x 6 grid of 250 m population cells over central Copenhagen (busier towards the middle), for the plan map. */
function populationGrid(): PopulationCell[] {
  const mLat = (6_371_008.8 * Math.PI) / 180, mLon = mLat * Math.cos((55.676 * Math.PI) / 180);
  const x = (m: number) => 12.548 + m / mLon, y = (m: number) => 55.668 + m / mLat;
  const out: PopulationCell[] = [];
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) {
    const [e, n] = [i * 250, j * 250];
    const ring = [[x(e), y(n)], [x(e + 250), y(n)], [x(e + 250), y(n + 250)], [x(e), y(n + 250)], [x(e), y(n)]];
    out.push({ key: `c${i}${j}`, lat: y(n + 125), lon: x(e + 125), population: 40 + 80 * (6 - Math.abs(i - 2.5) - Math.abs(j - 2.5)), polygons: [[ring]] });
  }
  return out;
}

const app = await startApp(async (server) => {
  await seedRegions(server);
  await server.ctx.store.population.replace(populationGrid(), { file: 'grid.geojson', sha256: 'c'.repeat(64), format: 'geojson', populationField: 'population' });
});
// Two more wardens, for the console's wardens editor (wendy already looks after the shelters nearest the start point).
await app.server.ctx.accounts.createUser('wanda', 'warden', 'wanda-warden-pass-1');
await app.server.ctx.accounts.createUser('walter', 'warden', 'walter-warden-pass-1');
const tokens = { olga: await app.server.ctx.accounts.createApiToken('olga'), avi: await app.server.ctx.accounts.createApiToken('avi') };
// Some variety in the live statuses, as a real registry has.
const all = app.server.ctx.registry.all();
for (let i = 0; i < all.length; i++) {
  const status = i % 7 === 0 ? 'open' : i % 11 === 0 ? 'locked' : i % 13 === 0 ? 'full' : i % 17 === 0 ? 'closed' : i % 2 === 0 ? 'open' : null;
  if (status) await app.server.ctx.registry.setStatus(all[i].id, status, 'olga');
}

// Live occupancy reported by wardens for the shelters nearest the start point (the card and My shelters show it).
const nearHere = [...all].sort((a, b) => Math.hypot(a.lon - HERE.longitude, a.lat - HERE.latitude) - Math.hypot(b.lon - HERE.longitude, b.lat - HERE.latitude)).slice(0, 3);
for (const [i, s] of nearHere.entries()) {
  await app.server.ctx.registry.setWarden(s.id, 'wendy', true, 'olga');
  if (s.capacity) await app.server.ctx.registry.reportOccupancy(s.id, { occupancy: Math.round(s.capacity * [0.4, 1, 0.7][i]), status: i === 1 ? 'full' : 'open' }, 'wendy');
}

async function api(who: keyof typeof tokens, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(app.url + path, { method, headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => {
    const m = (window as unknown as { refugeMap?: { map: { once: (e: string, f: () => void) => void; triggerRepaint: () => void } } }).refugeMap?.map;
    if (!m) return resolve();
    m.once('idle', () => resolve());
    setTimeout(resolve, 2000);
  }));
  await page.waitForTimeout(1000);
  // Headless Chromium's software compositor sometimes shows a blank patch of the WebGL canvas under an overlay (the
  // canvas itself is drawn right: its pixels read back whole). For the capture, the canvas's own pixels are laid
  // over it as an image, so the picture shows what the map really drew. The image goes right after the canvas, under
  // the map's markers (the "you are here" and search markers, which MapLibre adds to the same container after it).
  await page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('canvas.maplibregl-canvas');
    if (!c) return;
    const img = document.createElement('img');
    img.id = 'shot-canvas';
    img.src = c.toDataURL('image/png');
    img.style.cssText = `position:absolute;left:0;top:0;width:${c.clientWidth}px;height:${c.clientHeight}px;pointer-events:none`;
    c.after(img);
    return img.decode();
  });
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  await page.evaluate(() => document.getElementById('shot-canvas')?.remove());
  console.log(`docs/screenshots/${name}.png`);
}

async function ready(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]');
}

const phone = await launchBrowser({ geolocation: HERE, viewport: { width: 400, height: 820 } });
try {
  const page = await phone.context.newPage();
  await ready(page, app.url + '/?screenshot');
  await shot(page, 'public-map');
  // The "you are here" marker on the resident's point, the map's credits folded to the (i) button (as on any phone).
  await page.waitForSelector('.here-marker');
  await page.waitForSelector('.maplibregl-ctrl-attrib.maplibregl-compact:not(.maplibregl-compact-show)');
  // A step closer than the opening view, the marker a little below the middle (at the middle, its label lies under the
  // overlay's "Readiness" line on a phone); then back to the opening view, for the pictures after.
  type ViewMap = { getCenter(): { lng: number; lat: number }; getZoom(): number; jumpTo(o: unknown): void; panBy(o: [number, number], a: unknown): void };
  const opening = await page.evaluate(() => {
    const m = (window as unknown as { refugeMap: { map: ViewMap } }).refugeMap.map;
    const c = m.getCenter();
    return { center: [c.lng, c.lat] as [number, number], zoom: m.getZoom() };
  });
  await page.evaluate((v) => {
    const m = (window as unknown as { refugeMap: { map: ViewMap } }).refugeMap.map;
    m.jumpTo(v);
    m.panBy([0, -120], { duration: 0 });
  }, { center: [HERE.longitude, HERE.latitude], zoom: opening.zoom + 1 });
  await shot(page, 'public-here-marker');
  await page.evaluate((v) => (window as unknown as { refugeMap: { map: ViewMap } }).refugeMap.map.jumpTo(v), opening);
  // The map's shelters by keyboard: Tab to the map, N twice.
  for (let i = 0; i < 30 && !(await page.evaluate(() => document.activeElement?.classList.contains('maplibregl-canvas'))); i++) await page.keyboard.press('Tab');
  await page.keyboard.press('n');
  await page.keyboard.press('n');
  await page.waitForFunction(() => /2 of/.test(document.querySelector('.map-keys-line')?.textContent ?? ''));
  await shot(page, 'public-map-keyboard');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.click('#find');
  await page.waitForSelector('.results .result');
  await shot(page, 'public-find-shelter');
  // The route on the whole map, with the result panel set aside.
  await page.evaluate(() => { (document.getElementById('panel') as HTMLElement).style.display = 'none'; });
  await shot(page, 'public-route');
  await page.evaluate(() => { (document.getElementById('panel') as HTMLElement).style.display = ''; });
  await page.click('.results .result:first-child button.link');
  await page.waitForSelector('.card');
  await shot(page, 'public-shelter-card');
  // Address search: the list of places for "nørre", on the phone.
  await ready(page, app.url + '/');
  await page.click('#addr-input');
  await page.keyboard.type('nørre');
  await page.waitForSelector('#addr-list:not([hidden]) [role=option]');
  await shot(page, 'public-address-search');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  const draft = async (status: string, headline: string, instruction: string) => {
    const d = await api('olga', 'POST', '/api/alerts', { status, event: 'missile', headline, instruction, regions: ['DK-IB'], expires: new Date(Date.now() + 20 * 60_000).toISOString() });
    await api('avi', 'POST', `/api/alerts/${d.id}/approve`);
    return String(d.id);
  };
  await ready(page, app.url + '/');
  await page.waitForFunction(() => document.querySelector('#watch')?.textContent?.includes('Receiving'));
  const ex = await draft('Exercise', 'EXERCISE: missile alert drill', 'This is a drill. Walk calmly to the nearest shelter.');
  await page.waitForSelector('#alert.exercise:not([hidden]) .nearest strong');
  await shot(page, 'public-alert-exercise');
  await api('avi', 'POST', `/api/alerts/${ex}/cancel`, { falseAlarm: true });
  await page.waitForSelector('#alert.all-clear');
  await page.click('#alert button').catch(() => undefined);
  const actual = await draft('Actual', 'Missile alert: take cover', 'Go to the nearest shelter now and stay there for 10 minutes.');
  await page.waitForSelector('#alert.actual:not([hidden]) .nearest strong');
  await shot(page, 'public-alert-actual');
  await page.click('#alert button.big');
  await shot(page, 'public-alert-route');
  await api('avi', 'POST', `/api/alerts/${actual}/cancel`, { falseAlarm: true });
  await page.waitForSelector('#alert.all-clear');
  await shot(page, 'public-all-clear');
  await page.click('#alert button');

  // Test my alerts: the exercise screen this device makes for itself.
  await page.click('#places');
  await page.click('#test-alerts');
  await page.waitForSelector('#alert.exercise #alert-title');
  await shot(page, 'public-test-alerts');
  await page.click('#alert button.end-test');

  await ready(page, app.url + '/?lang=he');
  await page.click('#find');
  await page.waitForSelector('.results .result');
  await shot(page, 'public-hebrew-rtl');
  await ready(page, app.url + '/?lang=uk');
  await shot(page, 'public-ukrainian');
  await ready(page, app.url + '/?lang=ar');
  await page.click('#find');
  await page.waitForSelector('.results .result');
  await shot(page, 'public-arabic-rtl');
  await ready(page, app.url + '/?lang=ru');
  await shot(page, 'public-russian');
  await page.goto(app.url + '/?lang=en');
  await page.waitForSelector('body[data-ready=true]');
  // Offline only once the service worker controls the page and has kept what it needs (as web-public.test.ts does).
  // Without a service worker there is no offline page to show: said, and the other pictures are still taken.
  const controlled = await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 }).then(() => true, () => false);
  if (!controlled) problems.push('public-offline: the service worker never took control of the page; the old picture is kept');
  else {
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    await phone.context.setOffline(true);
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    await page.click('#find');
    await page.waitForSelector('.results .result');
    await shot(page, 'public-offline');
    await phone.context.setOffline(false);
  }
} finally {
  await phone.close();
}

// An Arabic phone with an active alert written in Arabic too (one CAP info block per language).
const arabic = await launchBrowser({ geolocation: HERE, locale: 'ar-EG', viewport: { width: 400, height: 820 } });
try {
  const page = await arabic.context.newPage();
  await ready(page, app.url + '/?lang=ar');
  await page.waitForSelector('body[data-alerts-ready=true]');
  const d = await api('olga', 'POST', '/api/alerts', {
    status: 'Actual', event: 'missile', headline: 'Missile alert', instruction: 'Go to the nearest shelter now and stay there for 10 minutes.', regions: ['DK-IB'],
    translations: [{ language: 'ar', headline: 'إنذار صاروخي', instruction: 'توجهوا فوراً إلى أقرب ملجأ وابقوا فيه 10 دقائق.' }],
    expires: new Date(Date.now() + 20 * 60_000).toISOString(),
  });
  await api('avi', 'POST', `/api/alerts/${d.id}/approve`);
  await page.waitForSelector('#alert.actual:not([hidden]) .nearest strong');
  await shot(page, 'public-arabic-alert');
  await api('avi', 'POST', `/api/alerts/${d.id}/cancel`, { falseAlarm: true });
  await page.waitForSelector('#alert.all-clear');
} finally {
  await arabic.close();
}

// A resident who shares no location, on a device without WebGL: the alert map, My places, and an alert for a saved
// place with what to do when no shelter can be reached in time.
const noLocation = await launchBrowser({ viewport: { width: 400, height: 820 }, args: ['--disable-webgl', '--disable-3d-apis'] });
try {
  const page = await noLocation.context.newPage();
  await ready(page, app.url + '/');
  await page.click('#places');
  await page.click('.quick-names button:nth-child(1)');
  await page.fill('#place-region', 'Indre By');
  await page.click('#place-add');
  await page.click('.quick-names button:nth-child(3)');
  await page.fill('#place-region', 'Vesterbro');
  await page.click('#place-add');
  await page.waitForSelector('#push-why[data-reason]');
  await shot(page, 'public-my-places');
  const d = await api('olga', 'POST', '/api/alerts', { status: 'Actual', event: 'missile', headline: 'Missile alert: take cover', instruction: 'Go to the nearest shelter now and stay there for 10 minutes.', regions: ['DK-VB'], expires: new Date(Date.now() + 20 * 60_000).toISOString() });
  await api('avi', 'POST', `/api/alerts/${d.id}/approve`);
  await page.waitForSelector('#alert.actual .no-shelter');
  await page.click('#alert .situations button[data-situation="building"]');
  await shot(page, 'public-no-shelter');
  await page.click('#alert button.big');
  await page.click('#alert-board .board-map');
  await page.waitForSelector('.amap-svg path[data-state="alert"]');
  await page.click('.amap-list li[data-code="DK-VB"] button');
  await page.waitForSelector('.amap-history .history-entry');
  await page.evaluate(() => document.querySelector('.amap-svg')?.scrollIntoView());
  await shot(page, 'public-alert-map');
  await api('avi', 'POST', `/api/alerts/${d.id}/cancel`, { falseAlarm: true });
} finally {
  await noLocation.close();
}

// A phone without WebGL, location allowed: after Find shelter, the plain list of shelters by walking time and the way
// to the first in words (as journeys-map.test.ts reaches it).
const noWebgl = await launchBrowser({ geolocation: HERE, viewport: { width: 390, height: 844 }, args: ['--disable-webgl', '--disable-3d-apis'] });
try {
  const page = await noWebgl.context.newPage();
  await ready(page, app.url + '/?nosw');
  await page.waitForSelector('body.no-map');
  await page.click('#find');
  await page.waitForSelector('#panel .results .result');
  await page.waitForSelector('#panel .route-text li');
  await shot(page, 'public-no-webgl-list');
} catch (e) {
  problems.push(`public-no-webgl-list: ${(e as Error).message}`);
} finally {
  await noWebgl.close();
}

const desk = await launchBrowser({ viewport: { width: 1280, height: 860 } });
try {
  const page = await desk.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.fill('#reg-q', 'København K');
  await page.click('form[role=search] button[type=submit]');
  await page.waitForSelector('tbody tr');
  await shot(page, 'console-registry');
  // The plan map: an operator makes the plan for the population grid; cells by walking time, shelters' load.
  await page.goto(`${app.url}/console.html#/coverage`);
  await page.waitForSelector('#pl-minutes');
  await page.fill('#pl-minutes', '5');
  await page.click('button:text-is("Make the plan (a place for every resident)")');
  await page.waitForFunction(() => {
    const map = (document.querySelector('.pm-map') as (HTMLElement & { maplibre?: { isSourceLoaded(id: string): boolean; getSource(id: string): unknown; areTilesLoaded(): boolean } }) | null)?.maplibre;
    return !!map && !!map.getSource('pm-cells') && map.isSourceLoaded('pm-cells') && map.areTilesLoaded();
  }, undefined, { timeout: 180_000 });
  await page.evaluate(() => document.querySelector('.pm-map')?.scrollIntoView({ block: 'center' }));
  await shot(page, 'console-plan-map');
  const s = all[3];
  await page.goto(`${app.url}/console.html#/shelter/${encodeURIComponent(s.id)}`);
  await page.waitForSelector('#ed-name');
  await page.fill('#ed-capacity', '120');
  await page.click('form.grid button[type=submit]');
  await page.waitForSelector('.msg.ok');
  await app.server.ctx.registry.patch(s.id, null, { capacity: 135 }, 'avi');
  await page.fill('#ed-capacity', '150');
  await page.click('form.grid button[type=submit]');
  await page.waitForSelector('.conflict');
  // The save leaves the page scrolled to the form's button: the conflict is shown where the operator looks first.
  await page.evaluate(() => document.querySelector('.conflict')?.scrollIntoView({ block: 'center' }));
  await shot(page, 'console-conflict');
  await page.goto(`${app.url}/console.html#/import`);
  await page.waitForSelector('#imp-file');
  await page.setInputFiles('#imp-file', { name: 'district.csv', mimeType: 'text/csv', buffer: Buffer.from('name,lat,lon,capacity\nSchool basement,55.68,12.57,80\nCar park,55.681,north,200\nPark bunker,55.67,12.56,-5\n') });
  await page.fill('#imp-source', 'district-upload');
  await page.click('form.grid button[type=submit]');
  await page.waitForSelector('table td');
  await shot(page, 'console-import-errors');
  await page.goto(`${app.url}/console.html#/compose/actual`);
  await page.waitForSelector('.mode-banner.actual');
  await page.fill('#c-region', 'Indre By (DK-IB)');
  await page.click('form:has(#c-region) button[type=submit]');
  await page.waitForTimeout(1500);
  await shot(page, 'console-compose-actual');
  await page.goto(`${app.url}/console.html#/compose/exercise`);
  await page.waitForSelector('.mode-banner.exercise');
  await page.waitForTimeout(1500);
  await shot(page, 'console-compose-exercise');
  const drone = await api('olga', 'POST', '/api/alerts', { status: 'Actual', event: 'drone', headline: 'Drone alert', instruction: 'Take cover indoors.', regions: ['DK-VB'], expires: new Date(Date.now() + 20 * 60_000).toISOString() });
  await signIn(page, app.url, 'avi');
  // The live badge on Approvals: one draft waits.
  await page.waitForSelector('#nav a[href="#/approvals"] .nav-badge[data-count="1"]');
  await shot(page, 'console-approvals-badge');
  // The template editor, here on the Arabic wording for a missile alert (right to left).
  await page.goto(`${app.url}/console.html#/templates`);
  await page.waitForSelector('form.tpl-form #tpl-headline');
  await page.selectOption('#tpl-language', 'ar');
  await page.waitForFunction(() => document.querySelector('#tpl-headline')?.getAttribute('dir') === 'rtl');
  await shot(page, 'console-templates');
  await page.goto(`${app.url}/console.html#/approvals`);
  await page.waitForSelector('tbody tr');
  await shot(page, 'console-approvals');
  // Review: the whole message and the phone-sized preview of what residents will see.
  await page.click(`tbody tr a[href="#/alert/${encodeURIComponent(String(drone.id))}"]`);
  await page.waitForSelector('.phone-preview .pp-headline');
  await page.evaluate(() => document.querySelector('.phone-preview')?.scrollIntoView({ block: 'center' }));
  await shot(page, 'console-approval-preview');
  const issued = await draftAndIssue();
  await page.goto(`${app.url}/console.html#/active`);
  await page.waitForSelector('tbody tr');
  await shot(page, 'console-active');
  await page.click('tbody tr a');
  await page.waitForSelector('text=Delivery');
  await page.waitForTimeout(2500); // the stream reach is written every 2 s
  await shot(page, 'console-alert-delivery');
  // The alert log: the issued alert updated (so one Updated, one Issued), the drone alert still waiting, the false
  // alarms of the public pictures above.
  const update = await api('olga', 'POST', '/api/alerts', { status: 'Actual', event: 'missile', msgType: 'Update', references: [issued], headline: 'Missile alert: stay in the shelter', instruction: 'Stay in the shelter until the all clear.', regions: ['DK-IB'], expires: new Date(Date.now() + 20 * 60_000).toISOString() });
  await api('avi', 'POST', `/api/alerts/${update.id}/approve`);
  // The open alert page follows the update (it redraws as Updated): only then is it left, or its late redraw would
  // land over the log.
  await page.waitForSelector('[data-field="state"] [data-life="updated"]');
  await page.goto(`${app.url}/console.html#/alert-log`);
  await page.waitForSelector(`.alert-log tr[data-alert="${issued}"][data-life="updated"]`);
  await page.waitForSelector('.alert-log tr[data-life="draft"]');
  await page.waitForSelector('.alert-log tr[data-life="false-alarm"]');
  await shot(page, 'console-alert-log');
  await signIn(page, app.url, 'wendy');
  await page.waitForSelector('section.warden-shelter');
  await shot(page, 'console-my-shelters');
  for (const kind of ['locked', 'missing']) await fetch(`${app.url}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shelterId: all[8].id, kind, note: kind === 'locked' ? 'Door chained, no key holder answering' : null }) });
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/reports`);
  await page.waitForSelector('tr[data-report]');
  await shot(page, 'console-reports');
  // Wardens on the shelter screen: the operator assigns wanda to a shelter wendy already looks after.
  await page.goto(`${app.url}/console.html#/shelter/${encodeURIComponent(nearHere[0].id)}`);
  await page.waitForSelector('.wardens-editor #wdn-pick');
  await page.selectOption('#wdn-pick', 'wanda');
  await page.click('.wardens-assign button[type=submit]');
  await page.waitForSelector('.wardens-list li[data-warden="wanda"]');
  await page.evaluate(() => document.querySelector('#main h2')?.scrollIntoView({ block: 'start' }));
  await shot(page, 'console-wardens');
} finally {
  await desk.close();
  await app.close();
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
}

async function draftAndIssue(): Promise<string> {
  const d = await api('olga', 'POST', '/api/alerts', { status: 'Actual', event: 'missile', headline: 'Missile alert: take cover', instruction: 'Go to the nearest shelter now.', regions: ['DK-IB'], expires: new Date(Date.now() + 20 * 60_000).toISOString() });
  await api('avi', 'POST', `/api/alerts/${d.id}/approve`);
  return String(d.id);
}
