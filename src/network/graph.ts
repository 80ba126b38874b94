// The walking graph: junction nodes, edges carrying their way geometry, CSR adjacency, all in typed arrays.
//
// Nodes are OSM nodes where ways meet or end (or where a clipped way stops at a missing node); everything
// between two junctions is one edge whose full geometry is kept for snapping and drawing routes. Edges are
// undirected: pedestrians may walk both ways along one-way streets.
import { haversineMeters } from './geometry.ts';
import type { OsmExtract } from './pbf-reader.ts';
import type { FootProfile } from './profile.ts';

export interface GraphMeta {
  /** sha256 of the source file, so a changed source triggers a rebuild. */
  sourceSha256: string;
  sourceName: string;
  /** Absolute path of the source at build time, so a server can notice the source changed and rebuild. */
  sourcePath?: string;
  profile: FootProfile;
  builtAt: string;
  bbox: [number, number, number, number];
  osm: { nodes: number; ways: number; walkableWays: number; waysSplitAtMissingNodes: number };
}

export interface Graph {
  nodeCount: number;
  edgeCount: number;
  /** Node coordinates, 1e-7 degrees. */
  nodeLat: Int32Array;
  nodeLon: Int32Array;
  edgeFrom: Uint32Array;
  edgeTo: Uint32Array;
  edgeMeters: Float64Array;
  edgeClass: Uint8Array;
  /** Edge e's geometry is points geomOffset[e] .. geomOffset[e+1]-1 (from edgeFrom to edgeTo). */
  geomOffset: Uint32Array;
  geomLat: Int32Array;
  geomLon: Int32Array;
  /** CSR adjacency: node v's incident edges are adjEdge[adjOffset[v] .. adjOffset[v+1]-1]; adjNode is the other end. */
  adjOffset: Uint32Array;
  adjNode: Uint32Array;
  adjEdge: Uint32Array;
  /** Connected component of every node, numbered by decreasing size; componentSize[c] nodes. */
  component: Uint32Array;
  componentSize: Uint32Array;
  meta: GraphMeta;
}

export class EmptyNetworkError extends Error {
  constructor(source: string) {
    super(`${source}: no walkable ways with known nodes in this area; nothing to route on`);
    this.name = 'EmptyNetworkError';
  }
}

/** Builds the graph from raw edge lists (shared by the PBF path and generated test graphs). */
export function assembleGraph(
  nodeLat: Int32Array,
  nodeLon: Int32Array,
  edges: { from: ArrayLike<number>; to: ArrayLike<number>; meters: ArrayLike<number>; cls: ArrayLike<number>; geomOffset: Uint32Array; geomLat: Int32Array; geomLon: Int32Array },
  meta: GraphMeta,
): Graph {
  const n = nodeLat.length;
  const m = edges.from.length;
  const edgeFrom = Uint32Array.from(edges.from);
  const edgeTo = Uint32Array.from(edges.to);
  const adjOffset = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) {
    adjOffset[edgeFrom[e] + 1]++;
    if (edgeTo[e] !== edgeFrom[e]) adjOffset[edgeTo[e] + 1]++;
  }
  for (let v = 0; v < n; v++) adjOffset[v + 1] += adjOffset[v];
  const fill = adjOffset.slice(0, n);
  const adjNode = new Uint32Array(adjOffset[n]);
  const adjEdge = new Uint32Array(adjOffset[n]);
  for (let e = 0; e < m; e++) {
    const a = edgeFrom[e], b = edgeTo[e];
    adjNode[fill[a]] = b;
    adjEdge[fill[a]++] = e;
    if (a !== b) {
      adjNode[fill[b]] = a;
      adjEdge[fill[b]++] = e;
    }
  }
  const { component, componentSize } = components(n, adjOffset, adjNode);
  return {
    nodeCount: n, edgeCount: m, nodeLat, nodeLon, edgeFrom, edgeTo,
    edgeMeters: Float64Array.from(edges.meters), edgeClass: Uint8Array.from(edges.cls),
    geomOffset: edges.geomOffset, geomLat: edges.geomLat, geomLon: edges.geomLon,
    adjOffset, adjNode, adjEdge, component, componentSize, meta,
  };
}

/** Connected components by BFS, renumbered so component 0 is the largest. */
function components(n: number, adjOffset: Uint32Array, adjNode: Uint32Array): { component: Uint32Array; componentSize: Uint32Array } {
  const raw = new Int32Array(n).fill(-1);
  const sizes: number[] = [];
  const queue = new Uint32Array(n);
  for (let s = 0; s < n; s++) {
    if (raw[s] !== -1) continue;
    const c = sizes.length;
    let head = 0, tail = 0;
    queue[tail++] = s;
    raw[s] = c;
    while (head < tail) {
      const v = queue[head++];
      for (let i = adjOffset[v]; i < adjOffset[v + 1]; i++) {
        const w = adjNode[i];
        if (raw[w] === -1) {
          raw[w] = c;
          queue[tail++] = w;
        }
      }
    }
    sizes.push(tail);
  }
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const rename = new Uint32Array(sizes.length);
  order.forEach((old, i) => (rename[old] = i));
  const component = new Uint32Array(n);
  for (let v = 0; v < n; v++) component[v] = rename[raw[v]];
  return { component, componentSize: Uint32Array.from(order.map((o) => sizes[o])) };
}

/**
 * Turns walkable ways into the junction graph. A way is cut into runs of consecutive nodes present in the file;
 * a missing node (clipped extract) ends a run, so geometry is never joined across the gap.
 */
export function buildGraph(osm: OsmExtract, meta: Omit<GraphMeta, 'osm' | 'bbox'>): Graph {
  const { nodeIndex, lat, lon, ways } = osm;
  // Runs of node indices, flattened: runs[k] = [start, end) into runNodes.
  const runNodes: number[] = [];
  const runStart: number[] = [];
  const runCls: number[] = [];
  let split = 0;
  for (const way of ways) {
    let cur: number[] = [];
    let missing = false;
    const flush = (): void => {
      if (cur.length >= 2) {
        runStart.push(runNodes.length);
        runCls.push(way.cls);
        for (const v of cur) runNodes.push(v);
      }
      cur = [];
    };
    for (const ref of way.refs) {
      const idx = nodeIndex.get(ref);
      if (idx === undefined) {
        missing = true;
        flush();
        continue;
      }
      if (cur.length > 0 && cur[cur.length - 1] === idx) continue; // repeated node: no zero-length segment
      cur.push(idx);
    }
    flush();
    if (missing) split++;
  }
  runStart.push(runNodes.length);
  const runCount = runCls.length;
  if (runCount === 0) throw new EmptyNetworkError(meta.sourceName);

  // Junctions: run ends and nodes used more than once.
  const uses = new Uint8Array(lat.length);
  for (const v of runNodes) if (uses[v] < 2) uses[v]++;
  const nodeId = new Int32Array(lat.length).fill(-1);
  const nLat: number[] = [];
  const nLon: number[] = [];
  const junction = (v: number): number => {
    if (nodeId[v] === -1) {
      nodeId[v] = nLat.length;
      nLat.push(lat[v]);
      nLon.push(lon[v]);
    }
    return nodeId[v];
  };
  const from: number[] = [], to: number[] = [], meters: number[] = [], cls: number[] = [];
  const geomOffset: number[] = [0];
  const gLat: number[] = [], gLon: number[] = [];
  for (let r = 0; r < runCount; r++) {
    const s = runStart[r], e = runStart[r + 1];
    let edgeStart = s;
    let len = 0;
    for (let i = s + 1; i < e; i++) {
      const a = runNodes[i - 1], b = runNodes[i];
      len += haversineMeters(lat[a] / 1e7, lon[a] / 1e7, lat[b] / 1e7, lon[b] / 1e7);
      if (i === e - 1 || uses[b] >= 2) {
        from.push(junction(runNodes[edgeStart]));
        to.push(junction(b));
        meters.push(len);
        cls.push(runCls[r]);
        for (let j = edgeStart; j <= i; j++) {
          gLat.push(lat[runNodes[j]]);
          gLon.push(lon[runNodes[j]]);
        }
        geomOffset.push(gLat.length);
        edgeStart = i;
        len = 0;
      }
    }
  }
  const nodeLat = Int32Array.from(nLat), nodeLon = Int32Array.from(nLon);
  let minLat = Infinity, minLon = Infinity, maxLat = -Infinity, maxLon = -Infinity;
  for (let i = 0; i < gLat.length; i++) {
    minLat = Math.min(minLat, gLat[i]); maxLat = Math.max(maxLat, gLat[i]);
    minLon = Math.min(minLon, gLon[i]); maxLon = Math.max(maxLon, gLon[i]);
  }
  return assembleGraph(
    nodeLat, nodeLon,
    { from, to, meters, cls, geomOffset: Uint32Array.from(geomOffset), geomLat: Int32Array.from(gLat), geomLon: Int32Array.from(gLon) },
    {
      ...meta,
      bbox: [minLon / 1e7, minLat / 1e7, maxLon / 1e7, maxLat / 1e7],
      osm: { nodes: osm.stats.nodes, ways: osm.stats.ways, walkableWays: osm.stats.walkableWays, waysSplitAtMissingNodes: split },
    },
  );
}

/** Island report: how many components and how large the ones beyond the main network are. */
export function islandReport(g: Graph): { components: number; mainNodes: number; islandNodes: number; largestIslands: number[] } {
  const sizes = Array.from(g.componentSize);
  return {
    components: sizes.length,
    mainNodes: sizes[0] ?? 0,
    islandNodes: sizes.slice(1).reduce((a, b) => a + b, 0),
    largestIslands: sizes.slice(1, 6),
  };
}
