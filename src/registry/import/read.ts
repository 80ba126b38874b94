// Turns a CSV or GeoJSON file into rows of cells, keeping the line (or feature) number for error reports.
import { parse } from 'csv-parse/sync';
import type { Cell } from './values.ts';

export interface RawRow {
  /** Where the row is, for reports: "line 12" or "feature 3". */
  where: string;
  line: number;
  cells: Record<string, Cell>;
  /** For GeoJSON, the geometry's position as [lon, lat], when it has one. */
  point?: [number, number] | null;
  geometryNote?: string;
}

export interface RawTable {
  format: 'csv' | 'geojson';
  headers: string[];
  rows: RawRow[];
  warnings: string[];
}

export class ImportFileError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ImportFileError';
  }
}

/** Decodes UTF-8 (dropping a BOM); falls back to Windows-1252, which old registry exports use, and says so. */
export function decode(bytes: Uint8Array, file: string, warnings: string[]): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    warnings.push(`${file} is not valid UTF-8; read it as Windows-1252`);
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

export function readTable(bytes: Uint8Array, file: string): RawTable {
  const warnings: string[] = [];
  const content = decode(bytes, file, warnings).replace(/^\uFEFF/, '');
  const first = content.trimStart()[0];
  if (first === '{' || first === '[' || /\.(geo)?json$/i.test(file)) return readGeoJson(content, file, warnings);
  if (content.includes('\u0000')) throw new ImportFileError(file, 'is a binary file, not CSV or GeoJSON');
  return readCsv(content, file, warnings);
}

function sniffDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t', '|'].map((d) => [d, headerLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

function readCsv(content: string, file: string, warnings: string[]): RawTable {
  if (content.trim() === '') throw new ImportFileError(file, 'is empty');
  const headerLine = content.slice(0, content.search(/\r?\n|$/));
  const delimiter = sniffDelimiter(headerLine);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(content, { delimiter, relax_column_count: true, skip_empty_lines: false, info: true, relax_quotes: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new ImportFileError(file, `line ${err.lines ?? '?'}: ${err.message.replace(/^Invalid Record Length: |^CsvError: /, '')}`);
  }
  if (records.length === 0) throw new ImportFileError(file, 'has no header row');
  const raw = records[0].record.map((h) => h.trim());
  // Two columns with the same name (real exports have them) are told apart by their position.
  const headers = raw.map((h, i) => (raw.indexOf(h) === i ? h : `${h} (${i + 1})`));
  const rows: RawRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r];
    if (record.every((c) => c.trim() === '')) continue;
    if (record.length > headers.length && record.slice(headers.length).some((c) => c.trim() !== '')) {
      warnings.push(`line ${info.lines}: ${record.length} values for ${headers.length} columns; the extra ones are ignored`);
    }
    const cells: Record<string, Cell> = {};
    headers.forEach((h, i) => (cells[h] = record[i]));
    rows.push({ where: `line ${info.lines}`, line: info.lines, cells });
  }
  return { format: 'csv', headers, rows, warnings };
}

function readGeoJson(content: string, file: string, warnings: string[]): RawTable {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch (e) {
    throw new ImportFileError(file, `is not valid JSON: ${(e as Error).message}`);
  }
  const features = Array.isArray(doc) ? doc : (doc as { type?: string; features?: unknown[] })?.type === 'FeatureCollection' ? (doc as { features: unknown[] }).features : (doc as { type?: string })?.type === 'Feature' ? [doc] : null;
  if (!Array.isArray(features)) throw new ImportFileError(file, 'is JSON but not a GeoJSON FeatureCollection, Feature or array of features');
  const headers: string[] = [];
  const seen = new Set<string>();
  const rows: RawRow[] = [];
  features.forEach((f, i) => {
    const where = `feature ${i + 1}`;
    const feature = f as { type?: string; properties?: Record<string, unknown> | null; geometry?: { type?: string; coordinates?: unknown } | null };
    const props = feature?.properties ?? {};
    const cells: Record<string, Cell> = {};
    for (const [k0, v] of Object.entries(props)) {
      const k = k0.replace(/^\uFEFF/, '').trim();
      if (!seen.has(k)) { seen.add(k); headers.push(k); }
      cells[k] = v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : (v as Cell);
    }
    const { point, note } = positionOf(feature?.geometry ?? null);
    rows.push({ where, line: i + 1, cells, point, geometryNote: note });
  });
  return { format: 'geojson', headers, rows, warnings };
}

function positionOf(g: { type?: string; coordinates?: unknown } | null): { point: [number, number] | null; note?: string } {
  if (!g) return { point: null };
  const c = g.coordinates as unknown;
  const pair = (p: unknown): [number, number] | null => (Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' ? [p[0], p[1]] : null);
  if (g.type === 'Point') return { point: pair(c), note: pair(c) ? undefined : 'Point without two numeric coordinates' };
  // A building outline or several entrances: take the mean of its vertices, which lies inside for the compact
  // shapes shelters have.
  const flat: Array<[number, number]> = [];
  const walk = (x: unknown) => { const p = pair(x); if (p) flat.push(p); else if (Array.isArray(x)) x.forEach(walk); };
  walk(c);
  if (g.type === 'Polygon' || g.type === 'MultiPolygon') { // a ring repeats its first vertex at the end
    const f = flat[0], l = flat[flat.length - 1];
    if (flat.length > 1 && f[0] === l[0] && f[1] === l[1]) flat.pop();
  }
  if (flat.length === 0) return { point: null, note: `${g.type} without coordinates` };
  const mean: [number, number] = [flat.reduce((s, p) => s + p[0], 0) / flat.length, flat.reduce((s, p) => s + p[1], 0) / flat.length];
  return { point: mean, note: `${g.type} geometry: its centre is used` };
}
