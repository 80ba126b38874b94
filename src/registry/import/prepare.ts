// From raw rows to validated shelter records, with a report of every bad row. Pure: no store, no file system.
import { createHash } from 'node:crypto';
import { mapColumns, type ColumnMapping, type ImportField } from './columns.ts';
import { detectSwap } from './coordinates.ts';
import type { RawRow, RawTable } from './read.ts';
import * as read from './values.ts';
import { checkShelterInput, type ShelterInput } from '../validate.ts';

export type ImportRecord = ShelterInput & { sourceId: string };

export interface RowProblem {
  where: string;
  line: number;
  field: string;
  reason: string;
}

export interface PreparedImport {
  records: ImportRecord[];
  /** Where each record came from (same order as records). */
  origins: string[];
  problems: RowProblem[];
  warnings: string[];
  mapping: ColumnMapping;
  skippedDuplicates: number;
  rowsRead: number;
}

export interface PrepareOptions {
  /** --map COLUMN=FIELD */
  map?: Record<string, string>;
  /** auto (default): detect swapped latitude/longitude; or force a reading. */
  coordinates?: 'auto' | 'as-labelled' | 'swapped';
  /** Positions of shelters already in the registry, to settle an uncertain reading. */
  context?: Array<[number, number]>;
}

export function prepareImport(table: RawTable, options: PrepareOptions = {}): PreparedImport {
  const overrides = options.map ?? {};
  const mapping = mapColumns(table.headers, overrides);
  const f = mapping.fields;
  const warnings = [...table.warnings];
  const problems: RowProblem[] = [];
  const hasGeometry = table.format === 'geojson' && table.rows.some((r) => r.point);
  if (!hasGeometry && (!f.lat || !f.lon)) {
    throw new Error(`cannot find the coordinate columns (found ${f.lat ? `latitude "${f.lat}"` : 'no latitude'}, ${f.lon ? `longitude "${f.lon}"` : 'no longitude'}); columns are: ${table.headers.join(', ')}. Name them with --map COLUMN=lat --map COLUMN=lon`);
  }
  if (!f.capacity) throw new Error(`cannot find a capacity column; columns are: ${table.headers.join(', ')}. Name it with --map COLUMN=capacity`);

  const cell = (row: RawRow, field: ImportField) => (f[field] ? row.cells[f[field]!] : undefined);
  const coordinate = (row: RawRow): [number | null, number | null] => {
    if (hasGeometry && row.point) return [row.point[1], row.point[0]];
    return [read.number(cell(row, 'lat')), read.number(cell(row, 'lon'))];
  };

  // Decide once, over the whole file, whether latitude and longitude are labelled the wrong way round.
  const mode = options.coordinates ?? 'auto';
  const verdict = mode === 'auto'
    ? detectSwap(table.rows.map((r) => coordinate(r)).filter((c): c is [number, number] => c[0] !== null && c[1] !== null), options.context)
    : { swap: mode === 'swapped', reason: 'as asked', uncertain: null };
  if (verdict.uncertain) warnings.push(`coordinates: ${verdict.uncertain}`);
  if (verdict.swap) {
    const what = hasGeometry ? 'GeoJSON coordinates are [latitude, longitude] instead of [longitude, latitude]' : `column "${f.lat}" holds longitudes and "${f.lon}" latitudes`;
    warnings.push(`${what}: read the other way round (${verdict.reason})`);
    if (!hasGeometry) {
      [f.lat, f.lon] = [f.lon, f.lat];
      mapping.notes = mapping.notes.filter((n) => !n.endsWith(' read as lat') && !n.endsWith(' read as lon'));
    }
  }

  // Identical rows are dropped; one id on different rows is not a key, so those rows get an id that includes
  // their position (stable across re-imports, unlike a row number).
  const seenRows = new Set<string>();
  const idCount = new Map<string, number>();
  const rows: RawRow[] = [];
  let skippedDuplicates = 0;
  for (const row of table.rows) {
    const key = Object.values(row.cells).join('\u0001') + '\u0002' + (row.point ?? '');
    if (seenRows.has(key)) { skippedDuplicates++; continue; }
    seenRows.add(key);
    rows.push(row);
    const id = read.text(cell(row, 'sourceId'));
    if (id) idCount.set(id, (idCount.get(id) ?? 0) + 1);
  }
  if (skippedDuplicates) warnings.push(`${skippedDuplicates} rows repeat an earlier row exactly and were skipped`);
  const clashing = [...idCount].filter(([, n]) => n > 1).map(([id]) => id);
  if (clashing.length) warnings.push(`ids used by more than one different row (told apart by position): ${clashing.slice(0, 10).join(', ')}${clashing.length > 10 ? ', …' : ''}`);
  if (!f.sourceId) warnings.push('no id column: each record is keyed by its position and name, so a moved shelter re-imports as a new one');

  const capacityUnknown: string[] = [];
  const records: ImportRecord[] = [];
  const origins: string[] = [];
  for (const row of rows) {
    const rowProblems: RowProblem[] = [];
    const bad = (field: string, reason: string) => rowProblems.push({ where: row.where, line: row.line, field, reason });
    let [lat, lon] = coordinate(row);
    if (verdict.swap && hasGeometry) [lat, lon] = [lon, lat];
    const latName = hasGeometry ? 'geometry' : f.lat!;
    const lonName = hasGeometry ? 'geometry' : f.lon!;
    if (lat === null || lon === null) bad(lat === null ? latName : lonName, row.geometryNote ?? 'coordinate is missing');
    else if (Number.isNaN(lat)) bad(latName, `"${cell(row, 'lat')}" is not a number`);
    else if (Number.isNaN(lon)) bad(lonName, `"${cell(row, 'lon')}" is not a number`);
    else if (lat === 0 && lon === 0) bad(latName, 'position is 0,0 (a missing value, not a place)');

    const capRaw = cell(row, 'capacity');
    const cap = read.number(capRaw);
    let capacity: number | null = null;
    if (cap === null) capacityUnknown.push(row.where);
    else if (Number.isNaN(cap)) bad(f.capacity!, `"${capRaw}" is not a number`);
    else if (Math.abs(cap - Math.round(cap)) > 1e-9) bad(f.capacity!, `${capRaw} is not a whole number of persons`);
    else if (cap < 0) bad(f.capacity!, `${capRaw} is negative`);
    else capacity = Math.round(cap);

    const address = joinAddress(read.text(cell(row, 'address')), read.text(cell(row, 'town')));
    const idText = read.text(cell(row, 'sourceId'));
    const name = read.text(cell(row, 'name')) ?? address ?? (idText ? `Shelter ${idText}` : null);
    const input: ImportRecord = {
      sourceId: '',
      name: name ?? 'Shelter',
      address,
      lat: lat ?? undefined,
      lon: lon ?? undefined,
      capacity,
    };
    const optional = <T>(field: ImportField, value: T | undefined | null, what: string): T | undefined => {
      if (value === undefined) { bad(f[field]!, `"${cell(row, field)}" is not ${what}`); return undefined; }
      return value === null ? undefined : value;
    };
    if (f.kind) input.kind = read.kind(cell(row, 'kind')) ?? undefined;
    if (f.protectionClass) input.protectionClass = optional('protectionClass', read.protectionClass(cell(row, 'protectionClass')), 'a protection class (A, B, C)');
    if (f.stepFree) input.stepFree = optional('stepFree', read.bool(cell(row, 'stepFree')), 'yes or no');
    if (f.status) input.status = optional('status', read.status(cell(row, 'status')), 'a status (open, closed, locked, full, unknown)');
    if (f.access) input.access = optional('access', read.access(cell(row, 'access')), 'an access type (always-open, key-holder)');
    for (const field of ['operator', 'contact', 'keyHolderPhone'] as const) if (f[field]) input[field] = read.text(cell(row, field));
    const amenities: Record<string, boolean> = {};
    for (const a of ['water', 'toilet', 'ventilation', 'power', 'petsAllowed'] as const) {
      if (!f[a]) continue;
      const v = optional(a, read.bool(cell(row, a)), 'yes or no');
      if (v !== undefined) amenities[a] = v;
    }
    if (Object.keys(amenities).length) input.amenities = amenities;

    if (rowProblems.length === 0) {
      for (const p of checkShelterInput(input, true)) bad(fieldColumn(p.field, mapping) ?? p.field, p.reason);
    }
    if (rowProblems.length) { problems.push(...rowProblems); continue; }
    input.sourceId = idText
      ? (idCount.get(idText)! > 1 ? `${idText}@${input.lat!.toFixed(6)},${input.lon!.toFixed(6)}` : idText)
      : 'h' + createHash('sha1').update(`${input.lat!.toFixed(6)},${input.lon!.toFixed(6)},${input.name}`).digest('hex').slice(0, 16);
    records.push(input);
    origins.push(row.where);
  }
  if (capacityUnknown.length) warnings.push(`${capacityUnknown.length} shelter${capacityUnknown.length === 1 ? '' : 's'} without a capacity (imported with capacity unknown): ${capacityUnknown.slice(0, 10).join(', ')}${capacityUnknown.length > 10 ? ', …' : ''}`);
  // Without an id column, two shelters at one spot with one name would collapse; keep the first and say so.
  const bySourceId = new Map<string, number>();
  const kept: ImportRecord[] = [];
  const keptOrigins: string[] = [];
  records.forEach((r, i) => {
    if (bySourceId.has(r.sourceId)) {
      problems.push({ where: origins[i], line: Number(origins[i].replace(/\D/g, '')), field: f.sourceId ?? 'id', reason: `same id as ${origins[bySourceId.get(r.sourceId)!]}` });
      return;
    }
    bySourceId.set(r.sourceId, i);
    kept.push(r);
    keptOrigins.push(origins[i]);
  });
  return { records: kept, origins: keptOrigins, problems, warnings, mapping, skippedDuplicates, rowsRead: table.rows.length };
}

function joinAddress(address: string | null, town: string | null): string | null {
  if (!town) return address;
  if (!address) return town;
  return address.toLocaleLowerCase().includes(town.toLocaleLowerCase()) ? address : `${address}, ${town}`;
}

function fieldColumn(field: string, mapping: ColumnMapping): string | undefined {
  return mapping.fields[field as ImportField];
}
