// Snapping: the nearest position on the nearest walkable edge (not the nearest node), via an R-tree of segments.
import Flatbush from 'flatbush';
import { closestT, haversineMeters, LocalProjection } from './geometry.ts';
import type { Graph } from './graph.ts';

export interface Snap {
  edge: number;
  /** Metres along the edge from edgeFrom to the snapped position. */
  along: number;
  /** The snapped position. */
  lat: number;
  lon: number;
  /** Distance from the query point to the snapped position, metres. */
  distance: number;
}

/** The snapping index as plain arrays, so a worker thread can build it and hand it over without copying. */
export interface SnapperParts {
  index: ArrayBuffer;
  segPoint: Uint32Array;
  segEdge: Uint32Array;
  cum: Float64Array;
  px: Float64Array;
  py: Float64Array;
}

export class EdgeSnapper {
  private readonly index: Flatbush;
  private readonly proj: LocalProjection;
  private readonly segPoint: Uint32Array;
  private readonly segEdge: Uint32Array;
  /** Metres from the edge start to each geometry point, scaled so the last equals edgeMeters. */
  private readonly cum: Float64Array;
  private readonly px: Float64Array;
  private readonly py: Float64Array;

  constructor(private readonly g: Graph, prepared?: SnapperParts) {
    const [, minLat, , maxLat] = g.meta.bbox;
    this.proj = new LocalProjection((minLat + maxLat) / 2);
    if (prepared) {
      this.index = Flatbush.from(prepared.index);
      ({ segPoint: this.segPoint, segEdge: this.segEdge, cum: this.cum, px: this.px, py: this.py } = prepared);
      return;
    }
    const pts = g.geomLat.length;
    this.px = new Float64Array(pts);
    this.py = new Float64Array(pts);
    for (let i = 0; i < pts; i++) {
      this.px[i] = this.proj.x(g.geomLon[i] / 1e7);
      this.py[i] = this.proj.y(g.geomLat[i] / 1e7);
    }
    const segCount = pts - g.edgeCount;
    this.segPoint = new Uint32Array(segCount);
    this.segEdge = new Uint32Array(segCount);
    this.cum = new Float64Array(pts);
    this.index = new Flatbush(Math.max(1, segCount));
    let k = 0;
    for (let e = 0; e < g.edgeCount; e++) {
      const s = g.geomOffset[e], end = g.geomOffset[e + 1];
      let acc = 0;
      this.cum[s] = 0;
      for (let p = s; p < end - 1; p++) {
        acc += haversineMeters(g.geomLat[p] / 1e7, g.geomLon[p] / 1e7, g.geomLat[p + 1] / 1e7, g.geomLon[p + 1] / 1e7);
        this.cum[p + 1] = acc;
        this.segPoint[k] = p;
        this.segEdge[k] = e;
        this.index.add(Math.min(this.px[p], this.px[p + 1]), Math.min(this.py[p], this.py[p + 1]), Math.max(this.px[p], this.px[p + 1]), Math.max(this.py[p], this.py[p + 1]));
        k++;
      }
      const scale = acc > 0 ? g.edgeMeters[e] / acc : 0;
      for (let p = s; p < end; p++) this.cum[p] *= scale;
      if (acc === 0) this.cum[end - 1] = g.edgeMeters[e];
    }
    if (segCount === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  /** The index arrays (their buffers can be transferred to another thread). */
  parts(): SnapperParts {
    return { index: this.index.data as ArrayBuffer, segPoint: this.segPoint, segEdge: this.segEdge, cum: this.cum, px: this.px, py: this.py };
  }

  /** Nearest position within capMeters on an edge accepted by `accept`, or null. */
  snap(lat: number, lon: number, capMeters: number, accept?: (edge: number) => boolean): Snap | null {
    if (this.segEdge.length === 0) return null;
    const x = this.proj.x(lon), y = this.proj.y(lat);
    const filter = accept ? (i: number) => accept(this.segEdge[i]) : undefined;
    const maxDist = capMeters * 1.02 + 1; // the projection is not exact; the cap is checked with haversine below
    for (let want = 16; ; want *= 8) {
      const found = this.index.neighbors(x, y, want, maxDist, filter);
      let best = -1, bestD2 = Infinity, bestT = 0;
      for (const i of found) {
        const p = this.segPoint[i];
        const t = closestT(x, y, this.px[p], this.py[p], this.px[p + 1], this.py[p + 1]);
        const dx = this.px[p] + t * (this.px[p + 1] - this.px[p]) - x;
        const dy = this.py[p] + t * (this.py[p + 1] - this.py[p]) - y;
        const d2 = dx * dx + dy * dy;
        if (d2 < bestD2) {
          bestD2 = d2;
          best = i;
          bestT = t;
        }
      }
      if (best === -1) return null;
      // Items come ordered by box distance, which never exceeds the true distance: when the last one returned is
      // already farther than the best exact distance, nothing further can be closer.
      if (found.length < want || this.boxDist2(found[found.length - 1], x, y) >= bestD2) {
        const p = this.segPoint[best];
        const e = this.segEdge[best];
        const sLat = (this.g.geomLat[p] + bestT * (this.g.geomLat[p + 1] - this.g.geomLat[p])) / 1e7;
        const sLon = (this.g.geomLon[p] + bestT * (this.g.geomLon[p + 1] - this.g.geomLon[p])) / 1e7;
        const distance = haversineMeters(lat, lon, sLat, sLon);
        if (distance > capMeters) return null;
        const along = Math.min(this.g.edgeMeters[e], this.cum[p] + bestT * (this.cum[p + 1] - this.cum[p]));
        return { edge: e, along, lat: sLat, lon: sLon, distance };
      }
    }
  }

  private boxDist2(i: number, x: number, y: number): number {
    const p = this.segPoint[i];
    const minX = Math.min(this.px[p], this.px[p + 1]), maxX = Math.max(this.px[p], this.px[p + 1]);
    const minY = Math.min(this.py[p], this.py[p + 1]), maxY = Math.max(this.py[p], this.py[p + 1]);
    const dx = x < minX ? minX - x : x > maxX ? x - maxX : 0;
    const dy = y < minY ? minY - y : y > maxY ? y - maxY : 0;
    return dx * dx + dy * dy;
  }

  /** Geometry of edge e between two positions (metres along it), in [lon, lat] pairs, in travel order. */
  partialGeometry(e: number, fromAlong: number, toAlong: number): Array<[number, number]> {
    const g = this.g;
    const s = g.geomOffset[e], end = g.geomOffset[e + 1];
    const lo = Math.min(fromAlong, toAlong), hi = Math.max(fromAlong, toAlong);
    const out: Array<[number, number]> = [this.pointAt(e, lo)];
    for (let p = s; p < end; p++) if (this.cum[p] > lo && this.cum[p] < hi) out.push([g.geomLon[p] / 1e7, g.geomLat[p] / 1e7]);
    out.push(this.pointAt(e, hi));
    return fromAlong <= toAlong ? out : out.reverse();
  }

  private pointAt(e: number, along: number): [number, number] {
    const g = this.g;
    const s = g.geomOffset[e], end = g.geomOffset[e + 1];
    for (let p = s; p < end - 1; p++) {
      if (along <= this.cum[p + 1] || p === end - 2) {
        const span = this.cum[p + 1] - this.cum[p];
        const t = span > 0 ? Math.min(1, Math.max(0, (along - this.cum[p]) / span)) : 0;
        return [(g.geomLon[p] + t * (g.geomLon[p + 1] - g.geomLon[p])) / 1e7, (g.geomLat[p] + t * (g.geomLat[p + 1] - g.geomLat[p])) / 1e7];
      }
    }
    return [g.geomLon[s] / 1e7, g.geomLat[s] / 1e7];
  }
}
