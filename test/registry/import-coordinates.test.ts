// Latitude/longitude swap detection: real registries as labelled and deliberately swapped, through the same
// import path as the CLI (prepareImportFrom), then generated edge cases on detectSwap itself. The land data
// (Natural Earth 1:50m) and the country borders are the real ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareImportFrom, detectSwap } from '../../src/registry/import/index.ts';
import { SHARED } from '../helpers.ts';

type LatLon = [number, number];
const JERUSALEM = { minLat: 31.7, maxLat: 31.9, minLon: 35.1, maxLon: 35.3 };
const COPENHAGEN = { minLat: 55.6, maxLat: 55.75, minLon: 12.45, maxLon: 12.7 };
const SWAP_WARNING = /read the other way round/;

function swapCsvHeader(bytes: Buffer, a: string, b: string): Buffer {
  const text = bytes.toString('utf8');
  const nl = text.indexOf('\n');
  const header = text.slice(0, nl).split(',').map((h) => (h === a ? b : h === b ? a : h)).join(',');
  assert.notEqual(header, text.slice(0, nl), `header has ${a} and ${b}`);
  return Buffer.from(header + text.slice(nl), 'utf8');
}

function swapGeoJson(bytes: Buffer): Buffer {
  const fc = JSON.parse(bytes.toString('utf8')) as { features: Array<{ geometry: { coordinates: unknown[] } }> };
  for (const f of fc.features) f.geometry.coordinates = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
  return Buffer.from(JSON.stringify(fc), 'utf8');
}

const read = (file: string) => readFileSync(join(SHARED, file));
const CASES: Array<{ name: string; file: string; bytes: () => Buffer; city: typeof JERUSALEM; swapped: boolean }> = [
  { name: 'Jerusalem shelters.csv as labelled', file: 'shelters.csv', bytes: () => read('jerusalem-shelters/shelters.csv'), city: JERUSALEM, swapped: false },
  { name: 'Jerusalem shelters.csv, columns swapped', file: 'shelters.csv', bytes: () => swapCsvHeader(read('jerusalem-shelters/shelters.csv'), 'latitude', 'longiude'), city: JERUSALEM, swapped: true },
  // The municipality's own file labels latitude "X-axis" and longitude "Y axis": read as labelled, it is swapped.
  { name: 'Jerusalem raw_municipality.csv as labelled (X = latitude)', file: 'raw.csv', bytes: () => read('jerusalem-shelters/raw_municipality.csv'), city: JERUSALEM, swapped: true },
  { name: 'Jerusalem raw_municipality.csv, X and Y swapped back', file: 'raw.csv', bytes: () => swapCsvHeader(read('jerusalem-shelters/raw_municipality.csv'), 'X-axis coordinates', 'Y axis coordinates'), city: JERUSALEM, swapped: false },
  { name: 'Jerusalem shelters.geojson as given', file: 'shelters.geojson', bytes: () => read('jerusalem-shelters/shelters.geojson'), city: JERUSALEM, swapped: false },
  { name: 'Jerusalem shelters.geojson as [lat, lon]', file: 'shelters.geojson', bytes: () => swapGeoJson(read('jerusalem-shelters/shelters.geojson')), city: JERUSALEM, swapped: true },
  // 1,852 points, a fifth of them "offshore" on the 1:50m coast (harbour, Amager, Sydhavn), none by more than 2 km.
  { name: 'Copenhagen shelters.geojson as given', file: 'shelters.geojson', bytes: () => read('copenhagen-shelters/shelters.geojson'), city: COPENHAGEN, swapped: false },
  { name: 'Copenhagen shelters.geojson as [lat, lon] (Oman\'s waters)', file: 'shelters.geojson', bytes: () => swapGeoJson(read('copenhagen-shelters/shelters.geojson')), city: COPENHAGEN, swapped: true },
];

for (const c of CASES) {
  test(`coordinates: ${c.name} is decided, with no uncertain note`, async () => {
    const p = await prepareImportFrom(c.bytes(), c.file);
    assert.equal(p.warnings.filter((w) => w.startsWith('coordinates:')).length, 0, p.warnings.join('\n'));
    assert.equal(p.warnings.some((w) => SWAP_WARNING.test(w)), c.swapped, p.warnings.join('\n'));
    assert.ok(p.records.length > 100);
    for (const { name, lat, lon } of p.records) {
      const r = { name, lat: lat ?? Number.NaN, lon: lon ?? Number.NaN };
      assert.ok(r.lat >= c.city.minLat && r.lat <= c.city.maxLat && r.lon >= c.city.minLon && r.lon <= c.city.maxLon, `${r.name} at ${r.lat}, ${r.lon}`);
    }
  });
}

test('coordinates: --coordinates overrides the detection both ways, with no note', async () => {
  const swappedFile = swapGeoJson(read('copenhagen-shelters/shelters.geojson'));
  const kept = await prepareImportFrom(swappedFile, 'x.geojson', { coordinates: 'as-labelled' });
  assert.deepEqual(kept.warnings.filter((w) => w.startsWith('coordinates:') || SWAP_WARNING.test(w)), []);
  assert.ok(kept.records.every((r) => r.lat! < 13 && r.lon! > 55), 'labels kept: the points stay in the Arabian Sea');
  const forced = await prepareImportFrom(read('copenhagen-shelters/shelters.geojson'), 'x.geojson', { coordinates: 'swapped' });
  assert.ok(forced.warnings.some((w) => SWAP_WARNING.test(w) && w.includes('as asked')), forced.warnings.join('\n'));
  assert.ok(forced.records.every((r) => r.lat! < 13 && r.lon! > 55));
});

const swap = (ps: LatLon[]): LatLon[] => ps.map(([a, b]) => [b, a]);

test('coordinates: waterfront shelters are not "at sea" (the 1:50m coast is off by up to ~2 km)', () => {
  // Copenhagen harbour front: Nyhavn, Islands Brygge, Amager Strand, Langelinie, Sydhavn, Kastrup, ...
  // Several of these lie outside the 1:50m land polygon; within 5 km of its coast they still count.
  const copenhagen: LatLon[] = [[55.6798, 12.5914], [55.664, 12.577], [55.656, 12.646], [55.6925, 12.599], [55.648, 12.544], [55.642, 12.66], [55.6905, 12.601], [55.676, 12.598]];
  // Tel Aviv promenade: read the other way round it lies off Paphos, about 30 km from Cyprus.
  const telAviv: LatLon[] = [[32.0853, 34.7681], [32.074, 34.7634], [32.095, 34.772], [32.105, 34.777], [32.064, 34.76], [32.0535, 34.751]];
  for (const [name, points, country] of [['Copenhagen', copenhagen, 'DK'], ['Tel Aviv', telAviv, 'IL']] as const) {
    assert.deepEqual(detectSwap([...points]), { swap: false, reason: null, uncertain: null }, name);
    const v = detectSwap(swap([...points]));
    assert.equal(v.swap, true, name);
    assert.equal(v.uncertain, null, name);
    assert.match(v.reason!, new RegExp(`as labelled, 0 of ${points.length} .*swapped, ${points.length} are \\(${country}\\)`));
  }
});

test('coordinates: a file at sea is left as labelled, and the note says neither reading is on land', () => {
  // 49 points in the open North Atlantic (44-46°N, 28-31°W); read the other way round, the Southern Indian Ocean.
  const atSea: LatLon[] = Array.from({ length: 49 }, (_, i) => [44 + (i % 7) * 0.3, -31 + Math.floor(i / 7) * 0.3]);
  for (const points of [atSea, swap(atSea)]) {
    const v = detectSwap(points);
    assert.equal(v.swap, false);
    assert.match(v.uncertain ?? '', /neither reading puts most points on land \(as labelled, 0 of 49 .*swapped, 0 are\)/);
  }
});

test('coordinates: near latitude/longitude 0, decided where land decides, honest where it cannot', () => {
  // Rows with zeros for missing coordinates: Gulf of Guinea either way; labels kept, with the note.
  const zeros: LatLon[] = [[0, 0], [0.01, 0.02], [-0.03, 0.01], [0.2, -0.1], [0, 0]];
  assert.match(detectSwap(zeros).uncertain ?? '', /neither reading puts most points on land/);
  assert.equal(detectSwap(zeros).swap, false);
  // Quito read the other way round is 78°S: no point south of 60°S counts, so both ways are decided.
  const quito: LatLon[] = [[-0.1807, -78.4678], [-0.22, -78.51]];
  assert.deepEqual(detectSwap(quito), { swap: false, reason: null, uncertain: null });
  assert.equal(detectSwap(swap(quito)).swap, true);
  assert.equal(detectSwap(swap(quito)).uncertain, null);
  // Libreville (Gabon) read the other way round is on land in Ghana: genuinely uncertain from the points alone,
  // so the labels stand with the note; shelters already in the registry settle it either way.
  const libreville: LatLon[] = [[0.3901, 9.4544], [0.4162, 9.4673], [0.38, 9.45], [0.4, 9.44]];
  const alone = detectSwap(libreville);
  assert.equal(alone.swap, false);
  assert.match(alone.uncertain ?? '', /points in GA\); swapped they would be in GH, and both readings are plausible/);
  assert.deepEqual(detectSwap(libreville, libreville), { swap: false, reason: null, uncertain: null });
  const settled = detectSwap(swap(libreville), libreville);
  assert.equal(settled.swap, true);
  assert.equal(settled.uncertain, null);
  assert.match(settled.reason!, /among the shelters already in the registry/);
});

test('coordinates: tiny files are decided only when every point agrees', () => {
  const cityHall: LatLon = [55.6761, 12.5683];
  // One row: on land one way, in the Arabian Sea the other: decided both ways.
  assert.deepEqual(detectSwap([cityHall]), { swap: false, reason: null, uncertain: null });
  const one = detectSwap(swap([cityHall]));
  assert.equal(one.swap, true);
  assert.match(one.reason!, /0 of 1 sampled point is .*swapped, 1 is \(DK\)/);
  // Two rows, one of them zeros: half the file is at sea whichever way it is read. Labels kept, with the note.
  for (const points of [[cityHall, [0, 0] as LatLon], swap([cityHall, [0, 0]])]) {
    const v = detectSwap(points);
    assert.equal(v.swap, false);
    assert.match(v.uncertain ?? '', /neither reading puts most points on land/);
  }
  // No usable point: nothing to say.
  assert.deepEqual(detectSwap([]), { swap: false, reason: null, uncertain: null });
  assert.deepEqual(detectSwap([[Number.NaN, 12]]), { swap: false, reason: null, uncertain: null });
});

test('coordinates: a latitude beyond ±90 is still hard evidence, before any map', () => {
  const v = detectSwap([[155.6761, 12.5683], [100, 12.5]]);
  assert.equal(v.swap, true);
  assert.match(v.reason!, /2 latitude values lie beyond ±90°/);
});
