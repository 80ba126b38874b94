// The alert composer's region picker end to end on the demo regions (Copenhagen's postal districts inside the demo
// area, and Jerusalem): the search combobox (typed names, partial words, keyboard), a parent region absorbing its
// sub-regions, drawing an area on the map, the chips by keyboard, the map without a tile server; axe-core throughout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { noSeriousViolations, skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, signIn, ROOT, type App, type Browser } from './harness.ts';
import { parseRegionsGeoJson } from '../../src/geo/index.ts';
import { reloadRegions } from '../../src/server/capabilities/regions.ts';

const DEMO = parseRegionsGeoJson(readFileSync(join(ROOT, 'data', 'demo', 'demo-regions.geojson'), 'utf8'), {}, 'demo').regions;
const V = 'demo-copenhagen-koebenhavn-v';
const OE = 'demo-copenhagen-koebenhavn-oe';
const VALBY = 'demo-copenhagen-valby';
const CPH = 'demo-copenhagen';

let app: App;
let browser: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(async (server) => { await reloadRegions(server.ctx, 'demo', DEMO); }, { shelters: false });
  browser = await launchBrowser({ viewport: { width: 1280, height: 1000 } });
});

after(async () => {
  await browser?.close();
  await app?.close();
});

const chips = (page: Page) => page.$$eval('.region-picker .chips li[data-code]', (els) => els.map((e) => e.getAttribute('data-code')));
const capCodes = async (page: Page) => [...((await page.textContent('pre.cap')) ?? '').matchAll(/<value>([^<]+)<\/value>/g)].map((m) => m[1]).filter((c) => c.startsWith('demo-'));
const optionTexts = (page: Page) => page.$$eval('#c-region-list [role=option]', (els) => els.map((e) => e.textContent ?? ''));

async function openComposer(page: Page): Promise<void> {
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/compose/exercise`);
  // The map has loaded the regions and decided on its base map.
  await page.waitForSelector('.region-picker[data-basemap]');
}

test('search: "København V" as typed, partial words, the keyboard of an ARIA combobox, no match said', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await openComposer(page);
  // No tile server in the test configuration: the regions over a plain background, and the note says so.
  assert.equal(await page.getAttribute('.region-picker', 'data-basemap'), 'none');
  assert.equal(await page.isVisible('.rp-basemap-note'), true);
  assert.match((await page.textContent('.rp-basemap-note')) ?? '', /No base map/);

  const input = page.locator('#c-region');
  assert.equal(await input.getAttribute('role'), 'combobox');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  assert.equal(await input.getAttribute('aria-controls'), 'c-region-list');

  // The reported defect: the district's name as typed is accepted (before, only the suggestion's exact text was).
  await input.fill('København V');
  await page.waitForSelector('#c-region-list:not([hidden])');
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  assert.match((await optionTexts(page))[0], /^København V \(demo district\)/);
  const first = await page.getAttribute('#c-region-list [role=option]:first-child', 'id');
  assert.equal(await input.getAttribute('aria-activedescendant'), first);
  assert.equal(await page.getAttribute(`#${first}`, 'aria-selected'), 'true');
  await noSeriousViolations(page, 'composer with the region list open');
  await input.press('Enter');
  await page.waitForSelector(`.chips li[data-code="${V}"]`);
  assert.deepEqual(await chips(page), [V]);
  assert.deepEqual(await capCodes(page), [V]);
  assert.equal(await input.inputValue(), '');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  assert.match((await page.textContent('.rp-status')) ?? '', /København V \(demo district\) added/);

  // Partial words in any case and without the ø; arrows move the active option, Escape closes then clears.
  await input.pressSequentially('KOBENHAVN');
  await page.waitForSelector('#c-region-list:not([hidden])');
  const options = await optionTexts(page);
  assert.equal(options.length, 7, options.join(' | '));
  assert.ok(options.every((o) => o.startsWith('København')));
  const ids = await page.$$eval('#c-region-list [role=option]', (els) => els.map((e) => e.id));
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  assert.equal(await input.getAttribute('aria-activedescendant'), ids[2]);
  assert.equal(await page.$$eval('#c-region-list [aria-selected=true]', (els) => els.length), 1);
  await input.press('ArrowUp');
  assert.equal(await input.getAttribute('aria-activedescendant'), ids[1]);
  await input.press('Escape');
  assert.equal(await page.isHidden('#c-region-list'), true);
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  assert.equal(await input.getAttribute('aria-activedescendant'), null);
  assert.equal(await input.inputValue(), 'KOBENHAVN');
  await input.press('Escape');
  assert.equal(await input.inputValue(), '');

  // The option moved to with the arrows is the one the Add button adds (leaving the field keeps the choice).
  await input.pressSequentially('københavn n');
  await page.waitForSelector('#c-region-list:not([hidden])');
  const nCodes = await page.$$eval('#c-region-list [role=option]', (els) => els.map((e) => e.getAttribute('data-code')));
  assert.deepEqual(nCodes, ['demo-copenhagen-koebenhavn-n', 'demo-copenhagen-koebenhavn-nv']);
  await input.press('ArrowDown');
  await page.click('form:has(#c-region) button[type=submit]');
  await page.waitForSelector('.chips li[data-code="demo-copenhagen-koebenhavn-nv"]');
  assert.deepEqual(await chips(page), [V, 'demo-copenhagen-koebenhavn-nv']);

  // "kob o" picks København Ø only (word prefixes); the Add button adds the active option like Enter.
  await input.pressSequentially('kob o');
  await page.waitForSelector('#c-region-list:not([hidden])');
  assert.deepEqual((await optionTexts(page)).map((o) => o.replace(/\s+/g, ' ')), ['København Ø (demo district) (demo-copenhagen-koebenhavn-oe)']);
  await page.click('form:has(#c-region) button[type=submit]');
  await page.waitForSelector(`.chips li[data-code="${OE}"]`);
  assert.deepEqual(await chips(page), [V, 'demo-copenhagen-koebenhavn-nv', OE]);

  // Nothing matches: said in the status line, nothing added.
  await input.fill('zzz');
  await input.press('Enter');
  await page.waitForFunction(() => /No region matches “zzz”/.test(document.querySelector('.rp-status')?.textContent ?? ''));
  assert.deepEqual(await chips(page), [V, 'demo-copenhagen-koebenhavn-nv', OE]);
  await page.close();
});

test('a parent region includes its sub-regions: chosen alone, absorbs chosen districts, refuses a district inside it', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await openComposer(page);
  const input = page.locator('#c-region');
  // One by Enter, one by clicking its option.
  await input.fill('Valby');
  await page.waitForSelector('#c-region-list:not([hidden])');
  await input.press('Enter');
  await page.waitForSelector('#c-region-list', { state: 'hidden' });
  await input.fill('vanlose');
  await page.click('#c-region-list [role=option][data-code="demo-copenhagen-vanloese"]');
  await page.waitForSelector('#c-region-list', { state: 'hidden' });
  assert.deepEqual(await chips(page), [VALBY, 'demo-copenhagen-vanloese']);

  await input.fill('copenhagen');
  await page.waitForSelector('#c-region-list:not([hidden])');
  assert.match((await optionTexts(page))[0], /Copenhagen \(demo area\) \(demo-copenhagen\)\s*includes its sub-regions \(13\)/);
  await input.press('Enter');
  await page.waitForSelector(`.chips li[data-code="${CPH}"]`);
  // The alert for the demo area reaches every district's subscribers, so the districts chosen before are dropped.
  assert.deepEqual(await chips(page), [CPH]);
  assert.match((await page.textContent(`.chips li[data-code="${CPH}"]`)) ?? '', /includes its sub-regions \(13\)/);
  assert.match((await page.textContent('.rp-status')) ?? '', /includes regions chosen before \(2\); they were removed/);
  assert.deepEqual(await capCodes(page), [CPH]);

  // A district inside it is already included.
  await input.fill('frederiksberg c');
  await page.waitForSelector('#c-region-list:not([hidden])');
  await input.press('Enter');
  await page.waitForFunction(() => /Frederiksberg C \(demo district\) is already included in Copenhagen \(demo area\)/.test(document.querySelector('.rp-status')?.textContent ?? ''));
  assert.deepEqual(await chips(page), [CPH]);

  // The chip is removed by keyboard.
  await page.focus(`.chips li[data-code="${CPH}"] button`);
  assert.equal(await page.getAttribute(`.chips li[data-code="${CPH}"] button`, 'aria-label'), 'Remove Copenhagen (demo area)');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.region-picker .chips li[data-code]').length === 0);
  assert.deepEqual(await capCodes(page), []);
  await noSeriousViolations(page, 'composer after removing a region');
  await page.close();
});

test('drawing an area adds the most specific regions it touches; Escape cancels; the first point closes it', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await openComposer(page);
  const input = page.locator('#c-region');
  // Choosing Valby by name brings it into view; remove it again, then draw a small square in the middle of the map.
  await input.fill('valby');
  await page.waitForSelector('#c-region-list:not([hidden])');
  await input.press('Enter');
  await page.waitForSelector(`.chips li[data-code="${VALBY}"]`);
  await page.click(`.chips li[data-code="${VALBY}"] button`);
  await page.waitForFunction(() => document.querySelectorAll('.region-picker .chips li[data-code]').length === 0);
  // The square's corners in the page as it is now (clicking a button may have scrolled it).
  const squareNow = async (): Promise<Array<[number, number]>> => {
    const canvas = page.locator('.region-picker .map canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    return [[cx - 15, cy - 15], [cx + 15, cy - 15], [cx + 15, cy + 15], [cx - 15, cy + 15]];
  };

  // Escape cancels a drawing: nothing added, the draw button back.
  await page.click('.rp-draw');
  let square = await squareNow();
  assert.equal(await page.isDisabled('.rp-finish'), true);
  await page.mouse.click(...square[0]);
  await page.mouse.click(...square[1]);
  await page.waitForFunction(() => /Points: 2/.test(document.querySelector('.rp-draw-hint')?.textContent ?? ''));
  assert.equal(await page.isDisabled('.rp-finish'), true, 'two points are not an area');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.rp-draw:not([hidden])');
  assert.equal(await page.isHidden('.rp-finish'), true);
  assert.deepEqual(await chips(page), []);

  // Four points and Finish: Valby and any district overlapping it there (the demo districts are grown hulls and
  // overlap at their edges; which exactly is tested against the server's point lookup in test/geo/region-area.test.ts),
  // but not the demo area around them, which the square touches as well.
  await page.click('.rp-draw');
  square = await squareNow();
  for (const p of square) await page.mouse.click(...p);
  await page.waitForFunction(() => /Points: 4/.test(document.querySelector('.rp-draw-hint')?.textContent ?? ''));
  await page.click('.rp-finish');
  await page.waitForSelector(`.chips li[data-code="${VALBY}"]`);
  const drawn = await chips(page);
  assert.ok(drawn.includes(VALBY) && !drawn.includes(CPH) && drawn.length <= 3, drawn.join());
  const districts = new Map(DEMO.filter((r) => r.parentCode === CPH).map((r) => [r.code, r.name]));
  assert.ok(drawn.every((c) => districts.has(c!)), drawn.join());
  assert.equal((await page.textContent('.rp-status'))?.trim(), `Regions the area touches (${drawn.length}): ${drawn.map((c) => districts.get(c!)).join(', ')}.`);
  assert.deepEqual(await capCodes(page), drawn);

  // Clicking the first point again closes the area: with Valby removed, the same square brings it back.
  await page.click(`.chips li[data-code="${VALBY}"] button`);
  await page.waitForFunction(() => !document.querySelector('.region-picker .chips li[data-code="demo-copenhagen-valby"]'));
  await page.click('.rp-draw');
  square = await squareNow();
  for (const p of square.slice(0, 3)) await page.mouse.click(...p);
  await page.mouse.click(...square[0]);
  await page.waitForSelector('.rp-draw:not([hidden])');
  await page.waitForSelector(`.chips li[data-code="${VALBY}"]`);
  assert.deepEqual(new Set(await chips(page)), new Set(drawn));

  // The chips stay keyboard-reachable after drawing.
  for (let n = drawn.length; n > 0; n--) {
    await page.focus('.region-picker .chips li[data-code] button');
    await page.keyboard.press('Enter');
    await page.waitForFunction((left) => document.querySelectorAll('.region-picker .chips li[data-code]').length === left, n - 1);
  }
  await noSeriousViolations(page, 'composer after drawing');
  await page.close();
});

test('the composer opens on the operator\'s jurisdiction, offers its regions first; without one, on every region', async (t) => {
  if (skipWithoutChromium(t)) return;
  const accounts = app.server.ctx.accounts;
  const page = await browser.context.newPage();
  try {
    // No jurisdiction: the map opens on every region (Copenhagen and Jerusalem), and no jurisdiction row.
    await openComposer(page);
    assert.equal(await page.getAttribute('.region-picker', 'data-opening'), 'all');
    assert.equal(await page.isHidden('.rp-jurisdiction'), true);

    // An admin makes Olga responsible for Valby: the map opens on it, so clicking the map's middle picks Valby.
    await accounts.setJurisdiction({ name: 'e2e', via: 'local' }, 'olga', [VALBY]);
    // Olga's own account page says so.
    await page.goto(`${app.url}/console.html#/my-account`);
    await page.waitForSelector('#my-jurisdiction');
    assert.equal((await page.textContent('#my-jurisdiction'))?.trim(), `Jurisdiction: Valby (demo district) (${VALBY})`);
    await openComposer(page);
    assert.equal(await page.getAttribute('.region-picker', 'data-opening'), 'jurisdiction');
    const canvas = page.locator('.region-picker .map canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector(`.chips li[data-code="${VALBY}"]`);
    assert.deepEqual(await chips(page), [VALBY]);
    await page.click(`.chips li[data-code="${VALBY}"] button`);
    await page.waitForFunction(() => document.querySelectorAll('.region-picker .chips li[data-code]').length === 0);

    // Its regions are offered as buttons, and first among search results (said so), before better-ranked others.
    assert.match((await page.textContent('.rp-jurisdiction')) ?? '', /Your jurisdiction\s*Add Valby \(demo district\)/);
    const input = page.locator('#c-region');
    await input.fill('demo district');
    await page.waitForSelector('#c-region-list:not([hidden])');
    const first = page.locator('#c-region-list [role=option]').first();
    assert.equal(await first.getAttribute('data-code'), VALBY);
    assert.match((await first.textContent()) ?? '', /in your jurisdiction/);
    assert.equal(await page.locator('#c-region-list [role=option]:has-text("in your jurisdiction")').count(), 1);
    await input.press('Escape');
    await noSeriousViolations(page, 'composer with a jurisdiction');
    await page.click(`.rp-jurisdiction button[data-code="${VALBY}"]`);
    await page.waitForSelector(`.chips li[data-code="${VALBY}"]`);
    assert.deepEqual(await capCodes(page), [VALBY]);

    // A parent in the jurisdiction puts its sub-regions first too: Jerusalem, the best match for "demo" by name
    // length, comes after every Copenhagen district.
    await accounts.setJurisdiction({ name: 'e2e', via: 'local' }, 'olga', [CPH]);
    await openComposer(page);
    assert.deepEqual(await page.$$eval('.rp-jurisdiction button', (els) => els.map((e) => e.getAttribute('data-code'))), [CPH]);
    await input.fill('demo');
    await page.waitForSelector('#c-region-list:not([hidden])');
    const codes = await page.$$eval('#c-region-list [role=option]', (els) => els.map((e) => e.getAttribute('data-code')!));
    assert.equal(codes.length, DEMO.length);
    assert.equal(codes[codes.length - 1], 'demo-jerusalem', codes.join());
    assert.equal(await page.locator('#c-region-list [role=option]:has-text("in your jurisdiction")').count(), DEMO.length - 1);

    // A jurisdiction of many regions: twelve buttons, the rest counted (they are first in the search).
    const districts = DEMO.filter((r) => r.parentCode === CPH).map((r) => r.code);
    assert.equal(districts.length, 13);
    await accounts.setJurisdiction({ name: 'e2e', via: 'local' }, 'olga', districts);
    await openComposer(page);
    assert.equal(await page.locator('.rp-jurisdiction button').count(), 12);
    assert.match((await page.textContent('.rp-jurisdiction')) ?? '', /and 1 more: find them by name below/);
  } finally {
    await accounts.setJurisdiction({ name: 'e2e', via: 'local' }, 'olga', []);
    await page.close();
  }
});
