// Primal network simplex for min-cost flow over typed arrays, after LEMON's NetworkSimplex (block search pivot rule,
// spanning tree kept as parent/thread/successor-count arrays, artificial root). Supplies, capacities and costs must be
// integers (kept in Float64Array, exact below 2^53); the result is an exact optimum. It may start from a given
// feasible basis (StartTree) instead of the artificial one: the assignment starts from its greedy solution.

const STATE_UPPER = -1;
const STATE_TREE = 0;
const STATE_LOWER = 1;
const DIR_UP = 1;
const DIR_DOWN = -1;
/**
 * From this many nodes on, a started solve renumbers the nodes in tree order first (see relabel): measured on
 * 100,000 x 2,000 it saves about a third of the time; on 10,000 x 200, whose arrays stay in the cache, it costs more
 * than it saves.
 */
const RELABEL_NODES = 50_000;

export interface FlowNetwork {
  nodeCount: number;
  /** Net supply of each node (positive: source of flow, negative: demand); must sum to 0. */
  supply: Float64Array;
  arcFrom: Uint32Array;
  arcTo: Uint32Array;
  /** Capacity of each arc; Infinity for none. */
  arcCap: Float64Array;
  arcCost: Float64Array;
}

export interface FlowResult {
  flow: Float64Array;
  cost: number;
  /** Node potentials of the optimal tree (dual values), for checking optimality. */
  potential: Float64Array;
  pivots: number;
}

export class InfeasibleFlowError extends Error {
  constructor() {
    super('the supplies cannot be routed to the demands');
    this.name = 'InfeasibleFlowError';
  }
}

/**
 * A starting basis: a feasible flow and a spanning tree of real arcs holding every arc whose flow is strictly between
 * its bounds. `treeArc[v]` joins node v to its parent; the one node with `treeArc[v] = -1` (the top) hangs below the
 * artificial root. The tree must be strongly feasible (LEMON's leaving-arc rule relies on it, against cycling): on the
 * path from any node to the top, an arc with zero flow points up and an arc at capacity points down. For the
 * assignment a greedy solution gives such a tree, and the simplex then only corrects it.
 */
export interface StartTree {
  flow: Float64Array;
  treeArc: Int32Array;
}

/**
 * A start its builder vouches for (see simplexFromBasis): the tree and flow as in StartTree, plus what the checks
 * would otherwise work out by reading every arc.
 */
export interface TrustedStart extends StartTree {
  /** The arcs outside the tree whose flow is at their capacity (every other arc outside the tree carries nothing). */
  upper: Int32Array;
  /** The largest |cost| of any arc. */
  maxCost: number;
}

/**
 * Solves min sum cost*flow s.t. flow conservation with the given supplies and 0 <= flow <= cap.
 * `onProgress(pivots)` is called every 2^16 pivots (for progress reports; may be omitted).
 */
export interface SimplexOptions {
  /** Renumber the nodes in start-tree order first (default: from RELABEL_NODES nodes on); the optimum is the same. */
  relabel?: boolean;
  /** simplexFromBasis only: check the trusted start as networkSimplex checks a start (tests use this). */
  checkStart?: boolean;
}

export function networkSimplex(net: FlowNetwork, onProgress?: (pivots: number) => void, start?: StartTree, options: SimplexOptions = {}): FlowResult {
  const n = net.nodeCount;
  const m = net.arcFrom.length;
  const { supply, arcCap, arcCost } = net;
  let sum = 0, supplied = 0, maxCost = 0;
  for (let e = 0; e < m; e++) {
    if (!(arcCap[e] >= 0)) throw new Error(`arc ${e}: capacity must be >= 0`);
    const c = Math.abs(arcCost[e]);
    if (c > maxCost) maxCost = c;
  }
  for (let v = 0; v < n; v++) {
    sum += supply[v];
    if (supply[v] > 0) supplied += supply[v];
  }
  if (sum !== 0) throw new Error(`supplies must sum to 0, not ${sum}`);
  if (n === 0) return { flow: new Float64Array(0), cost: 0, potential: new Float64Array(0), pivots: 0 };
  // The objective stays within total supply x maxCost; it must be exact in a double.
  if (!(supplied * maxCost < 2 ** 53)) throw new Error('costs too large for exact arithmetic');
  return solve(net, onProgress, start ?? null, true, maxCost, options);
}

/**
 * networkSimplex from a start that its builder vouches for, without reading every arc to check it (on a
 * 10,000-point assignment those checks cost as much as a third of the pivots while V8 is still warming up). The
 * builder must keep the objective exact in a double (supplied x maxCost < 2^53) and should test its starts with
 * `checkStart`; a start that is not a strongly feasible basis gives wrong results.
 */
export function simplexFromBasis(net: FlowNetwork, start: TrustedStart, onProgress?: (pivots: number) => void, options: SimplexOptions = {}): FlowResult {
  if (net.nodeCount === 0) return { flow: new Float64Array(0), cost: 0, potential: new Float64Array(0), pivots: 0 };
  return solve(net, onProgress, start, options.checkStart ?? false, start.maxCost, options);
}

function solve(net: FlowNetwork, onProgress: ((pivots: number) => void) | undefined, start: StartTree | TrustedStart | null, check: boolean, maxCost: number, options: SimplexOptions): FlowResult {
  const n = net.nodeCount;
  const m = net.arcFrom.length;
  const ART = (maxCost + 1) * (n + 1);
  // Potentials stay within ART + n x maxCost (one artificial arc and real arcs on any tree path); they must be exact.
  if (!(4 * ART < 2 ** 53)) throw new Error('costs too large for exact arithmetic');
  if (start && (options.relabel ?? n >= RELABEL_NODES)) {
    const r = relabel(net, start);
    const t = new Tree(r.net, ART);
    startFrom(r.start, r.net, t, check);
    const pivots = t.run(onProgress);
    const { flow, cost } = t;
    for (let e = m; e < m + n; e++) if (flow[e] !== 0) throw new InfeasibleFlowError();
    const outFlow = new Float64Array(m), potential = new Float64Array(n);
    let total = 0;
    for (let e = 0; e < m; e++) {
      outFlow[r.arcOf[e]] = flow[e];
      total += flow[e] * cost[e];
    }
    for (let v = 0; v < n; v++) potential[r.nodeOf[v]] = t.pi[v];
    return { flow: outFlow, cost: total, potential, pivots };
  }
  const t = new Tree(net, ART);
  if (start) startFrom(start, net, t, check);
  const pivots = t.run(onProgress);
  return finish(t, n, m, pivots);
}

/** The flow on the real arcs (refusing if an artificial arc still carries some) and its cost. */
function finish(t: Tree, n: number, m: number, pivots: number): FlowResult {
  const { flow, cost } = t;
  for (let e = m; e < m + n; e++) if (flow[e] !== 0) throw new InfeasibleFlowError();
  let total = 0;
  for (let e = 0; e < m; e++) total += flow[e] * cost[e];
  return { flow: flow.slice(0, m), cost: total, potential: t.pi.slice(0, n), pivots };
}

/**
 * Numbers the nodes in the start tree's depth-first order (and the arcs by their new source), so that a subtree is
 * a run of neighbouring indices: the potential updates and tree walks, which follow the thread from node to node,
 * then mostly read memory in order instead of jumping around (on 10^5 nodes the jumps miss the cache).
 */
function relabel(net: FlowNetwork, start: StartTree | TrustedStart): { net: FlowNetwork; start: StartTree | TrustedStart; nodeOf: Int32Array; arcOf: Int32Array } {
  const n = net.nodeCount, m = net.arcFrom.length;
  const { arcFrom, arcTo } = net, treeArc = start.treeArc;
  const count = new Int32Array(n + 2);
  const parentOf = new Int32Array(n);
  let top = -1;
  for (let v = 0; v < n; v++) {
    const a = treeArc[v];
    if (a < 0 || a >= m) {
      top = v;
      parentOf[v] = -1;
      continue;
    }
    const p = arcFrom[a] === v ? arcTo[a] : arcFrom[a];
    parentOf[v] = p;
    count[p + 1]++;
  }
  for (let v = 0; v <= n; v++) count[v + 1] += count[v];
  const fill = count.slice(0, n + 1);
  const child = new Int32Array(n);
  for (let v = 0; v < n; v++) if (parentOf[v] >= 0 && parentOf[v] < n) child[fill[parentOf[v]]++] = v;
  const nodeOf = new Int32Array(n), newId = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let sp = 0, k = 0;
  if (top >= 0) stack[sp++] = top;
  while (sp > 0) {
    const v = stack[--sp];
    if (newId[v] >= 0) continue;
    newId[v] = k;
    nodeOf[k++] = v;
    for (let i = count[v + 1] - 1; i >= count[v]; i--) stack[sp++] = child[i];
  }
  // Nodes not reached (an invalid start): keep them, startFrom will refuse the tree.
  for (let v = 0; v < n; v++) if (newId[v] < 0) { newId[v] = k; nodeOf[k++] = v; }
  const bySource = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) bySource[newId[arcFrom[e]] + 1]++;
  for (let v = 0; v < n; v++) bySource[v + 1] += bySource[v];
  const arcOf = new Int32Array(m), newArc = new Int32Array(m);
  for (let e = 0; e < m; e++) {
    const x = bySource[newId[arcFrom[e]]]++;
    arcOf[x] = e;
    newArc[e] = x;
  }
  const supply = new Float64Array(n);
  for (let v = 0; v < n; v++) supply[v] = net.supply[nodeOf[v]];
  const from = new Uint32Array(m), to = new Uint32Array(m), cap = new Float64Array(m), cost = new Float64Array(m), flow = new Float64Array(m);
  for (let x = 0; x < m; x++) {
    const e = arcOf[x];
    from[x] = newId[arcFrom[e]];
    to[x] = newId[arcTo[e]];
    cap[x] = net.arcCap[e];
    cost[x] = net.arcCost[e];
    flow[x] = start.flow[e];
  }
  const tree = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    const a = treeArc[nodeOf[v]];
    tree[v] = a >= 0 && a < m ? newArc[a] : a;
  }
  const renumbered: StartTree | TrustedStart = 'upper' in start ? { flow, treeArc: tree, upper: start.upper.map((a) => newArc[a]), maxCost: start.maxCost } : { flow, treeArc: tree };
  return { net: { nodeCount: n, supply, arcFrom: from, arcTo: to, arcCap: cap, arcCost: cost }, start: renumbered, nodeOf, arcOf };
}

/**
 * The spanning tree and the pivot steps. Each step is a small method called once per pivot, so that V8 optimises
 * each with full type feedback (one long function holding the whole loop is compiled on stack replacement before its
 * later parts have run, and deoptimised again and again: 2-3x slower on a first solve).
 */
class Tree {
  readonly n: number;
  readonly m: number;
  readonly root: number;
  readonly source: Int32Array;
  readonly target: Int32Array;
  readonly cap: Float64Array;
  readonly cost: Float64Array;
  readonly flow: Float64Array;
  readonly state: Int8Array;
  readonly parent: Int32Array;
  readonly pred: Int32Array;
  readonly thread: Int32Array;
  readonly revThread: Int32Array;
  readonly succNum: Int32Array;
  readonly lastSucc: Int32Array;
  readonly predDir: Int8Array;
  readonly pi: Float64Array;
  readonly dirty: Int32Array;
  readonly blockSize: number;
  nextArc = 0;
  inArc = -1;
  join = -1;
  uIn = -1;
  vIn = -1;
  uOut = -1;
  delta = 0;

  constructor(net: FlowNetwork, ART: number) {
    const n = (this.n = net.nodeCount);
    const m = (this.m = net.arcFrom.length);
    const all = m + n;
    const root = (this.root = n);
    const source = (this.source = new Int32Array(all));
    const target = (this.target = new Int32Array(all));
    const cap = (this.cap = new Float64Array(all));
    const cost = (this.cost = new Float64Array(all));
    const flow = (this.flow = new Float64Array(all));
    const state = (this.state = new Int8Array(all));
    const parent = (this.parent = new Int32Array(n + 1));
    const pred = (this.pred = new Int32Array(n + 1));
    const thread = (this.thread = new Int32Array(n + 1));
    const revThread = (this.revThread = new Int32Array(n + 1));
    const succNum = (this.succNum = new Int32Array(n + 1));
    const lastSucc = (this.lastSucc = new Int32Array(n + 1));
    const predDir = (this.predDir = new Int8Array(n + 1));
    const pi = (this.pi = new Float64Array(n + 1));
    this.dirty = new Int32Array(n + 1);
    // LEMON's block size for the block search pivot rule.
    this.blockSize = Math.max(Math.floor(Math.sqrt(m)), 10);
    source.set(net.arcFrom);
    target.set(net.arcTo);
    cap.set(net.arcCap);
    cost.set(net.arcCost);
    state.fill(STATE_LOWER, 0, m);
    // The artificial starting tree: every node below the root, by an arc carrying its supply.
    parent[root] = -1;
    pred[root] = -1;
    thread[root] = 0;
    revThread[0] = root;
    succNum[root] = n + 1;
    lastSucc[root] = root - 1;
    pi[root] = 0;
    const supply = net.supply;
    for (let u = 0, e = m; u < n; u++, e++) {
      parent[u] = root;
      pred[u] = e;
      thread[u] = u + 1;
      revThread[u + 1] = u;
      succNum[u] = 1;
      lastSucc[u] = u;
      cap[e] = Infinity;
      state[e] = STATE_TREE;
      const s = supply[u];
      if (s >= 0) {
        predDir[u] = DIR_UP;
        pi[u] = 0;
        source[e] = u;
        target[e] = root;
        flow[e] = s;
        cost[e] = 0;
      } else {
        predDir[u] = DIR_DOWN;
        pi[u] = ART;
        source[e] = root;
        target[e] = u;
        flow[e] = -s;
        cost[e] = ART;
      }
    }
    // With n = 1 thread[0] must point back to the root.
    thread[n - 1] = root;
    revThread[root] = n - 1;
  }

  run(onProgress?: (pivots: number) => void): number {
    let pivots = 0;
    while (this.findEnteringArc()) {
      this.findJoinNode();
      const change = this.findLeavingArc();
      if (this.delta === Infinity) throw new Error('unbounded: a cycle of negative cost with unlimited capacity');
      this.changeFlow(change);
      if (change) {
        this.updateTree();
        this.updatePotential();
      }
      pivots++;
      if (onProgress && (pivots & 0xffff) === 0) onProgress(pivots);
    }
    return pivots;
  }

  /**
   * Block search: the most negative reduced cost in the next block of arcs that has one. One loop that wraps around
   * (rather than two, LEMON's): the second loop would first run only once V8 has optimised the first and deoptimise it.
   */
  findEnteringArc(): boolean {
    const { state, cost, pi, source, target, m, blockSize } = this;
    let min = 0, best = -1;
    let cnt = blockSize;
    let e = this.nextArc;
    for (let k = 0; k < m; k++) {
      const c = state[e] * (cost[e] + pi[source[e]] - pi[target[e]]);
      if (c < min) {
        min = c;
        best = e;
      }
      if (++e === m) e = 0;
      if (--cnt === 0) {
        if (min < 0) break;
        cnt = blockSize;
      }
    }
    if (best < 0) return false;
    this.inArc = best;
    this.nextArc = e;
    return true;
  }

  /** The lowest common ancestor of the entering arc's ends. */
  findJoinNode(): void {
    const { succNum, parent } = this;
    let u = this.source[this.inArc], v = this.target[this.inArc];
    while (u !== v) {
      if (succNum[u] < succNum[v]) u = parent[u];
      else v = parent[v];
    }
    this.join = u;
  }

  /** The leaving arc: the last blocking arc of the cycle, which keeps the tree strongly feasible. False if the entering arc itself blocks. */
  findLeavingArc(): boolean {
    const { source, target, state, cap, flow, pred, predDir, parent } = this;
    const inArc = this.inArc, join = this.join;
    let first: number, second: number;
    if (state[inArc] === STATE_LOWER) {
      first = source[inArc];
      second = target[inArc];
    } else {
      first = target[inArc];
      second = source[inArc];
    }
    let delta = cap[inArc];
    let result = 0, uOut = -1;
    for (let w = first; w !== join; w = parent[w]) {
      const e = pred[w];
      const c = cap[e], f = flow[e];
      const d = predDir[w] === DIR_DOWN ? c - f : f;
      if (d < delta) {
        delta = d;
        uOut = w;
        result = 1;
      }
    }
    for (let w = second; w !== join; w = parent[w]) {
      const e = pred[w];
      const c = cap[e], f = flow[e];
      const d = predDir[w] === DIR_UP ? c - f : f;
      if (d <= delta) {
        delta = d;
        uOut = w;
        result = 2;
      }
    }
    if (result === 1) {
      this.uIn = first;
      this.vIn = second;
    } else {
      this.uIn = second;
      this.vIn = first;
    }
    this.delta = delta;
    this.uOut = uOut;
    return result !== 0;
  }

  changeFlow(change: boolean): void {
    const { source, target, state, flow, pred, predDir, parent } = this;
    const inArc = this.inArc, join = this.join, delta = this.delta;
    if (delta > 0) {
      const val = state[inArc] * delta;
      flow[inArc] += val;
      for (let w = source[inArc]; w !== join; w = parent[w]) flow[pred[w]] -= predDir[w] * val;
      for (let w = target[inArc]; w !== join; w = parent[w]) flow[pred[w]] += predDir[w] * val;
    }
    if (change) {
      state[inArc] = STATE_TREE;
      const out = pred[this.uOut];
      state[out] = flow[out] === 0 ? STATE_LOWER : STATE_UPPER;
    } else {
      state[inArc] = -state[inArc];
    }
  }

  /** Hangs the subtree cut off by the leaving arc below the entering arc (thread, parents, sizes, last successors). */
  updateTree(): void {
    const { source, parent, pred, predDir, thread, revThread, succNum, lastSucc, dirty } = this;
    const inArc = this.inArc, join = this.join, uIn = this.uIn, vIn = this.vIn, uOut = this.uOut;
    const oldRevThread = revThread[uOut];
    const oldSuccNum = succNum[uOut];
    const oldLastSucc = lastSucc[uOut];
    const vOut = parent[uOut];
    if (uIn === uOut) {
      parent[uIn] = vIn;
      pred[uIn] = inArc;
      predDir[uIn] = uIn === source[inArc] ? DIR_UP : DIR_DOWN;
      if (thread[vIn] !== uOut) {
        let after = thread[oldLastSucc];
        thread[oldRevThread] = after;
        revThread[after] = oldRevThread;
        after = thread[vIn];
        thread[vIn] = uOut;
        revThread[uOut] = vIn;
        thread[oldLastSucc] = after;
        revThread[after] = oldLastSucc;
      }
    } else {
      const threadContinue = oldRevThread === vIn ? thread[oldLastSucc] : thread[vIn];
      let stem = uIn;
      let parStem = vIn;
      let last = lastSucc[uIn];
      let after = thread[last];
      thread[vIn] = uIn;
      let nd = 0;
      dirty[nd++] = vIn;
      while (stem !== uOut) {
        const nextStem = parent[stem];
        thread[last] = nextStem;
        dirty[nd++] = last;
        const before = revThread[stem];
        thread[before] = after;
        revThread[after] = before;
        parent[stem] = parStem;
        parStem = stem;
        stem = nextStem;
        // Both reads always happen, so V8 has seen both before it optimises (a rarely taken read deoptimises it).
        const ls = lastSucc[stem], rp = revThread[parStem];
        last = ls === lastSucc[parStem] ? rp : ls;
        after = thread[last];
      }
      parent[uOut] = parStem;
      thread[last] = threadContinue;
      revThread[threadContinue] = last;
      lastSucc[uOut] = last;
      if (oldRevThread !== vIn) {
        thread[oldRevThread] = after;
        revThread[after] = oldRevThread;
      }
      for (let i = 0; i < nd; i++) {
        const w = dirty[i];
        revThread[thread[w]] = w;
      }
      let tmpSc = 0;
      const tmpLs = lastSucc[uOut];
      for (let w = uOut, p = parent[w]; w !== uIn; w = p, p = parent[w]) {
        pred[w] = pred[p];
        predDir[w] = -predDir[p];
        tmpSc += succNum[w] - succNum[p];
        succNum[w] = tmpSc;
        lastSucc[p] = tmpLs;
      }
      pred[uIn] = inArc;
      predDir[uIn] = uIn === source[inArc] ? DIR_UP : DIR_DOWN;
      succNum[uIn] = oldSuccNum;
    }
    const upLimitOut = lastSucc[join] === vIn ? join : -1;
    const lastSuccOut = lastSucc[uOut];
    for (let w = vIn; w !== -1 && lastSucc[w] === vIn; w = parent[w]) lastSucc[w] = lastSuccOut;
    if (join !== oldRevThread && vIn !== oldRevThread) {
      for (let w = vOut; w !== upLimitOut && lastSucc[w] === oldLastSucc; w = parent[w]) lastSucc[w] = oldRevThread;
    } else if (lastSuccOut !== oldLastSucc) {
      for (let w = vOut; w !== upLimitOut && lastSucc[w] === oldLastSucc; w = parent[w]) lastSucc[w] = lastSuccOut;
    }
    for (let w = vIn; w !== join; w = parent[w]) succNum[w] += oldSuccNum;
    for (let w = vOut; w !== join; w = parent[w]) succNum[w] -= oldSuccNum;
  }

  /** Shifts the potentials of the moved subtree so that the entering arc's reduced cost is 0. */
  updatePotential(): void {
    const { pi, thread } = this;
    const uIn = this.uIn;
    const sigma = pi[this.vIn] - pi[uIn] - this.predDir[uIn] * this.cost[this.inArc];
    const end = thread[this.lastSucc[uIn]];
    for (let w = uIn; w !== end; w = thread[w]) pi[w] += sigma;
  }
}

/**
 * Replaces the artificial starting tree by `start`. With `check`, the start is checked (conservation, bounds, a
 * spanning tree, strong feasibility) and each arc's state read from its flow; without, a TrustedStart's `upper` gives
 * the states. Each pass is its own small function: V8 then optimises it on its own, while it runs, instead of
 * recompiling one long function whenever it reaches code that has not run yet.
 */
function startFrom(start: StartTree | TrustedStart, net: FlowNetwork, t: Tree, check: boolean): void {
  const n = net.nodeCount, m = net.arcFrom.length;
  if (start.flow.length !== m || start.treeArc.length !== n) throw new Error('start: wrong lengths');
  const top = adoptTreeArcs(start.treeArc, t, n, m);
  if (check) {
    checkStrongFeasibility(start.flow, t, n, top);
    adoptCheckedFlow(start.flow, net.supply, t, m);
  } else if ('upper' in start) {
    t.flow.set(start.flow);
    for (let k = 0; k < start.upper.length; k++) t.state[start.upper[k]] = STATE_UPPER;
  } else throw new Error('internal: an unchecked start must say which arcs are at capacity');
  // Artificial arcs: all out of the tree with no flow, except the top's (no flow either: the start flow balances).
  const { flow, state } = t;
  for (let v = 0; v < n; v++) {
    flow[m + v] = 0;
    if (v !== top) state[m + v] = STATE_LOWER;
  }
  threadTree(t, n, top);
}

/** Parent, tree arc and direction of every node from `treeArc`; returns the top node. */
function adoptTreeArcs(treeArc: Int32Array, t: Tree, n: number, m: number): number {
  const { source, target, state, parent, pred, predDir } = t;
  const root = t.root;
  let top = -1;
  for (let v = 0; v < n; v++) {
    const a = treeArc[v];
    if (a < 0) {
      if (top >= 0) throw new Error('start: more than one top node');
      top = v;
      parent[v] = root;
      continue;
    }
    if (a >= m) throw new Error(`start: tree arc ${a} of node ${v} does not exist`);
    const up = source[a] === v;
    const p = up ? target[a] : source[a];
    if ((!up && target[a] !== v) || p === v || state[a] === STATE_TREE) throw new Error(`start: tree arc ${a} does not join node ${v} to a parent`);
    parent[v] = p;
    pred[v] = a;
    predDir[v] = up ? DIR_UP : DIR_DOWN;
    state[a] = STATE_TREE;
  }
  if (top < 0) throw new Error('start: no top node');
  return top;
}

/** Strongly feasible: flow can still be pushed from every node towards its parent. */
function checkStrongFeasibility(sflow: Float64Array, t: Tree, n: number, top: number): void {
  const { cap, pred, predDir } = t;
  for (let v = 0; v < n; v++) {
    if (v === top) continue;
    const a = pred[v];
    if (predDir[v] === DIR_UP ? !(sflow[a] < cap[a]) : !(sflow[a] > 0)) throw new Error(`start: tree arc ${a} is not strongly feasible`);
  }
}

/** The flow on every arc, checked against its bounds and the supplies; arcs outside the tree at a bound. */
function adoptCheckedFlow(sflow: Float64Array, supply: Float64Array, t: Tree, m: number): void {
  const { source, target, cap, flow, state } = t;
  const n = supply.length;
  const balance = new Float64Array(n);
  for (let e = 0; e < m; e++) {
    const f = sflow[e];
    if (!(f >= 0 && f <= cap[e])) throw new Error(`start: flow ${f} on arc ${e} is out of bounds`);
    flow[e] = f;
    balance[source[e]] += f;
    balance[target[e]] -= f;
    if (state[e] !== STATE_TREE) {
      if (f === 0) state[e] = STATE_LOWER;
      else if (f === cap[e]) state[e] = STATE_UPPER;
      else throw new Error(`start: arc ${e} has flow strictly between its bounds but is not in the tree`);
    }
  }
  for (let v = 0; v < n; v++) if (balance[v] !== supply[v]) throw new Error(`start: flow does not balance at node ${v}`);
}

/** Preorder (thread), subtree sizes and last successors, and potentials of the tree given by `parent`. */
function threadTree(t: Tree, n: number, top: number): void {
  const count = new Int32Array(n + 2);
  const child = new Int32Array(Math.max(0, n - 1));
  childLists(t.parent, n, top, count, child);
  const order = preorder(t, n, top, count, child);
  linkThread(t, order);
  subtreeSizes(t, order, count, child);
}

/** Each node's children: child[count[v]..count[v + 1]). */
function childLists(parent: Int32Array, n: number, top: number, count: Int32Array, child: Int32Array): void {
  for (let v = 0; v < n; v++) if (v !== top) count[parent[v] + 1]++;
  for (let v = 0; v <= n; v++) count[v + 1] += count[v];
  const fill = count.slice(0, n + 1);
  for (let v = 0; v < n; v++) if (v !== top) child[fill[parent[v]]++] = v;
}

/** The nodes in depth-first order from the top, setting each node's potential from its parent's on the way. */
function preorder(t: Tree, n: number, top: number, count: Int32Array, child: Int32Array): Int32Array {
  const { cost, parent, pred, predDir, pi } = t;
  const order = new Int32Array(n);
  const stack = new Int32Array(n);
  let sp = 0, k = 0;
  stack[sp++] = top;
  while (sp > 0) {
    const v = stack[--sp];
    order[k++] = v;
    if (v !== top) pi[v] = predDir[v] === DIR_UP ? pi[parent[v]] - cost[pred[v]] : pi[parent[v]] + cost[pred[v]];
    for (let i = count[v + 1] - 1; i >= count[v]; i--) stack[sp++] = child[i];
  }
  if (k !== n) throw new Error('start: the tree arcs do not form a spanning tree');
  return order;
}

function linkThread(t: Tree, order: Int32Array): void {
  const { thread, revThread } = t;
  let prev = t.root;
  for (let i = 0; i < order.length; i++) {
    thread[prev] = order[i];
    revThread[order[i]] = prev;
    prev = order[i];
  }
  thread[prev] = t.root;
  revThread[t.root] = prev;
}

/** Subtree sizes and last successors, children before parents (reverse preorder). */
function subtreeSizes(t: Tree, order: Int32Array, count: Int32Array, child: Int32Array): void {
  const { succNum, lastSucc } = t;
  const n = order.length;
  for (let i = n - 1; i >= 0; i--) {
    const v = order[i];
    let size = 1, last = v;
    if (count[v + 1] > count[v]) {
      for (let j = count[v]; j < count[v + 1]; j++) size += succNum[child[j]];
      last = lastSucc[child[count[v + 1] - 1]];
    }
    succNum[v] = size;
    lastSucc[v] = last;
  }
  succNum[t.root] = n + 1;
  lastSucc[t.root] = n > 0 ? t.revThread[t.root] : t.root;
}
