// Siting: greedy with exact re-evaluation, checked against brute force over every choice of K candidates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computePlan, computeSiting, type PlanInputs, type PopulationCell } from '../../src/planning/index.ts';
import { rng } from './rng.ts';

const M_PER_DEG = (6371008.8 * Math.PI) / 180;

function instance(seed: number): { input: PlanInputs; candidates: Array<{ id: string; lat: number; lon: number }> } {
  const r = rng(seed);
  const at = () => [(r() * 1500) / M_PER_DEG, (r() * 1500) / M_PER_DEG];
  const cells: PopulationCell[] = Array.from({ length: 14 }, (_, i) => {
    const [lat, lon] = at();
    return { key: `c${i}`, lat, lon, population: 5 + Math.floor(r() * 60), polygons: null };
  });
  const now = new Date().toISOString();
  const shelters = Array.from({ length: 2 }, (_, i) => {
    const [lat, lon] = at();
    return {
      id: `s${i}`, name: `s${i}`, address: null, lat, lon, capacity: 40, kind: 'other', protectionClass: 'unknown', stepFree: null,
      amenities: { water: null, toilet: null, ventilation: null, power: null, petsAllowed: null }, operator: null, contact: null, access: 'unknown',
      keyHolderPhone: null, status: 'open', statusSetAt: null, statusSetBy: null, occupancy: null, occupancyAt: null, occupancyBy: null,
      lastVerifiedAt: null, lastVerifiedBy: null, source: null, sourceId: null, createdAt: now, updatedAt: now, version: 1, decommissionedAt: null,
    } as const;
  });
  const candidates = Array.from({ length: 7 }, (_, i) => {
    const [lat, lon] = at();
    return { id: `k${i}`, lat, lon };
  });
  return { input: { cells, shelters: [...shelters], regions: null, graph: null }, candidates };
}

function* subsets(n: number, k: number, start = 0): Generator<number[]> {
  if (k === 0) { yield []; return; }
  for (let i = start; i <= n - k; i++) for (const rest of subsets(n, k - 1, i + 1)) yield [i, ...rest];
}

test('greedy siting gains at least (1 - 1/e) of the best K candidates, and lazy evaluation picks what plain greedy picks', () => {
  const opts = { minutes: 8, speed: 1, detour: 1, capacity: 50 };
  for (let seed = 1; seed <= 12; seed++) {
    const { input, candidates } = instance(seed);
    const base = computePlan(input, opts).totals.covered;
    for (const count of [1, 2, 3]) {
      const lazy = computeSiting(input, { ...opts, count, candidates });
      const eager = computeSiting(input, { ...opts, count, candidates, eager: true });
      assert.deepEqual(lazy.sites.map((s) => s.id), eager.sites.map((s) => s.id), `seed ${seed} k ${count}`);
      let best = 0;
      for (const pick of subsets(candidates.length, count)) {
        const extra = pick.map((i) => ({ ...candidates[i], places: opts.capacity }));
        best = Math.max(best, computePlan(input, { ...opts, extraShelters: extra }).totals.covered - base);
      }
      const gain = lazy.after.covered - base;
      assert.equal(gain, lazy.sites.reduce((s, x) => s + x.gain, 0));
      assert.ok(gain >= (1 - 1 / Math.E) * best, `seed ${seed} k ${count}: greedy ${gain} vs best ${best}`);
      assert.ok(gain <= best);
      // Gains never increase from one site to the next (submodularity).
      for (let i = 1; i < lazy.sites.length; i++) assert.ok(lazy.sites[i].gain <= lazy.sites[i - 1].gain);
    }
  }
});
