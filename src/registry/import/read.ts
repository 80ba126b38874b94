// Turns a CSV or GeoJSON file into rows of cells, keeping the line (or feature) number for error reports.
// Two ways in: readTable holds the whole file and all its rows (small files, tests); openTable streams a CSV from a
// file or buffer and can be read more than once (the import reads it twice rather than holding every row), so a big
// registry never sits in memory as bytes, text and row objects at once. GeoJSON is read whole either way.
import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse/sync';
import { parse as parseStream } from 'csv-parse';
import type { Cell } from './values.ts';
import { SYNONYMS, normaliseHeader } from './columns.ts';

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

type CsvRecord = { record: string[]; info: { lines: number } };
const CSV_OPTIONS = { relax_column_count: true, skip_empty_lines: false, info: true, relax_quotes: true } as const;

function csvError(e: unknown, file: string): ImportFileError {
  const err = e as Error & { lines?: number };
  return new ImportFileError(file, `line ${err.lines ?? '?'}: ${err.message.replace(/^Invalid Record Length: |^CsvError: /, '')}`);
}

function csvHeaders(record: string[]): string[] {
  const raw = record.map((h) => h.trim());
  // Two columns with the same name (real exports have them) are told apart by their position.
  return raw.map((h, i) => (raw.indexOf(h) === i ? h : `${h} (${i + 1})`));
}

/** One data record as a row; null for a blank one. `warnings` null: do not report (a second reading). */
function csvRow(headers: string[], { record, info }: CsvRecord, warnings: string[] | null): RawRow | null {
  if (record.every((c) => c.trim() === '')) return null;
  if (warnings && record.length > headers.length && record.slice(headers.length).some((c) => c.trim() !== '')) {
    warnings.push(`line ${info.lines}: ${record.length} values for ${headers.length} columns; the extra ones are ignored`);
  }
  const cells: Record<string, Cell> = {};
  headers.forEach((h, i) => (cells[h] = record[i]));
  return { where: `line ${info.lines}`, line: info.lines, cells };
}

function readCsv(content: string, file: string, warnings: string[]): RawTable {
  if (content.trim() === '') throw new ImportFileError(file, 'is empty');
  const headerLine = content.slice(0, content.search(/\r?\n|$/));
  const delimiter = sniffDelimiter(headerLine);
  let records: CsvRecord[];
  try {
    records = parse(content, { delimiter, ...CSV_OPTIONS }) as unknown as typeof records;
  } catch (e) {
    throw csvError(e, file);
  }
  if (records.length === 0) throw new ImportFileError(file, 'has no header row');
  const headers = csvHeaders(records[0].record);
  const rows: RawRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const row = csvRow(headers, records[r], warnings);
    if (row) rows.push(row);
  }
  return { format: 'csv', headers, rows, warnings };
}

/** A file on disk or bytes already in memory (an HTTP upload). */
export type ImportInput = Uint8Array | { path: string };

/** A CSV that can be read row by row, as often as needed; or, for GeoJSON, the whole table. */
export type TableSource =
  | { format: 'geojson'; table: RawTable }
  | {
    format: 'csv';
    /** Warnings found while reading; complete once rows() has been read to the end the first time. */
    warnings: string[];
    /** Rows in file order, a batch (one read chunk's worth) at a time. `onHeaders` is called once with the column
     * names before the first row. Only the first reading adds to `warnings`. Throws ImportFileError for a malformed
     * file or one changed between readings. */
    rows(onHeaders: (headers: string[]) => void): AsyncGenerator<RawRow[]>;
  };

const CHUNK = 1 << 16;

/** Where a UTF-8 sequence is cut off at the end of `b`: how many bytes to carry into the next chunk. */
function incompleteTail(b: Uint8Array): number {
  for (let i = 1; i <= Math.min(3, b.length); i++) {
    const c = b[b.length - i];
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back for its lead byte
    if (c < 0xc0) return 0;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return need > i ? i : 0;
  }
  return 0;
}

/** Opens a file or buffer for streaming: finds the encoding (one pass over the bytes, holding one chunk), the format
 * and, for CSV, the delimiter. Same checks and messages as readTable. */
export async function openTable(input: ImportInput, file: string): Promise<TableSource> {
  let stamp: { size: number; mtimeMs: number } | null = null;
  async function* bytes(): AsyncGenerator<Uint8Array> {
    if (input instanceof Uint8Array) {
      for (let i = 0; i < input.length; i += CHUNK) yield input.subarray(i, i + CHUNK);
      return;
    }
    // The file is read more than once: each reading must see the same file.
    const before = statSync(input.path);
    stamp ??= { size: before.size, mtimeMs: before.mtimeMs };
    for await (const chunk of createReadStream(input.path, { highWaterMark: CHUNK })) yield chunk as Buffer;
    const after = statSync(input.path);
    if (after.size !== stamp.size || after.mtimeMs !== stamp.mtimeMs || before.size !== stamp.size || before.mtimeMs !== stamp.mtimeMs) {
      throw new ImportFileError(file, 'changed while it was being imported; import it again once it is complete');
    }
  }

  // Windows-1252 shows only where a byte sequence is not UTF-8, which may be the last line: check every byte first
  // (a chunk at a time) rather than decode the whole file or start over.
  let utf8 = true, nul = false;
  if (input instanceof Uint8Array) {
    utf8 = isUtf8(input);
    nul = input.includes(0);
  } else {
    let carry: Uint8Array = new Uint8Array(0);
    for await (const chunk of bytes()) {
      if (!nul && chunk.includes(0)) nul = true;
      if (utf8) {
        const b = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        const cut = b.length - incompleteTail(b);
        if (!isUtf8(b.subarray(0, cut))) utf8 = false;
        carry = Uint8Array.from(b.subarray(cut));
      }
    }
    if (carry.length) utf8 = false;
  }
  const warnings: string[] = [];
  if (!utf8) warnings.push(`${file} is not valid UTF-8; read it as Windows-1252`);
  const encoding = utf8 ? 'utf-8' : 'windows-1252';

  async function* text(): AsyncGenerator<string> {
    const decoder = new TextDecoder(encoding, { ignoreBOM: false });
    let first = true;
    const piece = (s: string) => {
      if (first && s) { first = false; return s.replace(/^\uFEFF/, ''); }
      return s;
    };
    for await (const chunk of bytes()) {
      const s = piece(decoder.decode(chunk, { stream: true }));
      if (s) yield s;
    }
    const s = piece(decoder.decode());
    if (s) yield s;
  }

  // The beginning: its first character tells JSON from CSV, its first line gives the delimiter.
  let head = '';
  for await (const s of text()) {
    head += s;
    if (/\S/.test(head) && head.includes('\n')) break;
  }
  const first = head.trimStart()[0];
  if (first === '{' || first === '[' || /\.(geo)?json$/i.test(file)) {
    return { format: 'geojson', table: readTable(input instanceof Uint8Array ? input : await readFile(input.path), file) };
  }
  if (nul) throw new ImportFileError(file, 'is a binary file, not CSV or GeoJSON');
  if (head.trim() === '') throw new ImportFileError(file, 'is empty');
  const delimiter = sniffDelimiter(head.slice(0, head.search(/\r?\n|$/)));
  let readings = 0;

  // Records a chunk at a time: the parser is fed one decoded chunk and what it has parsed is taken in one go (an
  // async step per record would cost more than the parsing).
  async function* records(): AsyncGenerator<CsvRecord[]> {
    const parser = parseStream({ delimiter, ...CSV_OPTIONS });
    let parsed: CsvRecord[] = [];
    let error: unknown = null;
    parser.on('data', (r: CsvRecord) => parsed.push(r));
    parser.on('error', (e) => { error ??= e; });
    const ended = new Promise<void>((resolve) => { parser.on('end', resolve); parser.on('error', () => resolve()); });
    const take = () => { const out = parsed; parsed = []; return out; };
    try {
      for await (const s of text()) {
        parser.write(s);
        if (error) throw csvError(error, file);
        if (parsed.length) yield take();
      }
      parser.end();
      await ended;
      if (error) throw csvError(error, file);
      if (parsed.length) yield take();
    } finally {
      parser.destroy();
    }
  }

  return {
    format: 'csv',
    warnings,
    async *rows(onHeaders) {
      const report = readings++ === 0 ? warnings : null;
      let headers: string[] | null = null;
      for await (const batch of records()) {
        const rows: RawRow[] = [];
        for (const r of batch) {
          if (!headers) { headers = csvHeaders(r.record); onHeaders(headers); continue; }
          const row = csvRow(headers, r, report);
          if (row) rows.push(row);
        }
        if (rows.length) yield rows;
      }
      if (!headers) throw new ImportFileError(file, 'has no header row');
    },
  };
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
  // GeoJSON's own identifier (Feature.id) is the record's id at its source, unless the properties carry an id column
  // of their own (our export does: Feature.id is Refuge's id there, source_id the source's).
  const idColumn = (features as Array<{ properties?: Record<string, unknown> | null } | null>).some((f) => f && typeof f === 'object' && f.properties && Object.keys(f.properties).some((k) => SYNONYMS.sourceId.includes(normaliseHeader(k))));
  const useFeatureId = !idColumn && features.some((f) => isFeatureId((f as { id?: unknown } | null)?.id));
  if (useFeatureId) { headers.push(FEATURE_ID); seen.add(FEATURE_ID); }
  features.forEach((f, i) => {
    const where = `feature ${i + 1}`;
    const feature = f as { type?: string; properties?: Record<string, unknown> | null; geometry?: { type?: string; coordinates?: unknown } | null };
    const props = feature?.properties ?? {};
    const cells: Record<string, Cell> = {};
    if (useFeatureId) {
      const id = (feature as { id?: unknown } | null)?.id;
      cells[FEATURE_ID] = isFeatureId(id) ? id : null;
    }
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

/** The column Feature.id is read into: a name the column matcher takes as the id (see columns.ts). */
const FEATURE_ID = 'id';

function isFeatureId(v: unknown): v is string | number {
  return (typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v));
}
