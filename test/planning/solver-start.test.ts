// The assignment's lean set-up (issue 11, small instances within 2x of LEMON): the greedy start is handed to the
// simplex without its checks (simplexFromBasis), so these tests run the same starts through the full checks
// (checkStart) on many instances, and compare the optima with the LP and across both paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { solveAssignment, type AssignmentProblem } from '../../src/planning/assignment.ts';
import { networkSimplex, simplexFromBasis, type FlowNetwork } from '../../src/planning/simplex.ts';
import { cityInstance } from '../../bench/planning-instance.ts';
import { lpOptimum } from './lp.ts';
import { rng } from './rng.ts';

function assertFeasible(p: AssignmentProblem, arcFlow: Float64Array, covered: number, cost: number): void {
  const outD = new Float64Array(p.demand.length), inS = new Float64Array(p.places.length);
  let sum = 0, walk = 0;
  arcFlow.forEach((f, k) => {
    assert.ok(f >= 0 && Number.isInteger(f));
    outD[p.arcFrom[k]] += f;
    inS[p.arcTo[k]] += f;
    sum += f;
    walk += f * p.arcCost[k];
  });
  outD.forEach((f, i) => assert.ok(f <= p.demand[i], `point ${i} sends ${f} of ${p.demand[i]}`));
  inS.forEach((f, j) => assert.ok(f <= p.places[j], `shelter ${j} takes ${f} of ${p.places[j]}`));
  assert.equal(sum, covered, 'covered is the sum of the flows');
  assert.equal(walk, cost, 'walking is the sum of flow x cost');
}

/** Points and shelters over a small town; some points with no one, some shelters with no places, some with room for everyone. */
function town(seed: number): AssignmentProblem {
  const r = rng(seed);
  const D = 20 + Math.floor(r() * 60), S = 3 + Math.floor(r() * 10);
  const px = Array.from({ length: D }, () => r() * 1000), py = Array.from({ length: D }, () => r() * 1000);
  const sx = Array.from({ length: S }, () => r() * 1000), sy = Array.from({ length: S }, () => r() * 1000);
  const radius = 250 + r() * 400;
  const from: number[] = [], to: number[] = [], cost: number[] = [];
  for (let i = 0; i < D; i++) for (let j = 0; j < S; j++) {
    const d = Math.hypot(px[i] - sx[j], py[i] - sy[j]);
    // Rounded to 10 s steps so that ties are common.
    if (d <= radius) { from.push(i); to.push(j); cost.push(Math.round(d / 13) * 10); }
  }
  const demand = Float64Array.from({ length: D }, () => (r() < 0.1 ? 0 : 1 + Math.floor(r() * 40)));
  const people = demand.reduce((a, b) => a + b, 0);
  const share = [0.3, 0.9, 1.5, 5][seed % 4];
  const places = Float64Array.from({ length: S }, () => (r() < 0.1 ? 0 : Math.floor((0.2 + r()) * share * people / S)));
  return { demand, places, arcFrom: Uint32Array.from(from), arcTo: Uint32Array.from(to), arcCost: Float64Array.from(cost) };
}

test('the greedy start passes the full start checks and the optimum equals the LP on 60 towns', async () => {
  for (let seed = 1; seed <= 60; seed++) {
    const p = town(seed);
    // checkStart: conservation, bounds, one spanning tree, strong feasibility, and the states read from the flow.
    const checked = solveAssignment(p, undefined, { checkStart: true });
    const trusted = solveAssignment(p);
    const lp = await lpOptimum(p);
    assert.equal(checked.covered, lp.covered, `seed ${seed}: covered`);
    assert.equal(checked.cost, lp.cost, `seed ${seed}: cost`);
    assert.equal(trusted.covered, checked.covered, `seed ${seed}: trusted covered`);
    assert.equal(trusted.cost, checked.cost, `seed ${seed}: trusted cost`);
    assert.equal(trusted.pivots, checked.pivots, `seed ${seed}: the same pivots from the same start`);
    assertFeasible(p, trusted.arcFlow, trusted.covered, trusted.cost);
  }
});

test('benchmark-shaped instances: checked and renumbered paths agree with the LP', async () => {
  for (let seed = 1; seed <= 6; seed++) {
    const p = cityInstance(150 + seed * 40, 6 + seed, 6, seed);
    const lp = await lpOptimum(p);
    for (const options of [{ checkStart: true }, { checkStart: true, relabel: true }, { relabel: true }, {}]) {
      const s = solveAssignment(p, undefined, options);
      assert.equal(s.covered, lp.covered, `seed ${seed} ${JSON.stringify(options)}: covered`);
      assert.equal(s.cost, lp.cost, `seed ${seed} ${JSON.stringify(options)}: cost`);
      assertFeasible(p, s.arcFlow, s.covered, s.cost);
    }
  }
});

test('a 2,000-point instance: the trusted start gives the same optimum as the checked one', () => {
  const p = cityInstance(2_000, 40, 10, 7);
  const a = solveAssignment(p, undefined, { checkStart: true });
  const b = solveAssignment(p);
  assert.equal(b.covered, a.covered);
  assert.equal(b.cost, a.cost);
  assert.ok(a.covered > 0 && a.covered < p.demand.reduce((x, y) => x + y, 0), 'places are scarce: some people stay uncovered');
  assertFeasible(p, b.arcFlow, b.covered, b.cost);
});

test('settled points and searched points add up (nearest shelters with room to spare next to contested ones)', () => {
  // P1 (10) reaches U (100 places) at 5 s: settled there. P2 (10) and P3 (10) both reach only V (10 places) at 20 and
  // 30 s: contested, the search gives V to P2. Covered 20 = 10 settled + 10 searched; walking 50 + 200 = 250.
  const p: AssignmentProblem = {
    demand: Float64Array.from([10, 10, 10]),
    places: Float64Array.from([100, 10]),
    arcFrom: Uint32Array.from([0, 1, 2]),
    arcTo: Uint32Array.from([0, 1, 1]),
    arcCost: Float64Array.from([5, 20, 30]),
  };
  const s = solveAssignment(p, undefined, { checkStart: true });
  assert.deepEqual(Array.from(s.arcFlow), [10, 10, 0]);
  assert.equal(s.covered, 20);
  assert.equal(s.uncovered, 10);
  assert.equal(s.cost, 250);
});

test('simplexFromBasis with checkStart refuses what networkSimplex refuses; without it, a valid start gives the optimum', () => {
  const net: FlowNetwork = {
    nodeCount: 3,
    supply: Float64Array.from([5, 0, -5]),
    arcFrom: Uint32Array.from([0, 1, 0]),
    arcTo: Uint32Array.from([1, 2, 2]),
    arcCap: Float64Array.from([10, 10, 5]),
    arcCost: Float64Array.from([1, 1, 5]),
  };
  // 0 -> 1 -> 2 carrying 5 (cost 10), node 2 on top; the direct arc 0 -> 2 (cost 5 each) at nothing.
  const good = { flow: Float64Array.from([5, 5, 0]), treeArc: Int32Array.from([0, 1, -1]), upper: new Int32Array(0), maxCost: 5 };
  assert.equal(simplexFromBasis(net, good).cost, 10);
  assert.equal(simplexFromBasis(net, good, undefined, { checkStart: true }).cost, networkSimplex(net).cost);
  // The direct arc at capacity (5 x 5 = 25) is a valid start too: the simplex moves the flow back onto the path.
  const atUpper = { flow: Float64Array.from([0, 0, 5]), treeArc: Int32Array.from([0, 1, -1]), upper: Int32Array.from([2]), maxCost: 5 };
  assert.equal(simplexFromBasis(net, atUpper).cost, 10);
  assert.equal(simplexFromBasis(net, atUpper, undefined, { checkStart: true }).cost, 10);
  // The same flow hung from node 0: the empty arcs point down, so flow cannot be pushed up them.
  assert.throws(() => simplexFromBasis(net, { ...atUpper, treeArc: Int32Array.from([-1, 0, 1]) }, undefined, { checkStart: true }), /not strongly feasible/);
  const unbalanced = { ...good, flow: Float64Array.from([5, 4, 0]) };
  assert.throws(() => simplexFromBasis(net, unbalanced, undefined, { checkStart: true }), /does not balance/);
  assert.throws(() => simplexFromBasis(net, { ...good, treeArc: Int32Array.from([-1, 1, -1]) }), /more than one top/);
  assert.throws(() => simplexFromBasis(net, { ...good, treeArc: Int32Array.from([0, 0, -1]) }), /does not join/);
});
