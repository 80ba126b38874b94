// Generated grid networks, for tests and for benchmarking beyond the size of the shared extracts.
import { assembleGraph, type Graph } from './graph.ts';
import { haversineMeters } from './geometry.ts';
import { DEFAULT_FOOT_PROFILE, EDGE_CLASS } from './profile.ts';

export interface GridOptions {
  rows: number;
  cols: number;
  /** South-west corner and spacing, degrees. */
  lat0?: number;
  lon0?: number;
  step?: number;
  /** Edge classes by edge index (default: all walk). */
  edgeClass?: (e: number, from: number, to: number) => number;
  /** Drop an edge (to make islands or rivers). */
  skip?: (from: number, to: number) => boolean;
}

/** A rows x cols grid of streets; node r*cols+c at (lat0 + r*step, lon0 + c*step*2). */
export function gridGraph(o: GridOptions): Graph {
  const lat0 = o.lat0 ?? 55.6, lon0 = o.lon0 ?? 12.5, step = o.step ?? 0.0009;
  const n = o.rows * o.cols;
  const nodeLat = new Int32Array(n), nodeLon = new Int32Array(n);
  for (let r = 0; r < o.rows; r++) {
    for (let c = 0; c < o.cols; c++) {
      nodeLat[r * o.cols + c] = Math.round((lat0 + r * step) * 1e7);
      nodeLon[r * o.cols + c] = Math.round((lon0 + c * step * 2) * 1e7);
    }
  }
  const from: number[] = [], to: number[] = [];
  for (let r = 0; r < o.rows; r++) {
    for (let c = 0; c < o.cols; c++) {
      const v = r * o.cols + c;
      if (c + 1 < o.cols && !o.skip?.(v, v + 1)) { from.push(v); to.push(v + 1); }
      if (r + 1 < o.rows && !o.skip?.(v, v + o.cols)) { from.push(v); to.push(v + o.cols); }
    }
  }
  const m = from.length;
  const meters = new Float64Array(m), cls = new Uint8Array(m);
  const geomOffset = new Uint32Array(m + 1), geomLat = new Int32Array(2 * m), geomLon = new Int32Array(2 * m);
  for (let e = 0; e < m; e++) {
    const a = from[e], b = to[e];
    meters[e] = haversineMeters(nodeLat[a] / 1e7, nodeLon[a] / 1e7, nodeLat[b] / 1e7, nodeLon[b] / 1e7);
    cls[e] = o.edgeClass?.(e, a, b) ?? EDGE_CLASS.walk;
    geomOffset[e + 1] = 2 * (e + 1);
    geomLat[2 * e] = nodeLat[a]; geomLon[2 * e] = nodeLon[a];
    geomLat[2 * e + 1] = nodeLat[b]; geomLon[2 * e + 1] = nodeLon[b];
  }
  const top = lat0 + (o.rows - 1) * step, right = lon0 + (o.cols - 1) * step * 2;
  return assembleGraph(nodeLat, nodeLon, { from, to, meters, cls, geomOffset, geomLat, geomLon }, {
    sourceSha256: 'generated', sourceName: `grid ${o.rows}x${o.cols}`, profile: DEFAULT_FOOT_PROFILE, builtAt: new Date().toISOString(),
    bbox: [lon0, lat0, right, top], osm: { nodes: n, ways: 0, walkableWays: 0, waysSplitAtMissingNodes: 0 },
  });
}
