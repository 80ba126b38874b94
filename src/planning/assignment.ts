// The exact capacitated assignment: people at demand points to shelter places within the threshold, covering as many
// as possible and, among the assignments that cover that many, walking the least in total. One min-cost flow:
//   demand point (supply = people) -> shelter (arc per pair within T, cost = walking time) -> sink (capacity = places)
//   demand point -> sink directly ("uncovered", cost M)
// M exceeds the cost of any augmenting path (max arc cost x min(points, shelters)), so every optimum of this flow
// covers the maximum number of people first and minimises walking time second.
import { simplexFromBasis, type FlowNetwork, type SimplexOptions, type TrustedStart } from './simplex.ts';

export interface AssignmentProblem {
  /** People at each demand point (whole numbers >= 0). */
  demand: Float64Array;
  /** Places in each shelter (whole numbers >= 0). */
  places: Float64Array;
  /** Pairs within the threshold: demand point arcFrom[k] may go to shelter arcTo[k] at cost arcCost[k] (whole numbers >= 0). */
  arcFrom: Uint32Array;
  arcTo: Uint32Array;
  arcCost: Float64Array;
}

export interface AssignmentSolution {
  /** People sent along each pair. */
  arcFlow: Float64Array;
  covered: number;
  uncovered: number;
  /** Sum of cost x people over the covered. */
  cost: number;
  pivots: number;
}

export function checkProblem(p: AssignmentProblem): void {
  measure(p);
}

/** What one pass over the pairs learns besides checking them (only pairs whose point has people and whose shelter has places count). */
interface Measures {
  /** People who can reach each shelter. */
  reach: Float64Array;
  /** Each point's cheapest walk (Infinity: none). */
  nearest: Float64Array;
  maxCost: number;
}

function measure(p: AssignmentProblem): Measures {
  const { demand, places, arcFrom, arcTo, arcCost } = p;
  const D = demand.length, S = places.length, A = arcFrom.length;
  for (let i = 0; i < D; i++) if (!(Number.isInteger(demand[i]) && demand[i] >= 0)) throw new Error(`demand ${i} must be a whole number >= 0, not ${demand[i]}`);
  for (let j = 0; j < S; j++) if (!(Number.isInteger(places[j]) && places[j] >= 0)) throw new Error(`places of shelter ${j} must be a whole number >= 0, not ${places[j]}`);
  if (arcTo.length !== A || arcCost.length !== A) throw new Error('arc arrays differ in length');
  const reach = new Float64Array(S);
  const nearest = new Float64Array(D).fill(Infinity);
  let maxCost = 0;
  for (let k = 0; k < A; k++) {
    const i = arcFrom[k], j = arcTo[k], c = arcCost[k];
    if (i >= D || j >= S) throw new Error(`arc ${k} refers to a missing point or shelter`);
    if (!(Number.isInteger(c) && c >= 0)) throw new Error(`arc ${k}: cost must be a whole number >= 0, not ${c}`);
    const d = demand[i];
    if (d > 0 && places[j] > 0) {
      reach[j] += d;
      if (c < nearest[i]) nearest[i] = c;
      if (c > maxCost) maxCost = c;
    }
  }
  return { reach, nearest, maxCost };
}

/**
 * The set-up makes few passes over the pairs, each in a small function: a 10,000-point solve is over in a tenth of a
 * second, so the time V8 spends running each pass before optimising it counts as much as the pivots.
 */
export function solveAssignment(p: AssignmentProblem, onProgress?: (pivots: number) => void, options?: SimplexOptions): AssignmentSolution {
  const measures = measure(p);
  const D = p.demand.length, S = p.places.length, A = p.arcFrom.length;
  let people = 0;
  for (let i = 0; i < D; i++) people += p.demand[i];
  const arcFlow = new Float64Array(A);
  // What is left after the points settled without search (null: none); arcFlow holds their people.
  const settled = settleUncontested(p, measures, arcFlow);
  const demand = settled ? settled.demand : p.demand, places = settled ? settled.places : p.places;
  // Only points with people and a pair, and shelters with places and a pair, take part.
  const dNode = new Int32Array(D), sNode = new Int32Array(S);
  if (settled) markActive(p, demand, places, dNode, sNode);
  else {
    for (let i = 0; i < D; i++) dNode[i] = measures.nearest[i] < Infinity ? 1 : 0;
    for (let j = 0; j < S; j++) sNode[j] = measures.reach[j] > 0 ? 1 : 0;
  }
  let nodes = 0, total = 0;
  for (let i = 0; i < D; i++) {
    if (dNode[i] === 1) {
      dNode[i] = nodes++;
      total += demand[i];
    } else dNode[i] = -1;
  }
  const dActive = nodes;
  for (let j = 0; j < S; j++) sNode[j] = sNode[j] === 1 ? nodes++ : -1;
  const sActive = nodes - dActive;
  const sink = nodes++;
  // M from the largest walk of any pair with people and places: at least that of the pairs left, so still enough.
  const M = measures.maxCost * Math.min(dActive, sActive) + 1;
  if (!(total * M < 2 ** 53)) throw new Error('walking times too large for exact arithmetic');
  const net = buildNetwork(p, dNode, sNode, places, nodes, dActive, sActive, M);
  const supply = net.flow.supply;
  for (let i = 0; i < D; i++) if (dNode[i] >= 0) supply[dNode[i]] = demand[i];
  supply[sink] = -total;
  const res = simplexFromBasis(net.flow, greedyStart(net.flow, net.pairs, dActive, sActive, M, measures.maxCost), onProgress, options);
  const flow = res.flow, used = net.used, arcCost = p.arcCost;
  let covered = settled ? settled.covered : 0, walking = settled ? settled.walking : 0;
  for (let r = 0; r < net.pairs; r++) {
    const f = flow[r];
    if (f === 0) continue;
    const k = used[r];
    arcFlow[k] += f;
    covered += f;
    walking += f * arcCost[k];
  }
  return { arcFlow, covered, uncovered: people - covered, cost: walking, pivots: res.pivots };
}

/** Marks (with 1) the points and shelters that still share a pair with people and places. */
function markActive(p: AssignmentProblem, demand: Float64Array, places: Float64Array, dNode: Int32Array, sNode: Int32Array): void {
  const { arcFrom, arcTo } = p;
  for (let k = 0; k < arcFrom.length; k++) {
    const i = arcFrom[k], j = arcTo[k];
    if (demand[i] > 0 && places[j] > 0) {
      dNode[i] = 1;
      sNode[j] = 1;
    }
  }
}

/**
 * The flow network: points 0..D-1, shelters D..D+S-1, sink D+S (D, S: the active ones); arcs: the pairs used, then
 * each shelter's places, then each point's "uncovered". `used[r]` is the problem's pair for arc r. Supplies are left
 * for the caller.
 */
function buildNetwork(p: AssignmentProblem, dNode: Int32Array, sNode: Int32Array, places: Float64Array, nodes: number, D: number, S: number, M: number): { flow: FlowNetwork; pairs: number; used: Int32Array } {
  const A = p.arcFrom.length;
  const mMax = A + S + D;
  const from = new Uint32Array(mMax), to = new Uint32Array(mMax), cap = new Float64Array(mMax).fill(Infinity), cost = new Float64Array(mMax);
  const used = new Int32Array(A);
  const U = copyPairs(p, dNode, sNode, from, to, cost, used);
  let e = U;
  for (let j = 0; j < sNode.length; j++) {
    if (sNode[j] < 0) continue;
    from[e] = sNode[j];
    to[e] = nodes - 1;
    cap[e] = places[j];
    e++;
  }
  e = addUncovered(dNode, from, to, cost, e, nodes - 1, M);
  const flow: FlowNetwork = { nodeCount: nodes, supply: new Float64Array(nodes), arcFrom: from.subarray(0, e), arcTo: to.subarray(0, e), arcCap: cap.subarray(0, e), arcCost: cost.subarray(0, e) };
  return { flow, pairs: U, used };
}

/** The pairs between active points and shelters, renumbered; returns how many. */
function copyPairs(p: AssignmentProblem, dNode: Int32Array, sNode: Int32Array, from: Uint32Array, to: Uint32Array, cost: Float64Array, used: Int32Array): number {
  const { arcFrom, arcTo, arcCost } = p;
  let U = 0;
  for (let k = 0; k < arcFrom.length; k++) {
    const i = dNode[arcFrom[k]], j = sNode[arcTo[k]];
    if (i < 0 || j < 0) continue;
    from[U] = i;
    to[U] = j;
    cost[U] = arcCost[k];
    used[U++] = k;
  }
  return U;
}

/** Each active point's "uncovered" arc to the sink, from arc e on; returns the next arc. */
function addUncovered(dNode: Int32Array, from: Uint32Array, to: Uint32Array, cost: Float64Array, e: number, sink: number, M: number): number {
  for (let i = 0; i < dNode.length; i++) {
    if (dNode[i] < 0) continue;
    from[e] = dNode[i];
    to[e] = sink;
    cost[e] = M;
    e++;
  }
  return e;
}

/**
 * Settles, before any search, the points whose nearest shelter can never fill: a shelter with at least as many places
 * as all the people who can reach it. Some optimum sends all of such a point's people there (moving them there from
 * anywhere else keeps every place limit, covers no fewer and walks no farther), so they are assigned and taken out;
 * this makes other shelters uncontested in turn. In a city with places to spare most points go this way and the
 * search is left with the contested ones. Writes the settled people into `arcFlow`; returns the people and places left
 * and what the settled cover and walk (null if nobody was settled).
 */
function settleUncontested(p: AssignmentProblem, measures: Measures, arcFlow: Float64Array): { demand: Float64Array; places: Float64Array; covered: number; walking: number } | null {
  const { arcFrom, arcTo, arcCost } = p;
  const D = p.demand.length, S = p.places.length, A = arcFrom.length;
  const nearest = measures.nearest;
  let uncontested = 0;
  for (let j = 0; j < S; j++) if (p.places[j] > 0 && p.places[j] >= measures.reach[j]) uncontested++;
  if (uncontested === 0) return null;
  const demand = p.demand.slice(), places = p.places.slice(), reach = measures.reach.slice();
  // The pairs by point (CSR).
  const start = new Int32Array(D + 1);
  for (let k = 0; k < A; k++) if (demand[arcFrom[k]] > 0 && places[arcTo[k]] > 0) start[arcFrom[k] + 1]++;
  for (let i = 0; i < D; i++) start[i + 1] += start[i];
  const fill = start.slice(0, D);
  const byPoint = new Int32Array(start[D]);
  for (let k = 0; k < A; k++) if (demand[arcFrom[k]] > 0 && places[arcTo[k]] > 0) byPoint[fill[arcFrom[k]]++] = k;
  let covered = 0, walking = 0;
  // A few sweeps: settling points can make more shelters uncontested; whatever is left goes to the search.
  for (let sweep = 0, changed = true; changed && sweep < 8; sweep++) {
    changed = false;
    for (let i = 0; i < D; i++) {
      const d = demand[i];
      if (d === 0) continue;
      let to = -1;
      for (let r = start[i]; r < start[i + 1]; r++) {
        const k = byPoint[r], j = arcTo[k];
        if (arcCost[k] === nearest[i] && places[j] >= reach[j]) {
          to = k;
          break;
        }
      }
      if (to < 0) continue;
      for (let r = start[i]; r < start[i + 1]; r++) reach[arcTo[byPoint[r]]] -= d;
      arcFlow[to] = d;
      places[arcTo[to]] -= d;
      demand[i] = 0;
      covered += d;
      walking += d * arcCost[to];
      changed = true;
    }
  }
  return covered > 0 ? { demand, places, covered, walking } : null;
}

/**
 * The greedy "least cost first" assignment as a starting basis: pairs in order of walking time, each given as many
 * people as both its point and its shelter have left. Every such step uses up its point or its shelter (or both),
 * so the pairs used form a forest with at most one node left unused in each tree (its point with people left over,
 * or its shelter with places left); that node joins the tree to the sink (the point by its "uncovered" arc, the shelter
 * by its places arc), and a tree with none joins by one of its points' "uncovered" arcs, carrying nothing. Zero-flow
 * arcs point up and no tree arc is at capacity, so the tree is strongly feasible.
 * Network layout (as built by solveAssignment): points 0..D-1, shelters D..D+S-1, sink D+S; arcs: U pairs, then S
 * places arcs, then D uncovered arcs.
 */
function greedyStart(net: FlowNetwork, U: number, D: number, S: number, M: number, maxPairCost: number): TrustedStart {
  const n = net.nodeCount, m = net.arcFrom.length;
  const { supply, arcCap } = net;
  const order = byCost(net.arcCost, U, maxPairCost);
  const left = new Float64Array(n);
  for (let i = 0; i < D; i++) left[i] = supply[i];
  for (let j = 0; j < S; j++) left[D + j] = arcCap[U + j];
  const flow = new Float64Array(m);
  const deg = new Int32Array(n + 1);
  const used = allocate(net, order, U, left, flow, deg);
  // Full shelters' places arcs are at capacity and out of the tree (a full shelter never joins its tree to the sink).
  let full = 0;
  for (let j = 0; j < S; j++) {
    flow[U + j] = arcCap[U + j] - left[D + j];
    if (left[D + j] === 0) full++;
  }
  const upper = new Int32Array(full);
  for (let j = 0, k = 0; j < S; j++) if (left[D + j] === 0) upper[k++] = U + j;
  for (let i = 0; i < D; i++) flow[U + S + i] = left[i];
  const treeArc = spanningTree(net, order, used, deg, left, U, D, S);
  return { flow, treeArc, upper, maxCost: Math.max(M, maxPairCost) };
}

/** The greedy allocation in `order`; overwrites order[0..used) with the pairs used and counts them in deg (offset by one); returns used. */
function allocate(net: FlowNetwork, order: Uint32Array, U: number, left: Float64Array, flow: Float64Array, deg: Int32Array): number {
  const { arcFrom, arcTo } = net;
  let used = 0;
  for (let r = 0; r < U; r++) {
    const a = order[r];
    const i = arcFrom[a], j = arcTo[a];
    const x = left[i] < left[j] ? left[i] : left[j];
    if (x <= 0) continue;
    flow[a] = x;
    left[i] -= x;
    left[j] -= x;
    deg[i + 1]++;
    deg[j + 1]++;
    order[used++] = a;
  }
  return used;
}

/** The parent arc of every node: each tree of the forest of pairs used hangs from the sink by its one unused node. */
function spanningTree(net: FlowNetwork, order: Uint32Array, used: number, deg: Int32Array, left: Float64Array, U: number, D: number, S: number): Int32Array {
  const n = net.nodeCount, sink = n - 1;
  const { arcFrom, arcTo } = net;
  const adj = forestAdjacency(net, order, used, deg);
  // Per tree: the node that joins it to the sink, then a search from it for everyone's parent arc.
  const treeArc = new Int32Array(n).fill(-2);
  treeArc[sink] = -1;
  const queue = new Int32Array(n);
  const seen = new Uint8Array(n);
  for (let s = 0; s < sink; s++) {
    if (seen[s]) continue;
    let head = 0, tail = 0, join = -1, point = -1;
    queue[tail++] = s;
    seen[s] = 1;
    while (head < tail) {
      const v = queue[head++];
      if (left[v] > 0) {
        if (join >= 0) throw new Error('internal: greedy start left two unused nodes in one tree');
        join = v;
      }
      if (point < 0 && v < D) point = v;
      for (let k = deg[v]; k < deg[v + 1]; k++) {
        const a = adj[k];
        const w = arcFrom[a] === v ? arcTo[a] : arcFrom[a];
        if (!seen[w]) {
          seen[w] = 1;
          queue[tail++] = w;
        }
      }
    }
    if (join < 0) join = point;
    if (join < 0) throw new Error('internal: greedy start found a tree with neither a point nor a free place');
    treeArc[join] = join < D ? U + S + join : U + (join - D);
    head = 0;
    tail = 0;
    queue[tail++] = join;
    while (head < tail) {
      const v = queue[head++];
      for (let k = deg[v]; k < deg[v + 1]; k++) {
        const a = adj[k];
        const w = arcFrom[a] === v ? arcTo[a] : arcFrom[a];
        if (treeArc[w] === -2) {
          treeArc[w] = a;
          queue[tail++] = w;
        }
      }
    }
  }
  return treeArc;
}

/** Indices 0..count-1 ordered by cost (ties by index): a counting sort when the costs (at most max) are small whole numbers. */
function byCost(cost: Float64Array, count: number, max: number): Uint32Array {
  const order = new Uint32Array(count);
  if (max > 4 * count + 1_000_000) {
    for (let k = 0; k < count; k++) order[k] = k;
    return order.sort((a, b) => cost[a] - cost[b] || a - b);
  }
  const start = new Int32Array(max + 2);
  countCosts(cost, count, start);
  prefixSums(start);
  placeByCost(cost, count, start, order);
  return order;
}

function countCosts(cost: Float64Array, count: number, start: Int32Array): void {
  for (let k = 0; k < count; k++) start[cost[k] + 1]++;
}

function placeByCost(cost: Float64Array, count: number, start: Int32Array, order: Uint32Array): void {
  for (let k = 0; k < count; k++) order[start[cost[k]]++] = k;
}

/** start[k] becomes the sum of start[0..k]. */
function prefixSums(start: Int32Array): void {
  for (let k = 1; k < start.length; k++) start[k] += start[k - 1];
}

/** The pairs used, listed by node (CSR: node v's from deg[v] to deg[v + 1], where deg counts them offset by one). */
function forestAdjacency(net: FlowNetwork, order: Uint32Array, used: number, deg: Int32Array): Int32Array {
  const { arcFrom, arcTo } = net;
  prefixSums(deg);
  const fill = deg.slice(0, deg.length - 1);
  const adj = new Int32Array(2 * used);
  for (let r = 0; r < used; r++) {
    const a = order[r];
    adj[fill[arcFrom[a]]++] = a;
    adj[fill[arcTo[a]]++] = a;
  }
  return adj;
}
