import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseRegionsGeoJson, regionsFromGeoJson, RegionIndex, RegionImportError } from '../../src/geo/index.ts';
import { SHARED } from '../helpers.ts';

const OREF = `${SHARED}/israel-oref-areas/oref_alert_areas.geojson`;
const UKRAINE = `${SHARED}/ukraine-oblasts/ua_oblasts_simplified.geojson`;
const UKRAINE_RAW = `${SHARED}/ukraine-oblasts/ukraine_oblasts_osm_raw.json`;

const oref = parseRegionsGeoJson(readFileSync(OREF, 'utf8'), {}, OREF);
const orefIndex = new RegionIndex(oref.regions);

test('Israeli HFC areas import as they are: 1,449 areas, the two null-geometry pseudo-areas reported', () => {
  assert.equal(oref.regions.length, 1449);
  assert.deepEqual(
    oref.skipped.map((s) => [s.name, s.reason]),
    [
      ['ברחבי הארץ', 'geometry is null'],
      ['כל הארץ', 'geometry is null'],
    ],
  );
  assert.deepEqual(oref.fields, { name: 'name_he', code: 'segment', warningTime: 'migun_time_s', parent: null });
  const counts = new Map<number | null, number>();
  for (const r of oref.regions) counts.set(r.warningTimeS, (counts.get(r.warningTimeS) ?? 0) + 1);
  // SOURCE.md counts over all 1,451 rows: 90 s 875, 60 s 170, 45 s 139, 15 s 138, 30 s 126, 0 s 3 (two of those are the null-geometry rows).
  assert.deepEqual(Object.fromEntries([...counts].sort((a, b) => Number(a[0]) - Number(b[0]))), { 0: 1, 15: 138, 30: 126, 45: 139, 60: 170, 90: 875 });
});

test('a point in central Tel Aviv falls in "תל אביב - מרכז העיר" with 90 s', () => {
  const found = orefIndex.regionsAt(32.0799, 34.7816);
  assert.equal(found.length, 1);
  assert.equal(found[0].name, 'תל אביב - מרכז העיר');
  assert.equal(found[0].warningTimeS, 90);
  assert.equal(found[0].code, '5000742');
});

test('known lookups elsewhere in Israel, and outside every area', () => {
  const beersheva = orefIndex.list().find((r) => r.name === 'באר שבע - צפון');
  assert.equal(beersheva?.warningTimeS, 60);
  // The Mediterranean off Tel Aviv and a point in Cyprus belong to no area.
  assert.deepEqual(orefIndex.regionsAt(32.1, 34.5), []);
  assert.deepEqual(orefIndex.regionsAt(35.0, 33.0), []);
  assert.deepEqual(orefIndex.regionsAt(Number.NaN, 34.7), []);
});

test('the index agrees with an exact scan of every polygon at 2,000 points over Israel', () => {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let nonEmpty = 0;
  const regions = orefIndex.list();
  for (let i = 0; i < 2000; i++) {
    let lat = 29.49 + rand() * (33.29 - 29.49);
    let lon = 34.28 + rand() * (35.85 - 34.28);
    if (i % 2 === 1) {
      // Half the points near a random area's vertex average, where areas meet and overlap.
      const ring = regions[Math.floor(rand() * regions.length)].geometry.coordinates[0][0];
      lon = ring.reduce((s, p) => s + p[0], 0) / ring.length + (rand() - 0.5) * 0.01;
      lat = ring.reduce((s, p) => s + p[1], 0) / ring.length + (rand() - 0.5) * 0.01;
    }
    const a = orefIndex.regionsAt(lat, lon).map((r) => r.code);
    const b = orefIndex.regionsAtNaive(lat, lon).map((r) => r.code);
    assert.deepEqual(a, b, `at ${lat},${lon}`);
    if (a.length) nonEmpty++;
  }
  assert.ok(nonEmpty > 600, `expected many points inside areas, got ${nonEmpty}`);
});

test('Ukrainian oblasts import; a point in Kyiv falls in Kyiv city and not in the oblast around its hole', () => {
  const ua = parseRegionsGeoJson(readFileSync(UKRAINE, 'utf8'), {}, UKRAINE);
  assert.equal(ua.regions.length, 27);
  assert.equal(ua.skipped.length, 0);
  assert.deepEqual(ua.fields, { name: 'name_en', code: 'iso3166_2', warningTime: null, parent: null });
  const index = new RegionIndex(ua.regions);
  const kyiv = index.regionsAt(50.4501, 30.5234);
  assert.deepEqual(kyiv.map((r) => [r.code, r.name]), [['UA-30', 'Kyiv']]);
  assert.equal(kyiv[0].warningTimeS, null);
  // Bila Tserkva is in Kyiv oblast, outside the city.
  assert.deepEqual(index.regionsAt(49.7968, 30.1311).map((r) => r.name), ['Kyiv Oblast']);
  assert.deepEqual(index.regionsAt(49.8397, 24.0297).map((r) => r.code), ['UA-46']); // Lviv
});

test('field options override detection (Ukrainian names, alerts.in.ua uid as code)', () => {
  const ua = parseRegionsGeoJson(readFileSync(UKRAINE, 'utf8'), { nameField: 'name_uk', codeField: 'alerts_in_ua_uid' }, UKRAINE);
  const kyiv = new RegionIndex(ua.regions).regionsAt(50.4501, 30.5234);
  assert.deepEqual(kyiv.map((r) => [r.code, r.name]), [['31', 'Київ']]);
});

test('the raw OSM oblast file imports too (name, ISO3166-2)', () => {
  const raw = parseRegionsGeoJson(readFileSync(UKRAINE_RAW, 'utf8'), {}, UKRAINE_RAW);
  assert.equal(raw.regions.length, 27);
  assert.equal(raw.fields.name, 'name');
  assert.equal(raw.fields.code, 'ISO3166-2');
  assert.deepEqual(new RegionIndex(raw.regions).regionsAt(50.4501, 30.5234).map((r) => r.code), ['UA-30']);
});

const square = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];

test('multipolygons, holes, parents and smallest-first ordering', () => {
  const fc = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { name: 'Oblast', code: 'O', warning_time_s: 120 }, geometry: { type: 'Polygon', coordinates: [square(0, 0, 10), square(4, 4, 2)] } },
      { type: 'Feature', properties: { name: 'Raion', code: 'R', warning_time_s: '60', parent: 'O' }, geometry: { type: 'MultiPolygon', coordinates: [[square(1, 1, 2)], [square(7, 7, 2)]] } },
      { type: 'Feature', properties: { name: 'City', code: 'C', warning_time_s: 30, parent: 'O' }, geometry: { type: 'Polygon', coordinates: [square(4, 4, 2)] } },
    ],
  };
  const res = regionsFromGeoJson(fc);
  assert.deepEqual(res.fields, { name: 'name', code: 'code', warningTime: 'warning_time_s', parent: 'parent' });
  const index = new RegionIndex(res.regions);
  assert.deepEqual(index.regionsAt(8, 8).map((r) => r.code), ['R', 'O']); // second part of the multipolygon
  assert.deepEqual(index.regionsAt(5, 5).map((r) => r.code), ['C']); // in the hole of O
  assert.deepEqual(index.regionsAt(0.5, 9).map((r) => r.code), ['O']); // lat 0.5, lon 9
  assert.equal(index.get('R')?.warningTimeS, 60);
  assert.equal(index.get('R')?.parentCode, 'O');
  assert.equal(index.get('O')?.parentCode, null);
});

test('bad input is rejected with an error naming the feature and field', () => {
  const fc = (props: object, geometry: object) => ({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: props, geometry }] });
  const poly = { type: 'Polygon', coordinates: [square(0, 0, 1)] };
  assert.throws(() => regionsFromGeoJson(fc({ name: 'A', code: 'a', warning_time_s: -5 }, poly), {}, 'f.geojson'), /f\.geojson: feature 0 \(A\): field "warning_time_s"/);
  assert.throws(() => regionsFromGeoJson(fc({ name: 'A' }, { type: 'Point', coordinates: [0, 0] }), {}, 'f.geojson'), /feature 0 \(A\): geometry type "Point"/);
  assert.throws(() => regionsFromGeoJson(fc({ name: 'A' }, { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] })), /ring is not closed/);
  assert.throws(() => regionsFromGeoJson(fc({ name: 'A' }, { type: 'Polygon', coordinates: [[[0, 0], [200, 0], [1, 1], [0, 0]]] })), /position 1 \[200,0\] is not a valid/);
  assert.throws(() => regionsFromGeoJson(fc({ title: 'A' }, poly), {}, 'x.json'), /x\.json: no name field found/);
  assert.throws(() => regionsFromGeoJson(fc({ name: 'A' }, poly), { nameField: 'nom' }), /field "nom" \(name\) is missing/);
  assert.throws(() => parseRegionsGeoJson('{"type":', {}, 'broken.geojson'), (e: unknown) => e instanceof RegionImportError && /broken\.geojson: not valid JSON/.test(e.message));
  const dup = { type: 'FeatureCollection', features: [0, 1].map(() => ({ type: 'Feature', properties: { name: 'Same' }, geometry: poly })) };
  assert.throws(() => regionsFromGeoJson(dup), /code "Same" already used by feature 0/);
});

test('a parent chain that loops back is refused, naming the feature and the cycle; a parent outside the file is kept', () => {
  const poly = { type: 'Polygon', coordinates: [square(0, 0, 1)] };
  const fc = (...rows: Array<[string, string | null]>) => ({
    type: 'FeatureCollection',
    features: rows.map(([code, parent]) => ({ type: 'Feature', properties: { name: `N${code}`, code, parent }, geometry: poly })),
  });
  assert.throws(() => regionsFromGeoJson(fc(['a', 'b'], ['b', 'c'], ['c', 'a']), {}, 'loop.geojson'),
    (e: unknown) => e instanceof RegionImportError && /loop\.geojson: feature 0 \(Na\): field "parent" \(parent\) makes a cycle: a -> b -> c -> a/.test(e.message));
  assert.throws(() => regionsFromGeoJson(fc(['x', null], ['s', 's'])), /feature 1 \(Ns\).*cycle: s -> s/);
  // A tail leading into a loop names the loop, not the tail.
  assert.throws(() => regionsFromGeoJson(fc(['t', 'u'], ['u', 'v'], ['v', 'u'])), /cycle: u -> v -> u/);
  const ok = regionsFromGeoJson(fc(['r', 'elsewhere'], ['q', 'r']));
  assert.deepEqual(ok.regions.map((r) => r.parentCode), ['elsewhere', 'r']);
});
