// The places file beside the network file: written by the import with the graph, from the same extract, so the
// address search never reads the extract again; an older network without one gets it on the next import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importNetwork, loadGraph, placesFileFor, readPlacesFile, PlacesFileError, saveGraph, buildNetworkFromPbf } from '../../src/network/index.ts';
import { tempDir } from '../helpers.ts';
import { MONACO_PBF } from './fixtures.ts';
import { writePbf } from './pbf-writer.ts';

// A street and three addressed buildings (the test writer puts tags on ways only; the real extracts' address nodes
// are read in street-names.test.ts): one mapped twice, one with a range, one with no street.
const SMALL_TOWN = writePbf(
  [
    { id: 1, lat: 60, lon: 25 }, { id: 2, lat: 60.001, lon: 25 },
    { id: 20, lat: 60.0004, lon: 25.0001 }, { id: 21, lat: 60.0004, lon: 25.0003 }, { id: 22, lat: 60.0006, lon: 25.0003 }, { id: 23, lat: 60.0006, lon: 25.0001 },
    { id: 24, lat: 60.0007, lon: 24.9998 }, { id: 25, lat: 60.0007, lon: 24.9996 }, { id: 26, lat: 60.0009, lon: 24.9997 },
  ],
  [
    { id: 3, refs: [1, 2], tags: { highway: 'residential', name: 'Kirkkokatu', 'name:sv': 'Kyrkogatan' } },
    { id: 30, refs: [20, 21, 22, 23, 20], tags: { building: 'yes', 'addr:street': 'Kirkkokatu', 'addr:housenumber': '3', 'addr:postcode': '00100' } },
    { id: 31, refs: [20, 21, 22, 23, 20], tags: { building: 'yes', 'addr:street': 'Kirkkokatu', 'addr:housenumber': '3', 'addr:postcode': '00100' } },
    { id: 32, refs: [24, 25, 26, 24], tags: { building: 'yes', 'addr:street': 'kirkkokatu', 'addr:housenumber': '4 - 6' } },
    { id: 33, refs: [20, 21, 22, 23, 20], tags: { building: 'yes', 'addr:housenumber': '9' } },
  ],
);

test('the import writes the extract\'s streets and house numbers beside the network, tied to the extract\'s bytes', async (t) => {
  const dir = tempDir(t);
  const src = join(dir, 'town.osm.pbf');
  writeFileSync(src, SMALL_TOWN);
  const out = join(dir, 'refuge.db.network.bin');
  const report = await importNetwork(src, out);
  assert.equal(report.rebuilt, true);
  // Four addressed buildings: 3 twice (one house), "4 - 6", and 9 without a street; no entrances, no interpolation.
  assert.deepEqual(report.places, {
    file: placesFileFor(out), streets: 1, houses: 2,
    addresses: { read: 4, placed: 3, leftOut: { noStreet: 1, badNumber: 0, noLocation: 0 } },
    interpolation: { ways: 0, numbers: 0, added: 0, waysLeftOut: { missingEnds: 0, noStreet: 0, streetsDiffer: 0, badKind: 0, badEnds: 0, tooLong: 0 } },
    houseNumbers: { mapped: 3, interpolatedAlsoMapped: 0, sameHouse: 1, kept: 2 },
    buildings: { mainEntrance: 0, onlyEntrance: 0, centreSeveralEntrances: 0 },
  });
  const streets = readPlacesFile(placesFileFor(out), loadGraph(out).meta.sourceSha256);
  assert.equal(streets?.length, 1);
  assert.ok(streets![0].points.length === 1 && streets[0].points[0][0] === 25, 'a point on the street (one of its two nodes)');
  assert.deepEqual(streets, [{
    name: 'Kirkkokatu', points: streets![0].points, meters: 111, alt: ['Kyrkogatan'],
    houses: [['3', 25.0002, 60.0005, '00100'], ['4-6', 24.9997, 60.00077, null]],
  }]);
  assert.equal(readPlacesFile(placesFileFor(out), 'another extract'), null, 'never served with another extract\'s network');
  // The extract may go: the places stay with the network.
  rmSync(src);
  assert.deepEqual(readPlacesFile(placesFileFor(out), loadGraph(out).meta.sourceSha256), streets);
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), [], 'no temporary files left');
});

test('an up-to-date network without a places file (imported by an earlier version) gets one on the next import', async (t) => {
  const dir = tempDir(t);
  const src = join(dir, 'town.osm.pbf');
  writeFileSync(src, SMALL_TOWN);
  const out = join(dir, 'refuge.db.network.bin');
  saveGraph(await buildNetworkFromPbf(src), out); // as the import did before the places were kept
  assert.equal(existsSync(placesFileFor(out)), false);
  const report = await importNetwork(src, out);
  assert.equal(report.rebuilt, false, 'the graph is current: not rebuilt');
  assert.equal(report.places.houses, 2);
  assert.ok(readPlacesFile(placesFileFor(out), loadGraph(out).meta.sourceSha256));
  // A damaged places file is made again too.
  writeFileSync(placesFileFor(out), '{"version": 1, "sourceSha');
  assert.throws(() => readPlacesFile(placesFileFor(out), 'x'), (e: Error) => e instanceof PlacesFileError && /places\.json: not readable/.test(e.message));
  assert.equal((await importNetwork(src, out)).places.streets, 1);
  assert.ok(readPlacesFile(placesFileFor(out), loadGraph(out).meta.sourceSha256));
  // Where the places file cannot be written (a read-only data directory), the current network still imports, and
  // the report says what is missing.
  rmSync(placesFileFor(out));
  mkdirSync(placesFileFor(out)); // a directory in the way: the rename fails
  const blocked = await importNetwork(src, out);
  assert.equal(blocked.rebuilt, false);
  assert.match(blocked.places.error ?? '', /cannot write .*places\.json/);
});

test('a new extract replaces the places with the graph; a failed import leaves both as they were', async (t) => {
  const dir = tempDir(t);
  const src = join(dir, 'city.osm.pbf');
  writeFileSync(src, SMALL_TOWN);
  const out = join(dir, 'refuge.db.network.bin');
  await importNetwork(src, out);
  copyFileSync(MONACO_PBF, src);
  const report = await importNetwork(src, out);
  assert.equal(report.rebuilt, true);
  assert.ok(report.places.streets > 300 && report.places.houses > 40, JSON.stringify(report.places));
  const streets = readPlacesFile(placesFileFor(out), loadGraph(out).meta.sourceSha256)!;
  assert.ok(!streets.some((s) => s.name === 'Kirkkokatu'));
  writeFileSync(src, 'not a pbf');
  await assert.rejects(importNetwork(src, out), /not a valid OSM PBF file/);
  assert.deepEqual(readPlacesFile(placesFileFor(out), loadGraph(out).meta.sourceSha256), streets);
});
