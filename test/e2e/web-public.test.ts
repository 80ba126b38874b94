// The public map end to end: shelters drawn, Find shelter with a route, reports, offline after reload, accessibility.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, axe, describeViolations, type App, type Browser } from './harness.ts';

const HERE = { latitude: 55.6761, longitude: 12.5683 }; // Copenhagen, Rådhuspladsen

let app: App;
let browser: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp();
  browser = await launchBrowser({ geolocation: HERE });
});

after(async () => {
  await browser?.close();
  await app?.close();
});

test('the map loads with the shelters coloured by status, filters and attribution', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  const total = app.server.ctx.registry.all().length;
  assert.ok(total > 100);
  assert.equal(await page.textContent('#f-count'), `${total.toLocaleString('en')} shelters shown`);
  const rendered = await page.evaluate(() => (window as unknown as { refugeMap: { map: { querySourceFeatures: (s: string) => unknown[] } } }).refugeMap.map.querySourceFeatures('shelters').length);
  assert.ok(rendered > 0, 'shelter points are on the map');
  const attribution = await page.textContent('.maplibregl-ctrl-attrib');
  assert.match(attribution ?? '', /OpenStreetMap/);
  assert.match(attribution ?? '', /BBR \(Danish public data\)/, 'each registry is credited as its source says');
  await page.click('#filters summary');
  await page.check('#f-open');
  const openCount = app.server.ctx.registry.all().filter((s) => s.status === 'open').length;
  assert.equal(await page.textContent('#f-count'), `${openCount.toLocaleString('en')} shelters shown`);
  const violations = await axe(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  await page.close();
});

test('Find shelter from the device position lists the nearest shelters with walking times and draws the route', async (t) => {
  if (skipWithoutChromium(t)) return;
  if (!app.server.app.hasRoute({ method: 'GET', url: '/api/nearest' })) return t.skip('GET /api/nearest is not registered by the network capability in this build');
  const page = await browser.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  await page.click('#find');
  await page.waitForSelector('.results .result');
  const items = await page.$$eval('.results .result', (els) => els.map((e) => ({ id: e.getAttribute('data-id'), walk: e.querySelector('.walk')?.textContent ?? '' })));
  assert.ok(items.length >= 1 && items.length <= 3);
  for (const i of items) assert.match(i.walk, /\d+ min \d+ s on foot/);
  // The first listed is the one the server says is nearest.
  const nearest = await (await fetch(`${app.url}/api/nearest?lat=${HERE.latitude}&lon=${HERE.longitude}&k=3`)).json() as { results: Array<{ id: string }> };
  assert.equal(items[0].id, nearest.results[0].id);
  const routes = await page.getAttribute('#map', 'data-routes');
  assert.equal(Number(routes), items.length, 'one line per result is drawn');
  const violations = await axe(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  // Choosing an alternative makes it the highlighted route.
  if (items.length > 1) {
    await page.click('.results .result:nth-child(2) .result-main');
    assert.equal(await page.getAttribute('.results .result:nth-child(2) .result-main', 'aria-pressed'), 'true');
  }
  await page.close();
});

test('offline: with the network cut, a reload still shows the map and finds a shelter along cached streets', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  // The service worker has installed and controls the page; the data it needs has been fetched through it.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.reload();
  await page.waitForSelector('body[data-ready=true]');
  assert.ok(await page.evaluate(() => caches.has('refuge-data-v1')));
  await browser.context.setOffline(true);
  try {
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    assert.match((await page.textContent('#freshness')) ?? '', /Offline: data last refreshed/);
    // Offline the page says live alerts cannot arrive, and never also "Receiving alerts for your position".
    await page.waitForSelector('#live:not([hidden])');
    assert.notEqual(await page.getAttribute('#watch', 'hidden'), null, '"Receiving alerts" shown while offline');
    const total = app.server.ctx.registry.all().length;
    assert.equal(await page.textContent('#f-count'), `${total.toLocaleString('en')} shelters shown`);
    await page.click('#find');
    await page.waitForSelector('.results .result');
    assert.match((await page.textContent('.mode')) ?? '', /Offline estimate along cached streets/);
    assert.equal(Number(await page.getAttribute('#map', 'data-routes')), await page.locator('.results .result').count());
    // The offline answer's nearest is the server's nearest (same streets, same shelters).
    await browser.context.setOffline(false);
    const online = await (await fetch(`${app.url}/api/nearest?lat=${HERE.latitude}&lon=${HERE.longitude}&k=1`)).json() as { results: Array<{ id: string }> };
    assert.equal(await page.getAttribute('.results .result:first-child', 'data-id'), online.results[0].id);
  } finally {
    await browser.context.setOffline(false);
    await page.close();
  }
});

test('a resident report from the details card reaches the operators queue', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  // Tap a shelter on the map: the one drawn nearest the middle of the view.
  const hit = await page.evaluate(() => {
    const m = (window as unknown as { refugeMap: { map: { queryRenderedFeatures: (o: unknown) => Array<{ properties: { id: string }; geometry: { coordinates: [number, number] } }>; project: (c: [number, number]) => { x: number; y: number } } } }).refugeMap.map;
    const c = (document.getElementById('map') as HTMLElement).getBoundingClientRect();
    const all = m.queryRenderedFeatures({ layers: ['shelters'] }).map((f) => ({ id: f.properties.id, ...m.project(f.geometry.coordinates) }));
    all.sort((a, b) => Math.hypot(a.x - c.width / 2, a.y - c.height / 2) - Math.hypot(b.x - c.width / 2, b.y - c.height / 2));
    return all[0];
  });
  const box = (await page.locator('#map').boundingBox())!;
  await page.mouse.click(box.x + hit.x, box.y + hit.y);
  await page.waitForSelector('.card');
  // Dots can overlap: the card says which shelter the tap opened (usually `hit`, sometimes a neighbour under it).
  const id = (await page.getAttribute('.card', 'data-id'))!;
  assert.ok(id === hit.id || app.server.ctx.registry.get(id), `the card is about a shelter of the registry (${id})`);
  await page.click('fieldset.report button:has-text("It is locked")');
  await page.waitForSelector('.report-status:has-text("Thank you")');
  const queue = (await app.server.ctx.reports!.queue()).find((q) => q.shelterId === id);
  assert.equal(queue?.counts.locked, 1);
  const violations = await axe(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  await page.close();
});
