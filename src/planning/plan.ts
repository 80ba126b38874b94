// Coverage and assignment of a population to the registry's shelters: which shelters count, demand points, pairs
// within the threshold, the exact assignment, and the totals per region.
import type { Shelter } from '../registry/shelter.ts';
import type { Graph } from '../network/graph.ts';
import { DEFAULT_FOOT_PROFILE } from '../network/profile.ts';
import type { RegionIndex } from '../geo/region-index.ts';
import type { PopulationCell } from './population.ts';
import { solveAssignment, type AssignmentSolution } from './assignment.ts';
import { cellPoints, networkContext, networkPairs, networkPoints, straightLinePairs, type DemandPoints, type PlanShelter } from './demand.ts';

/** Walking times are counted in tenths of a second: the assignment is exact for those. */
export const COST_UNITS_PER_SECOND = 10;
export const DEFAULT_DETOUR = 1.3;

export interface WhatIf {
  /** Leave out shelters of these protection classes (e.g. ["C"]). */
  excludeClasses?: string[];
  /** Leave out shelters not verified since this many days (never verified counts as not verified). */
  notVerifiedForDays?: number;
  /** Leave out shelters that are locked now. */
  excludeLocked?: boolean;
}

export interface PlanOptions {
  minutes: number;
  /** Metres per second; default the network profile's (1.3). */
  speed?: number;
  /** Straight-line mode only: walking distance = great-circle distance x detour (default 1.3). */
  detour?: number;
  whatIf?: WhatIf;
  /** Extra shelters (proposed sites) counted as if they existed. */
  extraShelters?: PlanShelter[];
  /** Each cell's threshold is the warning time of its region (smallest containing its centroid); `minutes` where none is known. */
  regionWarningTimes?: boolean;
  /** Today, for "not verified for N days". */
  now?: Date;
}

export interface PlanInputs {
  cells: PopulationCell[];
  shelters: Shelter[];
  regions: RegionIndex | null;
  graph: Graph | null;
  /** Why no network is used (printed with straight-line results). */
  noNetworkReason?: string;
  /** The population was estimated from buildings, not counted: every result carries a warning saying so. */
  populationEstimated?: boolean;
}

export interface RegionTotals {
  code: string;
  name: string;
  population: number;
  places: number;
  covered: number;
  uncovered: number;
}

export interface Totals {
  population: number;
  places: number;
  covered: number;
  uncovered: number;
  meanWalkSeconds: number | null;
}

export interface ShelterCounts {
  /** In the registry (decommissioned included). */
  registry: number;
  /** Counted in the plan. */
  counted: number;
  /** Counted with capacity unknown: they add 0 places. */
  unknownCapacity: number;
  decommissioned: number;
  closed: number;
  /** Left out by a what-if filter. */
  excluded: number;
  /** Network mode: counted shelters more than 500 m from any walkable way (their places cannot be reached). */
  offNetwork: number;
  extra: number;
}

export interface Assignment {
  cellKey: string;
  lat: number;
  lon: number;
  shelterId: string | null;
  people: number;
  seconds: number | null;
}

export interface PlanResult {
  mode: 'network' | 'straight-line';
  reason?: string;
  totals: Totals;
  regions: RegionTotals[];
  /** People and places in no region (so that regions + outside = totals). */
  outside: Omit<RegionTotals, 'code' | 'name'>;
  /** People with at least one counted shelter within the threshold, ignoring capacity: what "is there any shelter within T" would call covered. */
  withinReach: number;
  shelters: ShelterCounts;
  parameters: { minutes: number; regionWarningTimes: boolean; speed: number; detour: number | null; costUnit: string; whatIf: WhatIf };
  warnings: string[];
  /** Demand points with their assignment (a point split over shelters appears once per shelter); the people of a cell left without a place are one row at the cell's centroid with shelterId null. */
  assignments: Assignment[];
  /** Places used per shelter id. */
  used: Record<string, number>;
  /** costUnits: the exact objective, total walking of the covered in 0.1 s units. */
  stats: { points: number; pairs: number; pivots: number; costUnits: number; ms: { pairs: number; solve: number } };
}

export type Progress = (phase: string, done: number, total: number) => void;

/** Which registry shelters a plan counts, and how many places each adds. */
export function planShelters(shelters: Shelter[], o: PlanOptions): { list: PlanShelter[]; counts: ShelterCounts; regionOf: Shelter[] } {
  const counts: ShelterCounts = { registry: shelters.length, counted: 0, unknownCapacity: 0, decommissioned: 0, closed: 0, excluded: 0, offNetwork: 0, extra: 0 };
  const list: PlanShelter[] = [];
  const kept: Shelter[] = [];
  const now = (o.now ?? new Date()).getTime();
  const w = o.whatIf ?? {};
  for (const s of shelters) {
    if (s.decommissionedAt !== null) { counts.decommissioned++; continue; }
    if (s.status === 'closed') { counts.closed++; continue; }
    if (w.excludeClasses?.includes(s.protectionClass)) { counts.excluded++; continue; }
    if (w.excludeLocked && s.status === 'locked') { counts.excluded++; continue; }
    if (w.notVerifiedForDays !== undefined) {
      const at = s.lastVerifiedAt ? Date.parse(s.lastVerifiedAt) : NaN;
      if (!(now - at <= w.notVerifiedForDays * 86_400_000)) { counts.excluded++; continue; }
    }
    counts.counted++;
    if (s.capacity === null) counts.unknownCapacity++;
    list.push({ id: s.id, lat: s.lat, lon: s.lon, places: s.capacity ?? 0 });
    kept.push(s);
  }
  for (const x of o.extraShelters ?? []) {
    list.push(x);
    counts.extra++;
  }
  return { list, counts, regionOf: kept };
}

export interface PreparedPlan {
  mode: PlanResult['mode'];
  speed: number;
  detour: number | null;
  list: PlanShelter[];
  counts: ShelterCounts;
  points: DemandPoints;
  pairs: { from: Uint32Array; to: Uint32Array; seconds: Float64Array };
  cost: Float64Array;
  warnings: string[];
  msPairs: number;
}

function checkOptions(o: PlanOptions): void {
  if (!(o.minutes > 0 && o.minutes <= 240)) throw new Error(`minutes must be between 0 and 240, not ${o.minutes}`);
  if (o.speed !== undefined && !(o.speed > 0 && o.speed < 10)) throw new Error(`speed must be between 0 and 10 m/s, not ${o.speed}`);
  if (o.detour !== undefined && !(o.detour >= 1 && o.detour <= 5)) throw new Error(`detour must be between 1 and 5, not ${o.detour}`);
}

export const POPULATION_ESTIMATE_WARNING = 'the population is an ESTIMATE from OpenStreetMap buildings (floor area per resident), not a census: import counted population data where it exists';

/** Shelters counted, demand points and the pairs within the threshold with their costs. */
export function preparePlan(input: PlanInputs, o: PlanOptions, progress?: Progress): PreparedPlan {
  checkOptions(o);
  const warnings: string[] = [];
  if (input.populationEstimated) warnings.push(POPULATION_ESTIMATE_WARNING);
  const { list, counts } = planShelters(input.shelters, o);
  // With regional warning times the search reaches as far as the longest of them (or --minutes).
  let limit = o.minutes * 60;
  if (o.regionWarningTimes) for (const r of input.regions?.list() ?? []) if (r.warningTimeS !== null && r.warningTimeS > limit) limit = r.warningTimeS;
  const mode: PlanResult['mode'] = input.graph ? 'network' : 'straight-line';
  const speed = o.speed ?? input.graph?.meta.profile.speed ?? DEFAULT_FOOT_PROFILE.speed;
  const detour = mode === 'straight-line' ? (o.detour ?? DEFAULT_DETOUR) : null;
  const t0 = performance.now();
  let points: DemandPoints;
  let pairs: { from: Uint32Array; to: Uint32Array; seconds: Float64Array; offNetwork?: string[] };
  if (input.graph) {
    progress?.('network', 0, 1);
    const ctx = networkContext(input.graph, o.speed);
    const np = networkPoints(input.cells, ctx);
    points = np.points;
    if (np.offNetworkPeople > 0) warnings.push(`${np.offNetworkPeople} people in ${np.offNetworkCells} cells live more than ${ctx.snapCap} m from any walkable way of the network: counted as uncovered`);
    const np2 = networkPairs(points, list, ctx, limit, (d, t) => progress?.('walking times', d, t));
    pairs = np2;
    counts.offNetwork = np2.offNetwork.filter((id) => !(o.extraShelters ?? []).some((x) => x.id === id)).length;
    if (counts.offNetwork) warnings.push(`${counts.offNetwork} shelters are more than ${ctx.snapCap} m from any walkable way: their places are not counted as reachable`);
  } else {
    points = cellPoints(input.cells);
    progress?.('walking times', 0, 1);
    pairs = straightLinePairs(points, list, limit, speed, detour!);
  }
  if (o.regionWarningTimes) {
    // Per cell: its region's warning time; pairs beyond it are dropped.
    const cellLimit = new Float64Array(input.cells.length);
    let fallback = 0;
    input.cells.forEach((c, ci) => {
      const w = input.regions?.regionsAt(c.lat, c.lon)[0]?.warningTimeS;
      if (w === null || w === undefined) fallback += c.population;
      cellLimit[ci] = w ?? limit;
    });
    if (fallback > 0) warnings.push(`${fallback} people live in cells with no regional warning time: ${o.minutes} minutes used for them`);
    const all = pairs;
    const keep: number[] = [];
    for (let k = 0; k < all.from.length; k++) if (all.seconds[k] <= cellLimit[points.cell[all.from[k]]]) keep.push(k);
    pairs = { from: Uint32Array.from(keep, (k) => all.from[k]), to: Uint32Array.from(keep, (k) => all.to[k]), seconds: Float64Array.from(keep, (k) => all.seconds[k]) };
  }
  if (list.length === 0) warnings.push('no shelters to count: the registry is empty or every shelter is closed, decommissioned or filtered out');
  if (counts.unknownCapacity) warnings.push(`${counts.unknownCapacity} shelters have no known capacity: they add 0 places`);
  const cost = new Float64Array(pairs.seconds.length);
  for (let k = 0; k < cost.length; k++) cost[k] = Math.round(pairs.seconds[k] * COST_UNITS_PER_SECOND);
  return { mode, speed, detour, list, counts, points, pairs, cost, warnings, msPairs: Math.round(performance.now() - t0) };
}

export function solvePrepared(prep: PreparedPlan, places?: Float64Array, progress?: Progress): AssignmentSolution {
  return solveAssignment(
    { demand: prep.points.people, places: places ?? Float64Array.from(prep.list.map((s) => s.places)), arcFrom: prep.pairs.from, arcTo: prep.pairs.to, arcCost: prep.cost },
    (pivots) => progress?.('assignment', pivots, 0),
  );
}

export function computePlan(input: PlanInputs, o: PlanOptions, progress?: Progress): PlanResult {
  const prep = preparePlan(input, o, progress);
  progress?.('assignment', 0, 1);
  const t1 = performance.now();
  const sol = solvePrepared(prep, undefined, progress);
  const ms = Math.round(performance.now() - t1);
  progress?.('assignment', 1, 1);
  return summarize(input, o, prep, sol, ms);
}

export function summarize(input: PlanInputs, o: PlanOptions, prep: PreparedPlan, sol: AssignmentSolution, msSolve: number): PlanResult {
  const { points, pairs, cost, list, counts, mode, speed, detour } = prep;
  const warnings = [...prep.warnings];
  // Per point: covered people, and the assignment rows.
  const P = points.people.length;
  const coveredAt = new Float64Array(P);
  const assignments: Assignment[] = [];
  const used: Record<string, number> = {};
  for (let k = 0; k < sol.arcFlow.length; k++) {
    const f = sol.arcFlow[k];
    if (f <= 0) continue;
    const i = pairs.from[k], j = pairs.to[k];
    coveredAt[i] += f;
    const s = list[j];
    used[s.id] = (used[s.id] ?? 0) + f;
    assignments.push({ cellKey: input.cells[points.cell[i]].key, lat: points.lat[i], lon: points.lon[i], shelterId: s.id, people: f, seconds: cost[k] / COST_UNITS_PER_SECOND });
  }
  // People without a place: one row per cell, at its centroid.
  const leftIn = new Float64Array(input.cells.length);
  for (let i = 0; i < P; i++) leftIn[points.cell[i]] += points.people[i] - coveredAt[i];
  input.cells.forEach((c, ci) => {
    if (leftIn[ci] > 0) assignments.push({ cellKey: c.key, lat: c.lat, lon: c.lon, shelterId: null, people: leftIn[ci], seconds: null });
  });

  // Regions: each cell counts in the smallest region containing its centroid; each shelter in the one containing it.
  const regionTotals = new Map<string, RegionTotals>();
  const outside = { population: 0, places: 0, covered: 0, uncovered: 0 };
  const bucket = (lat: number, lon: number): { population: number; places: number; covered: number; uncovered: number } => {
    const r = input.regions?.regionsAt(lat, lon)[0];
    if (!r) return outside;
    let t = regionTotals.get(r.code);
    if (!t) regionTotals.set(r.code, (t = { code: r.code, name: r.name, population: 0, places: 0, covered: 0, uncovered: 0 }));
    return t;
  };
  const cellCovered = new Float64Array(input.cells.length);
  for (let i = 0; i < P; i++) cellCovered[points.cell[i]] += coveredAt[i];
  let population = 0;
  input.cells.forEach((c, ci) => {
    const b = bucket(c.lat, c.lon);
    b.population += c.population;
    b.covered += cellCovered[ci];
    b.uncovered += c.population - cellCovered[ci];
    population += c.population;
  });
  let places = 0;
  for (const s of list) {
    bucket(s.lat, s.lon).places += s.places;
    places += s.places;
  }
  if (input.regions && outside.population > 0) warnings.push(`${outside.population} people live in cells outside every region (listed under "outside")`);
  if (input.regions && input.regions.size === 0) warnings.push('no regions are imported: every cell is listed under "outside" (refuge import regions)');
  const hasArc = new Uint8Array(P);
  for (let k = 0; k < pairs.from.length; k++) if (prep.list[pairs.to[k]].places > 0) hasArc[pairs.from[k]] = 1;
  let withinReach = 0;
  for (let i = 0; i < P; i++) if (hasArc[i]) withinReach += points.people[i];
  const regions = [...regionTotals.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    mode,
    ...(mode === 'straight-line' ? { reason: input.noNetworkReason ?? 'no walking network is imported for this database' } : {}),
    totals: {
      population, places, covered: sol.covered, uncovered: population - sol.covered,
      meanWalkSeconds: sol.covered > 0 ? Math.round((sol.cost / COST_UNITS_PER_SECOND / sol.covered) * 100) / 100 : null,
    },
    regions,
    outside,
    withinReach,
    shelters: counts,
    parameters: { minutes: o.minutes, regionWarningTimes: !!o.regionWarningTimes, speed, detour, costUnit: '0.1 s', whatIf: o.whatIf ?? {} },
    warnings,
    assignments,
    used,
    stats: { points: P, pairs: pairs.from.length, pivots: sol.pivots, costUnits: sol.cost, ms: { pairs: prep.msPairs, solve: msSolve } },
  };
}
