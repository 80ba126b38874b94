// Bucket queue for the whole-city labels: entries are kept in buckets of `width` seconds and taken out bucket by
// bucket (in any order inside a bucket), which costs O(1) per entry instead of a heap's O(log n).
// Inside one bucket the order is not by key, so a node may be settled before an edge shorter than `width` improves
// it; the labelling loop then simply processes it again (label-correcting within a bucket). The result is exact;
// with `width` at or below the shortest edges that rarely happens.

export class BucketQueue {
  private head: Int32Array;
  private next: Int32Array;
  private keys: Float64Array;
  private vals: Uint32Array;
  private free = -1;
  private used = 0;
  private cursor = 0;
  size = 0;
  /** Key of the entry returned by the last pop(). */
  lastKey = 0;

  constructor(readonly width: number, capacity = 1024) {
    if (!(width > 0)) throw new Error(`bucket width must be positive, got ${width}`);
    this.head = new Int32Array(256).fill(-1);
    this.next = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.vals = new Uint32Array(capacity);
  }

  clear(): void {
    this.head.fill(-1);
    this.free = -1;
    this.used = 0;
    this.cursor = 0;
    this.size = 0;
  }

  push(key: number, val: number): void {
    const b = Math.floor(key / this.width);
    if (b >= this.head.length) this.growBuckets(b + 1);
    let e = this.free;
    if (e !== -1) this.free = this.next[e];
    else {
      if (this.used === this.keys.length) this.growEntries();
      e = this.used++;
    }
    this.keys[e] = key;
    this.vals[e] = val;
    this.next[e] = this.head[b];
    this.head[b] = e;
    if (this.size === 0 || b < this.cursor) this.cursor = b;
    this.size++;
  }

  /** Removes an entry from the lowest non-empty bucket; its key is then in lastKey. Call only when size > 0. */
  pop(): number {
    const head = this.head;
    let b = this.cursor;
    while (head[b] === -1) b++;
    this.cursor = b;
    const e = head[b];
    head[b] = this.next[e];
    this.next[e] = this.free;
    this.free = e;
    this.size--;
    this.lastKey = this.keys[e];
    return this.vals[e];
  }

  private growBuckets(min: number): void {
    const h = new Int32Array(Math.max(min, this.head.length * 2)).fill(-1);
    h.set(this.head);
    this.head = h;
  }

  private growEntries(): void {
    const n = this.keys.length * 2;
    const k = new Float64Array(n); k.set(this.keys); this.keys = k;
    const v = new Uint32Array(n); v.set(this.vals); this.vals = v;
    const x = new Int32Array(n); x.set(this.next); this.next = x;
  }
}

/** A bucket width for a graph: the 5th percentile of its positive edge costs, kept between 0.05 s and 10 s. */
export function bucketWidthFor(edgeSeconds: Float64Array): number {
  const sample: number[] = [];
  const step = Math.max(1, Math.floor(edgeSeconds.length / 4096));
  for (let e = 0; e < edgeSeconds.length; e += step) if (edgeSeconds[e] > 0) sample.push(edgeSeconds[e]);
  if (sample.length === 0) return 1;
  sample.sort((a, b) => a - b);
  return Math.min(10, Math.max(0.05, sample[Math.floor(sample.length * 0.05)]));
}
