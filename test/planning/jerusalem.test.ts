// Real data: Jerusalem's municipal shelters, Home Front Command alert areas, Kontur population (H3 r8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED, tempDir } from '../helpers.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { ShelterRegistry } from '../../src/registry/index.ts';
import { importShelters } from '../../src/registry/import/index.ts';
import { parseRegionsGeoJson, RegionIndex } from '../../src/geo/index.ts';
import { computePlan, parsePopulation, preparePlan, type PlanInputs } from '../../src/planning/index.ts';
import { lpOptimum } from './lp.ts';

async function jerusalem(t: { after: (fn: () => void) => void }): Promise<PlanInputs & { fileTotal: number }> {
  const dir = tempDir(t);
  const store = openSqliteStore(join(dir, 'j.db'));
  t.after(() => store.close());
  const registry = new ShelterRegistry(store.shelters);
  await registry.load();
  await importShelters(registry, { path: join(SHARED, 'jerusalem-shelters', 'shelters.csv') }, 'shelters.csv', { source: 'jlm' });
  // Kontur cells in the Jerusalem box of SOURCE.md (235 hexes, 1,451,321 persons).
  const csv = readFileSync(join(SHARED, 'israel-kontur-population', 'kontur_population_IL_20231101_h3.csv'), 'utf8').split('\n');
  const kept = csv.filter((line, i) => {
    if (i === 0) return true;
    const [, , lat, lon] = line.split(',').map(Number);
    return lon >= 35.1 && lon <= 35.28 && lat >= 31.7 && lat <= 31.88;
  });
  const pop = parsePopulation(kept.join('\n'), 'jerusalem.csv');
  const regions = parseRegionsGeoJson(readFileSync(join(SHARED, 'israel-oref-areas', 'oref_alert_areas.geojson'), 'utf8')).regions;
  return { cells: pop.cells, shelters: registry.all(), regions: new RegionIndex(regions), graph: null, fileTotal: pop.total };
}

test('Jerusalem: region totals reconcile, coverage equals the LP optimum, what-if filters cost places', async (t) => {
  const input = await jerusalem(t);
  assert.equal(input.cells.length, 235);
  assert.equal(input.fileTotal, 1_451_321);
  assert.equal(input.shelters.length, 149); // one without a capacity (unknown: 0 places)
  const opts = { minutes: 3 };
  const r = computePlan(input, opts);
  assert.equal(r.mode, 'straight-line');
  assert.equal(r.totals.population, 1_451_321);
  const sum = (k: 'population' | 'places' | 'covered' | 'uncovered') => r.regions.reduce((s, g) => s + g[k], 0) + r.outside[k];
  assert.equal(sum('population'), input.fileTotal);
  assert.equal(sum('places'), r.totals.places);
  assert.equal(sum('covered'), r.totals.covered);
  assert.equal(sum('uncovered'), r.totals.uncovered);
  assert.equal(r.totals.places, 16_681); // SOURCE.md total
  assert.ok(r.regions.some((g) => g.name === 'ירושלים - מרכז'), 'Jerusalem centre area present');
  for (const g of r.regions) assert.ok(g.covered <= g.population && g.covered >= 0);
  // Places are scarce in a city of 1.45 M with 16,681 public places: most are filled, and exactly as the LP says.
  const prep = preparePlan(input, opts);
  const lp = await lpOptimum({ demand: prep.points.people, places: Float64Array.from(prep.list.map((s) => s.places)), arcFrom: prep.pairs.from, arcTo: prep.pairs.to, arcCost: prep.cost });
  assert.equal(r.totals.covered, lp.covered);
  assert.equal(r.stats.costUnits, lp.cost, 'least total walking (0.1 s units) equals the LP');
  assert.ok(r.totals.covered > 10_000 && r.totals.covered <= 16_681, String(r.totals.covered));

  // Everyone to the nearest shelter in reach, first come first served, covers no more than the optimum.
  let greedy = 0;
  const left = Float64Array.from(prep.list.map((s) => s.places));
  const nearest = new Map<number, { j: number; c: number }>();
  for (let k = 0; k < prep.pairs.from.length; k++) {
    const i = prep.pairs.from[k], cur = nearest.get(i);
    if (!cur || prep.cost[k] < cur.c) nearest.set(i, { j: prep.pairs.to[k], c: prep.cost[k] });
  }
  for (const [i, { j }] of nearest) {
    const take = Math.min(left[j], prep.points.people[i]);
    left[j] -= take;
    greedy += take;
  }
  assert.ok(greedy <= r.totals.covered, `${greedy} <= ${r.totals.covered}`);

  // What if: shelters never verified are left out (none of the municipal list carries a verification date).
  const unverified = computePlan(input, { ...opts, whatIf: { notVerifiedForDays: 365 } });
  assert.equal(unverified.shelters.excluded, 149);
  assert.equal(unverified.totals.covered, 0);
  assert.equal(unverified.totals.population, r.totals.population);
});
