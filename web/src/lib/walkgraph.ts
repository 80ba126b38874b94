// Offline nearest-shelter search: a small Dijkstra over the street lines the service worker cached.
// The server's engine (src/network) is the real one; this only runs when the network is gone, and its
// answers are labelled as offline estimates. Origins and shelters snap to the nearest street vertex.

import { haversine, type LonLat } from './geo.ts';

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
}

export interface OfflineAnswer {
  mode: 'offline-network' | 'straight-line';
  results: OfflineResult[];
}

const SNAP_LIMIT_M = 500;
const CELL = 0.002; // degrees, about 150-220 m: the grid cell of the vertex index

export class WalkGraph {
  readonly coords: LonLat[] = [];
  private readonly adj: Array<Array<[number, number]>> = [];
  private readonly ids = new Map<string, number>();
  private readonly grid = new Map<string, number[]>();

  constructor(lines: LineFeature[]) {
    for (const f of lines) {
      const parts = f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const part of parts) {
        let prev = -1;
        for (const c of part) {
          const v = this.vertex(c);
          if (prev >= 0 && prev !== v) {
            const d = haversine(this.coords[prev], this.coords[v]);
            this.adj[prev].push([v, d]);
            this.adj[v].push([prev, d]);
          }
          prev = v;
        }
      }
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
      const cell = `${Math.floor(c[0] / CELL)},${Math.floor(c[1] / CELL)}`;
      const list = this.grid.get(cell);
      if (list) list.push(v);
      else this.grid.set(cell, [v]);
    }
    return v;
  }

  /** Nearest vertex within the snap limit, or -1. */
  snap(p: LonLat): number {
    const cx = Math.floor(p[0] / CELL);
    const cy = Math.floor(p[1] / CELL);
    let best = -1;
    let bestD = SNAP_LIMIT_M;
    for (let dx = -3; dx <= 3; dx++)
      for (let dy = -3; dy <= 3; dy++) {
        for (const v of this.grid.get(`${cx + dx},${cy + dy}`) ?? []) {
          const d = haversine(p, this.coords[v]);
          if (d < bestD) {
            bestD = d;
            best = v;
          }
        }
      }
    return best;
  }

  /** The k targets with the shortest walk from `from`, with routes. */
  nearest(from: LonLat, targets: Target[], k: number, speed: number, within: number | null): OfflineAnswer {
    const source = this.snap(from);
    if (source < 0) return straightLine(from, targets, k, speed, within);
    const byVertex = new Map<number, Target[]>();
    for (const t of targets) {
      const v = this.snap(t.at);
      if (v < 0) continue;
      const list = byVertex.get(v);
      if (list) list.push(t);
      else byVertex.set(v, [t]);
    }
    const n = this.coords.length;
    const dist = new Float64Array(n).fill(Infinity);
    const prev = new Int32Array(n).fill(-1);
    const done = new Uint8Array(n);
    const heap = new MinHeap();
    const startOffset = haversine(from, this.coords[source]);
    dist[source] = startOffset;
    heap.push(source, startOffset);
    const found: Array<{ t: Target; v: number; d: number }> = [];
    while (heap.size > 0 && found.length < k) {
      const [u, du] = heap.pop();
      if (done[u]) continue;
      done[u] = 1;
      for (const t of byVertex.get(u) ?? []) if (found.length < k) found.push({ t, v: u, d: du + haversine(this.coords[u], t.at) });
      for (const [w, len] of this.adj[u]) {
        const nd = du + len;
        if (nd < dist[w]) {
          dist[w] = nd;
          prev[w] = u;
          heap.push(w, nd);
        }
      }
    }
    if (found.length === 0) return straightLine(from, targets, k, speed, within);
    return {
      mode: 'offline-network',
      results: found.map(({ t, v, d }) => {
        const path: LonLat[] = [t.at];
        for (let x = v; x >= 0; x = prev[x]) path.push(this.coords[x]);
        path.push(from);
        path.reverse();
        const walkSeconds = d / speed;
        return { id: t.id, name: t.name, meters: Math.round(d), walkSeconds, reachableInTime: within === null ? null : walkSeconds <= within, route: { type: 'LineString', coordinates: path } };
      }),
    };
  }
}

/** When no street data is cached: the k nearest by distance, said plainly to be straight lines. */
export function straightLine(from: LonLat, targets: Target[], k: number, speed: number, within: number | null): OfflineAnswer {
  const ranked = targets.map((t) => ({ t, d: haversine(from, t.at) })).sort((a, b) => a.d - b.d).slice(0, k);
  return {
    mode: 'straight-line',
    results: ranked.map(({ t, d }) => ({ id: t.id, name: t.name, meters: Math.round(d), walkSeconds: d / speed, reachableInTime: within === null ? null : d / speed <= within, route: { type: 'LineString', coordinates: [from, t.at] } })),
  };
}

class MinHeap {
  private ids: number[] = [];
  private keys: number[] = [];
  get size(): number {
    return this.ids.length;
  }
  push(id: number, key: number): void {
    const { ids, keys } = this;
    let i = ids.length;
    ids.push(id);
    keys.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] <= key) break;
      ids[i] = ids[p];
      keys[i] = keys[p];
      i = p;
    }
    ids[i] = id;
    keys[i] = key;
  }
  pop(): [number, number] {
    const { ids, keys } = this;
    const top: [number, number] = [ids[0], keys[0]];
    const lastId = ids.pop()!;
    const lastKey = keys.pop()!;
    const n = ids.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && keys[c + 1] < keys[c]) c++;
        if (keys[c] >= lastKey) break;
        ids[i] = ids[c];
        keys[i] = keys[c];
        i = c;
      }
      ids[i] = lastId;
      keys[i] = lastKey;
    }
    return top;
  }
}
