import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BucketQueue, bucketWidthFor } from '../../src/network/bucket-queue.ts';
import { seeded } from './fixtures.ts';

describe('BucketQueue', () => {
  it('hands out entries bucket by bucket, every entry exactly once', () => {
    const q = new BucketQueue(10, 4);
    const rnd = seeded(1);
    const keys = Array.from({ length: 5000 }, () => rnd() * 3000);
    keys.forEach((k, i) => q.push(k, i));
    const seen = new Set<number>();
    let lastBucket = -1;
    while (q.size > 0) {
      const v = q.pop();
      assert.equal(q.lastKey, keys[v]);
      const b = Math.floor(q.lastKey / 10);
      assert.ok(b >= lastBucket, 'buckets come out in order');
      lastBucket = b;
      assert.ok(!seen.has(v));
      seen.add(v);
    }
    assert.equal(seen.size, keys.length);
  });

  it('accepts pushes below the cursor after pops (seeds added later) and reuses freed entries', () => {
    const q = new BucketQueue(1);
    q.push(50, 1);
    q.push(60, 2);
    assert.equal(q.pop(), 1);
    q.push(5, 3);
    assert.equal(q.pop(), 3);
    assert.equal(q.pop(), 2);
    assert.equal(q.size, 0);
  });

  it('derives a width from the edge costs, within bounds', () => {
    assert.equal(bucketWidthFor(new Float64Array([100, 200, 300])), 10);
    assert.equal(bucketWidthFor(new Float64Array([0.001, 0.002])), 0.05);
    assert.equal(bucketWidthFor(new Float64Array([0, 0])), 1);
  });
});
