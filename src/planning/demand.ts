// Demand points and the pairs (point, shelter) within the threshold, with walking seconds.
// - straight-line: a cell's people spread over a 100 m grid of points inside it (a point cell: the point);
//   seconds = great-circle metres x detour / speed.
// - network: a cell's people are spread evenly over the walking-graph nodes inside it (a cell with none, or a point,
//   is snapped to the nearest walkable way); seconds = a Dijkstra from each shelter, bounded by the threshold.
import KDBush from 'kdbush';
import { haversineMeters } from '../network/geometry.ts';
import type { Graph } from '../network/graph.ts';
import { MinHeap } from '../network/heap.ts';
import { classSpeed, type FootProfile } from '../network/profile.ts';
import { EdgeSnapper, type Snap } from '../network/snap.ts';
import { pointInPolygon } from '../geo/point-in-polygon.ts';
import type { PopulationCell } from './population.ts';

export interface PlanShelter {
  id: string;
  lat: number;
  lon: number;
  places: number;
}

export interface DemandPoints {
  /** Index of the cell each point belongs to. */
  cell: Uint32Array;
  people: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  /** Network mode: the two nodes a point reaches and the seconds to each (a node inside a cell: both the same, 0 s). */
  nodeA?: Int32Array;
  secA?: Float64Array;
  nodeB?: Int32Array;
  secB?: Float64Array;
  /** Network mode, a point snapped onto an edge: the edge (else -1), metres along it, seconds from the point to the way. */
  edge?: Int32Array;
  along?: Float64Array;
  access?: Float64Array;
}

export interface Pairs {
  from: Uint32Array;
  to: Uint32Array;
  seconds: Float64Array;
}

/**
 * Straight-line demand points: a point cell stays one point; a polygon cell's people are spread evenly over a square
 * grid of points `spacingMeters` apart inside it (its centroid when the grid misses it), so that a shelter near one
 * edge of a large cell reaches the part of the cell near it, not all or nothing by the centroid.
 */
export function cellPoints(cells: PopulationCell[], spacingMeters = 100): DemandPoints {
  const cell: number[] = [], people: number[] = [], lat: number[] = [], lon: number[] = [];
  cells.forEach((c, ci) => {
    if (c.population <= 0) return;
    const pts: Array<[number, number]> = [];
    if (c.polygons && spacingMeters > 0) {
      const flat = c.polygons.map((poly) => poly.map((ring) => Float64Array.from(ring.flat())));
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const poly of c.polygons) for (const [x, y] of poly[0]) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      const dy = spacingMeters / 111_195;
      const dx = dy / Math.max(0.01, Math.cos((((minY + maxY) / 2) * Math.PI) / 180));
      // At most ~2,500 points per cell, whatever its size.
      const stepX = Math.max(dx, (maxX - minX) / 50), stepY = Math.max(dy, (maxY - minY) / 50);
      for (let y = minY + stepY / 2; y < maxY; y += stepY) {
        for (let x = minX + stepX / 2; x < maxX; x += stepX) if (flat.some((p) => pointInPolygon(p, x, y))) pts.push([y, x]);
      }
    }
    if (pts.length === 0) pts.push([c.lat, c.lon]);
    const k = pts.length, p = c.population;
    for (let i = 0; i < k; i++) {
      const share = Math.floor(((i + 1) * p) / k) - Math.floor((i * p) / k);
      if (share === 0) continue;
      cell.push(ci); people.push(share); lat.push(pts[i][0]); lon.push(pts[i][1]);
    }
  });
  return { cell: Uint32Array.from(cell), people: Float64Array.from(people), lat: Float64Array.from(lat), lon: Float64Array.from(lon) };
}

class Grid {
  private readonly buckets = new Map<string, number[]>();
  constructor(private readonly sizeDeg: number, lat: ArrayLike<number>, lon: ArrayLike<number>) {
    for (let i = 0; i < lat.length; i++) {
      const k = this.key(lat[i], lon[i]);
      const b = this.buckets.get(k);
      if (b) b.push(i);
      else this.buckets.set(k, [i]);
    }
  }
  private key(lat: number, lon: number): string {
    return `${Math.floor(lat / this.sizeDeg)}:${Math.floor(lon / this.sizeDeg)}`;
  }
  /** Candidates within `latDeg` degrees of latitude and `lonDeg` of longitude. */
  near(lat: number, lon: number, latDeg: number, lonDeg: number, out: (i: number) => void): void {
    const s = this.sizeDeg;
    for (let y = Math.floor((lat - latDeg) / s); y <= Math.floor((lat + latDeg) / s); y++) {
      for (let x = Math.floor((lon - lonDeg) / s); x <= Math.floor((lon + lonDeg) / s); x++) {
        const b = this.buckets.get(`${y}:${x}`);
        if (b) for (const i of b) out(i);
      }
    }
  }
}

/** Pairs within `limitSeconds` by great-circle distance x detour / speed. */
export function straightLinePairs(points: DemandPoints, shelters: PlanShelter[], limitSeconds: number, speed: number, detour: number): Pairs {
  const radius = (limitSeconds * speed) / detour;
  const latDeg = radius / 111_000 + 1e-9;
  const grid = new Grid(Math.max(latDeg, 0.001), shelters.map((s) => s.lat), shelters.map((s) => s.lon));
  const from: number[] = [], to: number[] = [], seconds: number[] = [];
  for (let i = 0; i < points.people.length; i++) {
    if (points.people[i] <= 0) continue;
    const lat = points.lat[i], lon = points.lon[i];
    const lonDeg = latDeg / Math.max(0.01, Math.cos((Math.min(89, Math.abs(lat)) * Math.PI) / 180));
    grid.near(lat, lon, latDeg, lonDeg, (j) => {
      const s = shelters[j];
      if (s.places <= 0) return;
      const secs = (haversineMeters(lat, lon, s.lat, s.lon) * detour) / speed;
      if (secs <= limitSeconds) {
        from.push(i);
        to.push(j);
        seconds.push(secs);
      }
    });
  }
  return { from: Uint32Array.from(from), to: Uint32Array.from(to), seconds: Float64Array.from(seconds) };
}

export interface NetworkContext {
  graph: Graph;
  snapper: EdgeSnapper;
  edgeSeconds: Float64Array;
  profile: FootProfile;
  /** Snapping cap in metres (as for residents asking for the nearest shelter). */
  snapCap: number;
}

export function networkContext(graph: Graph, speed?: number, snapCap = 500): NetworkContext {
  const profile: FootProfile = { ...graph.meta.profile, ...(speed ? { speed } : {}), name: 'foot' };
  const edgeSeconds = new Float64Array(graph.edgeCount);
  for (let e = 0; e < graph.edgeCount; e++) edgeSeconds[e] = graph.edgeMeters[e] / classSpeed(graph.edgeClass[e], profile);
  return { graph, snapper: new EdgeSnapper(graph), edgeSeconds, profile, snapCap };
}

function snapEnds(ctx: NetworkContext, s: Snap): [number, number, number, number] {
  const g = ctx.graph;
  const speed = classSpeed(g.edgeClass[s.edge], ctx.profile);
  const access = s.distance / ctx.profile.speed;
  return [g.edgeFrom[s.edge], access + s.along / speed, g.edgeTo[s.edge], access + (g.edgeMeters[s.edge] - s.along) / speed];
}

/** Spreads each cell's people over the nodes inside it (or its snap to the nearest way); cells off the network get no point with a node. */
export function networkPoints(cells: PopulationCell[], ctx: NetworkContext): { points: DemandPoints; offNetworkPeople: number; offNetworkCells: number } {
  const g = ctx.graph;
  const index = new KDBush(g.nodeCount);
  for (let v = 0; v < g.nodeCount; v++) index.add(g.nodeLon[v] / 1e7, g.nodeLat[v] / 1e7);
  index.finish();
  const mainMin = Math.min(20, g.componentSize[0] ?? 0);
  const cell: number[] = [], people: number[] = [], lat: number[] = [], lon: number[] = [];
  const nodeA: number[] = [], secA: number[] = [], nodeB: number[] = [], secB: number[] = [];
  const edge: number[] = [], along: number[] = [], access: number[] = [];
  let offNetworkPeople = 0, offNetworkCells = 0;
  cells.forEach((c, ci) => {
    if (c.population <= 0) return;
    let nodes: number[] = [];
    if (c.polygons) {
      const flat = c.polygons.map((poly) => poly.map((ring) => Float64Array.from(ring.flat())));
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const poly of c.polygons) for (const [x, y] of poly[0]) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      nodes = index.range(minX, minY, maxX, maxY).filter((v) => {
        if (g.componentSize[g.component[v]] < mainMin) return false;
        const x = g.nodeLon[v] / 1e7, y = g.nodeLat[v] / 1e7;
        return flat.some((p) => pointInPolygon(p, x, y));
      });
      nodes.sort((a, b) => a - b);
    }
    if (nodes.length > 0) {
      const k = nodes.length, p = c.population;
      for (let i = 0; i < k; i++) {
        const share = Math.floor(((i + 1) * p) / k) - Math.floor((i * p) / k);
        if (share === 0) continue;
        const v = nodes[i];
        cell.push(ci); people.push(share); lat.push(g.nodeLat[v] / 1e7); lon.push(g.nodeLon[v] / 1e7);
        nodeA.push(v); secA.push(0); nodeB.push(v); secB.push(0);
        edge.push(-1); along.push(0); access.push(0);
      }
      return;
    }
    const snap = ctx.snapper.snap(c.lat, c.lon, ctx.snapCap, (e) => g.componentSize[g.component[g.edgeFrom[e]]] >= mainMin);
    cell.push(ci); people.push(c.population); lat.push(c.lat); lon.push(c.lon);
    if (!snap) {
      offNetworkPeople += c.population;
      offNetworkCells++;
      nodeA.push(-1); secA.push(0); nodeB.push(-1); secB.push(0);
      edge.push(-1); along.push(0); access.push(0);
      return;
    }
    const [a, sa, b, sb] = snapEnds(ctx, snap);
    nodeA.push(a); secA.push(sa); nodeB.push(b); secB.push(sb);
    edge.push(snap.edge); along.push(snap.along); access.push(snap.distance / ctx.profile.speed);
  });
  return {
    points: {
      cell: Uint32Array.from(cell), people: Float64Array.from(people), lat: Float64Array.from(lat), lon: Float64Array.from(lon),
      nodeA: Int32Array.from(nodeA), secA: Float64Array.from(secA), nodeB: Int32Array.from(nodeB), secB: Float64Array.from(secB),
      edge: Int32Array.from(edge), along: Float64Array.from(along), access: Float64Array.from(access),
    },
    offNetworkPeople, offNetworkCells,
  };
}

/**
 * Pairs within `limitSeconds` along the network: one Dijkstra per shelter from its door (snapped to the nearest way),
 * stopped at the threshold. Returns also which shelters are off the network (more than the snapping cap away).
 */
export function networkPairs(points: DemandPoints, shelters: PlanShelter[], ctx: NetworkContext, limitSeconds: number, onProgress?: (done: number, total: number) => void): Pairs & { offNetwork: string[] } {
  const g = ctx.graph;
  const n = g.nodeCount;
  const P = points.people.length;
  // Points by node (CSR).
  const count = new Uint32Array(n + 1);
  for (let i = 0; i < P; i++) {
    if (points.nodeA![i] >= 0) count[points.nodeA![i] + 1]++;
    if (points.nodeB![i] >= 0 && points.nodeB![i] !== points.nodeA![i]) count[points.nodeB![i] + 1]++;
  }
  for (let v = 0; v < n; v++) count[v + 1] += count[v];
  const fill = count.slice(0, n);
  const at = new Uint32Array(count[n]);
  for (let i = 0; i < P; i++) {
    const a = points.nodeA![i], b = points.nodeB![i];
    if (a >= 0) at[fill[a]++] = i;
    if (b >= 0 && b !== a) at[fill[b]++] = i;
  }
  // Points snapped onto an edge, by edge: a shelter on the same edge is reached along it directly.
  const onEdge = new Map<number, number[]>();
  for (let i = 0; i < P; i++) {
    const e = points.edge?.[i] ?? -1;
    if (e < 0) continue;
    const l = onEdge.get(e);
    if (l) l.push(i);
    else onEdge.set(e, [i]);
  }
  const dist = new Float64Array(n);
  const stamp = new Uint32Array(n);
  const best = new Float64Array(P);
  const bestStamp = new Uint32Array(P);
  const touched = new Uint32Array(P);
  const heap = new MinHeap(4096);
  // The pairs, in typed arrays grown by doubling (a city has hundreds of thousands).
  let from = new Uint32Array(1024), to = new Uint32Array(1024), seconds = new Float64Array(1024);
  let pairCount = 0;
  const offNetwork: string[] = [];
  const mainMin = Math.min(20, g.componentSize[0] ?? 0);
  const { adjOffset, adjNode, adjEdge } = g;
  const es = ctx.edgeSeconds;
  const onMain = (e: number): boolean => g.componentSize[g.component[g.edgeFrom[e]]] >= mainMin;
  const nodeA = points.nodeA!, secA = points.secA!, secB = points.secB!;
  for (let j = 0; j < shelters.length; j++) {
    const s = shelters[j];
    onProgress?.(j, shelters.length);
    if (s.places <= 0) continue;
    const snap = ctx.snapper.snap(s.lat, s.lon, ctx.snapCap, onMain);
    if (!snap) {
      offNetwork.push(s.id);
      continue;
    }
    const ep = j + 1;
    heap.clear();
    let nt = 0;
    const [a, sa, b, sb] = snapEnds(ctx, snap);
    const seed = (v: number, d: number): void => {
      if (d > limitSeconds) return;
      if (stamp[v] === ep && dist[v] <= d) return;
      stamp[v] = ep;
      dist[v] = d;
      heap.push(d, v);
    };
    seed(a, sa);
    seed(b, sb);
    const speedE = classSpeed(g.edgeClass[snap.edge], ctx.profile);
    for (const i of onEdge.get(snap.edge) ?? []) {
      const t = points.access![i] + Math.abs(points.along![i] - snap.along) / speedE + snap.distance / ctx.profile.speed;
      if (t > limitSeconds) continue;
      bestStamp[i] = ep;
      best[i] = t;
      touched[nt++] = i;
    }
    while (heap.size > 0) {
      const d = heap.peekKey();
      const v = heap.pop();
      if (d > dist[v]) continue;
      for (let k = count[v]; k < count[v + 1]; k++) {
        const i = at[k];
        const t = d + (nodeA[i] === v ? secA[i] : secB[i]);
        if (t > limitSeconds) continue;
        if (bestStamp[i] !== ep) {
          bestStamp[i] = ep;
          best[i] = t;
          touched[nt++] = i;
        } else if (t < best[i]) best[i] = t;
      }
      for (let k = adjOffset[v]; k < adjOffset[v + 1]; k++) {
        const w = adjNode[k];
        const nd = d + es[adjEdge[k]];
        if (nd > limitSeconds) continue;
        if (stamp[w] !== ep || nd < dist[w]) {
          stamp[w] = ep;
          dist[w] = nd;
          heap.push(nd, w);
        }
      }
    }
    if (pairCount + nt > from.length) {
      const size = Math.max(2 * from.length, pairCount + nt);
      const f2 = new Uint32Array(size), t2 = new Uint32Array(size), s2 = new Float64Array(size);
      f2.set(from);
      t2.set(to);
      s2.set(seconds);
      from = f2;
      to = t2;
      seconds = s2;
    }
    for (let k = 0; k < nt; k++) {
      const i = touched[k];
      from[pairCount] = i;
      to[pairCount] = j;
      seconds[pairCount++] = best[i];
    }
  }
  onProgress?.(shelters.length, shelters.length);
  return { from: from.slice(0, pairCount), to: to.slice(0, pairCount), seconds: seconds.slice(0, pairCount), offNetwork };
}
