// From raw rows to validated shelter records, with a report of every bad row. No store; prepareImport is pure,
// prepareImportFrom reads a file (or buffer) row by row through openTable.
import { createHash } from 'node:crypto';
import { IMPORT_FIELDS, mapColumns, type ColumnMapping, type ImportField } from './columns.ts';
import { detectSwap } from './coordinates.ts';
import { openTable, type ImportInput, type RawRow, type RawTable } from './read.ts';
import * as read from './values.ts';
import { checkShelterInput, type ShelterInput } from '../validate.ts';
import type { ShelterLink } from '../shelter.ts';

export type ImportRecord = ShelterInput & { sourceId: string };

export interface RowProblem {
  where: string;
  line: number;
  field: string;
  reason: string;
}

export interface PreparedImport {
  records: ImportRecord[];
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

/** A table already in memory. */
export function prepareImport(table: RawTable, options: PrepareOptions = {}): PreparedImport {
  const p = new Preparer(table.headers, table.format === 'geojson' && table.rows.some((r) => r.point), options);
  table.rows.forEach((row, i) => p.observe(row, i));
  p.decide(table.warnings);
  table.rows.forEach((row, i) => p.prepare(row, i));
  return p.finish();
}

/**
 * A file or buffer, read twice instead of held: the first reading looks at every row (coordinates for the swap
 * check, repeated rows, ids used twice), the second turns each row into a record and lets the row go.
 * GeoJSON is read whole. Same result as prepareImport(readTable(...)).
 */
export async function prepareImportFrom(input: ImportInput, file: string, options: PrepareOptions = {}): Promise<PreparedImport> {
  const source = await openTable(input, file);
  if (source.format === 'geojson') return prepareImport(source.table, options);
  let p: Preparer | null = null;
  // A wrong column mapping is reported after the whole file has been read, as for a file read whole: a
  // malformed line anywhere comes first.
  let mappingError: unknown = null;
  let i = 0;
  for await (const rows of source.rows((headers) => {
    try { p = new Preparer(headers, false, options); } catch (e) { mappingError = e; }
  })) {
    if (p) for (const row of rows) (p as Preparer).observe(row, i++);
  }
  if (mappingError) throw mappingError;
  const preparer = p as unknown as Preparer;
  preparer.decide(source.warnings);
  i = 0;
  for await (const rows of source.rows(() => {})) for (const row of rows) preparer.prepare(row, i++);
  return preparer.finish();
}

// Rows are looked at twice: observe() every row in order, decide() once, then prepare() every row in the same order
// with the same index.
class Preparer {
  readonly mapping: ColumnMapping;
  private readonly f: ColumnMapping['fields'];
  private readonly mode: 'auto' | 'as-labelled' | 'swapped';
  private warnings: string[] = [];
  private verdict: ReturnType<typeof detectSwap> = { swap: false, reason: null, uncertain: null };
  // First look: coordinates as labelled (lat, lon pairs), a digest of each distinct row, ids per distinct row.
  private points = new Float64Array(1024);
  private pointCount = 0;
  private seenRows = new Set<string>();
  private duplicates = new Set<number>();
  private idCount: Map<string, number> | null = new Map();
  private clashing = new Set<string>();
  private skippedDuplicates = 0;
  private rowsRead = 0;
  // Second look.
  private records: ImportRecord[] = [];
  private problems: RowProblem[] = [];
  private idProblems: RowProblem[] = [];
  /** sourceId -> line (or feature number) of the record that has it */
  private bySourceId = new Map<string, number>();
  private capacityUnknown = 0;
  private capacityUnknownFirst: string[] = [];

  constructor(headers: string[], private readonly hasGeometry: boolean, private readonly options: PrepareOptions) {
    this.mapping = mapColumns(headers, options.map ?? {});
    const f = this.f = this.mapping.fields;
    if (!hasGeometry && (!f.lat || !f.lon)) {
      throw new Error(`cannot find the coordinate columns (found ${f.lat ? `latitude "${f.lat}"` : 'no latitude'}, ${f.lon ? `longitude "${f.lon}"` : 'no longitude'}); columns are: ${headers.join(', ')}. Name them with --map COLUMN=lat --map COLUMN=lon`);
    }
    if (!f.capacity) throw new Error(`cannot find a capacity column; columns are: ${headers.join(', ')}. Name it with --map COLUMN=capacity`);
    this.mode = options.coordinates ?? 'auto';
  }

  private cell(row: RawRow, field: ImportField) {
    return this.f[field] ? row.cells[this.f[field]!] : undefined;
  }

  private coordinate(row: RawRow): [number | null, number | null] {
    if (this.hasGeometry && row.point) return [row.point[1], row.point[0]];
    return [read.number(this.cell(row, 'lat')), read.number(this.cell(row, 'lon'))];
  }

  observe(row: RawRow, index: number): void {
    this.rowsRead++;
    if (this.mode === 'auto') {
      const [lat, lon] = this.coordinate(row);
      if (lat !== null && lon !== null) {
        if (this.pointCount * 2 + 2 > this.points.length) {
          const more = new Float64Array(this.points.length * 2);
          more.set(this.points);
          this.points = more;
        }
        this.points[this.pointCount * 2] = lat;
        this.points[this.pointCount * 2 + 1] = lon;
        this.pointCount++;
      }
    }
    // Identical rows are dropped. A digest stands for the row's text, which need not be kept.
    const key = createHash('sha256').update(Object.values(row.cells).join('\u0001') + '\u0002' + (row.point ?? '')).digest().toString('latin1');
    if (this.seenRows.has(key)) { this.skippedDuplicates++; this.duplicates.add(index); return; }
    this.seenRows.add(key);
    const id = read.text(this.cell(row, 'sourceId'));
    if (id) this.idCount!.set(id, (this.idCount!.get(id) ?? 0) + 1);
  }

  decide(readWarnings: string[]): void {
    const { f, mapping, hasGeometry, options } = this;
    const warnings = this.warnings = [...readWarnings];
    // Decide once, over the whole file, whether latitude and longitude are labelled the wrong way round.
    if (this.mode === 'auto') {
      const points: Array<[number, number]> = [];
      for (let i = 0; i < this.pointCount; i++) points.push([this.points[2 * i], this.points[2 * i + 1]]);
      this.verdict = detectSwap(points, options.context);
    } else this.verdict = { swap: this.mode === 'swapped', reason: 'as asked', uncertain: null };
    this.points = new Float64Array(0);
    this.seenRows.clear();
    const verdict = this.verdict;
    if (verdict.uncertain) warnings.push(`coordinates: ${verdict.uncertain}`);
    if (verdict.swap) {
      const what = hasGeometry ? 'GeoJSON coordinates are [latitude, longitude] instead of [longitude, latitude]' : `column "${f.lat}" holds longitudes and "${f.lon}" latitudes`;
      warnings.push(`${what}: read the other way round (${verdict.reason})`);
      if (!hasGeometry) {
        [f.lat, f.lon] = [f.lon, f.lat];
        mapping.notes = mapping.notes.filter((n) => !n.endsWith(' read as lat') && !n.endsWith(' read as lon'));
      }
    }
    // One id on different rows is not a key, so those rows get an id that includes their position (stable across
    // re-imports, unlike a row number).
    if (this.skippedDuplicates) warnings.push(`${this.skippedDuplicates} rows repeat an earlier row exactly and were skipped`);
    const clashing = [...this.idCount!].filter(([, n]) => n > 1).map(([id]) => id);
    this.clashing = new Set(clashing);
    this.idCount = null;
    if (clashing.length) warnings.push(`ids used by more than one different row (told apart by position): ${clashing.slice(0, 10).join(', ')}${clashing.length > 10 ? ', …' : ''}`);
    if (!f.sourceId) warnings.push('no id column: each record is keyed by its position and name, so a moved shelter re-imports as a new one');
  }

  prepare(row: RawRow, index: number): void {
    if (this.duplicates.has(index)) return;
    const { f, mapping, hasGeometry, verdict } = this;
    const cell = (r: RawRow, field: ImportField) => this.cell(r, field);
    const rowProblems: RowProblem[] = [];
    const bad = (field: string, reason: string) => rowProblems.push({ where: row.where, line: row.line, field, reason });
    let [lat, lon] = this.coordinate(row);
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
    if (cap === null) {
      if (this.capacityUnknown++ < 10) this.capacityUnknownFirst.push(row.where);
    } else if (Number.isNaN(cap)) bad(f.capacity!, `"${capRaw}" is not a number`);
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
    for (const field of ['entrance', 'floor', 'openingHours'] as const) if (f[field]) input[field] = read.text(cell(row, field));
    // Links: the link columns, then any <a href> a registry wrapped a cell in (an address linked to Waze), once each.
    const links: ShelterLink[] = [];
    for (const field of ['mapLink', 'link'] as const) {
      if (!f[field]) continue;
      const found = optional(field, read.links(cell(row, field)), 'a web address (http:// or https://)');
      if (found) links.push(...found);
    }
    for (const field of IMPORT_FIELDS) {
      if (f[field] && field !== 'link' && field !== 'mapLink') for (const url of read.hrefs(cell(row, field))) links.push({ label: read.linkLabel(url), url });
    }
    const seen = new Set<string>();
    const unique = links.filter((l) => !seen.has(l.url) && seen.add(l.url));
    if (unique.length || f.link || f.mapLink) input.links = unique;

    if (rowProblems.length === 0) {
      for (const p of checkShelterInput(input, true)) bad(fieldColumn(p.field, mapping) ?? p.field, p.reason);
    }
    if (rowProblems.length) { this.problems.push(...rowProblems); return; }
    input.sourceId = idText
      ? (this.clashing.has(idText) ? `${idText}@${input.lat!.toFixed(6)},${input.lon!.toFixed(6)}` : idText)
      : 'h' + createHash('sha1').update(`${input.lat!.toFixed(6)},${input.lon!.toFixed(6)},${input.name}`).digest('hex').slice(0, 16);
    // Without an id column, two shelters at one spot with one name would collapse; keep the first and say so
    // (after the other problems).
    const firstLine = this.bySourceId.get(input.sourceId);
    if (firstLine !== undefined) {
      const prefix = row.where.slice(0, row.where.length - String(row.line).length);
      this.idProblems.push({ where: row.where, line: row.line, field: f.sourceId ?? 'id', reason: `same id as ${prefix}${firstLine}` });
      return;
    }
    this.bySourceId.set(input.sourceId, row.line);
    this.records.push(input);
  }

  finish(): PreparedImport {
    const { warnings } = this;
    if (this.capacityUnknown) warnings.push(`${this.capacityUnknown} shelter${this.capacityUnknown === 1 ? '' : 's'} without a capacity (imported with capacity unknown): ${this.capacityUnknownFirst.join(', ')}${this.capacityUnknown > 10 ? ', …' : ''}`);
    this.bySourceId.clear();
    this.duplicates.clear();
    return { records: this.records, problems: [...this.problems, ...this.idProblems], warnings, mapping: this.mapping, skippedDuplicates: this.skippedDuplicates, rowsRead: this.rowsRead };
  }
}

function joinAddress(address: string | null, town: string | null): string | null {
  if (!town) return address;
  if (!address) return town;
  return address.toLocaleLowerCase().includes(town.toLocaleLowerCase()) ? address : `${address}, ${town}`;
}

function fieldColumn(field: string, mapping: ColumnMapping): string | undefined {
  return mapping.fields[field as ImportField];
}
