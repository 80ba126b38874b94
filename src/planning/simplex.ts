// Primal network simplex for min-cost flow over typed arrays, after LEMON's NetworkSimplex (block search pivot rule,
// spanning tree kept as parent/thread/successor-count arrays, artificial root). Supplies, capacities and costs must be
// integers (kept in Float64Array, exact below 2^53); the result is an exact optimum.

const STATE_UPPER = -1;
const STATE_TREE = 0;
const STATE_LOWER = 1;
const DIR_UP = 1;
const DIR_DOWN = -1;

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
 * Solves min sum cost*flow s.t. flow conservation with the given supplies and 0 <= flow <= cap.
 * `onProgress(pivots)` is called every 2^16 pivots (for progress reports; may be omitted).
 */
/**
 * A starting tree: every node v with `arcOf[v] >= 0` hangs below `node` by that arc (v -> node, carrying v's supply),
 * instead of below the artificial root. The supplies of `node` and its children must sum to 0. For the assignment
 * this starts from "everyone uncovered", which saves the pivots that would otherwise bring those arcs in one by one.
 */
export interface StartStar {
  node: number;
  arcOf: Int32Array;
}

export function networkSimplex(net: FlowNetwork, onProgress?: (pivots: number) => void, start?: StartStar): FlowResult {
  const n = net.nodeCount;
  const m = net.arcFrom.length;
  const all = m + n;
  const root = n;
  const source = new Int32Array(all);
  const target = new Int32Array(all);
  const cap = new Float64Array(all);
  const cost = new Float64Array(all);
  const flow = new Float64Array(all);
  const state = new Int8Array(all);
  let sum = 0;
  let maxCost = 0;
  for (let e = 0; e < m; e++) {
    source[e] = net.arcFrom[e];
    target[e] = net.arcTo[e];
    cap[e] = net.arcCap[e];
    cost[e] = net.arcCost[e];
    state[e] = STATE_LOWER;
    const c = Math.abs(cost[e]);
    if (c > maxCost) maxCost = c;
    if (!(cap[e] >= 0)) throw new Error(`arc ${e}: capacity must be >= 0`);
  }
  for (let v = 0; v < n; v++) sum += net.supply[v];
  if (sum !== 0) throw new Error(`supplies must sum to 0, not ${sum}`);
  const ART = (maxCost + 1) * (n + 1);
  // Potentials stay within ART + n x maxCost (one artificial arc and real arcs on any tree path); the objective
  // within total supply x maxCost. Both must be exact in a double.
  let supplied = 0;
  for (let v = 0; v < n; v++) if (net.supply[v] > 0) supplied += net.supply[v];
  if (!(4 * ART < 2 ** 53 && supplied * maxCost < 2 ** 53)) throw new Error('costs too large for exact arithmetic');

  const parent = new Int32Array(n + 1);
  const pred = new Int32Array(n + 1);
  const thread = new Int32Array(n + 1);
  const revThread = new Int32Array(n + 1);
  const succNum = new Int32Array(n + 1);
  const lastSucc = new Int32Array(n + 1);
  const predDir = new Int8Array(n + 1);
  const pi = new Float64Array(n + 1);
  const dirty = new Int32Array(n + 1);

  parent[root] = -1;
  pred[root] = -1;
  thread[root] = 0;
  revThread[0] = root;
  succNum[root] = n + 1;
  lastSucc[root] = root - 1;
  pi[root] = 0;
  for (let u = 0, e = m; u < n; u++, e++) {
    parent[u] = root;
    pred[u] = e;
    thread[u] = u + 1;
    revThread[u + 1] = u;
    succNum[u] = 1;
    lastSucc[u] = u;
    cap[e] = Infinity;
    state[e] = STATE_TREE;
    const s = net.supply[u];
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
  if (n === 0) return { flow: new Float64Array(0), cost: 0, potential: new Float64Array(0), pivots: 0 };
  // With n = 1 thread[0] must point back to the root.
  thread[n - 1] = root;
  revThread[root] = n - 1;

  if (start) {
    const hub = start.node;
    let sum = net.supply[hub];
    const children: number[] = [], rest: number[] = [];
    for (let v = 0; v < n; v++) {
      if (v === hub) continue;
      const a = start.arcOf[v];
      if (a >= 0) {
        if (source[a] !== v || target[a] !== hub) throw new Error(`start arc ${a} does not go from ${v} to ${hub}`);
        if (net.supply[v] < 0 || net.supply[v] > cap[a]) throw new Error(`start arc ${a} cannot carry the supply of ${v}`);
        children.push(v);
        sum += net.supply[v];
      } else rest.push(v);
    }
    if (sum !== 0) throw new Error('the start star does not balance its supplies');
    flow[m + hub] = 0;
    for (const v of children) {
      const a = start.arcOf[v];
      state[m + v] = STATE_LOWER;
      flow[m + v] = 0;
      parent[v] = hub;
      pred[v] = a;
      predDir[v] = DIR_UP;
      state[a] = STATE_TREE;
      flow[a] = net.supply[v];
      pi[v] = pi[hub] - cost[a];
    }
    const seq = [root, hub, ...children, ...rest];
    for (let i = 0; i < seq.length; i++) {
      const v = seq[i], w = seq[(i + 1) % seq.length];
      thread[v] = w;
      revThread[w] = v;
    }
    for (const v of seq) {
      succNum[v] = 1;
      lastSucc[v] = v;
    }
    succNum[hub] = 1 + children.length;
    lastSucc[hub] = children.length ? children[children.length - 1] : hub;
    succNum[root] = n + 1;
    lastSucc[root] = seq[seq.length - 1];
  }

  const blockSize = Math.max(Math.floor(Math.sqrt(m)), 10);
  let nextArc = 0;
  let inArc = -1, join = -1, uIn = -1, vIn = -1, uOut = -1, vOut = -1;
  let delta = 0;
  let pivots = 0;

  for (;;) {
    // Entering arc: block search (the most negative reduced cost in the next block of arcs that has one).
    let min = 0;
    let cnt = blockSize;
    let e = nextArc;
    let found = false;
    for (; e < m; e++) {
      const c = state[e] * (cost[e] + pi[source[e]] - pi[target[e]]);
      if (c < min) {
        min = c;
        inArc = e;
      }
      if (--cnt === 0) {
        if (min < 0) {
          found = true;
          break;
        }
        cnt = blockSize;
      }
    }
    if (!found) {
      for (e = 0; e < nextArc; e++) {
        const c = state[e] * (cost[e] + pi[source[e]] - pi[target[e]]);
        if (c < min) {
          min = c;
          inArc = e;
        }
        if (--cnt === 0) {
          if (min < 0) {
            found = true;
            break;
          }
          cnt = blockSize;
        }
      }
    }
    if (!found && min >= 0) break;
    nextArc = e;
    // Join node: the lowest common ancestor of the entering arc's ends.
    let u = source[inArc], v = target[inArc];
    while (u !== v) {
      if (succNum[u] < succNum[v]) u = parent[u];
      else v = parent[v];
    }
    join = u;
    // Leaving arc.
    let first: number, second: number;
    if (state[inArc] === STATE_LOWER) {
      first = source[inArc];
      second = target[inArc];
    } else {
      first = target[inArc];
      second = source[inArc];
    }
    delta = cap[inArc];
    let result = 0;
    for (let w = first; w !== join; w = parent[w]) {
      const e = pred[w];
      let d = flow[e];
      if (predDir[w] === DIR_DOWN) d = cap[e] - d;
      if (d < delta) {
        delta = d;
        uOut = w;
        result = 1;
      }
    }
    for (let w = second; w !== join; w = parent[w]) {
      const e = pred[w];
      let d = flow[e];
      if (predDir[w] === DIR_UP) d = cap[e] - d;
      if (d <= delta) {
        delta = d;
        uOut = w;
        result = 2;
      }
    }
    if (result === 1) {
      uIn = first;
      vIn = second;
    } else {
      uIn = second;
      vIn = first;
    }
    const change = result !== 0;
    if (delta === Infinity) throw new Error('unbounded: a cycle of negative cost with unlimited capacity');
    // Change flow along the cycle.
    if (delta > 0) {
      const val = state[inArc] * delta;
      flow[inArc] += val;
      for (let w = source[inArc]; w !== join; w = parent[w]) flow[pred[w]] -= predDir[w] * val;
      for (let w = target[inArc]; w !== join; w = parent[w]) flow[pred[w]] += predDir[w] * val;
    }
    if (!change) {
      state[inArc] = -state[inArc];
    } else {
      state[inArc] = STATE_TREE;
      state[pred[uOut]] = flow[pred[uOut]] === 0 ? STATE_LOWER : STATE_UPPER;
      // Update the tree structure.
      const oldRevThread = revThread[uOut];
      const oldSuccNum = succNum[uOut];
      const oldLastSucc = lastSucc[uOut];
      vOut = parent[uOut];
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
          last = lastSucc[stem] === lastSucc[parStem] ? revThread[parStem] : lastSucc[stem];
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
      // Update potentials of the moved subtree.
      const sigma = pi[vIn] - pi[uIn] - predDir[uIn] * cost[inArc];
      const end = thread[lastSucc[uIn]];
      for (let w = uIn; w !== end; w = thread[w]) pi[w] += sigma;
    }
    pivots++;
    if (onProgress && (pivots & 0xffff) === 0) onProgress(pivots);
  }
  for (let e = m; e < all; e++) if (flow[e] !== 0) throw new InfeasibleFlowError();
  let total = 0;
  for (let e = 0; e < m; e++) total += flow[e] * cost[e];
  return { flow: flow.slice(0, m), cost: total, potential: pi.slice(0, n), pivots };
}
