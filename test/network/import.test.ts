import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildNetworkFromPbf, buildNetworkInWorker, GraphFileError, importNetwork, loadGraph, networkFileFor, prepareRouterInWorker, saveGraph, ShelterRouter,
} from '../../src/network/index.ts';
import { copenhagenShelters, KBH_PBF, seeded } from './fixtures.ts';
import { writePbf } from './pbf-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'refuge-net-import-'));

describe('network file and import', () => {
  it('saves and loads the graph losslessly, beside the database', async () => {
    const g = await buildNetworkFromPbf(KBH_PBF);
    const file = networkFileFor(join(dir, 'refuge.db'));
    assert.equal(file, join(dir, 'refuge.db.network.bin'));
    saveGraph(g, file);
    const h = loadGraph(file);
    assert.equal(h.nodeCount, g.nodeCount);
    assert.equal(h.edgeCount, g.edgeCount);
    for (const k of ['nodeLat', 'edgeFrom', 'edgeTo', 'edgeMeters', 'edgeClass', 'geomOffset', 'geomLat', 'geomLon', 'adjOffset', 'adjNode', 'adjEdge', 'component', 'componentSize'] as const) {
      assert.deepEqual(Array.from(h[k]), Array.from(g[k]), k);
    }
    assert.deepEqual(h.meta, g.meta);
  });

  it('rebuilds only when the source file or the profile changes', async () => {
    const src = join(dir, 'city.osm.pbf');
    const out = join(dir, 'a.db.network.bin');
    copyFileSync(KBH_PBF, src);
    const first = await importNetwork(src, out);
    assert.equal(first.rebuilt, true);
    assert.ok(first.islands.components >= 1 && first.waysSplitAtMissingNodes > 0);
    assert.equal((await importNetwork(src, out)).rebuilt, false);
    assert.equal((await importNetwork(src, out, { profile: { speed: 0.8 } })).rebuilt, true);
    writeFileSync(src, writePbf([{ id: 1, lat: 60, lon: 25 }, { id: 2, lat: 60.001, lon: 25 }], [{ id: 3, refs: [1, 2], tags: { highway: 'footway' } }]));
    const changed = await importNetwork(src, out, { profile: { speed: 0.8 } });
    assert.equal(changed.rebuilt, true);
    assert.notEqual(changed.sourceSha256, first.sourceSha256);
    assert.equal(loadGraph(out).meta.profile.speed, 0.8);
    assert.equal(loadGraph(out).edgeCount, 1);
  });

  it('bad input (corrupt, truncated, non-PBF, empty area) fails clearly and leaves the previous network in place', async () => {
    const out = join(dir, 'b.db.network.bin');
    await importNetwork(KBH_PBF, out);
    const good = readFileSync(out);
    const pbf = readFileSync(KBH_PBF);
    const corrupt = Buffer.from(pbf);
    for (let i = 4000; i < corrupt.length; i += 997) corrupt[i] ^= 0x5a;
    const cases: Array<[string, Buffer | string, RegExp]> = [
      ['corrupt.osm.pbf', corrupt, /corrupt\.osm\.pbf: not a valid OSM PBF file/],
      ['truncated.osm.pbf', pbf.subarray(0, Math.floor(pbf.length / 2)), /truncated/],
      ['notes.osm.pbf', '<osm version="0.6"></osm>\n', /not a valid OSM PBF file/],
      ['empty-area.osm.pbf', writePbf([{ id: 1, lat: 60, lon: 25 }], []), /no walkable ways/],
    ];
    for (const [name, data, re] of cases) {
      const f = join(dir, name);
      writeFileSync(f, data);
      await assert.rejects(importNetwork(f, out), re, name);
      assert.ok(readFileSync(out).equals(good), `${name}: previous network file was changed`);
    }
    await assert.rejects(importNetwork(join(dir, 'missing.osm.pbf'), out), /file not found/);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
  });

  it('rejects a damaged network file with a clear error', () => {
    const f = join(dir, 'broken.network.bin');
    writeFileSync(f, 'RFGNET01garbage');
    assert.throws(() => loadGraph(f), GraphFileError);
    writeFileSync(f, 'hello');
    assert.throws(() => loadGraph(f), /not a Refuge network file/);
  });
});

describe('building in a worker thread', () => {
  it('gives the same graph as building on the main thread', async () => {
    const [a, b] = await Promise.all([buildNetworkInWorker(KBH_PBF), buildNetworkFromPbf(KBH_PBF)]);
    assert.equal(a.nodeCount, b.nodeCount);
    assert.equal(a.edgeCount, b.edgeCount);
    assert.deepEqual(Array.from(a.edgeMeters), Array.from(b.edgeMeters));
    assert.ok(a.edgeFrom instanceof Uint32Array);
  });

  it('reports a bad file as the same clear error', async () => {
    const f = join(dir, 'worker-bad.osm.pbf');
    writeFileSync(f, 'not a pbf');
    await assert.rejects(buildNetworkInWorker(f), (e: Error) => e.name === 'PbfFormatError' && /worker-bad\.osm\.pbf: not a valid OSM PBF file/.test(e.message));
  });

  it('prepares a router (snapping index, shelter snaps, labels) that answers exactly like one built on the main thread', async () => {
    const file = join(dir, 'prepared.network.bin');
    await importNetwork(KBH_PBF, file);
    const shelters = copenhagenShelters();
    const prepared = await prepareRouterInWorker(file, shelters);
    const fromWorker = new ShelterRouter(loadGraph(file), shelters, { prepared });
    const direct = new ShelterRouter(loadGraph(file), shelters);
    assert.deepEqual(Array.from(fromWorker.coverage().seconds), Array.from(direct.coverage().seconds));
    const rnd = seeded(17);
    const [minLon, minLat, maxLon, maxLat] = direct.graph.meta.bbox;
    for (let i = 0; i < 200; i++) {
      const p = { lat: minLat + rnd() * (maxLat - minLat), lon: minLon + rnd() * (maxLon - minLon) };
      assert.deepEqual(fromWorker.nearest(p, { k: 3, within: 120 }), direct.nearest(p, { k: 3, within: 120 }));
    }
    // It keeps working incrementally like any router.
    const s = shelters.find((x) => fromWorker.snapOf(x.id))!;
    fromWorker.updateShelter({ ...s, status: 'closed' });
    direct.updateShelter({ ...s, status: 'closed' });
    assert.deepEqual(Array.from(fromWorker.coverage().seconds), Array.from(direct.coverage().seconds));
  });
});
