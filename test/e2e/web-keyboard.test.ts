// The map itself by keyboard: N / P step through the shelters in view from the centre outwards, each announced,
// Enter opens the card; choosing a point works with the arrows and Enter on the centre cross.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startApp, launchBrowser, chromiumAvailable, axe, describeViolations, type App, type Browser } from './harness.ts';

let app: App;
let browser: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

const R = 6371008.8;
function metres(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const s = Math.sin(((b[1] - a[1]) * rad) / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(((b[0] - a[0]) * rad) / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(s));
}

/** Tabs through the page (as a keyboard user does) until the map has focus. */
async function tabToMap(page: Page): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.classList.contains('maplibregl-canvas'))) return;
  }
  throw new Error('the map cannot be reached with Tab');
}

/** The keys are handled asynchronously (the map may be redrawing): wait for the announcement. */
async function waitForLine(page: Page, part: string): Promise<void> {
  await page.waitForFunction((p) => (document.querySelector('.map-keys-line')?.textContent ?? '').includes(p), part);
}

/** Starts each test from one known view (central Copenhagen, zoom 13): the map itself opens on the whole registry. */
async function readyAtCentre(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready=true]');
  await page.evaluate(async () => {
    const m = (window as unknown as { refugeMap: { ready: Promise<void>; map: { jumpTo(o: unknown): void } } }).refugeMap;
    await m.ready;
    await new Promise((r) => setTimeout(r, 100)); // after the map's own opening move
    m.map.jumpTo({ center: [12.5683, 55.6761], zoom: 13 });
  });
}

async function view(page: Page): Promise<{ centre: [number, number]; bounds: [number, number, number, number] }> {
  return page.evaluate(() => {
    const m = (window as unknown as { refugeMap: { map: { getCenter(): { lng: number; lat: number }; getBounds(): { toArray(): number[][] } } } }).refugeMap.map;
    const c = m.getCenter();
    const b = m.getBounds().toArray();
    return { centre: [c.lng, c.lat] as [number, number], bounds: [b[0][0], b[0][1], b[1][0], b[1][1]] as [number, number, number, number] };
  });
}

test('N and P step through the shelters in view from the centre, announced; Enter opens the card', async (t) => {
  if (!chromiumAvailable()) return t.skip('Chromium is not installed at /usr/bin/chromium (.ci/run installs it with apt)');
  const page = await browser.context.newPage();
  await page.goto(app.url + '/?nosw');
  await readyAtCentre(page);
  await tabToMap(page);
  assert.equal(await page.isVisible('#map-keys'), true, 'keyboard focus shows the keys');
  assert.match(await page.textContent('#map-keys') ?? '', /N and P go to the next and previous shelter/);
  assert.equal(await page.isVisible('.map-cross'), true, 'the centre is marked');

  await page.keyboard.press('n');
  await waitForLine(page, '1 of');
  const first = await page.textContent('.map-keys-line');
  const m1 = /^(.+): (\w+), (\d+) m from the centre of the map\. 1 of (\d+)\. Press Enter for details\.$/.exec(first ?? '');
  assert.ok(m1, `announcement: ${first}`);
  // Independent check against the registry: the nearest shelter to the centre among those inside the view.
  const { centre, bounds } = await view(page);
  const inView = app.server.ctx.registry.all().filter((s) => !s.decommissionedAt && s.lon >= bounds[0] && s.lon <= bounds[2] && s.lat >= bounds[1] && s.lat <= bounds[3]);
  assert.ok(inView.length > 1);
  const nearest = inView.map((s) => ({ s, d: metres(centre, [s.lon, s.lat]) })).sort((a, b) => a.d - b.d)[0];
  assert.equal(Number(m1[3]), Math.round(nearest.d), 'the first shelter announced is the nearest to the centre');
  assert.equal(m1[1], nearest.s.name);
  assert.ok(Number(m1[4]) >= inView.length * 0.9 && Number(m1[4]) <= inView.length, `${m1[4]} counted of ${inView.length} in view`);

  await page.keyboard.press('n');
  await waitForLine(page, '2 of');
  const m2 = /(\d+) m from the centre of the map\. 2 of/.exec(await page.textContent('.map-keys-line') ?? '');
  assert.ok(m2, 'N goes on to the second');
  assert.ok(Number(m2[1]) >= Number(m1[3]), 'from the centre outwards');
  await page.keyboard.press('p');
  await waitForLine(page, '1 of');
  assert.equal(await page.textContent('.map-keys-line'), first, 'P goes back');
  const violations = await axe(page);
  assert.deepEqual(violations, [], describeViolations(violations));

  await page.keyboard.press('Enter');
  await page.waitForSelector('#panel:not([hidden]) .card, #panel:not([hidden]) dl');
  assert.match(await page.textContent('#panel') ?? '', new RegExp(nearest.s.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'panel', 'focus moves to the card');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#panel', { state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('maplibregl-canvas')), true, 'Escape closes the card and the keyboard is back on the map');
  await page.close();
});

test('with "Open now" on, the keyboard steps through open shelters only; none in view is said plainly', async (t) => {
  if (!chromiumAvailable()) return t.skip('Chromium is not installed at /usr/bin/chromium (.ci/run installs it with apt)');
  // The demo registry has no live status; open every other of the 20 shelters nearest the start view.
  const reg = app.server.ctx.registry;
  const near = reg.all().map((s) => ({ s, d: metres([12.5683, 55.6761], [s.lon, s.lat]) })).sort((a, b) => a.d - b.d).slice(0, 20);
  for (const [i, { s }] of near.entries()) if (i % 2 === 0) await reg.setStatus(s.id, 'open', 'e2e');
  const page = await browser.context.newPage();
  await page.goto(app.url + '/?nosw');
  await readyAtCentre(page);
  await page.click('#filters summary');
  await page.check('#f-open');
  await tabToMap(page);
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('n');
    await page.waitForFunction((n) => new RegExp(`${n} of \\d+`).test(document.querySelector('.map-keys-line')?.textContent ?? ''), i + 1);
    const line = await page.textContent('.map-keys-line') ?? '';
    assert.match(line, /: Open, \d+ m/);
    const name = line.slice(0, line.indexOf(': Open'));
    assert.ok(near.some(({ s }, j) => j % 2 === 0 && s.name === name), `${name} is one of the shelters set open`);
  }
  // Far out at sea, nothing is in view.
  await page.evaluate(() => (window as unknown as { refugeMap: { map: { jumpTo(o: unknown): void } } }).refugeMap.map.jumpTo({ center: [11.0, 55.0], zoom: 15 }));
  await page.waitForFunction(() => (window as unknown as { refugeMap: { map: { loaded(): boolean } } }).refugeMap.map.loaded());
  await page.keyboard.press('n');
  await waitForLine(page, 'No shelters');
  assert.equal(await page.textContent('.map-keys-line'), 'No shelters in view. Zoom out or move the map.');
  await page.close();
});

test('choosing a point by keyboard: the arrows move the map under the cross, Enter searches from there', async (t) => {
  if (!chromiumAvailable()) return t.skip('Chromium is not installed at /usr/bin/chromium (.ci/run installs it with apt)');
  if (!app.server.app.hasRoute({ method: 'GET', url: '/api/nearest' })) return t.skip('no street network in this build');
  const page = await browser.context.newPage();
  await page.goto(app.url + '/?nosw');
  await readyAtCentre(page);
  await page.focus('#pick');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.classList.contains('picking') && document.activeElement?.classList.contains('maplibregl-canvas'));
  assert.match(await page.textContent('#map-keys') ?? '', /Move the map so that the cross is where you are, then press Enter/);
  const before = (await view(page)).centre;
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => !(window as unknown as { refugeMap: { map: { isMoving(): boolean } } }).refugeMap.map.isMoving());
  const { centre } = await view(page);
  assert.ok(centre[0] > before[0], 'the arrows moved the map');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.results .result');
  const origin = JSON.parse(await page.evaluate(() => localStorage.getItem('refuge.position')) ?? 'null') as [number, number];
  assert.ok(metres(origin, centre) < 1, `searched from the centre (${origin} vs ${centre})`);
  assert.equal(await page.evaluate(() => document.body.classList.contains('picking')), false);
  await page.close();
});
