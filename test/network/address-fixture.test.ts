// Address interpolation and entrances for the address search: the pure pieces (schemes, numbers between two ends,
// points along a way), a hand-made fixture with one case each (test/network/fixtures/addresses.osm, its expected
// places in addresses.places.json), the places file's version, and the real Copenhagen and Helsinki extracts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interpolationKind, numbersBetween, pointsAlong, MAX_INTERPOLATED_PER_WAY } from '../../src/network/interpolation.ts';
import { readExtractPlaces, streetPlaces, streetPlacesFromPbf, type HouseStats, type StreetPlace, type HouseNumber } from '../../src/network/street-names.ts';
import { importNetwork, loadGraph, placesFileFor, readPlacesFile, PlacesFileError, PLACES_FILE_VERSION } from '../../src/network/index.ts';
import { haversineMeters } from '../../src/network/geometry.ts';
import { tempDir } from '../helpers.ts';
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
  const houseStats: HouseStats = { interpolated: 0, interpolatedAlsoMapped: 0 };
  const streets = streetPlaces(extract.ways, extract.addresses, houseStats);
  return { file, extract, houseStats, streets };
}

test('the fixture, case by case: interpolated numbers where the way puts them, buildings at their doors', async (t) => {
  const { extract, houseStats, streets } = await fixturePlaces(t);
  // Seven ways expanded (A-E, L, T with nothing between its ends), six left out, one reason each (F-K; see the comments in addresses.osm).
  assert.deepEqual(extract.interpolation, {
    ways: 7, numbers: 20,
    skipped: { missingEnds: 1, noStreet: 1, streetsDiffer: 1, badKind: 1, badEnds: 1, tooLong: 1 },
  });
  assert.deepEqual(houseStats, { interpolated: 19, interpolatedAlsoMapped: 1 }, 'Rantakatu 7 is mapped: not interpolated again');
  assert.deepEqual(extract.entrances, { main: 2, only: 2, severalNoMain: 1 });
  assert.equal(extract.skipped.noStreet, 2, 'the ends of the way with no street anywhere (J)');

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
  const houseStats: HouseStats = { interpolated: 0, interpolatedAlsoMapped: 0 };
  const places = streetPlaces(extract.ways, extract.addresses, houseStats);
  // Haydnsvej 25..9 and Stubmøllevej 5..13, odd: every number between is mapped on those streets already.
  assert.deepEqual(houseStats, { interpolated: 0, interpolatedAlsoMapped: 10 });
  for (const [street, from, to] of [['Haydnsvej', 9, 25], ['Stubmøllevej', 5, 13]] as const) {
    for (let n = from; n <= to; n += 2) assert.equal(houseOf(places, street, String(n)).length, 1, `${street} ${n} once`);
  }
  assert.equal(extract.skipped.noStreet, 5, 'the four ends found their street');
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
