// `refuge import population` and `refuge plan coverage|assign|siting|status` end to end: real SQLite files, the real
// CLI in a child process, a worker thread for the plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers.ts';
import { gridGraph, networkFileFor, saveGraph } from '../../src/network/index.ts';
import { east, fc, handInstance, point, refuge } from './fixtures.ts';

test('plan coverage --json: the exact optimum, straight-line label, regions reconciling with the file total', (t) => {
  const dir = tempDir(t);
  const db = handInstance(dir);
  const r = refuge(['plan', 'coverage', '--db', db, '--minutes', '5', '--speed', '1', '--detour', '1', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.mode, 'straight-line');
  assert.match(out.reason, /no walking network is imported/);
  assert.deepEqual(out.totals, { population: 207, places: 200, covered: 200, uncovered: 7, meanWalkSeconds: 250 });
  assert.deepEqual(out.regions, [
    { code: 'E', name: 'East', population: 100, places: 100, covered: 100, uncovered: 0 },
    { code: 'W', name: 'West', population: 100, places: 100, covered: 100, uncovered: 0 },
  ]);
  assert.deepEqual(out.outside, { population: 7, places: 0, covered: 0, uncovered: 7 });
  assert.equal(out.withinReach, 200);
  const sum = out.regions.reduce((s: number, g: { population: number }) => s + g.population, 0) + out.outside.population;
  assert.equal(sum, 207); // the file's total
  assert.equal(out.shelters.unknownCapacity, 1);
  assert.ok(out.warnings.some((w: string) => /1 shelters have no known capacity: they add 0 places/.test(w)));
  assert.ok(out.warnings.some((w: string) => /7 people live in cells outside every region/.test(w)));
  assert.equal(out.parameters.detour, 1);

  // Less time: B cannot reach anything, A goes to S1 (100 s).
  const short = JSON.parse(refuge(['plan', 'coverage', '--db', db, '--minutes', '2', '--speed', '1', '--detour', '1', '--json']).stdout);
  assert.deepEqual(short.totals, { population: 207, places: 200, covered: 100, uncovered: 107, meanWalkSeconds: 100 });
  // A detour factor stretches the straight line: at 1.3, A->S2 is 325 s > 300 s, so only one of A, B is covered.
  const detour = JSON.parse(refuge(['plan', 'coverage', '--db', db, '--minutes', '5', '--speed', '1', '--detour', '1.3', '--json']).stdout);
  assert.equal(detour.totals.covered, 100);
  assert.equal(detour.totals.meanWalkSeconds, 130); // A at S1: 100 m x 1.3

  // Each region's own warning time: West 120 s (A reaches S1 in 100 s), East 90 s (B needs 250 s); C has none: 5 min.
  const regional = JSON.parse(refuge(['plan', 'coverage', '--db', db, '--minutes', '5', '--speed', '1', '--detour', '1', '--warning-times', '--json']).stdout);
  assert.deepEqual(regional.totals, { population: 207, places: 200, covered: 100, uncovered: 107, meanWalkSeconds: 100 });
  assert.deepEqual(regional.regions.map((g: { code: string; covered: number }) => [g.code, g.covered]), [['E', 0], ['W', 100]]);
  assert.ok(regional.warnings.some((w: string) => /7 people live in cells with no regional warning time: 5 minutes used/.test(w)));
  assert.equal(regional.parameters.regionWarningTimes, true);
});

test('network mode when a walking network is imported for the db, with the same optimum along the streets', (t) => {
  const dir = tempDir(t);
  const db = handInstance(dir);
  // One straight street along the equator, nodes every 200 m from -1000 m to +1000 m.
  const g = gridGraph({ rows: 1, cols: 11, lat0: 0, lon0: east(-1000), step: east(100) });
  saveGraph(g, networkFileFor(db));
  const r = refuge(['plan', 'coverage', '--db', db, '--minutes', '5', '--speed', '1', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.mode, 'network');
  assert.equal(out.reason, undefined);
  assert.equal(out.totals.covered, 200);
  assert.equal(out.totals.uncovered, 7);
  assert.ok(Math.abs(out.totals.meanWalkSeconds - 250) < 0.2, String(out.totals.meanWalkSeconds));
  assert.ok(out.warnings.some((w: string) => /7 people in 1 cells live more than 500 m from any walkable way/.test(w)), out.warnings.join('\n'));
  assert.equal(out.parameters.detour, null);
});

test('plan assign stores the plan, exports per cell and per shelter, and status says when it has gone stale', (t) => {
  const dir = tempDir(t);
  const db = handInstance(dir);
  const cells = join(dir, 'cells.csv'), sh = join(dir, 'shelters.geojson');
  const r = refuge(['plan', 'assign', '--db', db, '--minutes', '5', '--speed', '1', '--detour', '1', '--json', '--csv', cells]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.match(out.planId, /^[0-9a-f-]{36}$/);
  const r2 = refuge(['plan', 'assign', '--db', db, '--minutes', '5', '--speed', '1', '--detour', '1', '--per', 'shelter', '--geojson', sh]);
  assert.equal(r2.status, 0, r2.stderr);
  const gj = JSON.parse(readFileSync(sh, 'utf8'));
  const byName = Object.fromEntries(gj.features.map((f: any) => [f.properties.name, f.properties]));
  assert.deepEqual([byName.S1.assigned, byName.S1.cells, byName.S2.assigned, byName.S2.cells, byName.S3.places, byName.S3.assigned], [100, { B: 100 }, 100, { A: 100 }, 0, 0]);
  const csv = readFileSync(cells, 'utf8').trim().split('\n');
  assert.equal(csv[0], 'key,lat,lon,population,covered,uncovered,meanWalkSeconds,maxWalkSeconds,shelters');
  assert.ok(csv.some((l) => l.startsWith('A,') && l.endsWith(`,100,100,0,250,250,${byName.S2.id}:100`)), csv.join('\n'));
  assert.ok(csv.some((l) => l.startsWith('B,') && l.endsWith(`,100,100,0,250,250,${byName.S1.id}:100`)), csv.join('\n'));
  assert.ok(csv.some((l) => l.startsWith('C,') && l.endsWith(',7,0,7,,,')), csv.join('\n'));

  const fresh = JSON.parse(refuge(['plan', 'status', '--db', db, '--json']).stdout);
  assert.equal(fresh.stale, false);
  // A registry change makes the plan stale.
  writeFileSync(join(dir, 'more.csv'), `id,name,lat,lon,capacity\ns9,S9,0,${east(900)},50\n`);
  assert.equal(refuge(['import', 'shelters', join(dir, 'more.csv'), '--db', db, '--source', 'more', '--coordinates', 'as-labelled']).status, 0);
  const stale = JSON.parse(refuge(['plan', 'status', '--db', db, '--json']).stdout);
  assert.equal(stale.stale, true);
  assert.match(stale.reasons[0], /the registry changed since the plan was made/);
});

test('bad inputs: no population, a bad population file (nothing written), no shelters at all', (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'empty.db');
  const none = refuge(['plan', 'coverage', '--db', db, '--minutes', '5', '--json']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no population in .*empty\.db: import one with `refuge import population FILE --db/);

  writeFileSync(join(dir, 'good.geojson'), fc([point('A', 0, 10)]));
  assert.equal(refuge(['import', 'population', join(dir, 'good.geojson'), '--db', db]).status, 0);
  writeFileSync(join(dir, 'bad.geojson'), fc([point('X', 0, 10), point('Y', 0, -5), { ...point('Z', 0, 3), properties: {} }]));
  const bad = refuge(['import', 'population', join(dir, 'bad.geojson'), '--db', db]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /bad\.geojson: 2 problems; nothing was imported/);
  assert.match(bad.stderr, /feature 1 \(Y\) \[population\]: population -5 is negative/);
  assert.match(bad.stderr, /feature 2 \(Z\) \[population\]: population is missing/);

  // The earlier population is still in place; no shelters at all gives a labelled result, not a crash.
  const r = refuge(['plan', 'coverage', '--db', db, '--minutes', '5', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.totals, { population: 10, places: 0, covered: 0, uncovered: 10, meanWalkSeconds: null });
  assert.ok(out.warnings.some((w: string) => /no shelters to count/.test(w)));
  assert.ok(out.warnings.some((w: string) => /no regions are imported/.test(w)));
  assert.deepEqual(out.outside, { population: 10, places: 0, covered: 0, uncovered: 10 });

  const badArg = refuge(['plan', 'coverage', '--db', db, '--minutes', 'ten']);
  assert.equal(badArg.status, 1);
  assert.match(badArg.stderr, /--minutes must be a number from 0.1 to 240, not "ten"/);
  assert.ok(!existsSync(join(dir, 'nothing.csv')));
});

test('plan siting: new sites where people are left without a place, each with its gain', (t) => {
  const dir = tempDir(t);
  const db = handInstance(dir);
  const cands = join(dir, 'cands.csv');
  // Only the candidate near C (far east) can help; the one near A adds nothing (A and B are covered).
  writeFileSync(cands, `id,lat,lon\nnearA,0,${east(20)}\nnearC,0,${1 + east(30)}\n`);
  const r = refuge(['plan', 'siting', '--db', db, '--minutes', '5', '--speed', '1', '--detour', '1', '--count', '2', '--capacity', '5', '--candidates', cands, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.sites.map((s: { id: string; gain: number }) => [s.id, s.gain]), [['nearC', 5]]);
  assert.equal(out.before.covered, 200);
  assert.equal(out.after.covered, 205);
  assert.match(out.guarantee, /1 - 1\/e/);
});

test('plan report: per region, largest gaps, what proposed sites add, the inputs', (t) => {
  const dir = tempDir(t);
  const db = handInstance(dir);
  const r = refuge(['plan', 'report', '--db', db, '--minutes', '2', '--speed', '1', '--detour', '1', '--sites', '1', '--capacity', '5']);
  assert.equal(r.status, 0, r.stderr);
  const md = r.stdout;
  assert.match(md, /^# Shelter coverage report/);
  assert.match(md, /\*\*Total:\*\* 207 people, 200 places, 100 covered, 107 without a place; mean walk 100 s\./);
  assert.match(md, /Inputs: registry 3:[0-9a-f]{12} \(last changed [^)]+\); population 1:[0-9a-f]{12} from .*pop\.geojson \(imported [^)]+\)/);
  // At 2 minutes B (East) has no shelter in reach: the largest gap, where the proposed site goes (default candidates:
  // where people are left without a place; B's 100 outnumber C's 7).
  const rows = md.split('\n').filter((l) => l.startsWith('| '));
  assert.equal(rows[1], '| East (E) | 100 | 100 | 0 | 100 | B: 100 | +5 |');
  assert.ok(rows.includes('| (outside every region) | 7 | 0 | 0 | 7 | C: 7 | +0 |'), rows.join('\n'));
  assert.match(md, /\| 1 \| gap:B \| 0\.00000, 0\.00315 \| 5 \| 5 \|/);
  assert.match(md, /With 1 proposed sites: 105 covered \(\+5\)/);
});
