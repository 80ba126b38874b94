// Street names for the residents' address search: one entry per name per area, points on the street, from the
// Copenhagen extract the demo uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { streetNameOf, streetPlaces, streetPlacesFromPbf, streetPlacesInWorker, POINT_SPACING_METERS } from '../../src/network/street-names.ts';
import { haversineMeters } from '../../src/network/geometry.ts';

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
  const places = await streetPlacesInWorker(KBH);
  assert.ok(places.length > 1000, `${places.length} streets`);
  const nb = places.filter((p) => p.name === 'Nørrebrogade');
  assert.equal(nb.length, 1, 'one Nørrebrogade');
  const [lon, lat] = nb[0].points[0];
  assert.ok(lon > 12.53 && lon < 12.57 && lat > 55.68 && lat < 55.70, `Nørrebrogade at ${lon},${lat}`);
  assert.ok(nb[0].points.length >= 2, 'a long street has more than one point');
  assert.deepEqual(places.slice(0, 50), (await streetPlacesFromPbf(KBH)).slice(0, 50));
});

test('a damaged extract is an error naming the file', async () => {
  await assert.rejects(streetPlacesInWorker(join(ROOT, 'package.json')), /package\.json/);
});
