// The exact capacitated assignment: people at demand points to shelter places within the threshold, covering as many
// as possible and, among the assignments that cover that many, walking the least in total. One min-cost flow:
//   demand point (supply = people) -> shelter (arc per pair within T, cost = walking time) -> sink (capacity = places)
//   demand point -> sink directly ("uncovered", cost M)
// M exceeds the cost of any augmenting path (max arc cost x min(points, shelters)), so every optimum of this flow
// covers the maximum number of people first and minimises walking time second.
import { networkSimplex, type FlowNetwork } from './simplex.ts';

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
  const D = p.demand.length, S = p.places.length;
  for (let i = 0; i < D; i++) if (!(Number.isInteger(p.demand[i]) && p.demand[i] >= 0)) throw new Error(`demand ${i} must be a whole number >= 0, not ${p.demand[i]}`);
  for (let j = 0; j < S; j++) if (!(Number.isInteger(p.places[j]) && p.places[j] >= 0)) throw new Error(`places of shelter ${j} must be a whole number >= 0, not ${p.places[j]}`);
  const A = p.arcFrom.length;
  if (p.arcTo.length !== A || p.arcCost.length !== A) throw new Error('arc arrays differ in length');
  for (let k = 0; k < A; k++) {
    if (p.arcFrom[k] >= D || p.arcTo[k] >= S) throw new Error(`arc ${k} refers to a missing point or shelter`);
    if (!(Number.isInteger(p.arcCost[k]) && p.arcCost[k] >= 0)) throw new Error(`arc ${k}: cost must be a whole number >= 0, not ${p.arcCost[k]}`);
  }
}

export function solveAssignment(p: AssignmentProblem, onProgress?: (pivots: number) => void): AssignmentSolution {
  checkProblem(p);
  const D = p.demand.length, S = p.places.length, A = p.arcFrom.length;
  // Only points with people and an arc, and shelters with places and an arc, take part.
  const hasArcD = new Uint8Array(D), hasArcS = new Uint8Array(S);
  for (let k = 0; k < A; k++) {
    if (p.demand[p.arcFrom[k]] > 0 && p.places[p.arcTo[k]] > 0) {
      hasArcD[p.arcFrom[k]] = 1;
      hasArcS[p.arcTo[k]] = 1;
    }
  }
  const dNode = new Int32Array(D).fill(-1), sNode = new Int32Array(S).fill(-1);
  let nodes = 0;
  for (let i = 0; i < D; i++) if (hasArcD[i]) dNode[i] = nodes++;
  const dActive = nodes;
  for (let j = 0; j < S; j++) if (hasArcS[j]) sNode[j] = nodes++;
  const sActive = nodes - dActive;
  const sink = nodes++;
  const used: number[] = [];
  let maxCost = 0;
  for (let k = 0; k < A; k++) {
    if (dNode[p.arcFrom[k]] >= 0 && sNode[p.arcTo[k]] >= 0) {
      used.push(k);
      if (p.arcCost[k] > maxCost) maxCost = p.arcCost[k];
    }
  }
  const M = maxCost * Math.min(dActive, sActive) + 1;
  const m = used.length + sActive + dActive;
  const net: FlowNetwork = {
    nodeCount: nodes,
    supply: new Float64Array(nodes),
    arcFrom: new Uint32Array(m),
    arcTo: new Uint32Array(m),
    arcCap: new Float64Array(m),
    arcCost: new Float64Array(m),
  };
  let total = 0;
  for (let i = 0; i < D; i++) {
    if (dNode[i] < 0) continue;
    net.supply[dNode[i]] = p.demand[i];
    total += p.demand[i];
  }
  net.supply[sink] = -total;
  let e = 0;
  for (const k of used) {
    net.arcFrom[e] = dNode[p.arcFrom[k]];
    net.arcTo[e] = sNode[p.arcTo[k]];
    net.arcCap[e] = Infinity;
    net.arcCost[e] = p.arcCost[k];
    e++;
  }
  for (let j = 0; j < S; j++) {
    if (sNode[j] < 0) continue;
    net.arcFrom[e] = sNode[j];
    net.arcTo[e] = sink;
    net.arcCap[e] = p.places[j];
    e++;
  }
  // Start from "everyone uncovered": each point's uncovered arc in the tree, below the sink.
  const arcOf = new Int32Array(nodes).fill(-1);
  for (let i = 0; i < D; i++) {
    if (dNode[i] < 0) continue;
    net.arcFrom[e] = dNode[i];
    net.arcTo[e] = sink;
    net.arcCap[e] = Infinity;
    net.arcCost[e] = M;
    arcOf[dNode[i]] = e;
    e++;
  }
  const res = networkSimplex(net, onProgress, { node: sink, arcOf });
  const arcFlow = new Float64Array(A);
  let covered = 0, cost = 0;
  used.forEach((k, idx) => {
    const f = res.flow[idx];
    arcFlow[k] = f;
    covered += f;
    cost += f * p.arcCost[k];
  });
  let people = 0;
  for (let i = 0; i < D; i++) people += p.demand[i];
  return { arcFlow, covered, uncovered: people - covered, cost, pivots: res.pivots };
}
