// Reports over the ledger, in the items' own units, each also as CSV (the same columns as the JSON rows).
import { StockError } from './errors.ts';
import { fromMinor, isExpired, minorText, type Depot, type Item, type LedgerLine } from './model.ts';
import type { StockRepository } from './ports.ts';

export interface Report<Row> {
  columns: Array<keyof Row & string>;
  rows: Row[];
}

export interface BalanceReportRow {
  depot: string; depotName: string; item: string; itemCode: string | null; itemName: string; category: string; unit: string;
  quantity: number; minimum: number | null; lots: string; expiresFirst: string | null;
  /** The lots one by one (JSON only; the CSV has them in `lots`). */
  lotList: Array<{ lot: string | null; expires: string | null; quantity: number; expired: boolean }>;
}
export interface BelowMinimumRow {
  depot: string; depotName: string; item: string; itemName: string; unit: string; quantity: number; minimum: number; shortfall: number;
}
export interface ExpiringRow {
  depot: string; depotName: string; item: string; itemName: string; unit: string; lot: string; expires: string; daysLeft: number; expired: boolean; quantity: number;
}
export interface IssuedRow {
  at: string; movement: string; type: string; depot: string; depotName: string; item: string; itemName: string; unit: string; lot: string;
  /** Positive: went to the unit or shelter; negative: came back (a return or a reversed issue). */
  quantity: number; actor: string | null; reference: string | null; toUnit: string | null; toShelter: string | null;
}
export interface StockCardRow {
  at: string; movement: string; type: string; lots: string; in: number; out: number; balance: number;
  actor: string | null; reason: string | null; reference: string | null; party: string | null; reverses: string | null;
}

const DAY = 86_400_000;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

export class StockReports {
  constructor(private readonly repo: StockRepository, private readonly today: () => string) {}

  private async maps(): Promise<{ items: Map<string, Item>; depots: Map<string, Depot> }> {
    const [items, depots] = await Promise.all([this.repo.listItems(), this.repo.listDepots()]);
    return { items: new Map(items.map((i) => [i.id, i])), depots: new Map(depots.map((d) => [d.id, d])) };
  }

  /** Balance per depot and item (all lots together), with the minimum and the lots in FEFO order. */
  async balances(depotId?: string): Promise<Report<BalanceReportRow>> {
    const { items, depots } = await this.maps();
    if (depotId && !depots.has(depotId)) throw new StockError('DEPOT_NOT_FOUND', `no depot with id ${depotId}`, 'depot');
    const rows = await this.repo.balances({ depotId });
    const mins = new Map((await this.repo.minimums(depotId)).map((m) => [`${m.depotId}|${m.itemId}`, m.minimum]));
    const groups = new Map<string, typeof rows>();
    for (const r of rows) {
      const k = `${r.depotId}|${r.itemId}`;
      (groups.get(k) ?? groups.set(k, []).get(k)!).push(r);
    }
    for (const k of mins.keys()) if (!groups.has(k) && (!depotId || k.startsWith(`${depotId}|`))) groups.set(k, []);
    const out: BalanceReportRow[] = [];
    for (const [k, lots] of groups) {
      const [d, i] = k.split('|');
      const item = items.get(i)!;
      const depot = depots.get(d)!;
      const total = lots.reduce((n, l) => n + l.quantity, 0);
      const min = mins.get(k);
      lots.sort((a, b) => (a.expires ?? '9999') .localeCompare(b.expires ?? '9999') || a.lot.localeCompare(b.lot));
      out.push({
        depot: d, depotName: depot.name, item: i, itemCode: item.code, itemName: item.name, category: item.category, unit: item.unit,
        quantity: fromMinor(total, item.decimals), minimum: min === undefined ? null : fromMinor(min, item.decimals),
        lots: lots.filter((l) => l.lot).map((l) => `${l.lot}${l.expires ? ` (${l.expires})` : ''}: ${minorText(l.quantity, item.decimals)}`).join('; '),
        expiresFirst: lots.find((l) => l.expires)?.expires ?? null,
        lotList: lots.map((l) => ({ lot: l.lot || null, expires: l.expires, quantity: fromMinor(l.quantity, item.decimals), expired: isExpired(l.expires, this.today()) })),
      });
    }
    out.sort((a, b) => a.depotName.localeCompare(b.depotName) || a.category.localeCompare(b.category) || a.itemName.localeCompare(b.itemName));
    return { columns: ['depot', 'depotName', 'item', 'itemCode', 'itemName', 'category', 'unit', 'quantity', 'minimum', 'lots', 'expiresFirst'], rows: out };
  }

  /** Items whose balance in a depot is below the minimum set for that depot. */
  async belowMinimum(depotId?: string): Promise<Report<BelowMinimumRow>> {
    const { items, depots } = await this.maps();
    const totals = new Map<string, number>();
    for (const r of await this.repo.balances({ depotId })) totals.set(`${r.depotId}|${r.itemId}`, (totals.get(`${r.depotId}|${r.itemId}`) ?? 0) + r.quantity);
    const rows: BelowMinimumRow[] = [];
    for (const m of await this.repo.minimums(depotId)) {
      const have = totals.get(`${m.depotId}|${m.itemId}`) ?? 0;
      if (have >= m.minimum) continue;
      const item = items.get(m.itemId)!;
      rows.push({
        depot: m.depotId, depotName: depots.get(m.depotId)!.name, item: m.itemId, itemName: item.name, unit: item.unit,
        quantity: fromMinor(have, item.decimals), minimum: fromMinor(m.minimum, item.decimals), shortfall: fromMinor(m.minimum - have, item.decimals),
      });
    }
    rows.sort((a, b) => a.depotName.localeCompare(b.depotName) || a.itemName.localeCompare(b.itemName));
    return { columns: ['depot', 'depotName', 'item', 'itemName', 'unit', 'quantity', 'minimum', 'shortfall'], rows };
  }

  /** Lots in stock that expire within `days` days from today (those already expired included, first). */
  async expiring(days: number, depotId?: string): Promise<Report<ExpiringRow>> {
    if (!Number.isInteger(days) || days < 0 || days > 3650) throw new StockError('INVALID_MOVEMENT', 'days must be a whole number from 0 to 3650', 'days');
    const { items, depots } = await this.maps();
    const today = this.today();
    const rows: ExpiringRow[] = [];
    for (const r of await this.repo.balances({ depotId })) {
      if (r.quantity <= 0 || r.expires === null) continue;
      const left = daysBetween(today, r.expires);
      if (left > days) continue;
      const item = items.get(r.itemId)!;
      rows.push({
        depot: r.depotId, depotName: depots.get(r.depotId)!.name, item: r.itemId, itemName: item.name, unit: item.unit, lot: r.lot, expires: r.expires,
        daysLeft: left, expired: isExpired(r.expires, today), quantity: fromMinor(r.quantity, item.decimals),
      });
    }
    rows.sort((a, b) => a.expires.localeCompare(b.expires) || a.depotName.localeCompare(b.depotName) || a.itemName.localeCompare(b.itemName));
    return { columns: ['depot', 'depotName', 'item', 'itemName', 'unit', 'lot', 'expires', 'daysLeft', 'expired', 'quantity'], rows };
  }

  /** Everything issued to a unit or a shelter (and returned from it), in ledger order. */
  async issued(to: { unitId?: string; shelterId?: string }): Promise<Report<IssuedRow> & { totals: Array<{ item: string; itemName: string; unit: string; quantity: number }> }> {
    if (!to.unitId === !to.shelterId) throw new StockError('INVALID_MOVEMENT', 'name a unit or a shelter', 'unit');
    const { items, depots } = await this.maps();
    const lines = await this.repo.ledger({ unitId: to.unitId, shelterId: to.shelterId, types: ['issue', 'return', 'reversal'] });
    const rows: IssuedRow[] = lines.map((l) => {
      const item = items.get(l.itemId)!;
      return {
        at: l.at, movement: l.movementId, type: l.type, depot: l.depotId, depotName: depots.get(l.depotId)!.name, item: l.itemId, itemName: item.name, unit: item.unit,
        lot: l.lot, quantity: fromMinor(-l.delta, item.decimals), actor: l.actor, reference: l.reference, toUnit: l.unitId, toShelter: l.shelterId,
      };
    });
    const net = new Map<string, number>();
    for (const l of lines) net.set(l.itemId, (net.get(l.itemId) ?? 0) - l.delta);
    const totals = [...net].map(([id, q]) => ({ item: id, itemName: items.get(id)!.name, unit: items.get(id)!.unit, quantity: fromMinor(q, items.get(id)!.decimals) }))
      .sort((a, b) => a.itemName.localeCompare(b.itemName));
    return { columns: ['at', 'movement', 'type', 'depot', 'depotName', 'item', 'itemName', 'unit', 'lot', 'quantity', 'actor', 'reference', 'toUnit', 'toShelter'], rows, totals };
  }

  /** Every movement of one item in one depot with the running balance after it. */
  async stockCard(depotId: string, itemId: string): Promise<Report<StockCardRow>> {
    const { items, depots } = await this.maps();
    if (!depots.has(depotId)) throw new StockError('DEPOT_NOT_FOUND', `no depot with id ${depotId}`, 'depot');
    const item = items.get(itemId);
    if (!item) throw new StockError('ITEM_NOT_FOUND', `no item with id ${itemId}`, 'item');
    const rows: StockCardRow[] = [];
    let balance = 0;
    let current: { seq: number; row: StockCardRow; inMinor: number; outMinor: number } | null = null;
    const flush = () => {
      if (!current) return;
      current.row.in = fromMinor(current.inMinor, item.decimals);
      current.row.out = fromMinor(current.outMinor, item.decimals);
      current.row.balance = fromMinor(balance, item.decimals);
      rows.push(current.row);
    };
    for (const l of await this.repo.ledger({ depotId, itemId })) {
      if (!current || current.seq !== l.seq) {
        flush();
        current = {
          seq: l.seq, inMinor: 0, outMinor: 0,
          row: { at: l.at, movement: l.movementId, type: l.type, lots: '', in: 0, out: 0, balance: 0, actor: l.actor, reason: l.reason, reference: l.reference, party: partyOf(l, depots), reverses: l.reverses },
        };
      }
      balance += l.delta;
      if (l.delta > 0) current.inMinor += l.delta;
      else current.outMinor -= l.delta;
      if (l.lot) current.row.lots = current.row.lots ? `${current.row.lots}; ${l.lot}` : l.lot;
    }
    flush();
    return { columns: ['at', 'movement', 'type', 'lots', 'in', 'out', 'balance', 'actor', 'reason', 'reference', 'party', 'reverses'], rows };
  }
}

function partyOf(l: LedgerLine, depots: Map<string, Depot>): string | null {
  if (l.unitId) return `unit ${l.unitId}`;
  if (l.shelterId) return `shelter ${l.shelterId}`;
  if (l.recipient) return l.recipient;
  if (l.toDepotId) return `to ${depots.get(l.toDepotId)?.name ?? l.toDepotId}`;
  return null;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // A cell starting with = + - @ would be a formula in a spreadsheet: quote it with a leading apostrophe (not numbers).
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n;]/.test(safe) || /^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A report as CSV: a header of the column names, then one line per row (CRLF, RFC 4180). */
export function reportToCsv<Row>(report: Report<Row>): string {
  const cols = report.columns as string[];
  const lines = [cols.join(','), ...report.rows.map((r) => cols.map((c) => csvCell((r as Record<string, unknown>)[c])).join(','))];
  return lines.join('\r\n') + '\r\n';
}
