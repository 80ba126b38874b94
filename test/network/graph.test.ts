import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNetworkFromPbf, classifyWay, DEFAULT_FOOT_PROFILE, EDGE_CLASS, EmptyNetworkError, PbfFormatError } from '../../src/network/index.ts';
import { writePbf, type TestNode } from './pbf-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'refuge-net-graph-'));
const file = (name: string, data: Buffer | string): string => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};

describe('pedestrian profile', () => {
  const p = DEFAULT_FOOT_PROFILE;
  it('walks footways, paths, residential streets, service roads, tracks and crossings', () => {
    for (const h of ['footway', 'path', 'pedestrian', 'living_street', 'residential', 'service', 'track', 'primary']) {
      assert.equal(classifyWay({ highway: h }, p), EDGE_CLASS.walk, h);
    }
    assert.equal(classifyWay({ highway: 'footway', footway: 'crossing' }, p), EDGE_CLASS.walk);
    assert.equal(classifyWay({ highway: 'steps' }, p), EDGE_CLASS.steps);
  });
  it('excludes foot=no, private access without foot=yes, motorways and (by default) ferries', () => {
    assert.equal(classifyWay({ highway: 'residential', foot: 'no' }, p), null);
    assert.equal(classifyWay({ highway: 'service', access: 'private' }, p), null);
    assert.equal(classifyWay({ highway: 'service', access: 'private', foot: 'yes' }, p), EDGE_CLASS.walk);
    assert.equal(classifyWay({ highway: 'motorway' }, p), null);
    assert.equal(classifyWay({ highway: 'cycleway' }, p), null);
    assert.equal(classifyWay({ highway: 'cycleway', foot: 'designated' }, p), EDGE_CLASS.walk);
    assert.equal(classifyWay({ route: 'ferry' }, p), null);
    assert.equal(classifyWay({ route: 'ferry' }, { ferries: true }), EDGE_CLASS.ferry);
    assert.equal(classifyWay({ building: 'yes' }, p), null);
  });
});

// A small street: nodes 1-2-3-4 in a line (about 111 m apart, northwards), a side street 2-5, steps 3-6.
const nodes: TestNode[] = [
  { id: 1, lat: 55.0, lon: 12.0 }, { id: 2, lat: 55.001, lon: 12.0 }, { id: 3, lat: 55.002, lon: 12.0 },
  { id: 4, lat: 55.003, lon: 12.0 }, { id: 5, lat: 55.001, lon: 12.002 }, { id: 6, lat: 55.002, lon: 12.002 },
  { id: 7, lat: 55.0, lon: 12.004 },
];

describe('graph building from PBF', () => {
  it('makes junction nodes and keeps way geometry on edges', async () => {
    const g = await buildNetworkFromPbf(file('street.osm.pbf', writePbf(nodes, [
      { id: 10, refs: [1, 2, 3, 4], tags: { highway: 'residential' } },
      { id: 11, refs: [2, 5], tags: { highway: 'footway' } },
      { id: 12, refs: [3, 6], tags: { highway: 'steps' } },
      { id: 13, refs: [4, 7], tags: { building: 'yes' } },
    ])));
    // Junctions: 1, 2 (shared), 3 (shared), 4, 5, 6 -> 6 nodes; edges 1-2, 2-3, 3-4, 2-5, 3-6.
    assert.equal(g.nodeCount, 6);
    assert.equal(g.edgeCount, 5);
    assert.deepEqual(Array.from(g.edgeClass).sort(), [0, 0, 0, 0, 1]);
    const total = Array.from(g.edgeMeters).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - (3 * 111.2 + 127.9 + 127.9)) < 3, `total length ${total}`);
    assert.equal(g.componentSize.length, 1);
  });

  it('splits a clipped way at a missing node instead of joining across the gap', async () => {
    const g = await buildNetworkFromPbf(file('clipped.osm.pbf', writePbf(nodes.filter((n) => n.id !== 3), [
      { id: 10, refs: [1, 2, 3, 4], tags: { highway: 'residential' } },
    ])));
    // 1-2 stays; 2-(3 missing)-4 must not become an edge 2-4; 4 alone has no segment.
    assert.equal(g.edgeCount, 1);
    assert.equal(g.meta.osm.waysSplitAtMissingNodes, 1);
    assert.ok(Math.abs(g.edgeMeters[0] - 111.2) < 1);
  });

  it('keeps islands but reports them as separate components', async () => {
    const g = await buildNetworkFromPbf(file('islands.osm.pbf', writePbf(nodes, [
      { id: 10, refs: [1, 2, 3, 4], tags: { highway: 'residential' } },
      { id: 11, refs: [5, 6], tags: { highway: 'footway' } },
    ])));
    // Way 10 has no junction in its middle, so it is one edge 1-4; way 11 is an island of two nodes.
    assert.equal(g.edgeCount, 2);
    assert.deepEqual(Array.from(g.componentSize), [2, 2]);
    assert.notEqual(g.component[g.edgeFrom[0]], g.component[g.edgeFrom[1]]);
  });

  it('rejects an area with no walkable ways with a clear error', async () => {
    const f = file('empty.osm.pbf', writePbf(nodes, [{ id: 13, refs: [4, 7], tags: { building: 'yes' } }]));
    await assert.rejects(buildNetworkFromPbf(f), (e: Error) => e instanceof EmptyNetworkError && /no walkable ways/.test(e.message) && e.message.includes('empty.osm.pbf'));
  });

  it('rejects a non-PBF file, a truncated file and a corrupt block, naming the file', async () => {
    const good = writePbf(nodes, [{ id: 10, refs: [1, 2, 3, 4], tags: { highway: 'residential' } }]);
    const cases: Array<[string, Buffer | string, RegExp]> = [
      ['text.osm.pbf', 'this is not a PBF file at all\n', /not a valid OSM PBF file/],
      ['zero.osm.pbf', Buffer.alloc(0), /file is empty/],
      ['truncated.osm.pbf', good.subarray(0, good.length - 10), /truncated/],
      ['corrupt.osm.pbf', Buffer.concat([good.subarray(0, good.length - 12), Buffer.from('garbage!garb')]), /corrupt/],
    ];
    for (const [name, data, re] of cases) {
      const f = file(name, data);
      await assert.rejects(buildNetworkFromPbf(f), (e: Error) => e instanceof PbfFormatError && re.test(e.message) && e.message.includes(name), name);
    }
  });
});
