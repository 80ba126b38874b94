// Offline nearest-shelter search: a small Dijkstra over the street lines the service worker cached.
// The server's engine (src/network) is the real one; this only runs when the network is gone, and its
// answers are labelled as offline estimates. Origins and shelters snap to the nearest point on the nearest street.

import { haversine, type LonLat } from './geo.ts';
// The engine's own heap: plain TypeScript with no Node imports, so the offline search shares it.
import { MinHeap } from '../../../src/network/heap.ts';

export interface LineFeature {
  geometry: { type: 'LineString'; coordinates: LonLat[] } | { type: 'MultiLineString'; coordinates: LonLat[][] };
}

export interface Target {
  id: string;
  name: string;
  at: LonLat;
}

export interface OfflineResult {
  id: string;
  name: string;
  walkSeconds: number;
  meters: number;
  reachableInTime: boolean | null;
  route: { type: 'LineString'; coordinates: LonLat[] };
  /** Of `meters`, how much is off the street network (to the origin's and the shelter's snapped points). */
  accessMeters: number;
}

export interface OfflineAnswer {
  mode: 'offline-network' | 'straight-line';
  results: OfflineResult[];
}

const SNAP_LIMIT_M = 500;
const MIN_COMPONENT = 20;
const CELL = 0.002; // degrees, about 150-220 m: the grid cell of the vertex index

export class WalkGraph {
  readonly coords: LonLat[] = [];
  private readonly adj: Array<Array<[number, number]>> = [];
  private readonly ids = new Map<string, number>();
  /** Segments (u, v) and a grid of them: points snap to the nearest position on the nearest segment. */
  private readonly segU: number[] = [];
  private readonly segV: number[] = [];
  private readonly segLen: number[] = [];
  private readonly grid = new Map<string, number[]>();
  /** Connected component of each vertex and the components' sizes (islands are kept but never routed across). */
  private component = new Int32Array(0);
  private componentSize: number[] = [];

  constructor(lines: LineFeature[]) {
    for (const f of lines) {
      const parts = f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const part of parts) {
        let prev = -1;
        for (const c of part) {
          const v = this.vertex(c);
          if (prev >= 0 && prev !== v) this.addSegment(prev, v);
          prev = v;
        }
      }
    }
    this.labelComponents();
  }

  private labelComponents(): void {
    const n = this.coords.length;
    this.component = new Int32Array(n).fill(-1);
    const stack: number[] = [];
    for (let s = 0; s < n; s++) {
      if (this.component[s] >= 0) continue;
      const c = this.componentSize.length;
      let size = 0;
      this.component[s] = c;
      stack.push(s);
      while (stack.length) {
        const u = stack.pop()!;
        size++;
        for (const [w] of this.adj[u]) if (this.component[w] < 0) { this.component[w] = c; stack.push(w); }
      }
      this.componentSize.push(size);
    }
  }

  get size(): number {
    return this.coords.length;
  }

  private vertex(c: LonLat): number {
    const key = `${c[0].toFixed(6)},${c[1].toFixed(6)}`;
    let v = this.ids.get(key);
    if (v === undefined) {
      v = this.coords.length;
      this.ids.set(key, v);
      this.coords.push([c[0], c[1]]);
      this.adj.push([]);
    }
    return v;
  }

  private addSegment(u: number, v: number): void {
    const d = haversine(this.coords[u], this.coords[v]);
    this.adj[u].push([v, d]);
    this.adj[v].push([u, d]);
    const id = this.segU.length;
    this.segU.push(u);
    this.segV.push(v);
    this.segLen.push(d);
    const a = this.coords[u];
    const b = this.coords[v];
    for (let x = Math.floor(Math.min(a[0], b[0]) / CELL); x <= Math.floor(Math.max(a[0], b[0]) / CELL); x++)
      for (let y = Math.floor(Math.min(a[1], b[1]) / CELL); y <= Math.floor(Math.max(a[1], b[1]) / CELL); y++) {
        const key = `${x},${y}`;
        const list = this.grid.get(key);
        if (list) list.push(id);
        else this.grid.set(key, [id]);
      }
  }

  /** The nearest position on a segment within the snap limit: segment, fraction along it from u, distance. */
  snap(p: LonLat, accept: (component: number) => boolean = () => true): { seg: number; t: number; dist: number; at: LonLat } | null {
    const cx = Math.floor(p[0] / CELL);
    const cy = Math.floor(p[1] / CELL);
    const kx = Math.cos((p[1] * Math.PI) / 180);
    let best: { seg: number; t: number; dist: number; at: LonLat } | null = null;
    const seen = new Set<number>();
    for (let dx = -3; dx <= 3; dx++)
      for (let dy = -3; dy <= 3; dy++) {
        for (const s of this.grid.get(`${cx + dx},${cy + dy}`) ?? []) {
          if (seen.has(s)) continue;
          seen.add(s);
          if (!accept(this.component[this.segU[s]])) continue;
          const a = this.coords[this.segU[s]];
          const b = this.coords[this.segV[s]];
          // Project in a local plane (x scaled by cos(lat)); fine over a few hundred metres.
          const ax = (a[0] - p[0]) * kx, ay = a[1] - p[1], bx = (b[0] - p[0]) * kx, by = b[1] - p[1];
          const ex = bx - ax, ey = by - ay;
          const len2 = ex * ex + ey * ey;
          const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * ex + ay * ey) / len2));
          const at: LonLat = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
          const dist = haversine(p, at);
          if (dist <= SNAP_LIMIT_M && (!best || dist < best.dist)) best = { seg: s, t, dist, at };
        }
      }
    return best;
  }

  /** The k targets with the shortest walk from `from`, with routes. */
  nearest(from: LonLat, targets: Target[], k: number, speed: number, within: number | null): OfflineAnswer {
    // Shelters snap only to parts of the network with at least 20 vertices (tiny islands are courtyards and
    // clipping artefacts), and the origin only to a part that has a shelter: the server engine's rules.
    const minSize = Math.min(MIN_COMPONENT, Math.max(0, ...this.componentSize));
    const snapped = targets.map((t) => ({ t, sn: this.snap(t.at, (c) => this.componentSize[c] >= minSize) }));
    const withShelter = new Set(snapped.filter((x) => x.sn).map((x) => this.component[this.segU[x.sn!.seg]]));
    const origin = this.snap(from, (c) => withShelter.has(c));
    if (!origin) return straightLine(from, targets, k, speed, within);
    // Each target waits at the two ends of its segment.
    const atVertex = new Map<number, Array<{ t: Target; along: number; off: number; snapAt: LonLat }>>();
    const sameSegment = new Map<string, { t: number; dist: number; at: LonLat }>();
    for (const { t, sn } of snapped) {
      if (!sn) continue;
      if (sn.seg === origin.seg) sameSegment.set(t.id, sn);
      const len = this.segLen[sn.seg];
      for (const [v, along] of [[this.segU[sn.seg], sn.t * len], [this.segV[sn.seg], (1 - sn.t) * len]] as const) {
        const list = atVertex.get(v);
        const entry = { t, along, off: sn.dist, snapAt: sn.at };
        if (list) list.push(entry);
        else atVertex.set(v, [entry]);
      }
    }
    const n = this.coords.length;
    const dist = new Float64Array(n).fill(Infinity);
    const prev = new Int32Array(n).fill(-1);
    const done = new Uint8Array(n);
    const heap = new MinHeap();
    const len0 = this.segLen[origin.seg];
    for (const [v, d] of [[this.segU[origin.seg], origin.dist + origin.t * len0], [this.segV[origin.seg], origin.dist + (1 - origin.t) * len0]] as const) {
      if (d < dist[v]) {
        dist[v] = d;
        heap.push(d, v);
      }
    }
    const best = new Map<string, { t: Target; v: number; d: number; snapAt: LonLat; off: number }>();
    // A target on the origin's own segment is reached along it directly.
    for (const t of targets) {
      const sn = sameSegment.get(t.id);
      if (sn) best.set(t.id, { t, v: -1, d: origin.dist + Math.abs(sn.t - origin.t) * len0 + sn.dist, snapAt: sn.at, off: sn.dist });
    }
    const kth = () => (best.size < k ? Infinity : [...best.values()].map((b) => b.d).sort((a, b) => a - b)[k - 1]);
    while (heap.size > 0) {
      const du = heap.peekKey();
      const u = heap.pop();
      if (done[u]) continue;
      if (du > kth()) break;
      done[u] = 1;
      for (const e of atVertex.get(u) ?? []) {
        const d = du + e.along + e.off;
        const cur = best.get(e.t.id);
        if (!cur || d < cur.d) best.set(e.t.id, { t: e.t, v: u, d, snapAt: e.snapAt, off: e.off });
      }
      for (const [w, len] of this.adj[u]) {
        const nd = du + len;
        if (nd < dist[w]) {
          dist[w] = nd;
          prev[w] = u;
          heap.push(nd, w);
        }
      }
    }
    const found = [...best.values()].sort((a, b) => a.d - b.d).slice(0, k);
    if (found.length === 0) return straightLine(from, targets, k, speed, within);
    return {
      mode: 'offline-network',
      results: found.map(({ t, v, d, snapAt, off }) => {
        const path: LonLat[] = [t.at, snapAt];
        for (let x = v; x >= 0; x = prev[x]) path.push(this.coords[x]);
        path.push(origin.at, from);
        path.reverse();
        const walkSeconds = d / speed;
        return { id: t.id, name: t.name, meters: Math.round(d), walkSeconds, reachableInTime: within === null ? null : walkSeconds <= within, route: { type: 'LineString', coordinates: path }, accessMeters: Math.round(origin.dist + off) };
      }),
    };
  }
}

/** When no street data is cached: the k nearest by distance, said plainly to be straight lines. */
export function straightLine(from: LonLat, targets: Target[], k: number, speed: number, within: number | null): OfflineAnswer {
  const ranked = targets.map((t) => ({ t, d: haversine(from, t.at) })).sort((a, b) => a.d - b.d).slice(0, k);
  return {
    mode: 'straight-line',
    results: ranked.map(({ t, d }) => ({ id: t.id, name: t.name, meters: Math.round(d), accessMeters: Math.round(d), walkSeconds: d / speed, reachableInTime: within === null ? null : d / speed <= within, route: { type: 'LineString', coordinates: [from, t.at] } })),
  };
}

