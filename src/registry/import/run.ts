// One import, start to finish: read, prepare, then either reject the whole file with its report or apply it
// in one transaction. Used by the CLI and the HTTP edge alike.
import type { ImportInput } from './read.ts';
import { prepareImportFrom, type RowProblem } from './prepare.ts';
import type { ShelterRegistry } from '../registry.ts';

export interface ImportOptions {
  source: string;
  attribution?: string | null;
  licence?: string | null;
  map?: Record<string, string>;
  coordinates?: 'auto' | 'as-labelled' | 'swapped';
  dryRun?: boolean;
  skipInvalid?: boolean;
  actor?: string | null;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportSummary {
  file: string;
  source: string;
  dryRun: boolean;
  rows: number;
  imported: number;
  updated: number;
  unchanged: number;
  skipped: number;
  rejected: number;
  totalCapacity: number;
  unknownCapacity: number;
  warnings: string[];
  columns: Record<string, string>;
  problems: RowProblem[];
}

export class ImportRejected extends Error {
  constructor(readonly summary: ImportSummary) {
    super(`${summary.file}: ${summary.problems.length} bad row${summary.problems.length === 1 ? '' : 's'}; nothing was imported (use --skip-invalid to import the rest)`);
    this.name = 'ImportRejected';
  }
}

/** `input`: the file's bytes, or `{ path }` to stream it from disk (read twice, never held whole: see prepareImportFrom). */
export async function importShelters(registry: ShelterRegistry, input: ImportInput, file: string, opts: ImportOptions): Promise<ImportSummary> {
  if (!opts.source || !/^[\w.:-]{1,64}$/.test(opts.source)) throw new Error('--source must be 1-64 letters, digits or . _ : -');
  const context = registry.all().filter((s) => !s.decommissionedAt).slice(0, 2000).map((s): [number, number] => [s.lat, s.lon]);
  const prepared = await prepareImportFrom(input, file, { map: opts.map, coordinates: opts.coordinates, context });
  const badLines = new Set(prepared.problems.map((p) => p.where));
  const summary: ImportSummary = {
    file, source: opts.source, dryRun: !!opts.dryRun, rows: prepared.rowsRead,
    imported: 0, updated: 0, unchanged: 0, skipped: prepared.skippedDuplicates, rejected: badLines.size,
    totalCapacity: prepared.records.reduce((s, r) => s + (r.capacity ?? 0), 0),
    unknownCapacity: prepared.records.filter((r) => r.capacity === null || r.capacity === undefined).length,
    warnings: [...(prepared.mapping.notes.length ? [`columns: ${prepared.mapping.notes.join('; ')}`] : []), ...prepared.warnings],
    columns: prepared.mapping.fields as Record<string, string>,
    problems: prepared.problems,
  };
  if (prepared.problems.length && !opts.skipInvalid) throw new ImportRejected(summary);
  if (prepared.records.length === 0) throw new Error(`${file}: no shelter records found`);
  if (opts.dryRun) {
    const known = new Set(registry.all().filter((s) => s.source === opts.source).map((s) => s.sourceId));
    for (const r of prepared.records) if (known.has(r.sourceId)) summary.updated++; else summary.imported++;
    return summary;
  }
  let done = 0;
  const total = prepared.records.length;
  const result = await registry.importFromSource(
    { name: opts.source, attribution: opts.attribution ?? null, licence: opts.licence ?? null },
    prepared.records,
    opts.actor ?? null,
    opts.onProgress ? () => opts.onProgress!(++done, total) : undefined,
  );
  summary.imported = result.inserted.length;
  summary.updated = result.updated.length;
  summary.unchanged = result.unchanged;
  return summary;
}

export function summaryLine(s: ImportSummary): string {
  return `${s.dryRun ? 'dry run: would import' : 'imported'} ${s.imported}, updated ${s.updated}, unchanged ${s.unchanged}, skipped ${s.skipped}, rejected ${s.rejected}; total capacity ${s.totalCapacity.toLocaleString('en')}${s.unknownCapacity ? ` (+${s.unknownCapacity} with unknown capacity)` : ''}`;
}
