// The contract every PopulationRepository and PlanRepository implementation must meet. Run it with a factory for each
// store (planning.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanRepository, PopulationRepository, StoredAssignment, StoredPlan } from '../../../src/planning/ports.ts';
import type { PopulationCell } from '../../../src/planning/population.ts';
import { ESTIMATE_FORMAT } from '../../../src/planning/ports.ts';

export interface PlanningStores {
  plans: PlanRepository;
  population: PopulationRepository;
  /** The population through another connection to the same database (a second server process). */
  otherPopulation: PopulationRepository;
}

const SHA = 'ab'.repeat(32);
const meta = (file: string, sha256 = SHA) => ({ file, sha256, format: 'geojson', populationField: 'population' });
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const hexagon: number[][][][] = [[[[35.2131, 31.7683], [35.21412345678901, 31.7691], [35.2151, 31.76830000000001], [35.2141, 31.7675], [35.2131, 31.7683]]]];
const cells: PopulationCell[] = [
  { key: '8a2d1c9b1a8ffff', lat: 31.768300000000003, lon: 35.2141, population: 1200, polygons: hexagon },
  { key: 'feature 2', lat: -33.8688, lon: 151.2093, population: 0, polygons: null },
  { key: 'A-point', lat: 0.1 + 0.2, lon: -179.99999999999997, population: 99_999_999, polygons: null },
];

/** Assignments with fractional flows, a cell without a place (shelter and seconds null), in no sorted order. */
const assignments: StoredAssignment[] = [
  { cellKey: 'z-cell', lat: 31.7683, lon: 35.2141, shelterId: 's-2', people: 17, seconds: 312.5 },
  { cellKey: 'a-cell', lat: 31.77000000000001, lon: 35.22, shelterId: 's-1', people: 2.5000000000000004, seconds: 0.1 + 0.2 },
  { cellKey: 'a-cell', lat: 31.77, lon: 35.22, shelterId: null, people: 3, seconds: null },
];

function plan(id: string, over: Partial<StoredPlan> = {}): StoredPlan {
  return {
    id, kind: 'assign', createdAt: '2026-06-01T12:00:00.000Z', createdBy: 'planner', mode: 'straight-line',
    // Key order matters: exports and the API show params as stored.
    params: { minutes: 10, speed: 1.1, regions: ['r2', 'r1'], zeta: null, alpha: { b: 1, a: 2 } },
    registryVersion: 'reg-1', populationVersion: `1:${SHA.slice(0, 12)}`, networkVersion: null,
    summary: { covered: 19.5, uncovered: 3, perShelter: [{ id: 's-2', people: 17 }], note: 'ünïcode ✓' }, ...over,
  };
}

export function planningContract(name: string, make: (t: any) => Promise<PlanningStores>): void {
  test(`${name}: population: nothing before the first import; an import reads back exactly, in its order`, async (t) => {
    const { population } = await make(t);
    assert.equal(await population.current(), null);
    assert.deepEqual(await population.cells(), []);
    const before = Date.now();
    const v = await population.replace(cells, meta('pop.geojson'));
    assert.match(v.importedAt, ISO);
    assert.ok(Date.parse(v.importedAt) >= before - 1000 && Date.parse(v.importedAt) <= Date.now() + 1000);
    assert.deepEqual(v, { version: `1:${SHA.slice(0, 12)}`, file: 'pop.geojson', estimated: false, importedAt: v.importedAt, cells: 3, total: 100_001_199 });
    assert.deepEqual(await population.current(), v);
    // An estimate (from OSM buildings) is marked as one when read back.
    const e = await population.replace(cells, { ...meta('town.osm.pbf'), format: ESTIMATE_FORMAT });
    assert.equal(e.estimated, true);
    assert.equal((await population.current())!.estimated, true);
    await population.replace(cells, meta('pop.geojson'));
    assert.deepEqual(await population.cells(), cells);
    assert.equal(JSON.stringify(await population.cells()), JSON.stringify(cells), 'the same numbers, digit for digit');
  });

  test(`${name}: population: an import replaces the previous one whole; a failed one changes nothing`, async (t) => {
    const { population } = await make(t);
    await population.replace(cells, meta('one.csv'));
    const next: PopulationCell[] = [{ key: 'only', lat: 10, lon: 20, population: 5, polygons: null }];
    const v2 = await population.replace(next, { ...meta('two.csv', 'cd'.repeat(32)), format: 'csv' });
    assert.equal(v2.version, `2:${'cd'.repeat(6)}`);
    assert.deepEqual(await population.cells(), next);
    // A bad cell (latitude out of range) or a key twice: refused, and the previous import stays in use.
    await assert.rejects(population.replace([...cells, { key: 'bad', lat: 95, lon: 0, population: 1, polygons: null }], meta('bad.geojson')));
    await assert.rejects(population.replace([...cells, { ...cells[0] }], meta('twice.geojson')));
    await assert.rejects(population.replace([{ key: 'neg', lat: 1, lon: 1, population: -1, polygons: null }], meta('neg.geojson')));
    assert.deepEqual(await population.current(), v2);
    assert.deepEqual(await population.cells(), next);
    // Versions count imports that took: the next one is 3 on every store.
    const v3 = await population.replace([], meta('empty.geojson', 'ef'.repeat(32)));
    assert.deepEqual([v3.version, v3.cells, v3.total], [`3:${'ef'.repeat(6)}`, 0, 0]);
    assert.deepEqual(await population.current(), v3);
    assert.deepEqual(await population.cells(), []);
  });

  test(`${name}: population: a large import (200 000 cells) goes in whole and reads back in order`, async (t) => {
    const { population } = await make(t);
    const big: PopulationCell[] = Array.from({ length: 200_000 }, (_, i) => ({
      key: `cell-${(i * 7919) % 200_000}`, lat: -60 + (i % 12_000) / 100, lon: -170 + i / 1000, population: i % 97,
      polygons: i % 50 === 0 ? [[[[i / 1000, 1], [i / 1000 + 0.001, 1], [i / 1000, 1.001], [i / 1000, 1]]]] : null,
    }));
    const v = await population.replace(big, meta('big.csv'));
    assert.deepEqual([v.cells, v.total], [200_000, big.reduce((n, c) => n + c.population, 0)]);
    const back = await population.cells();
    assert.equal(back.length, 200_000);
    assert.ok(back.every((c, i) => c.key === big[i].key && c.population === big[i].population && c.lat === big[i].lat && c.lon === big[i].lon), 'every cell, in order');
    for (const i of [0, 1, 49, 50, 4_999, 5_000, 5_001, 12_345, 199_950, 199_999]) assert.deepEqual(back[i], big[i]);
  });

  test(`${name}: population: two imports at once from two connections never mix`, async (t) => {
    const { population, otherPopulation } = await make(t);
    const set = (tag: string, n: number): PopulationCell[] => Array.from({ length: n }, (_, i) => ({ key: `${tag}-${i}`, lat: 1, lon: 2, population: 1, polygons: null }));
    const [a, b] = await Promise.all([population.replace(set('a', 20_000), meta('a.csv')), otherPopulation.replace(set('b', 15_000), meta('b.csv'))]);
    assert.notEqual(a.version, b.version);
    const current = (await population.current())!;
    const now = await population.cells();
    const winner = current.file === 'a.csv' ? 'a' : 'b';
    assert.equal(now.length, winner === 'a' ? 20_000 : 15_000);
    assert.ok(now.every((c) => c.key.startsWith(`${winner}-`)), 'the cells are those of the current import only');
  });

  test(`${name}: plans: save, get and assignments read back exactly, in their order`, async (t) => {
    const { plans } = await make(t);
    const p = plan('p1', { networkVersion: 'abc123@2026-05-01T00:00:00.000Z', mode: 'network' });
    await plans.save(p, assignments);
    const got = await plans.get('p1');
    assert.deepEqual(got, p);
    assert.equal(JSON.stringify(got), JSON.stringify(p), 'params and summary keep their key order');
    assert.deepEqual(await plans.assignments('p1'), assignments);
    assert.equal(JSON.stringify(await plans.assignments('p1')), JSON.stringify(assignments), 'the same numbers, digit for digit');
    assert.equal(await plans.get('nope'), null);
    assert.deepEqual(await plans.assignments('nope'), []);
    await plans.save(plan('p0', { summary: [1, 'two', null], params: {} }), []);
    assert.deepEqual(await plans.assignments('p0'), []);
    assert.deepEqual((await plans.get('p0'))!.summary, [1, 'two', null]);
  });

  test(`${name}: plans: latest per kind is the newest, the later saved of a tie`, async (t) => {
    const { plans } = await make(t);
    assert.equal(await plans.latest('assign'), null);
    await plans.save(plan('old', { createdAt: '2026-05-01T00:00:00.000Z' }), []);
    await plans.save(plan('new', { createdAt: '2026-06-02T00:00:00.000Z' }), []);
    await plans.save(plan('older', { createdAt: '2026-04-01T00:00:00.000Z' }), []);
    await plans.save(plan('cov', { kind: 'coverage', createdAt: '2026-07-01T00:00:00.000Z' }), []);
    assert.equal((await plans.latest('assign'))!.id, 'new');
    assert.deepEqual(await plans.latest('coverage'), plan('cov', { kind: 'coverage', createdAt: '2026-07-01T00:00:00.000Z' }));
    assert.equal(await plans.latest('siting'), null);
    await plans.save(plan('tie-b', { createdAt: '2026-06-02T00:00:00.000Z' }), []);
    await plans.save(plan('tie-a', { createdAt: '2026-06-02T00:00:00.000Z' }), []);
    assert.equal((await plans.latest('assign'))!.id, 'tie-a');
  });

  test(`${name}: plans: a save is all or nothing; a large one goes in whole`, async (t) => {
    const { plans } = await make(t);
    await plans.save(plan('p1'), assignments);
    const bad = [...assignments, { ...assignments[0], lat: null as unknown as number }];
    await assert.rejects(plans.save(plan('p2'), bad));
    assert.equal(await plans.get('p2'), null);
    assert.deepEqual(await plans.assignments('p2'), []);
    await assert.rejects(plans.save(plan('p1', { createdBy: 'someone else' }), [assignments[0]]), 'a plan id is used once');
    assert.equal((await plans.get('p1'))!.createdBy, 'planner');
    assert.deepEqual(await plans.assignments('p1'), assignments);

    const many: StoredAssignment[] = Array.from({ length: 60_000 }, (_, i) => ({
      cellKey: `c${i % 997}`, lat: 31 + i / 1e5, lon: 35 - i / 1e5, shelterId: i % 10 ? `s${i % 31}` : null, people: (i % 13) / 4, seconds: i % 10 ? i / 7 : null,
    }));
    await plans.save(plan('big'), many);
    const back = await plans.assignments('big');
    assert.equal(back.length, 60_000);
    for (const i of [0, 1, 9, 10, 29_999, 59_999]) assert.deepEqual(back[i], many[i]);
  });
}
