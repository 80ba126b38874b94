// Whole-city labels: for every node, the nearest usable shelter and the seconds to walk there, from one
// multi-source Dijkstra. When a shelter opens or closes only the affected region is recomputed.
import { BucketQueue, bucketWidthFor } from './bucket-queue.ts';
import type { ShelterRouter } from './router.ts';

export class CoverageLabels {
  /** Seconds from each node to its nearest usable shelter (Infinity when none is reachable). */
  readonly seconds: Float64Array;
  /** Router entry index of that shelter, -1 when none. */
  readonly shelter: Int32Array;
  private readonly heap: BucketQueue;

  /** bucketWidth (seconds) is normally derived from the edge costs; tests pass extreme values to check exactness. */
  constructor(private readonly router: ShelterRouter, opts: { bucketWidth?: number } = {}) {
    this.seconds = new Float64Array(router.graph.nodeCount);
    this.shelter = new Int32Array(router.graph.nodeCount);
    this.heap = new BucketQueue(opts.bucketWidth ?? bucketWidthFor(router.edgeSeconds), 1 << 14);
  }

  /** Labels computed elsewhere (a worker) for this router's current shelters. */
  static adopt(router: ShelterRouter, seconds: Float64Array, shelter: Int32Array): CoverageLabels {
    const labels = new CoverageLabels(router);
    if (seconds.length !== labels.seconds.length || shelter.length !== labels.shelter.length) throw new Error('labels do not match the graph');
    labels.seconds.set(seconds);
    labels.shelter.set(shelter);
    return labels;
  }

  private isSource(i: number): boolean {
    const en = this.router.entries[i];
    return en.usable && en.snap !== null;
  }

  computeAll(): void {
    this.seconds.fill(Infinity);
    this.shelter.fill(-1);
    this.heap.clear();
    const r = this.router;
    const n = r.graph.nodeCount;
    for (let v = 0; v < n; v++) this.seedFromAttachments(v);
    this.run();
  }

  /** A shelter became usable (or moved): spread from it wherever it is closer than the current label. */
  addSource(i: number): void {
    if (!this.isSource(i)) return;
    const r = this.router;
    const e = r.entries[i].snap!.edge;
    this.heap.clear();
    // Only the two end nodes of its edge carry its attachments.
    for (const v of [r.graph.edgeFrom[e], r.graph.edgeTo[e]]) {
      for (let a = r.attachOffset[v]; a < r.attachOffset[v + 1]; a++) {
        if (r.attachEntry[a] === i) this.improve(v, r.attachSeconds[a], i);
      }
    }
    this.run();
  }

  /** A shelter stopped being usable: clear the nodes it served, then refill them from their surroundings. */
  removeSource(i: number): void {
    const r = this.router;
    const g = r.graph;
    const n = g.nodeCount;
    this.heap.clear();
    const cleared: number[] = [];
    for (let v = 0; v < n; v++) {
      if (this.shelter[v] === i) {
        this.shelter[v] = -1;
        this.seconds[v] = Infinity;
        cleared.push(v);
      }
    }
    for (const v of cleared) {
      this.seedFromAttachments(v);
      for (let j = g.adjOffset[v]; j < g.adjOffset[v + 1]; j++) {
        const w = g.adjNode[j];
        if (this.shelter[w] >= 0) this.improve(v, this.seconds[w] + r.edgeSeconds[g.adjEdge[j]], this.shelter[w]);
      }
    }
    this.run();
  }

  private seedFromAttachments(v: number): void {
    const r = this.router;
    for (let a = r.attachOffset[v]; a < r.attachOffset[v + 1]; a++) {
      const i = r.attachEntry[a];
      if (this.isSource(i)) this.improve(v, r.attachSeconds[a], i);
    }
  }

  private improve(v: number, secs: number, shelter: number): void {
    if (secs < this.seconds[v]) {
      this.seconds[v] = secs;
      this.shelter[v] = shelter;
      this.heap.push(secs, v);
    }
  }

  private run(): void {
    const g = this.router.graph;
    const { adjOffset, adjNode, adjEdge } = g;
    const edgeSeconds = this.router.edgeSeconds;
    const { seconds, shelter, heap } = this;
    while (heap.size > 0) {
      const v = heap.pop();
      const d = heap.lastKey;
      if (d > seconds[v]) continue;
      const s = shelter[v];
      for (let j = adjOffset[v]; j < adjOffset[v + 1]; j++) {
        const w = adjNode[j];
        const nd = d + edgeSeconds[adjEdge[j]];
        if (nd < seconds[w]) {
          seconds[w] = nd;
          shelter[w] = s;
          heap.push(nd, w);
        }
      }
    }
  }

  /** Walking seconds from a point on the network to its nearest usable shelter, from the labels. */
  secondsAt(edge: number, along: number, accessSeconds: number): number {
    const r = this.router;
    const g = r.graph;
    const frac = g.edgeMeters[edge] > 0 ? along / g.edgeMeters[edge] : 0;
    const viaFrom = this.seconds[g.edgeFrom[edge]] + frac * r.edgeSeconds[edge];
    const viaTo = this.seconds[g.edgeTo[edge]] + (1 - frac) * r.edgeSeconds[edge];
    return accessSeconds + Math.min(viaFrom, viaTo);
  }
}
