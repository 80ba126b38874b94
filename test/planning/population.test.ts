// Population input: the shared Kontur files, GeoJSON polygons/points, and bad features named with their reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePopulation, PopulationImportError } from '../../src/planning/index.ts';
import { SHARED } from '../helpers.ts';

const KONTUR = join(SHARED, 'israel-kontur-population');

test('the Kontur H3 CSV and GeoJSON give the same 12,133 cells and 9,380,044 people (SOURCE.md)', () => {
  const csv = parsePopulation(readFileSync(join(KONTUR, 'kontur_population_IL_20231101_h3.csv')), 'kontur.csv');
  const gj = parsePopulation(readFileSync(join(KONTUR, 'kontur_population_IL_20231101.geojson')), 'kontur.geojson');
  assert.equal(csv.cells.length, 12_133);
  assert.equal(csv.total, 9_380_044);
  assert.equal(gj.cells.length, 12_133);
  assert.equal(gj.total, 9_380_044);
  assert.equal(csv.format, 'csv');
  assert.equal(gj.format, 'geojson');
  // Same cell, same place: the H3 centre and the polygon centroid agree within a few metres.
  const a = csv.cells.find((c) => c.key === '883e6cc69bfffff')!;
  const b = gj.cells.find((c) => c.key === '883e6cc69bfffff')!;
  assert.equal(a.population, 1);
  assert.ok(Math.abs(a.lat - b.lat) < 1e-4 && Math.abs(a.lon - b.lon) < 1e-4, `${a.lat},${a.lon} vs ${b.lat},${b.lon}`);
  assert.equal(a.polygons![0][0].length, 7); // closed hexagon from h3-js
});

const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const pt = (lon: number, lat: number, props: Record<string, unknown>, id?: string) => ({ type: 'Feature', ...(id ? { id } : {}), properties: props, geometry: { type: 'Point', coordinates: [lon, lat] } });

test('GeoJSON points, polygons and a custom population field; fractional counts are rounded and said so', () => {
  const square = { type: 'Feature', properties: { residents: 10.6, name: 'sq' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]]] } };
  const r = parsePopulation(fc([pt(1, 2, { residents: '1 200' }, 'p1'), square]), 'x.geojson', { populationField: 'residents' });
  assert.deepEqual(r.cells.map((c) => [c.key, c.population]), [['p1', 1200], ['feature 1', 11]]);
  assert.ok(Math.abs(r.cells[1].lat - 0.005) < 1e-9 && Math.abs(r.cells[1].lon - 0.005) < 1e-9);
  assert.equal(r.total, 1211);
  assert.equal(r.rounded, 1);
  assert.match(r.notes[0], /rounded/);
});

test('every bad feature is reported with where, field and reason; nothing is accepted', () => {
  const features = [
    pt(1, 2, { population: 5 }, 'ok'),
    pt(1, 2, { population: -3 }, 'neg'),
    pt(1, 2, {}, 'missing'),
    pt(1, 2, { population: 'many' }, 'text'),
    { type: 'Feature', id: 'nogeom', properties: { population: 1 }, geometry: null },
    pt(500000, 6000000, { population: 1 }, 'projected'),
    { type: 'Feature', id: 'line', properties: { population: 1 }, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } },
    pt(1, 2, { population: 4 }, 'ok'),
  ];
  let err: PopulationImportError | null = null;
  try {
    parsePopulation(fc(features), 'bad.geojson');
  } catch (e) {
    err = e as PopulationImportError;
  }
  assert.ok(err instanceof PopulationImportError);
  const got = err.problems.map((p) => `${p.where}|${p.field}|${p.reason}`);
  assert.deepEqual(got, [
    'feature 1 (neg)|population|population -3 is negative',
    'feature 2 (missing)|population|population is missing',
    'feature 3 (text)|population|population "many" is not a number',
    'feature 4 (nogeom)|geometry|geometry is missing',
    'feature 5 (projected)|geometry|point [500000,6000000] is not a WGS84 [longitude, latitude]',
    'feature 6 (line)|geometry|geometry type LineString is not a Point, Polygon or MultiPolygon',
    'feature 7 (ok)|null|cell ok appears twice (also at feature 0 (ok))',
  ]);
  assert.match(err.message, /bad\.geojson: 7 problems; nothing was imported/);
});

test('a projected CRS, a GeoPackage, a file without a population field and bad CSV rows are refused clearly', () => {
  const projected = JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } }, features: [pt(1, 2, { population: 1 })] });
  assert.throws(() => parsePopulation(projected, 'p.geojson'), /EPSG::3857; GeoJSON population must be WGS84/);
  assert.throws(() => parsePopulation(Buffer.from('SQLite format 3\0xxxxxxxx'), 'k.gpkg'), /GeoPackage/);
  assert.throws(() => parsePopulation(fc([pt(1, 2, { people_count: 4 })]), 'n.geojson'), /no population property \(properties: people_count\); pass --population-field/);
  const csv = 'h3,population\n883e6cc69bfffff,5\nnot-a-cell,3\n883e6cbb6dfffff,-1\n';
  assert.throws(() => parsePopulation(csv, 'c.csv'), (e: PopulationImportError) => {
    assert.deepEqual(e.problems.map((p) => `${p.where}|${p.reason}`), ['line 3|"not-a-cell" is not an H3 cell index', 'line 4|population -1 is negative']);
    return true;
  });
  // lat/lon CSV without H3
  const ll = parsePopulation('lat;lon;pop\n31.5;35.1;10\n', 'll.csv');
  assert.deepEqual(ll.cells.map((c) => [c.lat, c.lon, c.population, c.polygons]), [[31.5, 35.1, 10, null]]);
});
