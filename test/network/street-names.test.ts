// Street names and house numbers for the residents' address search: one entry per name per area, points on the street,
// its other names and its houses, from the real Copenhagen, Helsinki and Monaco extracts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import {
  altNamesOf, houseNumbersOf, readExtractPlaces, streetNameOf, streetPlaces, streetPlacesFromPbf, readPlacesInWorker, POINT_SPACING_METERS,
  type AddressPoint,
} from '../../src/network/street-names.ts';
import { haversineMeters } from '../../src/network/geometry.ts';
import { HELSINKI_PBF, MONACO_PBF } from './fixtures.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KBH = join(ROOT, 'data', 'demo', 'kbh.osm.pbf');

test('only named street-like highways are searched by name', () => {
  assert.equal(streetNameOf({ highway: 'residential', name: '  Nørrebrogade ' }), 'Nørrebrogade');
  assert.equal(streetNameOf({ highway: 'residential' }), null);
  assert.equal(streetNameOf({ building: 'yes', name: 'Rådhuset' }), null);
  assert.equal(streetNameOf({ highway: 'pedestrian', area: 'yes', name: 'Rådhuspladsen' }), null);
  assert.equal(streetNameOf({ highway: 'platform', name: 'Spor 1' }), null);
});

test('ways of one name that lie together are one street; far apart they are two', () => {
  const places = streetPlaces([
    { name: 'Kirkevej', coords: [[12.50, 55.60], [12.501, 55.60]] },
    { name: 'Kirkevej', coords: [[12.501, 55.60], [12.502, 55.60]] },
    { name: 'Kirkevej', coords: [[12.60, 55.70], [12.601, 55.70]] }, // another town's Kirkevej, 13 km away
    { name: 'Algade', coords: [[12.55, 55.65], [12.551, 55.65]] },
  ]);
  assert.deepEqual(places.map((p) => p.name), ['Algade', 'Kirkevej', 'Kirkevej']);
  const [near, far] = places.filter((p) => p.name === 'Kirkevej');
  assert.equal(near.points.length, 1);
  assert.deepEqual(near.points[0], [12.501, 55.6], 'the representative point is the node in the middle');
  assert.ok(near.meters > 100 && near.meters < 140, `${near.meters} m`);
  assert.deepEqual(far.points[0], [12.6, 55.7]);
});

test('a long street gets points along it, each part within the spacing of one', () => {
  const coords: Array<[number, number]> = [];
  for (let i = 0; i <= 30; i++) coords.push([12.5 + i * 0.001, 55.6]); // ~1.9 km east-west
  const [p] = streetPlaces([{ name: 'Lange Linie', coords }]);
  assert.ok(p.points.length >= 2 && p.points.length <= 6, `${p.points.length} points`);
  for (const [lon, lat] of coords) {
    const d = Math.min(...p.points.map(([x, y]) => haversineMeters(lat, lon, y, x)));
    assert.ok(d <= POINT_SPACING_METERS, `a part of the street is ${Math.round(d)} m from every point`);
  }
});

test('the Copenhagen extract: Nørrebrogade is one street with points on it, in a worker as inline', async () => {
  const places = (await readPlacesInWorker(KBH)).streets;
  assert.ok(places.length > 1000, `${places.length} streets`);
  const nb = places.filter((p) => p.name === 'Nørrebrogade');
  assert.equal(nb.length, 1, 'one Nørrebrogade');
  const [lon, lat] = nb[0].points[0];
  assert.ok(lon > 12.53 && lon < 12.57 && lat > 55.68 && lat < 55.70, `Nørrebrogade at ${lon},${lat}`);
  assert.ok(nb[0].points.length >= 2, 'a long street has more than one point');
  assert.deepEqual(places.slice(0, 50), (await streetPlacesFromPbf(KBH)).slice(0, 50));
});

test('a damaged extract is an error naming the file', async () => {
  await assert.rejects(readPlacesInWorker(join(ROOT, 'package.json')), /package\.json/);
});

test('house numbers as people write them; lists split; anything else is not a number', () => {
  assert.deepEqual(houseNumbersOf('12'), ['12']);
  assert.deepEqual(houseNumbersOf(' 12A '), ['12A']);
  assert.deepEqual(houseNumbersOf('20 B'), ['20 B']);
  assert.deepEqual(houseNumbersOf('12 - 14'), ['12-14']);
  assert.deepEqual(houseNumbersOf('31–33 B'), ['31–33 B']);
  assert.deepEqual(houseNumbersOf('4bis'), ['4bis']);
  assert.deepEqual(houseNumbersOf('12א'), ['12א']);
  assert.deepEqual(houseNumbersOf('12;14;12'), ['12', '14'], 'a list, each once');
  assert.deepEqual(houseNumbersOf('2, 2. krs./Floor 2'), ['2'], 'the Helsinki extract has this');
  assert.deepEqual(houseNumbersOf('8, Floor 6'), ['8']);
  for (const bad of [undefined, '', 'Bygning 5', 'A', '12/3', '1234567890123456789']) assert.deepEqual(houseNumbersOf(bad), [], String(bad));
});

test('other names: language variants and alt_name, not the name again nor other name:* keys', () => {
  assert.deepEqual(altNamesOf({ name: 'Erottajankatu', 'name:fi': 'Erottajankatu', 'name:sv': 'Skillnadsgatan', 'name:etymology:wikidata': 'Q1', alt_name: 'Skillnaden;SKILLNADSGATAN' }, 'Erottajankatu'), ['Skillnadsgatan', 'Skillnaden']);
  assert.deepEqual(altNamesOf({ name: 'רחוב יפו', 'name:en': 'Jaffa Road', 'name:ar': 'شارع يافا', 'name:zh-Hant': '雅法路' }, 'רחוב יפו'), ['Jaffa Road', 'شارع يافا', '雅法路']);
  assert.deepEqual(altNamesOf({ name: 'Algade' }, 'Algade'), []);
});

const addr = (street: string, number: string, lon: number, lat: number, area: string | null = '4000 Roskilde'): AddressPoint => ({ street, number, lon, lat, area });

test('addresses join the street of their name they lie by; the same house twice is one; far from it, a street of their own', () => {
  const places = streetPlaces(
    [
      { name: 'Algade', coords: [[12.080, 55.640], [12.090, 55.640]] },
      { name: 'Algade', coords: [[12.500, 55.700], [12.501, 55.700]] }, // another town's Algade
    ],
    [
      addr('Algade', '3', 12.0801, 55.6401),
      addr('Algade', '1', 12.0800, 55.6401),
      addr('algade', '2A', 12.0802, 55.6399), // addr:street in another case
      addr('Algade', '1', 12.08005, 55.64012), // the address node inside its addressed building: the same house
      addr('Algade', '1', 12.089, 55.6401), // another "Algade 1" 500 m on: kept (a data error, but a real place)
      addr('Algade', '7', 12.5005, 55.7001, '2000 Frederiksberg'),
      addr('Torvet', '5', 12.3, 55.5, null), // a square with no highway: placed at its address
    ],
  );
  assert.deepEqual(places.map((p) => [p.name, p.houses?.map((h) => h[0])]), [
    ['Algade', ['1', '1', '2A', '3']],
    ['Algade', ['7']],
    ['Torvet', ['5']],
  ]);
  assert.deepEqual(places[0].houses![0], ['1', 12.08, 55.6401, '4000 Roskilde']);
  assert.deepEqual(places[1].houses![0], ['7', 12.5005, 55.7001, '2000 Frederiksberg']);
  assert.deepEqual(places[2].points, [[12.3, 55.5]]);
  assert.equal(places[2].meters, 0);
});

test('the Copenhagen extract: house numbers on their streets, at their houses', async () => {
  const { addresses, skipped } = await readExtractPlaces(KBH);
  assert.ok(addresses.length > 30_000, `${addresses.length} addresses`);
  assert.ok(skipped.noStreet < 50, `${skipped.noStreet} without a street`);
  const places = await streetPlacesFromPbf(KBH);
  const vb = places.filter((p) => p.name === 'Vesterbrogade');
  assert.equal(vb.length, 1, 'one Vesterbrogade');
  const twelve = vb[0].houses!.find((h) => h[0] === '12');
  assert.ok(twelve, 'Vesterbrogade 12');
  const [, lon, lat, area] = twelve;
  assert.equal(area, '1620 København V');
  const fromStreet = Math.min(...vb[0].points.map(([x, y]) => haversineMeters(lat, lon, y, x)));
  assert.ok(fromStreet < POINT_SPACING_METERS, `Vesterbrogade 12 is ${Math.round(fromStreet)} m from the street's points`);
  // Near the Tivoli end of the street (12.560, 55.673), within 100 m.
  assert.ok(haversineMeters(lat, lon, 55.6734, 12.5602) < 100, `Vesterbrogade 12 at ${lon},${lat}`);
  const numbers = vb[0].houses!.map((h) => h[0]);
  assert.ok(numbers.includes('12-14') && numbers.some((n) => /^\d+[A-Z]$/.test(n)), 'ranges and lettered houses kept as written');
  const total = places.reduce((n, p) => n + (p.houses?.length ?? 0), 0);
  assert.ok(total > 30_000 && total <= addresses.length, `${total} houses`);
});

test('the Helsinki extract: Swedish names of Finnish streets; a range and a lettered house', async (t) => {
  if (!existsSync(HELSINKI_PBF)) return t.skip('the shared Helsinki extract is not there');
  const places = await streetPlacesFromPbf(HELSINKI_PBF);
  const e = places.find((p) => p.name === 'Erottajankatu');
  assert.ok(e?.alt?.includes('Skillnadsgatan'), `Erottajankatu's other names: ${e?.alt}`);
  assert.ok(!e!.alt!.includes('Erottajankatu'), 'name:fi equal to the name is not repeated');
  const houses = places.flatMap((p) => p.houses ?? []).map((h) => h[0]);
  assert.ok(houses.includes('14-20') && houses.includes('20 B'), 'ranges and "20 B" as written');
  // A building mapped as a multipolygon relation (outer and inner courtyard ways) is at its outer ways' centre.
  const union = places.find((p) => p.name === 'Unioninkatu')!.houses!.find((h) => h[0] === '33b');
  assert.ok(union, 'Unioninkatu 33b, a multipolygon building');
  assert.ok(haversineMeters(union[2], union[1], 60.1722, 24.9511) < 60, `Unioninkatu 33b at ${union[1]},${union[2]}`);
});

test('the Monaco extract: addresses read from nodes and from buildings, each once', async (t) => {
  if (!existsSync(MONACO_PBF)) return t.skip('the shared Monaco extract is not there');
  const { addresses } = await readExtractPlaces(MONACO_PBF);
  assert.ok(addresses.length > 40, `${addresses.length} addresses`);
  const places = await streetPlacesFromPbf(MONACO_PBF);
  for (const p of places) {
    const seen = new Set<string>();
    for (const [n, lon, lat] of p.houses ?? []) {
      const key = `${n}@${lon},${lat}`;
      assert.ok(!seen.has(key), `${p.name} ${n} twice`);
      seen.add(key);
      assert.ok(lon > 7.3 && lon < 7.6 && lat > 43.65 && lat < 43.85, `${p.name} ${n} in the extract (Monaco and around): ${lon},${lat}`);
    }
  }
  assert.ok(places.some((p) => p.houses?.length), 'some streets have houses');
});
