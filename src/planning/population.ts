// Population input: cells with a number of residents. Reads the Kontur H3 CSV (h3, population[, lat, lon]) and GeoJSON
// (Polygon/MultiPolygon cells such as H3 hexagons or a regular grid, or Points) with a population property.
// Every bad feature is reported (where, field, reason) and nothing is accepted from a file with one.
import { parse } from 'csv-parse/sync';
import { cellToBoundary, cellToLatLng, isValidCell } from 'h3-js';

export interface PopulationCell {
  /** The cell's key in its source: H3 index, feature id, or "feature N" / "line N". */
  key: string;
  /** Representative point (centroid of a polygon). */
  lat: number;
  lon: number;
  /** Whole people. */
  population: number;
  /** The cell's area as GeoJSON MultiPolygon coordinates ([lon, lat]); null for a point. */
  polygons: number[][][][] | null;
}

export interface PopulationProblem {
  where: string;
  field: string | null;
  reason: string;
}

export interface ParsedPopulation {
  cells: PopulationCell[];
  format: 'csv' | 'geojson';
  populationField: string;
  total: number;
  /** Cells whose population was not a whole number and was rounded. */
  rounded: number;
  notes: string[];
}

export class PopulationImportError extends Error {
  constructor(readonly file: string, readonly problems: PopulationProblem[]) {
    const shown = problems.slice(0, 20).map((p) => `  ${p.where}${p.field ? ` [${p.field}]` : ''}: ${p.reason}`).join('\n');
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported\n${shown}${problems.length > 20 ? `\n  ... and ${problems.length - 20} more` : ''}`);
    this.name = 'PopulationImportError';
  }
}

export const POPULATION_FIELD_CANDIDATES = ['population', 'Population', 'POPULATION', 'pop', 'POP', 'pop_total', 'residents', 'people', 'value', 'count'];
const LAT_FIELDS = ['center_lat', 'lat', 'latitude', 'y', 'LAT', 'Latitude'];
const LON_FIELDS = ['center_lon', 'lon', 'lng', 'longitude', 'x', 'LON', 'Longitude'];
const H3_FIELDS = ['h3', 'h3_index', 'hex', 'hex_id', 'H3'];
const ID_FIELDS = ['id', 'ID', 'h3', 'code', 'cell_id', 'fid'];

/** A count as given: a number, or text like "1200", "1 200", "1200.0". */
function populationValue(v: unknown): { value: number } | { reason: string } {
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return { reason: 'population is missing' };
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim().replace(/[\s\u00a0_]/g, '')) : NaN;
  if (!Number.isFinite(n)) return { reason: `population ${JSON.stringify(v)} is not a number` };
  if (n < 0) return { reason: `population ${n} is negative` };
  if (n > 1e8) return { reason: `population ${n} is not plausible for one cell` };
  return { value: n };
}

function pickField(names: string[], candidates: string[]): string | null {
  for (const c of candidates) if (names.includes(c)) return c;
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  for (const c of candidates) {
    const hit = lower.get(c.toLowerCase());
    if (hit) return hit;
  }
  return null;
}

export function parsePopulation(bytes: Buffer | string, file: string, opts: { populationField?: string } = {}): ParsedPopulation {
  const text = (typeof bytes === 'string' ? bytes : bytes.toString('utf8')).replace(/^\ufeff/, '');
  if (typeof bytes !== 'string' && bytes.subarray(0, 16).toString('latin1').startsWith('SQLite format 3')) {
    throw new PopulationImportError(file, [{ where: 'file', field: null, reason: 'this is a GeoPackage/SQLite file; export the layer as GeoJSON or CSV (the shared Kontur data comes as both)' }]);
  }
  const head = text.trimStart()[0];
  return head === '{' ? parseGeoJson(text, file, opts) : parseCsv(text, file, opts);
}

function finish(file: string, format: 'csv' | 'geojson', field: string, raw: Array<{ cell: Omit<PopulationCell, 'population'>; value: number; where: string }>, problems: PopulationProblem[]): ParsedPopulation {
  const seen = new Map<string, string>();
  for (const r of raw) {
    const before = seen.get(r.cell.key);
    if (before) problems.push({ where: r.where, field: null, reason: `cell ${r.cell.key} appears twice (also at ${before})` });
    else seen.set(r.cell.key, r.where);
  }
  if (problems.length) throw new PopulationImportError(file, problems);
  if (raw.length === 0) throw new PopulationImportError(file, [{ where: 'file', field: null, reason: 'no population cells found' }]);
  let rounded = 0, total = 0;
  const cells = raw.map((r) => {
    const population = Math.round(r.value);
    if (population !== r.value) rounded++;
    total += population;
    return { ...r.cell, population };
  });
  const notes = rounded ? [`${rounded} cells had a fractional population, rounded to whole people`] : [];
  return { cells, format, populationField: field, total, rounded, notes };
}

function parseCsv(text: string, file: string, opts: { populationField?: string }): ParsedPopulation {
  let rows: Record<string, string>[];
  try {
    const delimiter = [',', ';', '\t'].map((d) => [d, (text.split('\n')[0].match(new RegExp(d === '\t' ? '\t' : d, 'g')) ?? []).length] as const).sort((a, b) => b[1] - a[1])[0][0];
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, delimiter, relax_column_count: true }) as Record<string, string>[];
  } catch (e) {
    throw new PopulationImportError(file, [{ where: 'file', field: null, reason: `not readable as CSV: ${(e as Error).message}` }]);
  }
  const names = rows.length ? Object.keys(rows[0]) : [];
  const popField = opts.populationField ?? pickField(names, POPULATION_FIELD_CANDIDATES);
  if (!popField || !names.includes(popField)) {
    throw new PopulationImportError(file, [{ where: 'header', field: popField, reason: `no population column${opts.populationField ? ` "${opts.populationField}"` : ''} (columns: ${names.join(', ')}); pass --population-field` }]);
  }
  const h3f = pickField(names, H3_FIELDS), latf = pickField(names, LAT_FIELDS), lonf = pickField(names, LON_FIELDS);
  if (!h3f && !(latf && lonf)) {
    throw new PopulationImportError(file, [{ where: 'header', field: null, reason: `needs an H3 column (${H3_FIELDS.join(', ')}) or latitude and longitude columns (columns: ${names.join(', ')})` }]);
  }
  const problems: PopulationProblem[] = [];
  const raw: Array<{ cell: Omit<PopulationCell, 'population'>; value: number; where: string }> = [];
  rows.forEach((row, i) => {
    const where = `line ${i + 2}`;
    const pv = populationValue(row[popField]);
    if ('reason' in pv) problems.push({ where, field: popField, reason: pv.reason });
    let lat = NaN, lon = NaN, polygons: number[][][][] | null = null, key = where;
    if (h3f) {
      const h = (row[h3f] ?? '').trim().toLowerCase();
      if (!isValidCell(h)) {
        problems.push({ where, field: h3f, reason: `${JSON.stringify(row[h3f] ?? '')} is not an H3 cell index` });
        return;
      }
      key = h;
      [lat, lon] = cellToLatLng(h);
      const ring = cellToBoundary(h, true);
      polygons = [[ring]];
    }
    if (latf && lonf && row[latf] !== undefined && row[latf] !== '') {
      const la = Number(row[latf]), lo = Number(row[lonf]);
      if (!(Number.isFinite(la) && la >= -90 && la <= 90)) { problems.push({ where, field: latf, reason: `latitude ${JSON.stringify(row[latf])} is not between -90 and 90` }); return; }
      if (!(Number.isFinite(lo) && lo >= -180 && lo <= 180)) { problems.push({ where, field: lonf, reason: `longitude ${JSON.stringify(row[lonf])} is not between -180 and 180` }); return; }
      if (!h3f) { lat = la; lon = lo; }
    }
    if (!Number.isFinite(lat)) { problems.push({ where, field: latf, reason: 'no position' }); return; }
    if ('value' in pv) raw.push({ cell: { key, lat, lon, polygons }, value: pv.value, where });
  });
  return finish(file, 'csv', popField, raw, problems);
}

function checkPosition(p: unknown): p is [number, number] {
  return Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
}

/** Area-weighted centroid of the polygons' outer rings, planar in degrees (cells are small); null if degenerate. */
function centroid(polygons: number[][][][]): [number, number] | null {
  let a = 0, x = 0, y = 0;
  for (const poly of polygons) {
    const ring = poly[0];
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
      a += f;
      x += (ring[j][0] + ring[i][0]) * f;
      y += (ring[j][1] + ring[i][1]) * f;
    }
  }
  if (Math.abs(a) < 1e-18) return null;
  return [x / (3 * a), y / (3 * a)];
}

function parseGeoJson(text: string, file: string, opts: { populationField?: string }): ParsedPopulation {
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PopulationImportError(file, [{ where: 'file', field: null, reason: `not valid JSON (${(e as Error).message})` }]);
  }
  const features: any[] | null = data?.type === 'FeatureCollection' && Array.isArray(data.features) ? data.features : data?.type === 'Feature' ? [data] : null;
  if (!features) throw new PopulationImportError(file, [{ where: 'file', field: null, reason: 'not a GeoJSON FeatureCollection or Feature' }]);
  const crs = data?.crs?.properties?.name;
  if (typeof crs === 'string' && !/CRS84|EPSG:?:?4326/i.test(crs)) {
    throw new PopulationImportError(file, [{ where: 'file', field: 'crs', reason: `coordinates are in ${crs}; GeoJSON population must be WGS84 longitude/latitude (reproject, e.g. ogr2ogr -t_srs EPSG:4326)` }]);
  }
  const names = new Set<string>();
  for (const f of features.slice(0, 1000)) for (const k of Object.keys(f?.properties ?? {})) names.add(k.replace(/^\ufeff/, ''));
  const popField = opts.populationField ?? pickField([...names], POPULATION_FIELD_CANDIDATES);
  if (!popField) throw new PopulationImportError(file, [{ where: 'file', field: null, reason: `no population property (properties: ${[...names].slice(0, 20).join(', ')}); pass --population-field` }]);
  const idField = pickField([...names], ID_FIELDS);
  const problems: PopulationProblem[] = [];
  const raw: Array<{ cell: Omit<PopulationCell, 'population'>; value: number; where: string }> = [];
  features.forEach((f, i) => {
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(f?.properties ?? {})) props[k.replace(/^\ufeff/, '')] = v;
    const id = f?.id ?? (idField ? props[idField] : undefined);
    const key = id !== undefined && id !== null && id !== '' ? String(id) : `feature ${i}`;
    const where = `feature ${i}${id !== undefined && id !== null && id !== '' ? ` (${String(id)})` : ''}`;
    const pv = populationValue(props[popField]);
    if ('reason' in pv) problems.push({ where, field: popField, reason: pv.reason });
    const g = f?.geometry;
    let polygons: number[][][][] | null = null, lat: number, lon: number;
    if (!g) { problems.push({ where, field: 'geometry', reason: 'geometry is missing' }); return; }
    if (g.type === 'Point') {
      if (!checkPosition(g.coordinates)) { problems.push({ where, field: 'geometry', reason: `point ${JSON.stringify(g.coordinates)} is not a WGS84 [longitude, latitude]` }); return; }
      [lon, lat] = g.coordinates;
    } else if (g.type === 'Polygon' || g.type === 'MultiPolygon') {
      const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown;
      const ok = Array.isArray(polys) && polys.length > 0 && polys.every((p) => Array.isArray(p) && p.length > 0 && p.every((ring: unknown) => Array.isArray(ring) && ring.length >= 4 && ring.every(checkPosition)));
      if (!ok) { problems.push({ where, field: 'geometry', reason: `${g.type} coordinates are not WGS84 rings of at least 4 [longitude, latitude] positions` }); return; }
      polygons = (polys as number[][][][]).map((p) => p.map((ring) => ring.map((pt) => [pt[0], pt[1]])));
      const c = centroid(polygons);
      if (!c) { problems.push({ where, field: 'geometry', reason: 'polygon has no area' }); return; }
      [lon, lat] = c;
    } else {
      problems.push({ where, field: 'geometry', reason: `geometry type ${String(g.type)} is not a Point, Polygon or MultiPolygon` });
      return;
    }
    if ('value' in pv) raw.push({ cell: { key, lat, lon, polygons }, value: pv.value, where });
  });
  return finish(file, 'geojson', popField, raw, problems);
}
