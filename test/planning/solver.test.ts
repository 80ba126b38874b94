// The exact assignment: hand-checkable optima, and equality with an independent LP (HiGHS) on generated instances.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { solveAssignment, type AssignmentProblem } from '../../src/planning/assignment.ts';
import { networkSimplex, type FlowNetwork } from '../../src/planning/simplex.ts';
import { lpOptimum } from './lp.ts';
import { rng } from './rng.ts';

function problem(demand: number[], places: number[], arcs: Array<[number, number, number]>): AssignmentProblem {
  return {
    demand: Float64Array.from(demand),
    places: Float64Array.from(places),
    arcFrom: Uint32Array.from(arcs.map((a) => a[0])),
    arcTo: Uint32Array.from(arcs.map((a) => a[1])),
    arcCost: Float64Array.from(arcs.map((a) => a[2])),
  };
}

test('everyone-to-nearest leaves people out whom the optimum covers', () => {
  // A: 100 people, nearest S1 (60 s) but S2 (200 s) also in reach. B: 100 people, only S1 (100 s) in reach.
  // S1 and S2 have 100 places each. Nearest-first sends A to S1 and leaves B (100) without a place;
  // the optimum sends A to S2 and B to S1: 200 covered, 200*100 + 100*100 = 30,000.
  const p = problem([100, 100], [100, 100], [[0, 0, 60], [0, 1, 200], [1, 0, 100]]);
  const s = solveAssignment(p);
  assert.equal(s.covered, 200);
  assert.equal(s.uncovered, 0);
  assert.equal(s.cost, 30_000);
  assert.deepEqual(Array.from(s.arcFlow), [0, 100, 100]);
  // the greedy nearest-first result for contrast
  const greedyCovered = 100; // A takes all of S1; B has nothing else
  assert.ok(s.covered > greedyCovered);
});

test('covering more beats walking less: one more person covered is worth any extra walking', () => {
  // A: 1 person, S1 at 1 s or S2 at 1000 s. B: 1 person, only S1 at 1000 s. Each shelter 1 place.
  // Minimum walking alone would be A->S1 (1 s) and B uncovered; the exact plan covers both: A->S2, B->S1 = 2000.
  const s = solveAssignment(problem([1, 1], [1, 1], [[0, 0, 1], [0, 1, 1000], [1, 0, 1000]]));
  assert.equal(s.covered, 2);
  assert.equal(s.cost, 2000);
});

test('split demand and ties in capacity', () => {
  // A 5 people, B 3 people; S1 4 places, S2 2 places. A->S1 10, A->S2 30, B->S1 20, B->S2 20.
  // Max covered = 6 (all places). Cheapest: A->S1 4 (40), then 2 more at S2: from B (20 each = 40) rather than A (30 each).
  const s = solveAssignment(problem([5, 3], [4, 2], [[0, 0, 10], [0, 1, 30], [1, 0, 20], [1, 1, 20]]));
  assert.equal(s.covered, 6);
  assert.equal(s.cost, 80);
  assert.equal(s.uncovered, 2);
});

test('nothing in reach, no shelters, zero people', () => {
  assert.deepEqual({ ...solveAssignment(problem([7], [5], [])), arcFlow: null }, { arcFlow: null, covered: 0, uncovered: 7, cost: 0, pivots: 0 });
  assert.equal(solveAssignment(problem([7, 0], [], [])).uncovered, 7);
  assert.equal(solveAssignment(problem([0], [10], [[0, 0, 5]])).covered, 0);
  assert.throws(() => solveAssignment(problem([-1], [1], [[0, 0, 1]])), /whole number/);
  assert.throws(() => solveAssignment(problem([1.5], [1], [[0, 0, 1]])), /whole number/);
});

export function generated(seed: number, D: number, S: number, density: number, maxPeople = 50, maxPlaces = 80): AssignmentProblem {
  const r = rng(seed);
  const arcs: Array<[number, number, number]> = [];
  for (let i = 0; i < D; i++) for (let j = 0; j < S; j++) if (r() < density) arcs.push([i, j, Math.floor(r() * 900)]);
  return problem(
    Array.from({ length: D }, () => Math.floor(r() * maxPeople)),
    Array.from({ length: S }, () => Math.floor(r() * maxPlaces)),
    arcs,
  );
}

test('equals the LP optimum on 60 generated instances (scarce, balanced and ample places; sparse and dense)', async () => {
  let checked = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const D = 5 + (seed % 7) * 6, S = 2 + (seed % 5) * 3;
    const density = [0.1, 0.3, 0.7][seed % 3];
    const maxPlaces = [10, 60, 300][Math.floor(seed / 3) % 3];
    const p = generated(seed, D, S, density, 50, maxPlaces);
    const s = solveAssignment(p);
    const lp = await lpOptimum(p);
    assert.equal(s.covered, lp.covered, `seed ${seed}: covered`);
    assert.equal(s.cost, lp.cost, `seed ${seed}: cost`);
    // the flow itself is feasible
    const outD = new Float64Array(p.demand.length), inS = new Float64Array(p.places.length);
    s.arcFlow.forEach((f, k) => {
      assert.ok(f >= 0 && Number.isInteger(f));
      outD[p.arcFrom[k]] += f;
      inS[p.arcTo[k]] += f;
    });
    outD.forEach((f, i) => assert.ok(f <= p.demand[i]));
    inS.forEach((f, j) => assert.ok(f <= p.places[j]));
    checked++;
  }
  assert.equal(checked, 60);
});

/** Costs from a small set (many ties) and places from 0 to far more than anyone can use: the greedy start's ties and the uncontested shelters settled before the search. */
function tied(seed: number): AssignmentProblem {
  const r = rng(seed);
  const D = 6 + (seed % 9) * 5, S = 2 + (seed % 6) * 2;
  const arcs: Array<[number, number, number]> = [];
  for (let i = 0; i < D; i++) for (let j = 0; j < S; j++) if (r() < 0.4) arcs.push([i, j, Math.floor(r() * 4) * 10]);
  const demand = Array.from({ length: D }, () => [0, 5, 10, 10, 20][Math.floor(r() * 5)]);
  const places = Array.from({ length: S }, () => [0, 5, 10, 20, 40, 10_000][Math.floor(r() * 6)]);
  return problem(demand, places, arcs);
}

function assertFeasible(p: AssignmentProblem, arcFlow: Float64Array): void {
  const outD = new Float64Array(p.demand.length), inS = new Float64Array(p.places.length);
  arcFlow.forEach((f, k) => {
    assert.ok(f >= 0 && Number.isInteger(f));
    outD[p.arcFrom[k]] += f;
    inS[p.arcTo[k]] += f;
  });
  outD.forEach((f, i) => assert.ok(f <= p.demand[i], `point ${i} sends ${f} of ${p.demand[i]}`));
  inS.forEach((f, j) => assert.ok(f <= p.places[j], `shelter ${j} takes ${f} of ${p.places[j]}`));
}

test('equals the LP on 40 instances with tied walking times and places from none to unlimited', async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const p = tied(seed);
    const s = solveAssignment(p);
    const lp = await lpOptimum(p);
    assert.equal(s.covered, lp.covered, `seed ${seed}: covered`);
    assert.equal(s.cost, lp.cost, `seed ${seed}: cost`);
    assertFeasible(p, s.arcFlow);
  }
});

test('points whose nearest shelter cannot fill go there, which can leave the next shelter uncontested', () => {
  // P (10 people) reaches U (100 places) at 5 s and V (10 places) at 50 s; Q (10) reaches only V, at 10 s. V is
  // contested (20 people for 10 places) until P is settled at U; then Q is settled at V: 20 covered, 50 + 100 = 150.
  const s = solveAssignment(problem([10, 10], [100, 10], [[0, 0, 5], [0, 1, 50], [1, 1, 10]]));
  assert.deepEqual(Array.from(s.arcFlow), [10, 0, 10]);
  assert.equal(s.covered, 20);
  assert.equal(s.cost, 150);
  // A (10) has S1 (10 places, also B's only way) nearest and S2 (100 places) farther: nothing is settled on S2, and
  // the optimum sends A to S2 so that B fits in S1: 10 x 20 + 10 x 30 = 500 (A to S1 would leave B out).
  const t = solveAssignment(problem([10, 10], [10, 100], [[0, 0, 5], [0, 1, 20], [1, 0, 30]]));
  assert.deepEqual(Array.from(t.arcFlow), [0, 10, 10]);
  assert.equal(t.covered, 20);
  assert.equal(t.cost, 500);
});

test('the same optima with the nodes renumbered in tree order (as on large instances)', async () => {
  for (let seed = 101; seed <= 112; seed++) {
    const p = seed % 2 ? tied(seed) : generated(seed, 30, 8, 0.3, 50, [10, 60, 300][seed % 3]);
    const s = solveAssignment(p, undefined, { relabel: true });
    const lp = await lpOptimum(p);
    assert.equal(s.covered, lp.covered, `seed ${seed}: covered`);
    assert.equal(s.cost, lp.cost, `seed ${seed}: cost`);
    assertFeasible(p, s.arcFlow);
  }
});

test('network simplex: a start tree that is not a feasible basis is refused', () => {
  const net: FlowNetwork = {
    nodeCount: 3,
    supply: Float64Array.from([5, 0, -5]),
    arcFrom: Uint32Array.from([0, 1]),
    arcTo: Uint32Array.from([1, 2]),
    arcCap: Float64Array.from([10, 10]),
    arcCost: Float64Array.from([1, 1]),
  };
  // 0 -> 1 -> 2 carrying 5, node 2 on top: a valid start gives the optimum.
  const ok = networkSimplex(net, undefined, { flow: Float64Array.from([5, 5]), treeArc: Int32Array.from([0, 1, -1]) });
  assert.equal(ok.cost, 10);
  assert.throws(() => networkSimplex(net, undefined, { flow: Float64Array.from([5, 4]), treeArc: Int32Array.from([0, 1, -1]) }), /does not balance/);
  assert.throws(() => networkSimplex(net, undefined, { flow: Float64Array.from([5, 5]), treeArc: Int32Array.from([-1, 1, -1]) }), /more than one top/);
  assert.throws(() => networkSimplex(net, undefined, { flow: Float64Array.from([5, 5]), treeArc: Int32Array.from([1, 1, -1]) }), /does not join/);
});

test('a larger instance (400 x 40, ~4,800 arcs) equals the LP', async () => {
  const p = generated(4242, 400, 40, 0.3, 200, 900);
  const s = solveAssignment(p);
  const lp = await lpOptimum(p);
  assert.equal(s.covered, lp.covered);
  assert.equal(s.cost, lp.cost);
});

test('network simplex: general min-cost flow with capacities on a small graph, optimality by reduced costs', () => {
  // 0 -> 1 -> 3, 0 -> 2 -> 3, 1 -> 2; supply 10 at 0, demand 10 at 3.
  const net = {
    nodeCount: 4,
    supply: Float64Array.from([10, 0, 0, -10]),
    arcFrom: Uint32Array.from([0, 0, 1, 1, 2]),
    arcTo: Uint32Array.from([1, 2, 3, 2, 3]),
    arcCap: Float64Array.from([8, 5, 4, 6, 9]),
    arcCost: Float64Array.from([1, 4, 2, 1, 1]),
  };
  const r = networkSimplex(net);
  // 0->1 8 (8), 1->3 4 (8), 1->2 4 (4), 0->2 2 (8), 2->3 6 (6) = 34
  assert.equal(r.cost, 34);
  assert.deepEqual(Array.from(r.flow), [8, 2, 4, 4, 6]);
});
