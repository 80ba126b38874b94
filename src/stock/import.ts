// CSV import of the item catalogue and of a depot's opening balances. All or nothing: every row is checked first and
// a file with any bad row is refused whole, with each problem as line, column and reason (as the shelter import does);
// a good file is written in one transaction.
//
// Catalogue columns: code, name, category, unit, decimals (0-3, default 0), tracks_lots (yes/no, default no).
//   A row whose code exists already updates that item's name, category and unit; its decimals and lots cannot change.
// Opening balance columns: item (an item's code or id), quantity, lot, expires (YYYY-MM-DD), minimum (optional).
//   Each row is a receipt into the depot with reason "opening balance" and the file name as reference.
import { randomUUID } from 'node:crypto';
import { readTable, ImportFileError, type RawRow } from '../registry/import/read.ts';
import { StockError } from './errors.ts';
import { minorText, parseDate, toMinor, type Item, type MovementDraft } from './model.ts';
import { planPut } from './ledger.ts';
import type { Minimum } from './ports.ts';
import type { StockService } from './service.ts';

export interface ImportProblem {
  line: number;
  column: string;
  reason: string;
}

export class StockImportRejected extends Error {
  constructor(readonly file: string, readonly problems: ImportProblem[]) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported`);
    this.name = 'StockImportRejected';
  }
}

export { ImportFileError };

const CATALOGUE_COLUMNS = ['code', 'name', 'category', 'unit', 'decimals', 'tracks_lots'];
const BALANCE_COLUMNS = ['item', 'quantity', 'lot', 'expires', 'minimum'];

function cell(row: RawRow, column: string): string {
  const v = row.cells[column];
  return v === undefined || v === null ? '' : String(v).trim();
}

function yesNo(v: string): boolean | null {
  if (v === '') return false;
  if (/^(yes|y|true|1|ja|так|כן)$/i.test(v)) return true;
  if (/^(no|n|false|0|nej|ні|לא)$/i.test(v)) return false;
  return null;
}

function table(bytes: Uint8Array, file: string, known: string[], required: string[]): RawRow[] {
  const t = readTable(bytes, file);
  if (t.format !== 'csv') throw new ImportFileError(file, 'must be CSV');
  const problems: ImportProblem[] = [];
  const headers = t.headers.map((h) => h.toLowerCase());
  for (const h of headers) if (!known.includes(h)) problems.push({ line: 1, column: h, reason: `unknown column; expected ${known.join(', ')}` });
  for (const r of required) if (!headers.includes(r)) problems.push({ line: 1, column: r, reason: 'required column is missing' });
  if (problems.length) throw new StockImportRejected(file, problems);
  if (t.rows.length === 0) throw new ImportFileError(file, 'has no rows');
  // Column names are matched without regard to case.
  return t.rows.map((row) => ({ ...row, cells: Object.fromEntries(Object.entries(row.cells).map(([k, v]) => [k.toLowerCase(), v])) }));
}

function problemOf(e: unknown, line: number, columns: Record<string, string>): ImportProblem {
  if (e instanceof StockError) return { line, column: columns[e.field ?? ''] ?? e.field ?? '', reason: e.message };
  throw e;
}

/** Imports the catalogue; returns how many items were added and updated. */
export async function importCatalogue(service: StockService, bytes: Uint8Array, file: string, actor: string | null): Promise<{ inserted: number; updated: number }> {
  const rows = table(bytes, file, CATALOGUE_COLUMNS, ['name', 'category', 'unit']);
  const problems: ImportProblem[] = [];
  const inserts: Item[] = [];
  const updates: Item[] = [];
  const codes = new Map<string, number>();
  const columns = { tracksLots: 'tracks_lots', decimals: 'decimals', name: 'name', category: 'category', unit: 'unit', code: 'code' };
  for (const row of rows) {
    const tracks = yesNo(cell(row, 'tracks_lots'));
    if (tracks === null) { problems.push({ line: row.line, column: 'tracks_lots', reason: `must be yes or no, not ${cell(row, 'tracks_lots')}` }); continue; }
    let item: Item;
    try {
      item = service.itemFrom({ code: cell(row, 'code'), name: cell(row, 'name'), category: cell(row, 'category'), unit: cell(row, 'unit'), decimals: cell(row, 'decimals') || 0, tracksLots: tracks }, actor);
    } catch (e) {
      problems.push(problemOf(e, row.line, columns));
      continue;
    }
    if (item.code) {
      const earlier = codes.get(item.code);
      if (earlier !== undefined) { problems.push({ line: row.line, column: 'code', reason: `code ${item.code} is also on line ${earlier}` }); continue; }
      codes.set(item.code, row.line);
      const existing = await service.repo.findItemByCode(item.code);
      if (existing) {
        if (existing.decimals !== item.decimals) { problems.push({ line: row.line, column: 'decimals', reason: `item ${item.code} has ${existing.decimals} decimals; that cannot change once stock is counted in it` }); continue; }
        if (existing.tracksLots !== item.tracksLots) { problems.push({ line: row.line, column: 'tracks_lots', reason: `item ${item.code} ${existing.tracksLots ? 'tracks' : 'does not track'} lots; that cannot change` }); continue; }
        updates.push({ ...existing, name: item.name, category: item.category, unit: item.unit });
        continue;
      }
    }
    inserts.push(item);
  }
  if (problems.length) throw new StockImportRejected(file, problems);
  await service.repo.saveCatalogue(inserts, updates);
  return { inserted: inserts.length, updated: updates.length };
}

/** Imports a depot's opening balances as receipts (and minimums where given), all in one transaction. */
export async function importOpeningBalances(service: StockService, bytes: Uint8Array, file: string, depotId: string, actor: string | null): Promise<{ movements: number; minimums: number }> {
  const depot = await service.depot(depotId, 'depot');
  const rows = table(bytes, file, BALANCE_COLUMNS, ['item', 'quantity']);
  const items = await service.repo.listItems();
  const byKey = new Map<string, Item>();
  for (const i of items) { byKey.set(i.id, i); if (i.code) byKey.set(i.code, i); }
  const problems: ImportProblem[] = [];
  const steps: Array<{ draft: MovementDraft; plan: () => ReturnType<typeof planPut> }> = [];
  const minimums: Minimum[] = [];
  const lotExpiry = new Map<string, string | null>();
  const at = new Date().toISOString();
  const reference = file.split(/[\\/]/).pop() ?? file;
  for (const row of rows) {
    const key = cell(row, 'item');
    const item = byKey.get(key);
    if (!item) { problems.push({ line: row.line, column: 'item', reason: key ? `no item with code or id ${key}` : 'is required' }); continue; }
    const before = problems.length;
    const take = <T>(column: string, f: () => T): T | undefined => {
      try { return f(); } catch (e) { problems.push(problemOf(e, row.line, { [column]: column })); return undefined; }
    };
    const quantity = take('quantity', () => toMinor(cell(row, 'quantity'), item.decimals, 'quantity', { allowZero: true }));
    const lot = cell(row, 'lot');
    const expires = take('expires', () => parseDate(cell(row, 'expires'), 'expires'));
    const minText = cell(row, 'minimum');
    const minimum = minText === '' ? null : take('minimum', () => toMinor(minText, item.decimals, 'minimum', { allowZero: true }));
    if (item.tracksLots && !lot && quantity) problems.push({ line: row.line, column: 'lot', reason: `${item.name} tracks lots: name the lot` });
    if (!item.tracksLots && lot) problems.push({ line: row.line, column: 'lot', reason: `${item.name} does not track lots` });
    if (!item.tracksLots && expires) problems.push({ line: row.line, column: 'expires', reason: `${item.name} does not track expiry dates` });
    if (item.tracksLots && lot && expires !== undefined) {
      const k = `${item.id}|${lot}`;
      const known = lotExpiry.has(k) ? lotExpiry.get(k)! : (await service.repo.lots(item.id)).find((l) => l.lot === lot)?.expires;
      if (known !== undefined && known !== null && expires !== null && known !== expires) problems.push({ line: row.line, column: 'expires', reason: `lot ${lot} expires on ${known}, not ${expires}` });
      else lotExpiry.set(k, expires ?? known ?? null);
    }
    if (problems.length > before) continue;
    if (minimum !== null && minimum !== undefined) minimums.push({ depotId: depot.id, itemId: item.id, minimum });
    if (!quantity) continue;
    const draft: MovementDraft = {
      id: randomUUID(), type: 'receipt', depotId: depot.id, itemId: item.id, quantity, toDepotId: null, unitId: null, shelterId: null, recipient: null,
      reason: 'opening balance', reference, counted: null, reverses: null, transferId: null, countId: null, actor, at,
    };
    steps.push({ draft, plan: () => planPut(lot, expires ?? null, quantity) });
  }
  if (problems.length) throw new StockImportRejected(file, problems);
  await service.repo.recordAll(steps, minimums);
  return { movements: steps.length, minimums: minimums.length };
}

/** The catalogue as CSV in the import's own columns (it imports back unchanged). */
export function catalogueToCsv(items: Item[]): string {
  const q = (s: string | null) => (s === null ? '' : /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [CATALOGUE_COLUMNS.join(','), ...items.map((i) => [q(i.code ?? i.id), q(i.name), q(i.category), q(i.unit), String(i.decimals), i.tracksLots ? 'yes' : 'no'].join(','))].join('\r\n') + '\r\n';
}

/** A depot's balances per lot, and its minimums, in the opening-balance import's columns: imported into an empty
 * depot (or another database) they give the same balances and minimums. Items are named by code where they have one. */
export async function openingBalancesToCsv(service: StockService, depotId: string): Promise<string> {
  const depot = await service.depot(depotId, 'depot');
  const items = new Map((await service.repo.listItems()).map((i) => [i.id, i]));
  const rows = (await service.repo.balances({ depotId: depot.id })).filter((r) => r.quantity > 0);
  const mins = new Map((await service.repo.minimums(depot.id)).map((m) => [m.itemId, m.minimum]));
  const q = (s: string) => (/[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const out: string[] = [BALANCE_COLUMNS.join(',')];
  const seen = new Set<string>();
  const sorted = [...rows].sort((a, b) => {
    const ia = items.get(a.itemId)!, ib = items.get(b.itemId)!;
    return ia.category.localeCompare(ib.category) || ia.name.localeCompare(ib.name) || (a.expires ?? '9999').localeCompare(b.expires ?? '9999') || a.lot.localeCompare(b.lot);
  });
  for (const r of sorted) {
    const item = items.get(r.itemId)!;
    const min = seen.has(item.id) ? undefined : mins.get(item.id);
    seen.add(item.id);
    out.push([q(item.code ?? item.id), minorText(r.quantity, item.decimals), q(r.lot), r.expires ?? '', min === undefined ? '' : minorText(min, item.decimals)].join(','));
  }
  for (const [itemId, min] of mins) {
    if (seen.has(itemId)) continue;
    const item = items.get(itemId)!;
    out.push([q(item.code ?? item.id), '0', '', '', minorText(min, item.decimals)].join(','));
  }
  return out.join('\r\n') + '\r\n';
}
