// Address and place search, end to end, on the demo's Copenhagen shelters (BBR addresses) and the Copenhagen OSM
// extract: the place index the server builds (GET /api/places.json, streets and house numbers kept beside the network
// at import), the search box in Chromium (keyboard and tap, with and without WebGL), the nearest shelter searched
// from the chosen place or house, offline after one visit, and the index loaded only after the alert stream has
// connected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { skipWithoutChromium, startApp, seedRegions, launchBrowser, axe, describeViolations, CHROMIUM, CHROMIUM_ARGS, type App } from './harness.ts';
import { placesFileFor } from '../../src/network/index.ts';
import { entriesOf, type PlaceIndexDoc } from '../../web/src/lib/text-fold.ts';

const NO_WEBGL = ['--disable-webgl', '--disable-3d-apis'];

type PlacesDoc = PlaceIndexDoc & { streetSource: NonNullable<PlaceIndexDoc['streetSource']> };

let app: App;

before(async () => {
  app = await startApp(seedRegions);
});

after(async () => {
  await app?.close();
});

async function places(headers: Record<string, string> = {}): Promise<{ status: number; etag: string | null; doc: PlacesDoc | null }> {
  const res = await fetch(`${app.url}/api/places.json`, { headers });
  return { status: res.status, etag: res.headers.get('etag'), doc: res.status === 200 ? await res.json() as PlacesDoc : null };
}

test('the place index: every shelter in service with its address, the extract\'s streets per area, the regions; ETag', async () => {
  const { status, etag, doc } = await places();
  assert.equal(status, 200);
  assert.ok(etag);
  assert.equal(doc!.version, 2);
  const inService = app.server.ctx.registry.query({}).items;
  assert.equal(doc!.shelters.length, inService.length);
  const damager = doc!.shelters.find(([, name]) => name === 'Damagervej 3A, 2450 København SV');
  assert.ok(damager, 'a BBR address is searchable');
  assert.deepEqual(doc!.streetSource, { file: 'kbh.osm.pbf', available: true });
  const nb = doc!.streets.filter(([name]) => name === 'Nørrebrogade');
  assert.equal(nb.length, 1, 'one Nørrebrogade');
  const [, , points] = nb[0];
  assert.ok(points.length >= 4 && points.length % 2 === 0);
  assert.ok(points[0] > 12.53 && points[0] < 12.57 && points[1] > 55.68 && points[1] < 55.70, `Nørrebrogade at ${points[0]},${points[1]}`);
  assert.ok(doc!.streets.length > 1000, `${doc!.streets.length} streets`);
  // Streets in a test region carry its name (to tell apart streets of one name).
  assert.ok(doc!.streets.some(([, area]) => area === 'Indre By'));
  assert.deepEqual(doc!.regions.map(([code, name]) => [code, name]).sort(), [['DK-IB', 'Indre By'], ['DK-VB', 'Vesterbro']]);
  // House numbers: Vesterbrogade 12 at its house.
  const vb = entriesOf(doc!).find((e) => e.kind === 'street' && e.label === 'Vesterbrogade')!;
  const twelve = vb.houses!.find((h) => h.number === '12')!;
  assert.ok(Math.abs(twelve.at[0] - 12.5602) < 0.001 && Math.abs(twelve.at[1] - 55.6734) < 0.001, `Vesterbrogade 12 at ${twelve.at}`);
  assert.equal(twelve.area, '1620 København V');
  // Written beside the network file by the import.
  assert.ok(existsSync(placesFileFor(app.server.ctx.paths.networkFile)));

  // Unchanged: 304. A shelter taken out of service: a new version without it.
  assert.equal((await places({ 'if-none-match': etag! })).status, 304);
  const gone = inService.find((s) => s.name === 'Damagervej 5, 2450 København SV') ?? inService[inService.length - 1];
  await app.server.ctx.registry.decommission(gone.id, null, 'e2e');
  const after = await places({ 'if-none-match': etag! });
  assert.equal(after.status, 200);
  assert.notEqual(after.etag, etag);
  assert.equal(after.doc!.shelters.length, inService.length - 1);
  assert.ok(!after.doc!.shelters.some(([id]) => id === gone.id));
});

async function optionLabels(page: Page): Promise<string[]> {
  await page.waitForSelector('#addr-list:not([hidden]) [role=option]');
  return page.locator('#addr-list [role=option] .addr-name').allTextContents();
}

async function serverNearest(at: [number, number]): Promise<string> {
  const r = await (await fetch(`${app.url}/api/nearest?lat=${at[1]}&lon=${at[0]}&k=3`)).json() as { results: Array<{ id: string }> };
  return r.results[0].id;
}

test('with the map: "nørre" and "Norrebro" find Nørrebrogade; chosen with the keyboard, the map moves there and the nearest shelter is searched from it', async (t) => {
  if (skipWithoutChromium(t)) return;
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(app.url + '/?nosw');
  await page.waitForSelector('body[data-ready=true]');
  // The index comes after the alert stream, never before it.
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/api/places.json')), undefined, { timeout: 20_000 });
  const stream = requests.indexOf('/api/alerts/stream');
  assert.ok(stream >= 0 && requests.indexOf('/api/places.json') > stream, `requests in order: ${requests.join(' ')}`);

  // The combobox is named and says it is collapsed.
  const input = page.locator('#addr-input');
  assert.equal(await input.getAttribute('role'), 'combobox');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('label[for=addr-input]').textContent(), 'Search for an address or place');

  await page.focus('#addr-input');
  await page.keyboard.type('nørre');
  assert.ok((await optionLabels(page)).includes('Nørrebrogade'));
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  assert.deepEqual(await axe(page).then((v) => v.map((x) => `${x.id}: ${x.help}`)), []);
  await page.fill('#addr-input', '');
  await page.keyboard.type('Norrebro');
  const labels = await optionLabels(page);
  const index = labels.indexOf('Nørrebrogade');
  assert.ok(index >= 0, `Norrebro offers ${labels.join(', ')}`);
  for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
  const active = await input.getAttribute('aria-activedescendant');
  assert.equal(await page.locator(`#${active} .addr-name`).textContent(), 'Nørrebrogade');
  await page.keyboard.press('Enter');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');

  await page.waitForSelector('#panel .results .result');
  assert.equal(await page.textContent('#panel .searched-from'), 'Searched from Nørrebrogade');
  assert.match(await page.textContent('.from-marker:not(.here-marker)') ?? '', /Searched from Nørrebrogade/, 'a marker says where the search started (the "you are here" marker is a .from-marker too)');
  const from = JSON.parse((await page.evaluate(() => localStorage.getItem('refuge.position')))!) as [number, number];
  const doc = (await places()).doc!;
  const street = doc.streets.find(([name]) => name === 'Nørrebrogade')![2];
  const onStreet = [] as Array<[number, number]>;
  for (let i = 0; i < street.length; i += 2) onStreet.push([street[i], street[i + 1]]);
  assert.ok(onStreet.some(([x, y]) => x === from[0] && y === from[1]), `searched from a point of Nørrebrogade: ${from}`);
  const centre = await page.evaluate(() => { const c = (window as unknown as { refugeMap: { map: { getCenter(): { lng: number; lat: number } } } }).refugeMap.map.getCenter(); return [c.lng, c.lat]; });
  assert.ok(Math.abs(centre[0] - from[0]) < 0.02 && Math.abs(centre[1] - from[1]) < 0.02, `the map shows the place: centre ${centre}, place ${from}`);
  assert.equal(await page.getAttribute('#panel .results .result:first-child', 'data-id'), await serverNearest(from), 'the same nearest shelter as the server from there');
  assert.deepEqual(await axe(page).then((v) => describeViolations(v)), '');

  // Escape closes the list, a second Escape clears the box.
  await page.focus('#addr-input');
  await page.fill('#addr-input', 'damagervej 3a');
  await optionLabels(page);
  await page.keyboard.press('Escape');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  await page.keyboard.press('Escape');
  assert.equal(await input.inputValue(), '');
});

test('a phone without WebGL: a registry address with its house number is found and tapped; the list says the way from there', async (t) => {
  if (skipWithoutChromium(t)) return;
  // A touch screen the size of a small phone (the harness's browser has no touch).
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...NO_WEBGL] });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(app.url + '/?nosw');
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.evaluate(() => document.body.classList.contains('no-map')), true);
  const shelter = app.server.ctx.registry.query({}).items.find((s) => s.name === 'Damagervej 3A, 2450 København SV')!;
  await page.tap('#addr-input');
  await page.keyboard.type('Damagervej 3A');
  const options = await optionLabels(page);
  assert.equal(options[0], 'Damagervej 3A, 2450 København SV', `the house first: ${options.join(' | ')}`);
  assert.ok(!options.some((o) => /Damagervej (?!3A)\d/.test(o)), 'other houses are not offered');
  const box = await page.locator('#addr-list [role=option]').first().boundingBox();
  assert.ok(box && box.height >= 44 && box.width <= 360, 'a finger-sized option on the screen');
  await page.locator('#addr-list [role=option]').first().tap();
  await page.waitForSelector('#panel .results .result');
  assert.equal(await page.textContent('#panel .searched-from'), 'Searched from Damagervej 3A, 2450 København SV');
  assert.equal(await page.getAttribute('#panel .results .result:first-child', 'data-id'), shelter.id, 'the shelter at that address is the nearest');
  const from = JSON.parse((await page.evaluate(() => localStorage.getItem('refuge.position')))!) as [number, number];
  assert.ok(Math.abs(from[0] - shelter.lon) < 1e-4 && Math.abs(from[1] - shelter.lat) < 1e-4);
  assert.equal(await page.locator('#panel .route-text').count(), 1, 'without a map the way is said in words');
  const violations = await axe(page);
  assert.deepEqual(violations, [], describeViolations(violations));
});

test('offline after one visit: the box still finds Nørrebrogade and the nearest shelter from it', async (t) => {
  if (skipWithoutChromium(t)) return;
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.reload();
  await page.waitForSelector('body[data-ready=true]');
  // The index was fetched through the service worker (idle time after the alert stream connected) and kept.
  await page.waitForFunction(async () => Boolean(await (await caches.open('refuge-data-v1')).match('/api/places.json')), undefined, { timeout: 20_000, polling: 250 });
  await browser.context.setOffline(true);
  try {
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    await page.focus('#addr-input');
    await page.keyboard.type('nørrebrogade');
    assert.equal((await optionLabels(page))[0], 'Nørrebrogade');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#panel .results .result');
    assert.match((await page.textContent('.mode')) ?? '', /Offline estimate along cached streets/);
    assert.equal(await page.textContent('#panel .searched-from'), 'Searched from Nørrebrogade');
  } finally {
    await browser.context.setOffline(false);
  }
});

test('never visited: offline the box says the list of places comes with one visit online', async (t) => {
  if (skipWithoutChromium(t)) return;
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  let asked = 0;
  await page.route('**/api/places.json', (route) => { asked++; return route.abort('internetdisconnected'); });
  await page.goto(app.url + '/?nosw');
  await page.waitForSelector('body[data-ready=true]');
  await page.focus('#addr-input');
  await page.keyboard.type('nørre');
  await page.waitForSelector('#addr-status:text("one visit online")');
  assert.equal(await page.getAttribute('#addr-input', 'aria-expanded'), 'false');
  // More typing right away does not hammer the network: the next try waits a while.
  await page.keyboard.type('brogade');
  await page.waitForSelector('#addr-status:text("one visit online")');
  assert.ok(asked >= 1 && asked <= 3, `asked for the index ${asked} times`);
});

/** Vesterbrogade 12 as the place index has it. */
async function vesterbrogade12(): Promise<[number, number]> {
  const vb = entriesOf((await places()).doc!).find((e) => e.kind === 'street' && e.label === 'Vesterbrogade')!;
  return vb.houses!.find((h) => h.number === '12')!.at;
}

test('offline, a phone without WebGL: "12 vesterbrogade" finds the house; the list says the way from its door', async (t) => {
  if (skipWithoutChromium(t)) return;
  const at = await vesterbrogade12();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...NO_WEBGL] });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, locale: 'en-GB', serviceWorkers: 'allow' });
  const page = await context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
  await page.reload();
  await page.waitForSelector('body[data-ready=true]');
  await page.waitForFunction(async () => Boolean(await (await caches.open('refuge-data-v1')).match('/api/places.json')), undefined, { timeout: 20_000, polling: 250 });
  await context.setOffline(true);
  try {
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    assert.equal(await page.evaluate(() => document.body.classList.contains('no-map')), true);
    await page.tap('#addr-input');
    await page.keyboard.type('12 vesterbrogade');
    const options = await optionLabels(page);
    assert.ok(options.slice(0, 2).includes('Vesterbrogade 12'), `the house among the first: ${options.join(' | ')}`);
    const option = page.locator('#addr-list [role=option][data-kind=address]').filter({ has: page.locator('.addr-name', { hasText: /^Vesterbrogade 12$/ }) });
    assert.equal(await option.locator('.addr-detail').textContent(), '1620 København V');
    await option.first().tap();
    await page.waitForSelector('#panel .results .result');
    assert.equal(await page.textContent('#panel .searched-from'), 'Searched from Vesterbrogade 12, 1620 København V');
    const from = JSON.parse((await page.evaluate(() => localStorage.getItem('refuge.position')))!) as [number, number];
    assert.deepEqual(from, at, 'searched from the house');
    assert.match((await page.textContent('.mode')) ?? '', /Offline estimate along cached streets/);
    assert.equal(await page.locator('#panel .route-text').count(), 1, 'without a map the way is said in words');
    const violations = await axe(page);
    assert.deepEqual(violations, [], describeViolations(violations));
  } finally {
    await context.setOffline(false);
  }
});

test('with the map: "vesterbrogade 1" offers houses as it is typed; a house chosen moves the map to it', async (t) => {
  if (skipWithoutChromium(t)) return;
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  await page.goto(app.url + '/?nosw');
  await page.waitForSelector('body[data-ready=true]');
  await page.focus('#addr-input');
  await page.keyboard.type('vesterbrogade 1');
  const typing = await optionLabels(page);
  assert.ok(typing.includes('Vesterbrogade 1A') && typing.some((o) => /^Vesterbrogade 1\d/.test(o)), `while typing: ${typing.join(' | ')}`);
  await page.keyboard.type('2');
  await page.waitForFunction(() => [...document.querySelectorAll('#addr-list .addr-name')].some((e) => e.textContent === 'Vesterbrogade 12'));
  const labels = await optionLabels(page);
  const index = labels.indexOf('Vesterbrogade 12');
  for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#panel .results .result');
  assert.equal(await page.textContent('#panel .searched-from'), 'Searched from Vesterbrogade 12, 1620 København V');
  const at = await vesterbrogade12();
  const centre = await page.evaluate(() => { const c = (window as unknown as { refugeMap: { map: { getCenter(): { lng: number; lat: number } } } }).refugeMap.map.getCenter(); return [c.lng, c.lat]; });
  assert.ok(Math.abs(centre[0] - at[0]) < 0.002 && Math.abs(centre[1] - at[1]) < 0.002, `the map shows the house: centre ${centre}, house ${at}`);
  assert.equal(await page.getAttribute('#panel .results .result:first-child', 'data-id'), await serverNearest(at), 'the same nearest shelter as the server from the house');
});
