// Siting: K new shelters of a given capacity, chosen from candidate points, that cover the most people still
// without a place. Greedy with exact re-evaluation: each round adds the candidate whose exact gain (re-solving the
// whole assignment with it) is largest.
//
// Guarantee: the number of people covered is the value of a maximum flow, and as a function of the set of sites
// opened it is submodular (it is the rank function of a polymatroid: sites are sinks of a transportation network).
// So (Nemhauser, Wolsey, Fisher 1978) the greedy choice covers at least (1 - 1/e) ~ 63% of the extra people the best
// possible K candidates would cover, and lazy evaluation (a candidate's earlier exact gain bounds its later gain) picks
// exactly what plain greedy picks. test/planning/siting.test.ts checks both against brute force.
import type { PlanShelter } from './demand.ts';
import { computePlan, preparePlan, solvePrepared, type PlanInputs, type PlanOptions, type PlanResult, type Progress } from './plan.ts';

export interface Candidate {
  id?: string;
  lat: number;
  lon: number;
}

export interface SitingOptions extends PlanOptions {
  count: number;
  capacity: number;
  /** Candidate points; default: where people are left without a place (one per cell, the point of its largest gap). */
  candidates?: Candidate[];
  /** Check every candidate every round instead of lazily (same answer by submodularity; for tests). */
  eager?: boolean;
}

export interface Site {
  id: string;
  lat: number;
  lon: number;
  capacity: number;
  /** People newly covered when this site is added to those before it. */
  gain: number;
  coveredAfter: number;
}

export interface SitingResult {
  mode: PlanResult['mode'];
  before: PlanResult['totals'];
  after: PlanResult['totals'];
  sites: Site[];
  candidates: number;
  evaluations: number;
  guarantee: string;
  plan: PlanResult;
}

export function computeSiting(input: PlanInputs, o: SitingOptions, progress?: Progress): SitingResult {
  if (!(Number.isInteger(o.count) && o.count >= 1 && o.count <= 1000)) throw new Error(`count must be a whole number from 1 to 1000, not ${o.count}`);
  if (!(Number.isInteger(o.capacity) && o.capacity >= 1 && o.capacity <= 1e6)) throw new Error(`capacity must be a whole number from 1 to 1,000,000, not ${o.capacity}`);
  const base = computePlan(input, o, progress);
  let candidates = o.candidates;
  if (!candidates) {
    const byCell = new Map<string, { lat: number; lon: number; people: number }>();
    for (const a of base.assignments) {
      if (a.shelterId !== null) continue;
      const c = byCell.get(a.cellKey);
      if (!c || a.people > c.people) byCell.set(a.cellKey, { lat: a.lat, lon: a.lon, people: a.people });
    }
    candidates = [...byCell.entries()].map(([key, c]) => ({ id: `gap:${key}`, lat: c.lat, lon: c.lon }));
  }
  const extra: PlanShelter[] = candidates.map((c, i) => ({ id: c.id ?? `candidate-${i + 1}`, lat: c.lat, lon: c.lon, places: o.capacity }));
  const prep = preparePlan(input, { ...o, extraShelters: [...(o.extraShelters ?? []), ...extra] }, progress);
  const nBase = prep.list.length - extra.length;
  const places = Float64Array.from(prep.list.map((s, j) => (j < nBase ? s.places : 0)));
  // Upper bound of each candidate's gain: its capacity, and the people within reach of it.
  const reach = new Float64Array(extra.length);
  for (let k = 0; k < prep.pairs.to.length; k++) {
    const j = prep.pairs.to[k];
    if (j >= nBase) reach[j - nBase] += prep.points.people[prep.pairs.from[k]];
  }
  const bound = Float64Array.from(reach, (r) => Math.min(r, o.capacity));
  const chosen = new Uint8Array(extra.length);
  let covered = solvePrepared(prep, places).covered;
  let evaluations = 1;
  const sites: Site[] = [];
  for (let round = 0; round < o.count; round++) {
    progress?.('siting', round, o.count);
    let bestGain = 0, best = -1;
    if (o.eager) {
      for (let c = 0; c < extra.length; c++) {
        if (chosen[c] || bound[c] <= bestGain) continue;
        places[nBase + c] = o.capacity;
        const g = solvePrepared(prep, places).covered - covered;
        evaluations++;
        places[nBase + c] = 0;
        if (g > bestGain) { bestGain = g; best = c; }
      }
    } else {
      // Lazy: evaluate candidates in order of their bound until the best exact gain exceeds every remaining bound.
      const order = [...Array(extra.length).keys()].filter((c) => !chosen[c]).sort((a, b) => bound[b] - bound[a] || a - b);
      for (const c of order) {
        if (bound[c] < bestGain || bound[c] <= 0) break;
        places[nBase + c] = o.capacity;
        const g = solvePrepared(prep, places).covered - covered;
        evaluations++;
        places[nBase + c] = 0;
        bound[c] = g;
        // Ties go to the lowest index, as in the eager loop, so both pick the same sites.
        if (g > bestGain || (g === bestGain && g > 0 && c < best)) { bestGain = g; best = c; }
      }
    }
    if (best < 0 || bestGain <= 0) break;
    chosen[best] = 1;
    places[nBase + best] = o.capacity;
    covered += bestGain;
    const x = extra[best];
    sites.push({ id: x.id, lat: x.lat, lon: x.lon, capacity: o.capacity, gain: bestGain, coveredAfter: covered });
  }
  progress?.('siting', o.count, o.count);
  const plan = computePlan(input, { ...o, extraShelters: [...(o.extraShelters ?? []), ...sites.map((s) => ({ id: s.id, lat: s.lat, lon: s.lon, places: s.capacity }))] });
  return {
    mode: base.mode, before: base.totals, after: plan.totals, sites, candidates: extra.length, evaluations,
    guarantee: 'greedy with exact re-evaluation: covers at least (1 - 1/e) of the extra people the best choice of as many candidates would cover (coverage is submodular in the set of sites)',
    plan,
  };
}
