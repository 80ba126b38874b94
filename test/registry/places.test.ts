// The residents' place index: shelters (name, address), streets with the area they are in, regions with a point inside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlaceIndex, pointInside } from '../../src/registry/places.ts';

test('shelters, streets and regions go in compactly; an address equal to the name is not repeated', () => {
  const index = buildPlaceIndex({
    shelters: [
      { id: 'a', name: 'Damagervej 3A, 2450 København SV', address: 'Damagervej 3A, 2450 København SV', lon: 12.5311111, lat: 55.6522222 },
      { id: 'b', name: 'Skole', address: ' Nørrebrogade 12 ', lon: 12.55, lat: 55.69 },
      { id: 'c', name: 'Nowhere', address: null, lon: Number.NaN, lat: 55 },
    ],
    streets: [{ name: 'Nørrebrogade', points: [[12.551234567, 55.6912345], [12.54, 55.70]] }],
    regions: [{ code: 'DK-IB', name: 'Indre By', geometry: { coordinates: [[[[12.555, 55.665], [12.6, 55.665], [12.6, 55.69], [12.555, 55.69], [12.555, 55.665]]]] } }],
    areaAt: (lon) => (lon > 12.5 ? 'Nørrebro' : null),
    streetSource: { file: 'kbh.osm.pbf', available: true },
  });
  assert.deepEqual(index.shelters, [
    ['a', 'Damagervej 3A, 2450 København SV', null, 12.53111, 55.65222],
    ['b', 'Skole', 'Nørrebrogade 12', 12.55, 55.69],
  ]);
  assert.deepEqual(index.streets, [['Nørrebrogade', 'Nørrebro', [12.55123, 55.69123, 12.54, 55.7]]]);
  assert.deepEqual(index.regions, [['DK-IB', 'Indre By', 12.5775, 55.6775]]);
  assert.equal(index.version, 1);
});

test('a point inside: the centroid, or inside a C-shaped region where the centroid is not', () => {
  // A C open to the east: the centroid falls in the gap.
  const c = [[[[0, 0], [10, 0], [10, 2], [2, 2], [2, 8], [10, 8], [10, 10], [0, 10], [0, 0]]]];
  const [x, y] = pointInside(c)!;
  assert.ok(x >= 0 && x <= 2 && y > 0 && y < 10, `${x},${y} is in the C's back`);
  // The largest polygon of a multipolygon.
  const multi = [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]], [[[5, 5], [9, 5], [9, 9], [5, 9], [5, 5]]]];
  assert.deepEqual(pointInside(multi), [7, 7]);
  assert.equal(pointInside([]), null);
});
