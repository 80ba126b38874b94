// The residents' place index: shelters (name, address), streets with the area they are in, regions with a point inside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlaceIndex, encodeHouses, pointInside } from '../../src/registry/places.ts';
import { entriesOf } from '../../web/src/lib/text-fold.ts';

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
  assert.equal(index.version, 2);
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

test('house numbers go in per postcode, each a metre-grid step from the one before, and come out where they were', () => {
  const houses: Array<[string, number, number, string | null]> = [
    ['1', 12.56749, 55.67529, '1620 København V'],
    ['2', 12.56701, 55.67561, '1620 København V'],
    ['3', 12.56711, 55.67516, '1620 København V'],
    ['12A', 12.56016, 55.6734, '1620 København V'],
    ['6-8', 12.56305, 55.67238, null],
    ['100', 12.54384, 55.67126, '1850 Frederiksberg C'],
  ];
  const groups = encodeHouses(houses, 12.5538, 55.67247)!;
  // Odd numbers, then even ones (one side of the street, then the other); a plain number is a JSON number.
  assert.deepEqual(groups, [
    ['1620 København V', 1, 1369, 282, 3, -38, -13, 2, -10, 45, '12A', -685, -221],
    [null, '6-8', 925, -9],
    ['1850 Frederiksberg C', 100, -996, -121],
  ]);
  const index = buildPlaceIndex({
    shelters: [], regions: [], streetSource: { file: 'x', available: true },
    streets: [
      { name: 'Vesterbrogade', points: [[12.5538, 55.67247], [12.54, 55.67]], houses, alt: ['Vesterbro Street'] },
      { name: 'Istedgade', points: [[12.55521, 55.66972]], alt: [] },
    ],
  });
  assert.equal(index.streets[1].length, 3, 'a street with neither other names nor houses stays three items long');
  const [vb] = entriesOf(JSON.parse(JSON.stringify(index)));
  assert.deepEqual(vb.alt, ['Vesterbro Street']);
  const back = vb.houses!.map((h) => [h.number, h.at[0], h.at[1], h.area]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  assert.deepEqual(back, [...houses].sort((a, b) => a[0].localeCompare(b[0])), 'every house back at its 5-decimal point');
});

test('a region\'s names in other languages go in once each, and find it', () => {
  const square = { coordinates: [[[[35.2, 31.7], [35.3, 31.7], [35.3, 31.8], [35.2, 31.8], [35.2, 31.7]]]] };
  const index = buildPlaceIndex({
    shelters: [], streets: [], streetSource: { file: null, available: false },
    regions: [
      { code: 'IL-JM', name: 'ירושלים', geometry: square, names: { en: 'Jerusalem', ar: 'القدس', he: 'ירושלים', ru: ' Иерусалим ' } },
      { code: 'IL-X', name: 'Plain', geometry: square },
    ],
  });
  assert.deepEqual(index.regions, [['IL-JM', 'ירושלים', 35.25, 31.75, ['Jerusalem', 'القدس', 'Иерусалим']], ['IL-X', 'Plain', 35.25, 31.75]]);
  const [jm] = entriesOf(JSON.parse(JSON.stringify(index)));
  assert.deepEqual(jm.alt, ['Jerusalem', 'القدس', 'Иерусалим']);
});
