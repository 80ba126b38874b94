// Issue 14's map journeys on a phone in Hebrew and Arabic (and English where the older tests did not cover the
// state): the map opening on the registry (Jerusalem's) with location denied, or where the resident is with a
// "you are here" marker; the compact credits; offline, the cached map and streets and the page saying live alerts
// cannot arrive (never "Receiving alerts"); the map by keyboard; and, without WebGL, the list of shelters by walking
// time with the way in words. Each state: the page's language and direction, its strings translated (compared with
// the dictionaries), nothing off the phone's screen, and axe-core finding nothing serious.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { importShelters } from '../../src/registry/import/index.ts';
import { SHARED } from '../helpers.ts';
import { skipWithoutChromium, startApp, seedRegions, launchBrowser, chromiumAvailable, noSeriousViolations, type App } from './harness.ts';
import enDict from '../../web/src/i18n/en.ts';
import heDict from '../../web/src/i18n/he.ts';
import arDict from '../../web/src/i18n/ar.ts';

const PHONE = { width: 390, height: 844 };
const NO_WEBGL = ['--disable-webgl', '--disable-3d-apis'];
const HERE = { latitude: 55.6761, longitude: 12.5683 }; // Copenhagen, Rådhuspladsen (the demo's streets)
type Lang = 'en' | 'he' | 'ar';
const LOCALE: Record<Lang, string> = { en: 'en-GB', he: 'he-IL', ar: 'ar-EG' };
const DICT: Record<Lang, Record<string, string>> = { en: enDict, he: heDict, ar: arDict };

/** A string as the page's t() writes it: the dictionary's text, numbers in the language's digits. */
function tr(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  const text = DICT[lang][key];
  assert.ok(text, `${lang} has ${key}`);
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    return v === undefined ? `{${name}}` : typeof v === 'number' ? new Intl.NumberFormat(lang).format(v) : v;
  });
}

/** A dictionary text as a pattern, any value standing for each placeholder. */
function pattern(lang: Lang, key: string): RegExp {
  const parts = DICT[lang][key].split(/\{\w+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('(.+?)')}$`);
}

/** Arabic-Indic digits (and separators) as ASCII, to read numbers an Arabic page writes. */
function asciiDigits(s: string): string {
  return s.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u066C/g, ',').replace(/\u066B/g, '.');
}

let app: App; // Copenhagen: the demo shelters and streets, the test regions
let jerusalem: App; // Jerusalem's shelters only (no start view configured)

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(seedRegions);
  jerusalem = await startApp(async (server) => {
    const file = join(SHARED, 'jerusalem-shelters', 'shelters.geojson');
    await importShelters(server.ctx.registry, readFileSync(file), 'shelters.geojson', { source: 'jerusalem', attribution: 'Jerusalem Municipality', licence: null, actor: 'e2e' });
  }, { shelters: false });
});

after(async () => {
  await app?.close();
  await jerusalem?.close();
});

async function open(page: Page, base: string, lang: Lang, query = ''): Promise<void> {
  await page.goto(`${base}/?lang=${lang}${query}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  assert.equal(await page.getAttribute('html', 'dir'), lang === 'en' ? 'ltr' : 'rtl');
}

/**
 * In the page: every visible element with text of its own, or that can be used, that lies (partly) outside the
 * screen. The public page does not scroll (body overflow hidden), so outside the screen is out of reach; inside a
 * scrolling box (the results panel) only the sideways direction counts. A string, not a function: the test's compiler
 * would add helpers the page does not have.
 */
const OFF_SCREEN = `(() => {
  const W = innerWidth, H = innerHeight, out = [];
  for (const el of document.body.querySelectorAll('*')) {
    // Markers lie on the map's points and are cut off at its edge like the map itself (.here-marker is checked apart).
    if (el.closest('.maplibregl-canvas-container > canvas, .maplibregl-marker, .sr-only, svg')) continue;
    if (el.matches('.skip:not(:focus)')) continue;
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) || el.matches('button, a[href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])');
    if (!own) continue;
    let sx = false, sy = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (/auto|scroll/.test(s.overflowX)) sx = true;
      if (/auto|scroll/.test(s.overflowY)) sy = true;
    }
    if ((!sx && (r.left < -1 || r.right > W + 1)) || (!sy && (r.top < -1 || r.bottom > H + 1))) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' at ' + [r.left, r.top, r.right, r.bottom].map(Math.round).join(',') + ': ' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40));
    }
  }
  return out;
})()`;

async function nothingOffScreen(page: Page, where: string): Promise<void> {
  const off = await page.evaluate(OFF_SCREEN) as string[];
  assert.deepEqual(off, [], `${where}: off the phone's screen:\n${off.join('\n')}`);
}

async function centre(page: Page): Promise<[number, number]> {
  return page.evaluate(() => {
    const c = (window as unknown as { refugeMap: { map: { getCenter(): { lng: number; lat: number } } } }).refugeMap.map.getCenter();
    return [c.lng, c.lat] as [number, number];
  });
}

function metres(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const s = Math.sin(((b[1] - a[1]) * rad) / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(((b[0] - a[0]) * rad) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(s));
}

/** The map's own controls (zoom, credits) are named in the page's language, not MapLibre's English. */
async function controlsTranslated(page: Page, lang: Lang): Promise<void> {
  const names = await page.$$eval('.maplibregl-ctrl button, .maplibregl-ctrl-attrib-button', (els) => els.map((e) => [e.className, e.getAttribute('aria-label') ?? '', e.getAttribute('title') ?? '']));
  assert.ok(names.length >= 3, `zoom in, zoom out and the credits button: ${JSON.stringify(names)}`);
  for (const [cls, label, title] of names) {
    assert.ok(label, `${cls} has a name`);
    if (lang !== 'en') {
      assert.ok(!/^(Zoom in|Zoom out|Toggle attribution|Map)$/.test(label), `${lang}: ${cls} is named "${label}" in English`);
      if (title) assert.ok(!/^(Zoom in|Zoom out|Toggle attribution)$/.test(title), `${lang}: ${cls} is titled "${title}" in English`);
    }
  }
  if (lang !== 'en') assert.notEqual(await page.getAttribute('.maplibregl-canvas', 'aria-label'), 'Map', `${lang}: the map's canvas is named in English`);
}

for (const lang of ['en', 'he', 'ar'] as const) {
  test(`${lang} phone, location denied: the map opens on the registry (Jerusalem's), its credits a compact button that opens on screen`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const browser = await launchBrowser({ viewport: PHONE, locale: LOCALE[lang] }); // no location shared
    t.after(() => browser.close());
    const page = await browser.context.newPage();
    await open(page, jerusalem.url, lang, '&nosw');
    // The registry's extent is applied once /config.json and the shelters are in: wait for the map to go there.
    await page.waitForFunction(() => {
      const c = (window as unknown as { refugeMap?: { map: { getCenter(): { lat: number } } } }).refugeMap?.map.getCenter();
      return !!c && c.lat < 40;
    }, undefined, { timeout: 30_000 }).catch(() => undefined);
    const [lon, lat] = await centre(page);
    assert.ok(lat > 31.6 && lat < 32 && lon > 35 && lon < 35.4, `the map opens on Jerusalem's shelters, not Copenhagen (centre ${lon}, ${lat})`);
    assert.equal(await page.textContent('#watch'), tr(lang, 'alert.notWatching'), 'no position: asked to share one, in the page\'s language');
    assert.equal(await page.locator('.here-marker').count(), 0, 'no "you are here" without a position');
    const total = jerusalem.server.ctx.registry.all().length;
    assert.equal(await page.textContent('#f-count'), tr(lang, 'filters.count', { count: total }));
    assert.equal(await page.textContent('#find'), tr(lang, 'find.button'));
    // Compact credits: a button, folded; opened, every credit is on the phone's screen.
    assert.equal(await page.locator('.maplibregl-ctrl-attrib.maplibregl-compact').count(), 1, 'compact credits on a phone');
    assert.equal(await page.locator('.maplibregl-ctrl-attrib.maplibregl-compact-show').count(), 0, 'folded at first');
    await controlsTranslated(page, lang);
    await nothingOffScreen(page, `${lang} map on the registry`);
    await noSeriousViolations(page, `${lang} map on the registry`);
    await page.click('.maplibregl-ctrl-attrib-button');
    await page.waitForSelector('.maplibregl-ctrl-attrib.maplibregl-compact-show');
    const credits = (await page.textContent('.maplibregl-ctrl-attrib-inner')) ?? '';
    assert.ok(credits.includes(tr(lang, 'map.attribution.streets')), `the streets are credited in the page's language: ${credits}`);
    assert.match(credits, /Jerusalem Municipality/, 'the registry is credited as its source says');
    const box = (await page.locator('.maplibregl-ctrl-attrib').boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width && box.y + box.height <= PHONE.height, `the opened credits are on screen: ${JSON.stringify(box)}`);
    await nothingOffScreen(page, `${lang} credits opened`);
    await noSeriousViolations(page, `${lang} credits opened`);
  });
}

/** The "you are here" marker: named and labelled in the page's language, just above the resident's point, on screen. */
async function hereMarker(page: Page, lang: Lang, at: [number, number]): Promise<void> {
  const marker = page.locator('.here-marker');
  await marker.waitFor({ timeout: 15_000 });
  assert.equal(await marker.count(), 1);
  assert.equal(await marker.getAttribute('aria-label'), tr(lang, 'map.here'));
  assert.equal((await marker.textContent())?.trim(), tr(lang, 'map.here'), 'the marker says so on the map');
  const box = (await marker.boundingBox())!;
  const mapBox = (await page.locator('#map').boundingBox())!;
  const p = await page.evaluate((c) => (window as unknown as { refugeMap: { map: { project(c: [number, number]): { x: number; y: number } } } }).refugeMap.map.project(c), at);
  const x = mapBox.x + p.x, y = mapBox.y + p.y;
  assert.ok(Math.abs(box.x + box.width / 2 - x) < 4 && box.y + box.height <= y + 1 && y - (box.y + box.height) < 30, `the marker ${JSON.stringify(box)} is just above the resident's point ${x},${y}`);
  assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width && box.y >= 0 && box.y + box.height <= PHONE.height, `the marker is on screen: ${JSON.stringify(box)}`);
}

const HERE_LONLAT: [number, number] = [HERE.longitude, HERE.latitude];

for (const lang of ['en', 'he', 'ar'] as const) {
  test(`${lang} phone, a returning resident (location not shared now): the map opens on their last point, marked "you are here"`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const browser = await launchBrowser({ viewport: PHONE, locale: LOCALE[lang] });
    t.after(() => browser.close());
    const page = await browser.context.newPage();
    await open(page, app.url, lang, '&nosw');
    assert.equal(await page.locator('.here-marker').count(), 0, 'no "you are here" on a first visit without a position');
    // The point searched from on an earlier visit (kept on the device by the page itself: refuge.position).
    await page.evaluate((at) => localStorage.setItem('refuge.position', JSON.stringify(at)), HERE_LONLAT);
    await open(page, app.url, lang, '&nosw');
    const at = await centre(page);
    assert.ok(metres(at, HERE_LONLAT) < 50, `the map opens on the resident's point, not on the registry (${at})`);
    await hereMarker(page, lang, HERE_LONLAT);
    assert.equal(await page.textContent('#watch'), tr(lang, 'alert.watching'), 'alerts are received for that point');
    await controlsTranslated(page, lang);
    await nothingOffScreen(page, `${lang} map on the resident's point`);
    await noSeriousViolations(page, `${lang} map on the resident's point`);
    // Location allowed now: after a search from the device's position, one marker, the resident's.
    await browser.context.grantPermissions(['geolocation']);
    await browser.context.setGeolocation(HERE);
    await page.click('#find');
    await page.waitForSelector('#panel .results .result', { timeout: 30_000 });
    await page.waitForSelector('#map[data-routes]:not([data-routes="0"])');
    assert.equal(await page.locator('.here-marker').count(), 1);
    await noSeriousViolations(page, `${lang} results with the marker`);
  });
}

for (const lang of ['en', 'he', 'ar'] as const) {
  test(`${lang} phone, location allowed on a first visit: the map opens where the resident is, with a "you are here" marker`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const browser = await launchBrowser({ viewport: PHONE, locale: LOCALE[lang], geolocation: HERE });
    t.after(() => browser.close());
    const page = await browser.context.newPage();
    await open(page, app.url, lang, '&nosw');
    await hereMarker(page, lang, HERE_LONLAT);
    const at = await centre(page);
    assert.ok(metres(at, HERE_LONLAT) < 100, `the map is centred on the resident (${at})`);
    assert.equal(await page.textContent('#watch'), tr(lang, 'alert.watching'));
    await nothingOffScreen(page, `${lang} map where the resident is`);
    await noSeriousViolations(page, `${lang} map where the resident is`);
  });
}

for (const lang of ['he', 'ar'] as const) {
  test(`${lang} phone offline: the cached map and streets, Find shelter along them, and "live alerts cannot arrive" (never "Receiving alerts")`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const browser = await launchBrowser({ viewport: PHONE, locale: LOCALE[lang], geolocation: HERE });
    t.after(() => browser.close());
    const page = await browser.context.newPage();
    await open(page, app.url, lang);
    // Online, with the position: alerts are received for it.
    await page.waitForFunction((text) => document.getElementById('watch')?.textContent === text, tr(lang, 'alert.watching'));
    // The service worker has installed and controls the page; the data it needs has been fetched through it.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    await page.reload();
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    assert.ok(await page.evaluate(() => caches.has('refuge-data-v1')));
    await browser.context.setOffline(true); // the browser is closed after the test; its offline state goes with it
    await page.reload();
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.waitForSelector('#live:not([hidden])');
    assert.equal(await page.textContent('#live'), tr(lang, 'board.liveLost'));
    assert.equal(await page.isVisible('#watch'), false, '"Receiving alerts" is not shown while offline');
    assert.ok(!(await page.locator('body').innerText()).includes(tr(lang, 'alert.watching')), 'nowhere on the page');
    assert.match((await page.textContent('#freshness')) ?? '', pattern(lang, 'fresh.cached'));
    // The cached map: the shelters and the street lines are drawn from the service worker's copies.
    const total = app.server.ctx.registry.all().length;
    assert.equal(await page.textContent('#f-count'), tr(lang, 'filters.count', { count: total }));
    const drawn = await page.evaluate(() => {
      const m = (window as unknown as { refugeMap: { map: { querySourceFeatures(s: string): unknown[] } } }).refugeMap.map;
      return { shelters: m.querySourceFeatures('shelters').length, streets: m.querySourceFeatures('streets').length };
    });
    assert.ok(drawn.shelters > 0 && drawn.streets > 0, `shelters and streets drawn offline: ${JSON.stringify(drawn)}`);
    await nothingOffScreen(page, `${lang} offline`);
    await noSeriousViolations(page, `${lang} offline`);
    // Find shelter along the cached streets.
    await page.click('#find');
    await page.waitForSelector('#panel .results .result', { timeout: 30_000 });
    assert.equal((await page.textContent('#panel .mode'))?.trim(), tr(lang, 'find.mode.offline'));
    assert.equal(Number(await page.getAttribute('#map', 'data-routes')), await page.locator('#panel .results .result').count(), 'a line per result');
    const walk = (await page.textContent('#panel .result.selected .walk')) ?? '';
    assert.match(walk, pattern(lang, 'find.walk'), `the walking time in the page's language: ${walk}`);
    assert.equal(await page.isVisible('#live'), true, 'still says live alerts cannot arrive');
    await nothingOffScreen(page, `${lang} offline results`);
    await noSeriousViolations(page, `${lang} offline results`);
  });
}

/** Tabs through the page (as a keyboard user does) until the map has focus. */
async function tabToMap(page: Page): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.classList.contains('maplibregl-canvas'))) return;
  }
  throw new Error('the map cannot be reached with Tab');
}

for (const lang of ['he', 'ar'] as const) {
  test(`${lang} phone: the map by keyboard, N and P announced in the page's language, Enter opens the card, a point chosen with the arrows`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const browser = await launchBrowser({ viewport: PHONE, locale: LOCALE[lang] });
    t.after(() => browser.close());
    const page = await browser.context.newPage();
    await open(page, app.url, lang, '&nosw');
    // One known view (central Copenhagen, zoom 14): the map itself opens on the whole registry.
    await page.evaluate(async () => {
      const m = (window as unknown as { refugeMap: { ready: Promise<void>; map: { jumpTo(o: unknown): void } } }).refugeMap;
      await m.ready;
      await new Promise((r) => setTimeout(r, 100));
      m.map.jumpTo({ center: [12.5683, 55.6761], zoom: 14 });
    });
    await tabToMap(page);
    assert.equal(await page.isVisible('#map-keys'), true, 'keyboard focus shows the keys');
    assert.equal(await page.textContent('#map-keys .map-keys-text'), tr(lang, 'map.keys.hint'));
    await nothingOffScreen(page, `${lang} map keys`);
    await noSeriousViolations(page, `${lang} map keys`);

    const line = page.locator('.map-keys-line');
    await page.keyboard.press('n');
    const current = pattern(lang, 'map.keys.current');
    await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('.map-keys-line')?.textContent ?? ''), current.source, { timeout: 15_000 });
    const first = (await line.textContent())!;
    const m1 = current.exec(first)!;
    // name, status, metres, index, count
    const [name, status, distance, index, count] = m1.slice(1).map(asciiDigits);
    const shelter = app.server.ctx.registry.all().find((s) => s.name === name);
    assert.ok(shelter, `the shelter announced is in the registry: ${name}`);
    assert.equal(status, tr(lang, `status.${shelter.status}`), 'its status in the page\'s language');
    assert.equal(index, '1');
    assert.ok(Number(count) > 1);
    const c = await centre(page);
    assert.equal(Number(distance.replace(/\D/g, '')), Math.round(metres(c, [shelter.lon, shelter.lat])), 'the distance from the centre');
    await page.keyboard.press('n');
    await page.waitForFunction(([re, two]) => { const m = new RegExp(re).exec(document.querySelector('.map-keys-line')?.textContent ?? ''); return !!m && m[4] === two; }, [current.source, new Intl.NumberFormat(lang).format(2)] as const);
    await page.keyboard.press('p');
    await page.waitForFunction((text) => document.querySelector('.map-keys-line')?.textContent === text, first);
    await nothingOffScreen(page, `${lang} map keys, a shelter announced`);
    await noSeriousViolations(page, `${lang} map keys, a shelter announced`);

    await page.keyboard.press('Enter');
    await page.waitForSelector('#panel:not([hidden]) .card');
    assert.ok(((await page.textContent('#panel')) ?? '').includes(shelter.name));
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'panel', 'focus moves to the card');
    await nothingOffScreen(page, `${lang} card from the keyboard`);
    await noSeriousViolations(page, `${lang} card from the keyboard`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#panel', { state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('maplibregl-canvas')), true, 'back on the map');

    // Choosing a point: the arrows move the map under the cross (east is east in a right-to-left page too).
    await page.focus('#pick');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.body.classList.contains('picking') && document.activeElement?.classList.contains('maplibregl-canvas'));
    assert.equal(await page.textContent('#map-keys .map-keys-text'), tr(lang, 'map.keys.pickHint'));
    assert.equal((await page.textContent('#panel .notice'))?.trim(), tr(lang, 'find.pickHint'));
    const before = await centre(page);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => !(window as unknown as { refugeMap: { map: { isMoving(): boolean } } }).refugeMap.map.isMoving());
    const moved = await centre(page);
    assert.ok(moved[0] > before[0], 'ArrowRight moved the view east');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#panel .results .result', { timeout: 30_000 });
    const origin = JSON.parse((await page.evaluate(() => localStorage.getItem('refuge.position')))!) as [number, number];
    assert.ok(metres(origin, moved) < 1, 'searched from the centre');
    assert.equal((await page.textContent('#panel .mode'))?.trim(), tr(lang, 'find.mode.network'));
    await nothingOffScreen(page, `${lang} results from a point chosen by keyboard`);
    await noSeriousViolations(page, `${lang} results from a point chosen by keyboard`);
  });
}

for (const lang of ['he', 'ar'] as const) {
  test(`${lang} phone without WebGL: location denied, then allowed: the list of shelters by walking time with the way in words`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const browser = await launchBrowser({ viewport: PHONE, locale: LOCALE[lang], args: NO_WEBGL });
    t.after(() => browser.close());
    const page = await browser.context.newPage();
    await open(page, app.url, lang, '&nosw');
    assert.equal(await page.evaluate(() => document.body.classList.contains('no-map')), true, 'no WebGL: the list');
    assert.equal(await page.isVisible('#map'), false);
    assert.equal(await page.textContent('#nomap'), tr(lang, 'list.noMap'));
    assert.equal(await page.isVisible('#pick'), false, 'no point to choose on a map that is not there');
    await nothingOffScreen(page, `${lang} without a map`);
    await noSeriousViolations(page, `${lang} without a map`);
    // Location denied: said so, in the page's language.
    await page.click('#find');
    await page.waitForFunction((text) => document.querySelector('#panel .notice')?.textContent === text, tr(lang, 'list.noPosition'), { timeout: 15_000 });
    await nothingOffScreen(page, `${lang} without a map, no position`);
    await noSeriousViolations(page, `${lang} without a map, no position`);

    // Location allowed: the shelters by walking time, the way to the first in words.
    await browser.context.grantPermissions(['geolocation']);
    await browser.context.setGeolocation(HERE);
    await page.click('#find');
    await page.waitForSelector('#panel .results .result', { timeout: 30_000 });
    const nearest = await (await fetch(`${app.url}/api/nearest?lat=${HERE.latitude}&lon=${HERE.longitude}&k=3`)).json() as { results: Array<{ id: string; walkSeconds: number }> };
    const ids = await page.$$eval('#panel .results .result', (els) => els.map((e) => e.getAttribute('data-id')));
    assert.deepEqual(ids, nearest.results.map((r) => r.id), 'the server\'s nearest, in its order (by walking time)');
    const walks = await page.locator('#panel .results .result .walk').allTextContents();
    for (const w of walks) assert.match(w, pattern(lang, 'find.walk'));
    const name = app.server.ctx.registry.get(ids[0]!)!.name;
    assert.equal(await page.textContent('#panel .route-text h3'), tr(lang, 'route.title', { name }));
    const steps = await page.locator('#panel .route-text li').allTextContents();
    assert.ok(steps.length >= 1, 'the way is said in words');
    const directions = ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'].map((d) => tr(lang, `route.dir.${d}`));
    let total = 0;
    for (const [i, step] of steps.entries()) {
      const m = pattern(lang, i === 0 ? 'route.head' : 'route.then').exec(step);
      assert.ok(m, `step ${i + 1} in the page's language: ${step}`);
      assert.ok(directions.includes(m[1]), `a direction of the language: ${m[1]}`);
      assert.ok(!/[a-z]/i.test(step), `no English left in: ${step}`);
      total += Number(asciiDigits(m[2]).replace(/\D/g, ''));
    }
    const routeMetres = Number(asciiDigits((await page.textContent('#panel .result.selected .meters')) ?? '').replace(/\D/g, ''));
    assert.ok(Math.abs(total - routeMetres) <= Math.max(30, routeMetres * 0.1), `the legs (${total} m) add up to the route (${routeMetres} m)`);
    // Without a map the list is the page: the panel is not a small box to scroll inside (the phone rule that keeps
    // room for the route on a map once made it one), and its close button sits in it, not over the notice above.
    const box = await page.$eval('#panel', (el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
    assert.ok(box.scroll <= box.client + 1, `the list is whole, not scrolled inside a box (${box.scroll} > ${box.client})`);
    const [close, notice, panel] = await Promise.all(['#panel .close', '#nomap', '#panel'].map(async (sel) => (await page.locator(sel).boundingBox())!));
    const overlaps = (a: typeof close, b: typeof close) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    assert.ok(!overlaps(close, notice), 'the close button does not cover the "cannot draw the map" notice');
    assert.ok(close.y >= panel.y && close.y + close.height <= panel.y + panel.height, 'the close button is inside the panel');
    await nothingOffScreen(page, `${lang} list with the way in words`);
    await noSeriousViolations(page, `${lang} list with the way in words`);
  });
}
