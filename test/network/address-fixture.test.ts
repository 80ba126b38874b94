// Address interpolation and entrances for the address search: the pure pieces (schemes, numbers between two ends,
// points along a way), a hand-made fixture with one case each (test/network/fixtures/addresses.osm, its expected
// places in addresses.places.json), the report of what its addresses became (in the import's report, the places file
// and the CLI's output), the places file's version, and the real Copenhagen and Helsinki extracts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { interpolationKind, numbersBetween, pointsAlong, MAX_INTERPOLATED_PER_WAY } from '../../src/network/interpolation.ts';
import {
  placesReport, readExtractPlaces, readPlacesFromPbf, streetPlaces, streetPlacesFromPbf, type HouseStats, type PlacesReport, type StreetPlace, type HouseNumber,
} from '../../src/network/street-names.ts';
import { importNetwork, loadGraph, placesFileFor, readPlacesAndReport, readPlacesFile, PlacesFileError, PLACES_FILE_VERSION } from '../../src/network/index.ts';
import { haversineMeters } from '../../src/network/geometry.ts';
import { ROOT, tempDir } from '../helpers.ts';
import { HELSINKI_PBF, KBH_PBF } from './fixtures.ts';
import { osmXmlFileToPbf } from './osm-xml.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const FIXTURE_OSM = join(FIXTURES, 'addresses.osm');
/** Expected places of the fixture; REFUGE_UPDATE_GOLDEN=1 rewrites it (then read the diff before committing it). */
const GOLDEN = join(FIXTURES, 'addresses.places.json');

const houseOf = (places: StreetPlace[], street: string, number: string): HouseNumber[] =>
  places.filter((p) => p.name === street).flatMap((p) => p.houses ?? []).filter((h) => h[0] === number);

test('interpolation schemes: odd, even, all, a step, alphabetic; anything else is none', () => {
  assert.deepEqual(interpolationKind('odd'), { step: 2, parity: 1 });
  assert.deepEqual(interpolationKind(' Even '), { step: 2, parity: 0 });
  assert.deepEqual(interpolationKind('all'), { step: 1, parity: null });
  assert.deepEqual(interpolationKind('3'), { step: 3, parity: null });
  assert.deepEqual(interpolationKind('alphabetic'), { alphabetic: true });
  for (const bad of [undefined, '', 'yes', 'both', '0', '-2', '1-10', '2.5', '10000']) assert.equal(interpolationKind(bad), null, String(bad));
});

test('the numbers between two ends, either way along the street; ends off the scheme and huge spans are refused', () => {
  const odd = interpolationKind('odd')!;
  const even = interpolationKind('even')!;
  const all = interpolationKind('all')!;
  const alpha = interpolationKind('alphabetic')!;
  assert.deepEqual(numbersBetween('1', '11', odd), ['3', '5', '7', '9']);
  assert.deepEqual(numbersBetween('25', '19', odd), ['23', '21'], 'a way drawn down the street');
  assert.deepEqual(numbersBetween('2', '8', even), ['4', '6']);
  assert.deepEqual(numbersBetween('5', '5', all), [], 'equal ends stand for nothing between');
  assert.deepEqual(numbersBetween('12a', '12A', alpha), []);
  assert.deepEqual(numbersBetween('7', '8', all), []);
  assert.deepEqual(numbersBetween('21', '30', interpolationKind('3')!), ['24', '27']);
  assert.deepEqual(numbersBetween('12a', '12e', alpha), ['12b', '12c', '12d']);
  assert.deepEqual(numbersBetween('12 D', '12 A', alpha), ['12 C', '12 B'], 'written as the first end is, either way');
  assert.equal(numbersBetween('2', '9', odd), 'badEnds', 'an even end on an odd way');
  assert.equal(numbersBetween('1', '8', interpolationKind('3')!), 'badEnds', 'not a whole number of steps apart');
  assert.equal(numbersBetween('1a', '9', odd), 'badEnds', 'a letter on a numeric way');
  assert.equal(numbersBetween('0', '4', even), 'badEnds');
  assert.equal(numbersBetween('12a', '14c', alpha), 'badEnds', 'letters of two numbers');
  assert.equal(numbersBetween('12', '12c', alpha), 'badEnds');
  assert.equal(numbersBetween('12א', '12ד', alpha), 'badEnds', 'letters other than latin have no agreed order here');
  assert.equal(numbersBetween('2', '4000', even), 'tooLong');
  // The cap is the number of numbers between the ends.
  assert.equal((numbersBetween('1', String(MAX_INTERPOLATED_PER_WAY + 2), all) as string[]).length, MAX_INTERPOLATED_PER_WAY);
  assert.equal(numbersBetween('1', String(MAX_INTERPOLATED_PER_WAY + 3), all), 'tooLong');
});

test('points evenly along a bent way, by length, strictly between its ends', () => {
  // An L: 0.002 degrees east, then 0.001 north (at 60 degrees north, about 111 m then 111 m).
  const way: Array<[number, number]> = [[25, 60], [25.002, 60], [25.002, 60.001]];
  const pts = pointsAlong(way, 3);
  assert.equal(pts.length, 3);
  // The middle point is the corner (half the length); the others are on each leg's middle.
  assert.deepEqual(pts[1].map((v) => Math.round(v * 1e6) / 1e6), [25.002, 60]);
  assert.deepEqual(pts[0].map((v) => Math.round(v * 1e6) / 1e6), [25.001, 60]);
  assert.deepEqual(pts[2].map((v) => Math.round(v * 1e6) / 1e6), [25.002, 60.0005]);
  assert.deepEqual(pointsAlong(way, 0), []);
  assert.deepEqual(pointsAlong([[25, 60], [25, 60]], 2), [[25, 60], [25, 60]], 'a way of no length: all at its point');
});

async function fixturePlaces(t: { after: (fn: () => void) => void }) {
  const file = join(tempDir(t), 'addresses.osm.pbf');
  writeFileSync(file, osmXmlFileToPbf(FIXTURE_OSM));
  const extract = await readExtractPlaces(file);
  const houseStats: HouseStats = { interpolated: 0, interpolatedAlsoMapped: 0, sameHouse: 0 };
  const streets = streetPlaces(extract.ways, extract.addresses, houseStats);
  return { file, extract, houseStats, streets };
}

/** What the fixture's addresses become, counted by hand from addresses.osm (see the comments there and below). */
const FIXTURE_REPORT: PlacesReport = {
  // 36 objects carry addr:housenumber; J's two ends name no street anywhere.
  addresses: { read: 36, placed: 34, leftOut: { noStreet: 2, badNumber: 0, noLocation: 0 } },
  // A-E, L, T expanded into 20 numbers, Rantakatu 7 (A) is mapped: 19 added; F-K left out, one reason each.
  interpolation: { ways: 7, numbers: 20, added: 19, waysLeftOut: { missingEnds: 1, noStreet: 1, streetsDiffer: 1, badKind: 1, badEnds: 1, tooLong: 1 } },
  // 34 + 20 - 1 - 3 = 50: the same house again are L's ends beside the mapped Puistotie 41 and 45, and T's second 51.
  houseNumbers: { mapped: 34, interpolatedAlsoMapped: 1, sameHouse: 3, kept: 50 },
  // M and R at their main entrance, N and Q at their only one, O at its centre (P has only a service door).
  buildings: { mainEntrance: 2, onlyEntrance: 2, centreSeveralEntrances: 1 },
};

/** The report's sums, against the places it came with. */
function assertAddsUp(r: PlacesReport, streets: StreetPlace[]): void {
  const a = r.addresses, n = r.houseNumbers;
  assert.equal(a.placed + a.leftOut.noStreet + a.leftOut.badNumber + a.leftOut.noLocation, a.read, 'addresses read = placed + left out');
  assert.equal(n.mapped + r.interpolation.numbers - n.interpolatedAlsoMapped - n.sameHouse, n.kept, 'numbers mapped + interpolated - repeats = kept');
  assert.equal(streets.reduce((sum, s) => sum + (s.houses?.length ?? 0), 0), n.kept, 'kept = the places\' house numbers');
  assert.ok(r.interpolation.added <= r.interpolation.numbers - n.interpolatedAlsoMapped);
  assert.ok(a.placed <= n.mapped, 'each placed address gives one number or more');
  assert.ok(r.buildings.mainEntrance + r.buildings.onlyEntrance + r.buildings.centreSeveralEntrances <= a.placed);
}

test('the fixture, case by case: interpolated numbers where the way puts them, buildings at their doors', async (t) => {
  const { extract, houseStats, streets } = await fixturePlaces(t);
  // Seven ways expanded (A-E, L, T with nothing between its ends), six left out, one reason each (F-K; see the comments in addresses.osm).
  assert.deepEqual(extract.interpolation, {
    ways: 7, numbers: 20,
    skipped: { missingEnds: 1, noStreet: 1, streetsDiffer: 1, badKind: 1, badEnds: 1, tooLong: 1 },
  });
  assert.deepEqual(houseStats, { interpolated: 19, interpolatedAlsoMapped: 1, sameHouse: 3 }, 'Rantakatu 7 is mapped: not interpolated again');
  assert.deepEqual(extract.entrances, { main: 2, only: 2, severalNoMain: 1 });
  assert.equal(extract.skipped.noStreet, 2, 'the ends of the way with no street anywhere (J)');
  const tagged = readFileSync(FIXTURE_OSM, 'utf8').match(/k="addr:housenumber"/g)!.length;
  assert.deepEqual([extract.read, extract.placed], [tagged, tagged - 2], 'every addressed object read; all but J\'s ends placed');

  const one = (street: string, number: string): HouseNumber => {
    const found = houseOf(streets, street, number);
    assert.equal(found.length, 1, `${street} ${number}: ${JSON.stringify(found)}`);
    return found[0];
  };
  // A: odd 1..11, 7 mapped as a courtyard building (R) whose main entrance is in the courtyard.
  assert.deepEqual(['3', '5', '9'].map((n) => one('Rantakatu', n).slice(1, 3)), [[25.0002, 60.0002], [25.0004, 60.0002], [25.0008, 60.0002]]);
  assert.deepEqual(one('Rantakatu', '7'), ['7', 25.0006, 60.0005, null]);
  // B: split at its numbered middle node; the ends take the way's street and postcode.
  assert.deepEqual(['2', '4', '6', '8', '10', '12', '18', '20'].map((n) => one('Rantakatu', n)), [
    ['2', 25, 59.9998, '00100 Helsinki'], ['4', 25.00025, 59.9998, '00100 Helsinki'], ['6', 25.0005, 59.9998, '00100 Helsinki'],
    ['8', 25.00075, 59.9998, '00100 Helsinki'], ['10', 25.001, 59.9998, '00100 Helsinki'], ['12', 25.0014, 59.9998, '00100 Helsinki'],
    ['18', 25.0026, 59.9998, '00100 Helsinki'], ['20', 25.003, 59.9998, '00100 Helsinki'],
  ]);
  // C, D, E.
  assert.deepEqual(['5b', '5c', '5d'].map((n) => one('Kauppakatu', n)[1]), [25.0001, 25.0002, 25.0003]);
  assert.deepEqual(['24', '27'].map((n) => one('Kauppakatu', n)[1]), [25.0013, 25.0016]);
  assert.deepEqual(['8', '7', '6'].map((n) => one('Puistotie', n)[2]), [60.0009, 60.0008, 60.0007], 'nearest its own end');
  // F-K: nothing between their ends.
  for (const [street, n] of [['Puistotie', '15'], ['Puistotie', '16'], ['Puistotie', '23'], ['Puistotie', '33'], ['Rantakatu', '33'], ['Kauppakatu', '33']]) {
    assert.deepEqual(houseOf(streets, street, n), [], `${street} ${n}`);
  }
  assert.ok(!streets.some((p) => p.houses?.some((h) => h[0] === '3' && h[2] > 60.009)), 'the way with no street (J) put nothing anywhere');
  // L: its ends named no street; the mapped Puistotie 41 and 45 beside them do.
  assert.deepEqual(one('Puistotie', '43'), ['43', 25.0064, 60.0039, null]);
  assert.deepEqual(one('Puistotie', '41'), ['41', 25.0065, 60.0038, null], 'the mapped 41, once');
  // M-Q, S: entrances.
  assert.deepEqual(one('Kauppakatu', '2').slice(1, 3), [25.0002, 60.0024], 'M: the main entrance');
  assert.deepEqual(one('Kauppakatu', '4').slice(1, 3), [25.0008, 60.0024], 'N: the only walk-in entrance (not the garage)');
  assert.deepEqual(one('Kauppakatu', '6').slice(1, 3), [25.0014, 60.00253], 'O: two doors, no main one: the centre');
  assert.deepEqual(one('Kauppakatu', '8').slice(1, 3), [25.002, 60.00256], 'P: a service door only: the centre');
  assert.deepEqual(one('Kauppakatu', '10').slice(1, 3), [25.0027, 60.0024], 'Q: not the main door, which is 10 B');
  assert.deepEqual(one('Kauppakatu', '10 B').slice(1, 3), [25.0025, 60.0024]);
  assert.deepEqual(one('Kauppakatu', '12').slice(1, 3), [25.0032, 60.0024], 'S: a door with an address of its own');
});

test('the fixture\'s places as a whole match the golden file', async (t) => {
  const { extract, houseStats, streets } = await fixturePlaces(t);
  const actual = { interpolation: extract.interpolation, entrances: extract.entrances, skipped: extract.skipped, houseStats, streets };
  if (process.env.REFUGE_UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 1)}\n`);
  assert.deepEqual(actual, JSON.parse(readFileSync(GOLDEN, 'utf8')));
});

test('the report of what the fixture\'s addresses became: exact, adding up, kept in the places file for an unchanged re-import', async (t) => {
  const { file, streets } = await fixturePlaces(t);
  const read = await readPlacesFromPbf(file);
  assert.deepEqual(read.streets, streets);
  assert.deepEqual(read.report, FIXTURE_REPORT);
  assertAddsUp(read.report, read.streets);

  const out = join(tempDir(t), 'refuge.db.network.bin');
  const first = await importNetwork(file, out);
  assert.equal(first.rebuilt, true);
  assert.deepEqual(first.places, { file: placesFileFor(out), streets: streets.length, houses: 50, ...FIXTURE_REPORT });
  const sha = loadGraph(out).meta.sourceSha256;
  assert.deepEqual(readPlacesAndReport(placesFileFor(out), sha), { streets, report: FIXTURE_REPORT }, 'kept in the places file');

  // Unchanged: the counts come from the places file (the extract is not read for them).
  const notRead = async (): Promise<never> => { throw new Error('the extract was read again'); };
  const again = await importNetwork(file, out, { places: notRead });
  assert.equal(again.rebuilt, false);
  assert.deepEqual(again.places, first.places);

  // A version 2 file written before the report was kept still serves its streets; the import reads the extract
  // again for the report and keeps it.
  const doc = JSON.parse(readFileSync(placesFileFor(out), 'utf8')) as Record<string, unknown>;
  delete doc.report;
  writeFileSync(placesFileFor(out), JSON.stringify(doc));
  assert.deepEqual(readPlacesAndReport(placesFileFor(out), sha), { streets });
  assert.deepEqual(readPlacesFile(placesFileFor(out), sha), streets);
  await assert.rejects(importNetwork(file, out, { places: notRead }), /the extract was read again/);
  const filled = await importNetwork(file, out);
  assert.equal(filled.rebuilt, false);
  assert.deepEqual(filled.places, first.places);
  assert.deepEqual(readPlacesAndReport(placesFileFor(out), sha)?.report, FIXTURE_REPORT);
});

test('refuge import network prints the fixture\'s counts after the lines it printed before, built and unchanged, and --json carries them', async (t) => {
  const { file, streets } = await fixturePlaces(t);
  assert.equal(streets.length, 3, 'Rantakatu, Kauppakatu, Puistotie');
  const db = join(tempDir(t), 'refuge.db');
  const refuge = (args: string[]) => promisify(execFile)('node', [join(ROOT, 'bin/refuge.js'), 'import', 'network', file, '--db', db, ...args], { cwd: ROOT, timeout: 120_000 });
  const line = 'addresses: 36 read = 34 placed + 2 left out (2 without a street, 0 without a usable house number, 0 without a location); ' +
    'house numbers: 34 mapped + 20 interpolated along 7 ways - 1 interpolated but mapped - 3 the same house again = 50 kept, 19 of them interpolated; ' +
    'interpolation ways left out: 1 fewer than two numbered ends, 1 no street, 1 ends on different streets, 1 no known scheme, 1 ends off the scheme, 1 too many numbers; ' +
    'buildings placed at their main entrance 2, at their only entrance 2, at their centre for several entrances and no main one 1';
  for (const [run, first] of [['built', 'built'], ['unchanged', 'unchanged, kept']] as const) {
    const { stdout } = await refuge([]);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, stdout);
    assert.ok(lines[0].startsWith(`${first} ${db}.network.bin from ${file}: `), `${run}: ${lines[0]}`);
    assert.equal(lines[1], `address search: 3 streets, 50 house numbers in ${db}.network.bin.places.json (copy it with the network file)`, run);
    assert.equal(lines[2], line, run);
  }
  const summary = JSON.parse((await refuge(['--json'])).stdout) as { places: Record<string, unknown> };
  assert.deepEqual(summary.places, { file: `${db}.network.bin.places.json`, streets: 3, houses: 50, ...FIXTURE_REPORT });
});

test('the places file is version 2; a version 1 file (building centres) is refused by name and rebuilt by the import', async (t) => {
  const { file } = await fixturePlaces(t);
  const out = join(tempDir(t), 'refuge.db.network.bin');
  const first = await importNetwork(file, out);
  assert.equal(first.rebuilt, true);
  const placesFile = placesFileFor(out);
  const sha = loadGraph(out).meta.sourceSha256;
  const doc = JSON.parse(readFileSync(placesFile, 'utf8')) as { version: number; streets: StreetPlace[] };
  assert.equal(doc.version, 2);
  assert.equal(PLACES_FILE_VERSION, 2);
  assert.deepEqual(houseOf(doc.streets, 'Puistotie', '43').length, 1, 'interpolated numbers are in the file');
  // What the previous version wrote: the same shape, Kauppakatu 2 at its building's centre.
  const old = { ...doc, version: 1, streets: doc.streets.map((s) => ({ ...s, houses: s.houses?.map((h): HouseNumber => (s.name === 'Kauppakatu' && h[0] === '2' ? ['2', 25.0002, 60.00257, null] : h)) })) };
  writeFileSync(placesFile, JSON.stringify(old));
  assert.throws(() => readPlacesFile(placesFile, sha), (e: Error) => e instanceof PlacesFileError
    && /format version 1, expected 2: written by an earlier version \(houses at building centres, no interpolated numbers\); import the network again/.test(e.message));
  const again = await importNetwork(file, out);
  assert.equal(again.rebuilt, false, 'the graph is current');
  const rebuilt = readPlacesFile(placesFile, sha)!;
  assert.deepEqual(houseOf(rebuilt, 'Kauppakatu', '2'), [['2', 25.0002, 60.0024, null]], 'made again, at the main entrance');
  writeFileSync(placesFile, JSON.stringify({ ...doc, version: 3 }));
  assert.throws(() => readPlacesFile(placesFile, sha), /format version 3, expected 2: written by a newer version/);
  writeFileSync(placesFile, JSON.stringify({ sourceSha256: sha, streets: [] }));
  assert.throws(() => readPlacesFile(placesFile, sha), /format version undefined, expected 2: no format version/);
});

test('Copenhagen: its two interpolation ways (no street on them, 2008 data) add nothing already mapped', async () => {
  const extract = await readExtractPlaces(KBH_PBF);
  assert.deepEqual(extract.interpolation, { ways: 2, numbers: 10, skipped: { missingEnds: 0, noStreet: 0, streetsDiffer: 0, badKind: 0, badEnds: 0, tooLong: 0 } });
  const houseStats: HouseStats = { interpolated: 0, interpolatedAlsoMapped: 0, sameHouse: 0 };
  const places = streetPlaces(extract.ways, extract.addresses, houseStats);
  // Haydnsvej 25..9 and Stubmøllevej 5..13, odd: every number between is mapped on those streets already.
  assert.deepEqual(houseStats, { interpolated: 0, interpolatedAlsoMapped: 10, sameHouse: 394 });
  for (const [street, from, to] of [['Haydnsvej', 9, 25], ['Stubmøllevej', 5, 13]] as const) {
    for (let n = from; n <= to; n += 2) assert.equal(houseOf(places, street, String(n)).length, 1, `${street} ${n} once`);
  }
  assert.equal(extract.skipped.noStreet, 5, 'the four ends found their street');
  // What `refuge import network` reports for the demo extract (no entrances mapped in it).
  const report = placesReport(extract, houseStats, places);
  assert.deepEqual(report, {
    addresses: { read: 35_124, placed: 35_119, leftOut: { noStreet: 5, badNumber: 0, noLocation: 0 } },
    interpolation: { ways: 2, numbers: 10, added: 0, waysLeftOut: { missingEnds: 0, noStreet: 0, streetsDiffer: 0, badKind: 0, badEnds: 0, tooLong: 0 } },
    houseNumbers: { mapped: 35_119, interpolatedAlsoMapped: 10, sameHouse: 394, kept: 34_725 },
    buildings: { mainEntrance: 0, onlyEntrance: 0, centreSeveralEntrances: 0 },
  } satisfies PlacesReport);
  assertAddsUp(report, places);
});

test('Helsinki: buildings at their main or only entrance; two doors and no main one: the centre; a door with its own address', async (t) => {
  if (!existsSync(HELSINKI_PBF)) return t.skip('the shared Helsinki extract is not there');
  const extract = await readExtractPlaces(HELSINKI_PBF);
  assert.deepEqual(extract.entrances, { main: 23, only: 7, severalNoMain: 7 });
  assert.equal(extract.interpolation.ways + Object.values(extract.interpolation.skipped).reduce((a, b) => a + b, 0), 0, 'no interpolation ways in this extract');
  const places = await streetPlacesFromPbf(HELSINKI_PBF);
  const at = (street: string, n: string) => {
    const found = houseOf(places, street, n);
    assert.equal(found.length, 1, `${street} ${n}: ${JSON.stringify(found)}`);
    return [found[0][1], found[0][2]];
  };
  // Way 8035238: one entrance, main (an address node inside the building does not pull it off its door).
  assert.deepEqual(at('Mannerheimintie', '22-24'), [24.93651, 60.17072]);
  // Way 8033120: three doors, one main.
  assert.deepEqual(at('Kaivokatu', '2'), [24.94405, 60.17026]);
  // Way 122595247: one door, entrance=yes.
  assert.deepEqual(at('Unioninkatu', '36'), [24.95066, 60.17035]);
  // Way 17359264: two entrance=yes doors (24.94916 and 24.94941 east): neither.
  const [lon, lat] = at('Fabianinkatu', '37');
  assert.ok(haversineMeters(lat, lon, 60.17178, 24.94916) > 20 && haversineMeters(lat, lon, 60.17179, 24.94941) > 20, `Fabianinkatu 37 at ${lon},${lat}`);
  // Way 122595236: its first main door is Alvar Aallon kuja 2 (another street's address): the next main one, and
  // that door is Alvar Aallon kuja 2 itself.
  assert.deepEqual(at('Töölönlahdenkatu', '2'), [24.93846, 60.17224]);
  assert.deepEqual(at('Alvar Aallon kuja', '2'), [24.9373, 60.17268]);
});
