// ShelterRouter: the k shelters a person reaches soonest on foot, with routes, over a prepared walking graph.
import { isUsable, type ProtectionClass, type Shelter } from '../registry/shelter.ts';
import { haversineMeters } from './geometry.ts';
import type { Graph } from './graph.ts';
import { MinHeap } from './heap.ts';
import { CoverageLabels } from './labels.ts';
import { classSpeed, EDGE_CLASS, type FootProfile } from './profile.ts';
import { EdgeSnapper, type Snap, type SnapperParts } from './snap.ts';

export interface LatLon {
  lat: number;
  lon: number;
}

export interface NearestOptions {
  k?: number;
  /** Warning time in seconds: results say whether each shelter is reachable in time. */
  within?: number;
  /** Only shelters marked step-free, reached without steps. */
  stepFree?: boolean;
  minCapacity?: number;
  protectionClass?: ProtectionClass | ProtectionClass[];
  /** Also offer shelters that are locked, closed, full or decommissioned. */
  includeUnusable?: boolean;
}

export interface LineString {
  type: 'LineString';
  coordinates: Array<[number, number]>;
}

export interface NearestItem {
  id: string;
  name: string;
  walkSeconds: number;
  meters: number;
  /** null when no warning time was given. */
  reachableInTime: boolean | null;
  route: LineString;
  capacity: number | null;
  status: Shelter['status'];
  lat: number;
  lon: number;
}

export interface NearestResult {
  mode: 'network' | 'straight-line';
  /** Why the straight-line fallback was used. */
  reason?: string;
  origin: { lat: number; lon: number; snappedMeters: number | null };
  within: number | null;
  /** True when a warning time was given and no result is reachable in it (the nearest ones are still returned). */
  noneReachableInTime: boolean;
  results: NearestItem[];
}

export interface RouterOptions {
  /** Snapping cap for origins and shelters, metres (default 500). */
  snapCapMeters?: number;
  /** Shelters snap only to components with at least this many nodes (tiny islands are courtyards, clipping artefacts). */
  minComponentNodes?: number;
  /** Override parts of the graph's profile (e.g. a slower walking speed). */
  profile?: Partial<Omit<FootProfile, 'name'>>;
  /** Work done beforehand in a worker thread (see prepareRouterInWorker): snapping index, shelter snaps, labels. */
  prepared?: PreparedRouter;
}

/** What a worker hands back so a router can be put together without redoing the expensive parts. */
export interface PreparedRouter {
  /** Which graph it was prepared for: `${sourceSha256}@${builtAt}`. */
  graphId: string;
  snapper: SnapperParts;
  /** Snap of each shelter, in the order of the shelter list given to the constructor. */
  snaps: Array<Snap | null>;
  labels: { seconds: Float64Array; shelter: Int32Array } | null;
}

interface Entry {
  shelter: Shelter;
  snap: Snap | null;
  usable: boolean;
}

export const DEFAULT_K = 3;
/** A shelter door right at the end of a flight of steps is still reached step-free from that end. */
const STEP_FREE_SLACK_M = 0.01;
export const MAX_K = 50;

export class ShelterRouter {
  readonly graph: Graph;
  readonly profile: FootProfile;
  readonly snapper: EdgeSnapper;
  readonly snapCap: number;
  private readonly minComponentNodes: number;
  /** Seconds to walk each edge. */
  readonly edgeSeconds: Float64Array;
  readonly entries: Entry[] = [];
  private readonly byId = new Map<string, number>();
  /** Shelters sitting on each edge (entry indices). */
  private edgeShelters = new Map<number, number[]>();
  /** Per node: shelters on incident edges, with the seconds from the node to the shelter door (CSR). */
  attachOffset = new Uint32Array(1);
  attachEntry = new Uint32Array(0);
  attachSeconds = new Float64Array(0);
  attachEdge = new Uint32Array(0);
  /** Metres walked along the shelter's edge from the node (a step-free query may not walk along steps). */
  attachMeters = new Float64Array(0);
  private componentUsable: Uint32Array;
  private componentAny: Uint32Array;
  private labels: CoverageLabels | null = null;
  // Per-query scratch, reused (queries are synchronous).
  private readonly dist: Float64Array;
  private readonly pred: Int32Array;
  private readonly stamp: Uint32Array;
  private epoch = 0;
  private readonly heap = new MinHeap(4096);

  constructor(graph: Graph, shelters: Shelter[], opts: RouterOptions = {}) {
    this.graph = graph;
    this.profile = { ...graph.meta.profile, ...opts.profile, name: 'foot' };
    this.snapCap = opts.snapCapMeters ?? 500;
    this.minComponentNodes = Math.min(opts.minComponentNodes ?? 20, graph.componentSize[0] ?? 0);
    if (opts.prepared && opts.prepared.graphId !== graphIdOf(graph)) {
      throw new Error(`prepared router is for graph ${opts.prepared.graphId}, not ${graphIdOf(graph)}`);
    }
    this.snapper = new EdgeSnapper(graph, opts.prepared?.snapper);
    this.edgeSeconds = new Float64Array(graph.edgeCount);
    for (let e = 0; e < graph.edgeCount; e++) this.edgeSeconds[e] = graph.edgeMeters[e] / classSpeed(graph.edgeClass[e], this.profile);
    this.dist = new Float64Array(graph.nodeCount);
    this.pred = new Int32Array(graph.nodeCount);
    this.stamp = new Uint32Array(graph.nodeCount);
    this.componentUsable = new Uint32Array(graph.componentSize.length);
    this.componentAny = new Uint32Array(graph.componentSize.length);
    const snaps = opts.prepared?.snaps;
    if (snaps && snaps.length !== shelters.length) throw new Error('prepared snaps do not match the shelter list');
    shelters.forEach((s, i) => this.place(s, snaps ? snaps[i] : undefined));
    this.rebuildAttachments();
    const labels = opts.prepared?.labels;
    if (labels) this.labels = CoverageLabels.adopt(this, labels.seconds, labels.shelter);
  }

  get shelterCount(): number {
    return this.entries.length;
  }

  /** How many shelters are on the network (snapped) and how many are too far from any walkable way. */
  snapReport(): { snapped: number; offNetwork: number; offNetworkIds: string[] } {
    const off = this.entries.filter((e) => !e.snap).map((e) => e.shelter.id);
    return { snapped: this.entries.length - off.length, offNetwork: off.length, offNetworkIds: off };
  }

  snapOf(id: string): Snap | null {
    const i = this.byId.get(id);
    return i === undefined ? null : this.entries[i].snap;
  }

  private place(s: Shelter, prepared?: Snap | null): number {
    const snap = prepared !== undefined ? prepared : this.snapper.snap(s.lat, s.lon, this.snapCap, (e) => this.graph.componentSize[this.graph.component[this.graph.edgeFrom[e]]] >= this.minComponentNodes);
    const entry: Entry = { shelter: s, snap, usable: isUsable(s) };
    let i = this.byId.get(s.id);
    if (i === undefined) {
      i = this.entries.length;
      this.entries.push(entry);
      this.byId.set(s.id, i);
    } else this.entries[i] = entry;
    return i;
  }

  /** Re-snaps a changed (or new) shelter and brings attachments and whole-city labels up to date. */
  updateShelter(s: Shelter): void {
    const i = this.byId.get(s.id);
    const before = i === undefined ? null : this.entries[i];
    const idx = this.place(s);
    const after = this.entries[idx];
    const moved = !before || before.shelter.lat !== s.lat || before.shelter.lon !== s.lon;
    this.rebuildAttachments();
    if (this.labels) {
      const wasSource = !!before && before.usable && !!before.snap;
      const isSource = after.usable && !!after.snap;
      if (wasSource && (!isSource || moved)) this.labels.removeSource(idx);
      if (isSource && (!wasSource || moved)) this.labels.addSource(idx);
    }
  }

  /** Rebuilds the per-node shelter attachment arrays (cheap: linear in nodes plus shelters). */
  private rebuildAttachments(): void {
    const g = this.graph;
    this.edgeShelters = new Map();
    this.componentUsable.fill(0);
    this.componentAny.fill(0);
    const counts = new Uint32Array(g.nodeCount + 1);
    this.entries.forEach((en, i) => {
      if (!en.snap) return;
      const e = en.snap.edge;
      const list = this.edgeShelters.get(e);
      if (list) list.push(i);
      else this.edgeShelters.set(e, [i]);
      counts[g.edgeFrom[e] + 1]++;
      counts[g.edgeTo[e] + 1]++;
      const c = g.component[g.edgeFrom[e]];
      this.componentAny[c]++;
      if (en.usable) this.componentUsable[c]++;
    });
    for (let v = 0; v < g.nodeCount; v++) counts[v + 1] += counts[v];
    const total = counts[g.nodeCount];
    const fill = counts.slice(0, g.nodeCount);
    this.attachEntry = new Uint32Array(total);
    this.attachSeconds = new Float64Array(total);
    this.attachEdge = new Uint32Array(total);
    this.attachMeters = new Float64Array(total);
    this.entries.forEach((en, i) => {
      if (!en.snap) return;
      const e = en.snap.edge;
      const speed = classSpeed(g.edgeClass[e], this.profile);
      const access = en.snap.distance / this.profile.speed;
      const ends: Array<[number, number]> = [
        [g.edgeFrom[e], en.snap.along],
        [g.edgeTo[e], g.edgeMeters[e] - en.snap.along],
      ];
      for (const [v, meters] of ends) {
        const k = fill[v]++;
        this.attachEntry[k] = i;
        this.attachSeconds[k] = meters / speed + access;
        this.attachEdge[k] = e;
        this.attachMeters[k] = meters;
      }
    });
    this.attachOffset = counts;
  }

  private passes(en: Entry, o: NearestOptions, classes: Set<string> | null): boolean {
    const s = en.shelter;
    if (!o.includeUnusable && !en.usable) return false;
    if (o.includeUnusable && s.decommissionedAt !== null) return false;
    if (o.stepFree && s.stepFree !== true) return false;
    if (o.minCapacity !== undefined && (s.capacity === null || s.capacity < o.minCapacity)) return false;
    if (classes && !classes.has(s.protectionClass)) return false;
    return true;
  }

  /** Snaps a query point to the nearest edge of a component where at least one shelter can be reached. */
  snapOrigin(point: LatLon, includeUnusable = false, stepFree = false): Snap | null {
    const g = this.graph;
    const counts = includeUnusable ? this.componentAny : this.componentUsable;
    // Someone who needs a step-free route starts on the nearest way that is not a flight of steps.
    return this.snapper.snap(point.lat, point.lon, this.snapCap, (e) => counts[g.component[g.edgeFrom[e]]] > 0 && !(stepFree && g.edgeClass[e] === EDGE_CLASS.steps));
  }

  nearest(point: LatLon, opts: NearestOptions = {}): NearestResult {
    const k = Math.min(MAX_K, Math.max(1, Math.floor(opts.k ?? DEFAULT_K)));
    const classes = opts.protectionClass === undefined ? null : new Set(Array.isArray(opts.protectionClass) ? opts.protectionClass : [opts.protectionClass]);
    const within = opts.within ?? null;
    const g = this.graph;
    const snap = this.snapOrigin(point, !!opts.includeUnusable, !!opts.stepFree);
    if (!snap) {
      return this.straightLine(point, k, opts, classes, `no walkable way with a reachable shelter within ${this.snapCap} m of the point (off the network)`);
    }
    const found = this.search(snap, k, opts, classes);
    const results = found.map((f) => this.describe(point, snap, f, within));
    return {
      mode: 'network',
      origin: { lat: point.lat, lon: point.lon, snappedMeters: round2(snap.distance) },
      within,
      noneReachableInTime: within !== null && !results.some((r) => r.reachableInTime),
      results,
    };
  }

  /**
   * Dijkstra from the snapped origin until the k best shelters are settled.
   * Returns, for each, the total seconds and how it was reached (node + attachment slot, or directly along the origin edge).
   */
  search(snap: Snap, k: number, opts: NearestOptions, classes: Set<string> | null): Array<{ entry: number; seconds: number; viaNode: number; viaSlot: number }> {
    const g = this.graph;
    const { dist, pred, stamp, heap } = this;
    const epoch = ++this.epoch;
    if (epoch === 0xffffffff) {
      stamp.fill(0);
      this.epoch = 1;
    }
    const ep = this.epoch;
    const top: Array<{ entry: number; seconds: number; viaNode: number; viaSlot: number }> = [];
    const offer = (entry: number, seconds: number, viaNode: number, viaSlot: number): void => {
      const at = top.findIndex((t) => t.entry === entry);
      if (at >= 0) {
        if (top[at].seconds <= seconds) return;
        top.splice(at, 1);
      } else if (top.length === k && top[k - 1].seconds <= seconds) return;
      let pos = top.length;
      while (pos > 0 && top[pos - 1].seconds > seconds) pos--;
      top.splice(pos, 0, { entry, seconds, viaNode, viaSlot });
      if (top.length > k) top.pop();
    };
    const e0 = snap.edge;
    const speed0 = classSpeed(g.edgeClass[e0], this.profile);
    const access0 = snap.distance / this.profile.speed;
    // Shelters on the origin's own edge are reached directly along it.
    const stepFree = !!opts.stepFree;
    const stepsAt0 = stepFree && g.edgeClass[e0] === EDGE_CLASS.steps;
    for (const i of this.edgeShelters.get(e0) ?? []) {
      const en = this.entries[i];
      if (!this.passes(en, opts, classes)) continue;
      if (stepsAt0 && Math.abs(en.snap!.along - snap.along) > STEP_FREE_SLACK_M) continue;
      offer(i, access0 + Math.abs(en.snap!.along - snap.along) / speed0 + en.snap!.distance / this.profile.speed, -1, -1);
    }
    heap.clear();
    const seed = (v: number, secs: number, side: number): void => {
      if (stamp[v] === ep && dist[v] <= secs) return;
      stamp[v] = ep;
      dist[v] = secs;
      pred[v] = -1 - side;
      heap.push(secs, v);
    };
    seed(g.edgeFrom[e0], access0 + snap.along / speed0, 0);
    seed(g.edgeTo[e0], access0 + (g.edgeMeters[e0] - snap.along) / speed0, 1);
    const { adjOffset, adjNode, adjEdge, edgeClass } = g;
    const { attachOffset, attachEntry, attachSeconds, attachEdge, attachMeters, edgeSeconds } = this;
    while (heap.size > 0) {
      const d = heap.peekKey();
      if (top.length === k && d >= top[k - 1].seconds) break;
      const v = heap.pop();
      if (d > dist[v]) continue;
      for (let a = attachOffset[v]; a < attachOffset[v + 1]; a++) {
        if (stepFree && edgeClass[attachEdge[a]] === EDGE_CLASS.steps && attachMeters[a] > STEP_FREE_SLACK_M) continue;
        const i = attachEntry[a];
        if (!this.passes(this.entries[i], opts, classes)) continue;
        offer(i, d + attachSeconds[a], v, a);
      }
      for (let j = adjOffset[v]; j < adjOffset[v + 1]; j++) {
        const e = adjEdge[j];
        if (stepFree && edgeClass[e] === EDGE_CLASS.steps) continue;
        const w = adjNode[j];
        const nd = d + edgeSeconds[e];
        if (stamp[w] !== ep || nd < dist[w]) {
          stamp[w] = ep;
          dist[w] = nd;
          pred[w] = e;
          heap.push(nd, w);
        }
      }
    }
    return top;
  }

  private describe(point: LatLon, snap: Snap, f: { entry: number; seconds: number; viaNode: number; viaSlot: number }, within: number | null): NearestItem {
    const g = this.graph;
    const en = this.entries[f.entry];
    const ss = en.snap!;
    const coords: Array<[number, number]> = [[point.lon, point.lat]];
    let meters = snap.distance + ss.distance;
    if (f.viaNode === -1) {
      coords.push(...this.snapper.partialGeometry(snap.edge, snap.along, ss.along));
      meters += Math.abs(ss.along - snap.along);
    } else {
      // Walk the predecessor chain back from the node where the shelter's edge was entered.
      const edges: number[] = [];
      let v = f.viaNode;
      while (this.pred[v] >= 0) {
        const e = this.pred[v];
        edges.push(e);
        v = g.edgeFrom[e] === v ? g.edgeTo[e] : g.edgeFrom[e];
      }
      const side = -1 - this.pred[v];
      coords.push(...this.snapper.partialGeometry(snap.edge, snap.along, side === 0 ? 0 : g.edgeMeters[snap.edge]));
      meters += side === 0 ? snap.along : g.edgeMeters[snap.edge] - snap.along;
      for (let i = edges.length - 1; i >= 0; i--) {
        const e = edges[i];
        const forward = g.edgeFrom[e] === v;
        coords.push(...this.snapper.partialGeometry(e, forward ? 0 : g.edgeMeters[e], forward ? g.edgeMeters[e] : 0));
        meters += g.edgeMeters[e];
        v = forward ? g.edgeTo[e] : g.edgeFrom[e];
      }
      const e = ss.edge;
      const fromStart = g.edgeFrom[e] === f.viaNode && (g.edgeTo[e] !== f.viaNode || this.attachFromStart(f.viaSlot));
      coords.push(...this.snapper.partialGeometry(e, fromStart ? 0 : g.edgeMeters[e], ss.along));
      meters += fromStart ? ss.along : g.edgeMeters[e] - ss.along;
    }
    coords.push([en.shelter.lon, en.shelter.lat]);
    return {
      id: en.shelter.id,
      name: en.shelter.name,
      walkSeconds: round2(f.seconds),
      meters: round2(meters),
      reachableInTime: within === null ? null : round2(f.seconds) <= within, // as printed, so the two never disagree
      route: { type: 'LineString', coordinates: dedupe(coords) },
      capacity: en.shelter.capacity,
      status: en.shelter.status,
      lat: en.shelter.lat,
      lon: en.shelter.lon,
    };
  }

  /** For a self-loop edge both attachments sit on one node; the first slot written is the from-side one. */
  private attachFromStart(slot: number): boolean {
    const en = this.entries[this.attachEntry[slot]];
    const e = en.snap!.edge;
    const speed = classSpeed(this.graph.edgeClass[e], this.profile);
    return Math.abs(this.attachSeconds[slot] - (en.snap!.along / speed + en.snap!.distance / this.profile.speed)) < 1e-9;
  }

  private straightLine(point: LatLon, k: number, opts: NearestOptions, classes: Set<string> | null, reason: string): NearestResult {
    const list = this.entries.filter((en) => this.passes(en, opts, classes)).map((en) => en.shelter);
    return straightLineNearest(list, point, { ...opts, k, includeUnusable: true }, this.profile.speed, reason);
  }

  /** Applies many registry changes at once (one attachment rebuild; labels recomputed when the batch is large). */
  updateShelters(list: Shelter[]): void {
    if (list.length <= 16) {
      for (const s of list) this.updateShelter(s);
      return;
    }
    for (const s of list) this.place(s);
    this.rebuildAttachments();
    this.labels?.computeAll();
  }

  /** Whole-city labels (nearest usable shelter and seconds for every node), kept current by updateShelter. */
  coverage(): CoverageLabels {
    if (!this.labels) {
      this.labels = new CoverageLabels(this);
      this.labels.computeAll();
    }
    return this.labels;
  }
}

/**
 * Straight-line k nearest (haversine), for points off the network or when no network is loaded. Applies the same
 * filters as the network search; walking time assumes the straight line could be walked, so it is a lower bound.
 */
export function straightLineNearest(shelters: Shelter[], point: LatLon, opts: NearestOptions, speed: number, reason: string): NearestResult {
  const k = Math.min(MAX_K, Math.max(1, Math.floor(opts.k ?? DEFAULT_K)));
  const within = opts.within ?? null;
  const classes = opts.protectionClass === undefined ? null : new Set(Array.isArray(opts.protectionClass) ? opts.protectionClass : [opts.protectionClass]);
  const scored = shelters
    .filter((s) => (opts.includeUnusable ? s.decommissionedAt === null : isUsable(s)))
    .filter((s) => (!opts.stepFree || s.stepFree === true) && (opts.minCapacity === undefined || (s.capacity !== null && s.capacity >= opts.minCapacity)))
    .filter((s) => !classes || classes.has(s.protectionClass))
    .map((s) => ({ s, meters: haversineMeters(point.lat, point.lon, s.lat, s.lon) }))
    .sort((a, b) => a.meters - b.meters)
    .slice(0, k);
  const results: NearestItem[] = scored.map(({ s, meters }) => {
    const secs = meters / speed;
    return {
      id: s.id, name: s.name, walkSeconds: round2(secs), meters: round2(meters),
      reachableInTime: within === null ? null : round2(secs) <= within,
      route: { type: 'LineString', coordinates: [[point.lon, point.lat], [s.lon, s.lat]] },
      capacity: s.capacity, status: s.status, lat: s.lat, lon: s.lon,
    };
  });
  return {
    mode: 'straight-line',
    reason,
    origin: { lat: point.lat, lon: point.lon, snappedMeters: null },
    within,
    noneReachableInTime: within !== null && !results.some((r) => r.reachableInTime),
    results,
  };
}

export function graphIdOf(g: Graph): string {
  return `${g.meta.sourceSha256}@${g.meta.builtAt}`;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function dedupe(coords: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const c of coords) {
    const last = out[out.length - 1];
    if (!last || last[0] !== c[0] || last[1] !== c[1]) out.push(c);
  }
  if (out.length === 1) out.push(out[0]);
  return out;
}
