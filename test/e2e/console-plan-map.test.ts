// The planning screen's map in a real Chromium (issue 11): an operator makes the plan for a Copenhagen population
// (a grid of counted cells, one far point nobody can reach, one cell too crowded for its shelters), and the map shows
// the cells coloured by walking time (loaded and tiled by MapLibre's worker from the compact GeoJSON), the people
// without a place hatched and outlined, the shelters' load, the legend (network walking times, counted population),
// layer toggles that hide and show, popups, and proposed sites with their gain as markers and a table; axe-core on it;
// then the region report on the same screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { noSeriousViolations, skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, signIn, type App, type Browser } from './harness.ts';
import type { PopulationCell } from '../../src/planning/index.ts';

let app: App;
let browser: Browser;

const M_PER_DEG_LAT = (6_371_008.8 * Math.PI) / 180;
const LAT0 = 55.676, LON0 = 12.555;
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos(LAT0 * Math.PI / 180);

function square(key: string, eastM: number, northM: number, side: number, population: number): PopulationCell {
  const x = (m: number) => LON0 + m / M_PER_DEG_LON, y = (m: number) => LAT0 + m / M_PER_DEG_LAT;
  const ring = [[x(eastM), y(northM)], [x(eastM + side), y(northM)], [x(eastM + side), y(northM + side)], [x(eastM), y(northM + side)], [x(eastM), y(northM)]];
  return { key, lat: y(northM + side / 2), lon: x(eastM + side / 2), population, polygons: [[ring]] };
}

/** A 3 x 3 grid of 300 m cells in central Copenhagen; the middle one far too crowded; a point far out at sea. */
const CELLS: PopulationCell[] = [
  ...[0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => square(`g${i}${j}`, i * 300, j * 300, 300, i === 1 && j === 1 ? 200_000 : 400))),
  { key: 'sea', lat: 55.66, lon: 12.70, population: 50, polygons: null },
];

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(async (server) => {
    await server.ctx.store.population.replace(CELLS, { file: 'grid.geojson', sha256: 'a'.repeat(64), format: 'geojson', populationField: 'population' });
  });
  browser = await launchBrowser({ viewport: { width: 1280, height: 1000 } });
});

after(async () => {
  await browser?.close();
  await app?.close();
});

/** Runs in the page against the plan map's MapLibre instance. */
async function onMap<T>(page: Page, fn: string): Promise<T> {
  return page.evaluate(`(() => { const map = document.querySelector('.pm-map').maplibre; return (${fn})(map); })()`) as Promise<T>;
}

async function waitForCells(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const map = (document.querySelector('.pm-map') as (HTMLElement & { maplibre?: { isSourceLoaded(id: string): boolean; getSource(id: string): unknown; querySourceFeatures(id: string): unknown[]; areTilesLoaded(): boolean } }) | null)?.maplibre;
    return !!map && !!map.getSource('pm-cells') && map.isSourceLoaded('pm-cells') && map.isSourceLoaded('pm-shelters') && map.areTilesLoaded() && map.querySourceFeatures('pm-cells').length > 0;
  }, undefined, { timeout: 60_000 });
}

test('plan map: walking-time cells, people without a place, shelters, legend, toggles, popups, proposed sites', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/coverage`);
  await page.waitForSelector('h3:text-is("Current plan")');
  assert.equal(await page.locator('.pm-map').count(), 0, 'no plan yet: no map');

  await page.fill('#pl-minutes', '5');
  await page.click('button:text-is("Make the plan (a place for every resident)")');
  await page.waitForSelector('.pm-map canvas', { timeout: 120_000 });
  await waitForCells(page);

  // Legend: the plan's mode and population kind, five walking-time classes up to the threshold, the uncovered mark.
  const legend = page.locator('#pm-legend');
  assert.equal(await legend.locator('[data-mode]').getAttribute('data-mode'), 'network');
  assert.match(await legend.locator('[data-mode]').innerText(), /street network/);
  assert.equal(await legend.locator('[data-population]').getAttribute('data-population'), 'counted');
  assert.deepEqual(await legend.locator('.pm-walk li').allInnerTexts(), ['0–1 min', '1–2 min', '2–3 min', '3–4 min', '4 min or more', 'Nobody in the cell has a place']);
  assert.match(await legend.locator('[data-legend=uncovered]').innerText(), /hatched with a black outline/);

  // What the worker loaded: the compact cells with the plan's figures.
  const features = await onMap<Array<{ k: string; p: number; u: number; w: number | null }>>(page, `(map) => {
    const seen = new Map();
    for (const f of map.querySourceFeatures('pm-cells')) seen.set(f.properties.k, { k: f.properties.k, p: f.properties.p, u: f.properties.u, w: f.properties.w ?? null });
    return [...seen.values()];
  }`);
  const byKey = new Map(features.map((f) => [f.k, f]));
  assert.equal(byKey.size, CELLS.length, `cells on the map: ${[...byKey.keys()].join(' ')}`);
  const sea = byKey.get('sea')!;
  assert.deepEqual([sea.p, sea.u, sea.w], [50, 50, null], 'nobody at sea reaches a shelter');
  const crowded = byKey.get('g11')!;
  assert.ok(crowded.u > 0 && crowded.u < crowded.p, `the crowded cell is partly covered: ${JSON.stringify(crowded)}`);
  assert.ok(crowded.w !== null && crowded.w > 0 && crowded.w <= 300, 'mean walk within 5 minutes');
  // The server's own figures for the same plan.
  const plan = await app.server.ctx.planning!.currentPlan();
  const rows = await app.server.ctx.store.plans.assignments(plan!.id);
  const uncoveredG11 = rows.filter((r) => r.cellKey === 'g11' && r.shelterId === null).reduce((s, r) => s + r.people, 0);
  assert.equal(crowded.u, uncoveredG11);

  // Drawn: the uncovered outline and the shelters are rendered; the toggles hide and show them.
  const rendered = (layer: string) => onMap<number>(page, `(map) => map.queryRenderedFeatures({ layers: ['${layer}'] }).length`);
  assert.ok(await rendered('pm-uncovered-line') > 0, 'the crowded cell is outlined');
  assert.ok(await rendered('pm-cells-fill') > 0);
  assert.ok(await rendered('pm-shelters') > 0);
  const shelter = await onMap<{ places: number; assigned: number }>(page, `(map) => { const f = map.queryRenderedFeatures({ layers: ['pm-shelters'] }).find((x) => x.properties.assigned > 0); return f && { places: f.properties.places, assigned: f.properties.assigned }; }`);
  assert.ok(shelter && shelter.assigned <= shelter.places, `a shelter with people assigned: ${JSON.stringify(shelter)}`);
  await page.uncheck('#pm-toggle-uncovered');
  assert.equal(await onMap<string>(page, `(map) => map.getLayoutProperty('pm-uncovered-line', 'visibility')`), 'none');
  await page.waitForFunction(() => (document.querySelector('.pm-map') as HTMLElement & { maplibre: { queryRenderedFeatures(o: unknown): unknown[] } }).maplibre.queryRenderedFeatures({ layers: ['pm-uncovered-line'] }).length === 0);
  await page.check('#pm-toggle-uncovered');
  await page.waitForFunction(() => (document.querySelector('.pm-map') as HTMLElement & { maplibre: { queryRenderedFeatures(o: unknown): unknown[] } }).maplibre.queryRenderedFeatures({ layers: ['pm-uncovered-line'] }).length > 0);

  // A click on a cell (a corner of the grid, away from the shelters' circles) opens its figures.
  await page.uncheck('#pm-toggle-shelters');
  const corner = CELLS.find((c) => c.key === 'g00')!;
  const at = await onMap<{ x: number; y: number }>(page, `(map) => map.project([${corner.lon}, ${corner.lat}])`);
  const box = (await page.locator('.pm-map canvas').boundingBox())!;
  await page.mouse.click(box.x + at.x, box.y + at.y);
  await page.waitForSelector('.pm-popup[data-cell=g00]');
  assert.match(await page.locator('.pm-popup[data-cell=g00]').innerText(), /Cell g00\s+400 people\s+400 with a place; mean walk \d+ min \d+ s/);
  await page.click('.maplibregl-popup-close-button');
  await page.check('#pm-toggle-shelters');
  await noSeriousViolations(page, 'plan map');

  // Proposed sites: markers labelled with their gain, a table, and the total they add.
  await page.fill('#pm-site-count', '2');
  await page.fill('#pm-site-capacity', '1000');
  await page.click('button:text-is("Propose sites")');
  await page.waitForSelector('[data-sites]', { timeout: 120_000 });
  const markers = page.locator('.pm-map .pm-site');
  assert.equal(await markers.count(), 2);
  const labels = await markers.allInnerTexts();
  assert.ok(labels.every((l) => /^\+[\d,.\u00a0]+$/.test(l)), labels.join(' '));
  const gains = labels.map((l) => Number(l.replace(/\D/g, '')));
  assert.ok(gains[0] > 0 && gains[0] <= 1000, `first site adds ${gains[0]}`);
  assert.match(await page.locator('[data-sites]').innerText(), new RegExp(`2 sites would give ${(gains[0] + gains[1]).toLocaleString('en-US')} more people a place`));
  assert.equal(await page.locator('table tr[data-site]').count(), 2);
  // By keyboard (the markers are buttons; they may overlap at this zoom): one popup, the site's, not the cell's under it.
  await markers.first().focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('.maplibregl-popup .pm-popup[data-site]');
  assert.match(await page.locator('.maplibregl-popup .pm-popup[data-site]').innerText(), /more people would have a place/);
  assert.equal(await page.locator('.maplibregl-popup').count(), 1);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.maplibregl-popup').length === 0);
  await markers.last().click();
  await page.waitForSelector('.maplibregl-popup .pm-popup[data-site]');
  assert.equal(await page.locator('.maplibregl-popup').count(), 1, 'a click on a site opens its popup, not the cell\'s under it');
  await page.uncheck('#pm-toggle-sites');
  assert.equal(await markers.first().isHidden(), true);
  await noSeriousViolations(page, 'plan map with proposed sites');

  // The region report for the same parameters, with one proposed site: Markdown in the page and as a download.
  await page.fill('#pm-report-sites', '1');
  await page.fill('#pm-report-capacity', '1000');
  await page.click('button:text-is("Make the report")');
  await page.waitForSelector('pre.pm-report', { timeout: 120_000 });
  const report = await page.locator('pre.pm-report').innerText();
  assert.match(report, /^# Shelter coverage report/);
  assert.match(report, /walking times along the street network/);
  assert.match(report, /Largest gaps/);
  assert.match(report, /g11: [\d,]+/, 'the crowded cell is the largest gap');
  assert.match(report, /With 1 proposed sites: [\d,]+ covered \(\+1,000\)/);
  assert.match(report, /Inputs: registry .+ \(last changed .+\); population .+ from grid\.geojson \(imported /);
  assert.equal(await page.locator('a[download="coverage-report.md"]').count(), 1);
  await page.close();
});

test('plan selector: an older stored plan on the map, not only the current one', async (t) => {
  if (skipWithoutChromium(t)) return;
  const first = (await app.server.ctx.planning!.currentPlan())!;
  assert.ok(first, 'the plan made by the test above');
  const page = await browser.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/coverage`);
  await page.waitForSelector('.pm-map canvas', { timeout: 60_000 });
  // A second plan at 3 minutes becomes the current one; both are offered, newest (current) first.
  await page.fill('#pl-minutes', '3');
  await page.click('button:text-is("Make the plan (a place for every resident)")');
  await page.waitForSelector('#pl-plan-select option:nth-child(2)', { state: 'attached', timeout: 120_000 });
  const second = (await app.server.ctx.planning!.currentPlan())!;
  assert.notEqual(second.id, first.id);
  const options = await page.locator('#pl-plan-select option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent ?? '']));
  assert.deepEqual(options.map(([v]) => v), [second.id, first.id]);
  assert.match(options[0][1], /3 min, .* with a place \(current\)/);
  assert.match(options[1][1], /5 min, .* with a place$/);
  await waitForCells(page);
  assert.deepEqual(await page.locator('#pm-legend .pm-walk li').allInnerTexts().then((l) => l.at(-2)), '2.4 min or more', 'the current (3 min) plan first');

  // The older plan: its own cells and legend, drawn from /api/plan/plans/:id.
  await page.selectOption('#pl-plan-select', first.id);
  await page.waitForSelector(`.pm-map[data-plan="${first.id}"] canvas`);
  await waitForCells(page);
  assert.equal(await page.locator('#pm-legend .pm-walk li').allInnerTexts().then((l) => l.at(-2)), '4 min or more');
  assert.match(await page.locator('#pl-plan-showing').innerText(), /The map shows the plan made /);
  const cells = await onMap<Array<{ k: string; u: number }>>(page, `(map) => map.querySourceFeatures('pm-cells').map((f) => ({ k: f.properties.k, u: f.properties.u }))`);
  const rows = await app.server.ctx.store.plans.assignments(first.id);
  const uncovered = rows.filter((r) => r.cellKey === 'g11' && r.shelterId === null).reduce((s, r) => s + r.people, 0);
  assert.equal(cells.find((c) => c.k === 'g11')!.u, uncovered, 'the older plan\'s figures');
  await noSeriousViolations(page, 'plan map with the plan selector');
  await page.close();
});
