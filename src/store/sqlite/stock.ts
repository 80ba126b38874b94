// SQLite implementation of the stock capability's StockRepository port.
//
// Every ledger write runs in BEGIN IMMEDIATE: the write lock is taken before the balances are read, so no other
// connection (another server process, the CLI) can change them between the check and the insert. Within one process
// better-sqlite3 is synchronous, so the whole read-plan-write runs without yielding. The cached balance table is only
// written by the trigger on stock_movement_lines and refuses a negative quantity by a CHECK (migration 080).
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.ts';
import { StockError } from '../../stock/errors.ts';
import type {
  BalanceRow, Count, CountLine, Depot, Item, LedgerLine, LineDraft, LotBalance, Movement, MovementDraft, MovementType, Transfer, TransferLine,
} from '../../stock/model.ts';
import type { LedgerFilter, Minimum, MovementFilter, Planner, Receipt, StockRepository, TransferHeader } from '../../stock/ports.ts';

interface DepotRow { id: string; name: string; lat: number | null; lon: number | null; region: string | null; responsible: string | null; contact: string | null; created_at: string; created_by: string | null }
interface ItemRow { id: string; code: string | null; name: string; category: string; unit: string; decimals: number; tracks_lots: number; created_at: string; created_by: string | null }
interface MovementRow {
  seq: number; id: string; type: string; depot_id: string; item_id: string; quantity: number; to_depot: string | null; unit_id: string | null; shelter_id: string | null;
  recipient: string | null; reason: string | null; reference: string | null; counted: number | null; reverses: string | null; transfer_id: string | null;
  count_id: string | null; actor: string | null; at: string; reversed_by: string | null;
}
interface TransferRow {
  id: string; from_depot: string; to_depot: string; item_id: string; status: string; dispatched_at: string; dispatched_by: string | null;
  received_at: string | null; received_by: string | null; received_lines: string | null; difference_reason: string | null;
}
interface CountRow { id: string; depot_id: string; status: string; started_at: string; started_by: string | null; posted_at: string | null; posted_by: string | null; note: string | null }

const depotOf = (r: DepotRow): Depot => ({ id: r.id, name: r.name, lat: r.lat, lon: r.lon, region: r.region, responsible: r.responsible, contact: r.contact, createdAt: r.created_at, createdBy: r.created_by });
const itemOf = (r: ItemRow): Item => ({ id: r.id, code: r.code, name: r.name, category: r.category, unit: r.unit, decimals: r.decimals, tracksLots: r.tracks_lots === 1, createdAt: r.created_at, createdBy: r.created_by });

const MOVEMENT_SELECT = 'SELECT m.*, (SELECT r.id FROM stock_movements r WHERE r.reverses = m.id) AS reversed_by FROM stock_movements m';

function isCheckFailure(e: unknown): boolean {
  return (e as { code?: string }).code === 'SQLITE_CONSTRAINT_CHECK';
}

export class SqliteStockRepository implements StockRepository {
  /** Prepared statements by SQL text: compiling one costs more than running it. Each text is used one way only
   * (plucked or not), so sharing them is safe. */
  private readonly statements = new Map<string, Statement<unknown[]>>();

  constructor(private readonly db: Db) {}

  private q(sql: string): Statement<unknown[]> {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  // ---- catalogue ----

  async insertDepot(d: Depot): Promise<void> {
    try {
      this.q('INSERT INTO stock_depots (id, name, lat, lon, region, responsible, contact, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(d.id, d.name, d.lat, d.lon, d.region, d.responsible, d.contact, d.createdAt, d.createdBy);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new StockError('DUPLICATE', `a depot named ${d.name} exists already`, 'name');
      throw e;
    }
  }

  async getDepot(id: string): Promise<Depot | null> {
    const r = this.q('SELECT * FROM stock_depots WHERE id = ?').get(id) as DepotRow | undefined;
    return r ? depotOf(r) : null;
  }

  async listDepots(): Promise<Depot[]> {
    return (this.q('SELECT * FROM stock_depots ORDER BY name').all() as DepotRow[]).map(depotOf);
  }

  private insertItemSync(i: Item): void {
    try {
      this.q('INSERT INTO stock_items (id, code, name, category, unit, decimals, tracks_lots, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(i.id, i.code, i.name, i.category, i.unit, i.decimals, i.tracksLots ? 1 : 0, i.createdAt, i.createdBy);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new StockError('DUPLICATE', `an item with code ${i.code} exists already`, 'code');
      throw e;
    }
  }

  async insertItem(i: Item): Promise<void> {
    this.insertItemSync(i);
  }

  async getItem(id: string): Promise<Item | null> {
    const r = this.q('SELECT * FROM stock_items WHERE id = ?').get(id) as ItemRow | undefined;
    return r ? itemOf(r) : null;
  }

  async findItemByCode(code: string): Promise<Item | null> {
    const r = this.q('SELECT * FROM stock_items WHERE code = ?').get(code) as ItemRow | undefined;
    return r ? itemOf(r) : null;
  }

  async listItems(): Promise<Item[]> {
    return (this.q('SELECT * FROM stock_items ORDER BY category, name').all() as ItemRow[]).map(itemOf);
  }

  async saveCatalogue(inserts: Item[], updates: Item[]): Promise<void> {
    const update = this.q('UPDATE stock_items SET name = ?, category = ?, unit = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const i of inserts) this.insertItemSync(i);
      for (const i of updates) update.run(i.name, i.category, i.unit, i.id);
    }).immediate();
  }

  async setMinimum(depotId: string, itemId: string, minimum: number | null): Promise<void> {
    if (minimum === null) this.q('DELETE FROM stock_minimums WHERE depot_id = ? AND item_id = ?').run(depotId, itemId);
    else this.q('INSERT INTO stock_minimums (depot_id, item_id, minimum) VALUES (?, ?, ?) ON CONFLICT (depot_id, item_id) DO UPDATE SET minimum = excluded.minimum').run(depotId, itemId, minimum);
  }

  async minimums(depotId?: string): Promise<Minimum[]> {
    const rows = (depotId
      ? this.q('SELECT * FROM stock_minimums WHERE depot_id = ?').all(depotId)
      : this.q('SELECT * FROM stock_minimums').all()) as Array<{ depot_id: string; item_id: string; minimum: number }>;
    return rows.map((r) => ({ depotId: r.depot_id, itemId: r.item_id, minimum: r.minimum }));
  }

  async lots(itemId: string): Promise<Array<{ lot: string; expires: string | null }>> {
    return this.q("SELECT lot, expires FROM stock_lots WHERE item_id = ? AND lot <> '' ORDER BY expires IS NULL, expires, lot").all(itemId) as Array<{ lot: string; expires: string | null }>;
  }

  // ---- ledger (all inside a write transaction) ----

  private lotBalances(depotId: string, itemId: string): LotBalance[] {
    return (this.q(`SELECT b.lot, l.expires, b.quantity,
        (SELECT MIN(x.movement_seq) FROM stock_movement_lines x WHERE x.depot_id = b.depot_id AND x.item_id = b.item_id AND x.lot = b.lot) AS first_seq
      FROM stock_balances b LEFT JOIN stock_lots l ON l.item_id = b.item_id AND l.lot = b.lot
      WHERE b.depot_id = ? AND b.item_id = ?`).all(depotId, itemId) as Array<{ lot: string; expires: string | null; quantity: number; first_seq: number }>)
      .map((r) => ({ lot: r.lot, expires: r.expires, quantity: r.quantity, firstSeq: r.first_seq }));
  }

  /** Writes a movement and its lines; the caller holds the write transaction. */
  private write(d: MovementDraft, lines: LineDraft[]): Movement {
    const seen = new Set<string>();
    for (const l of lines) {
      if (!Number.isSafeInteger(l.delta) || l.delta === 0) throw new Error(`stock: a line must move a whole, non-zero number of minor units, not ${l.delta}`);
      if (seen.has(l.lot)) throw new Error(`stock: lot ${l.lot} twice in one movement`);
      seen.add(l.lot);
    }
    // An adjustment's quantity is its net signed change; every other movement's is the positive amount moved.
    const quantity = d.type === 'adjustment' ? lines.reduce((n, l) => n + l.delta, 0) : d.quantity;
    const seq = this.q(`INSERT INTO stock_movements (id, type, depot_id, item_id, quantity, to_depot, unit_id, shelter_id, recipient, reason, reference, counted, reverses, transfer_id, count_id, actor, at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`).pluck()
      .get(d.id, d.type, d.depotId, d.itemId, quantity, d.toDepotId, d.unitId, d.shelterId, d.recipient, d.reason, d.reference, d.counted, d.reverses, d.transferId, d.countId, d.actor, d.at) as number;
    const lotInsert = this.q('INSERT OR IGNORE INTO stock_lots (item_id, lot, expires) VALUES (?, ?, ?)');
    const lotGet = this.q('SELECT expires FROM stock_lots WHERE item_id = ? AND lot = ?').pluck();
    const lineInsert = this.q('INSERT INTO stock_movement_lines (movement_seq, depot_id, item_id, lot, delta) VALUES (?, ?, ?, ?, ?)');
    const out: LineDraft[] = [];
    for (const l of lines) {
      lotInsert.run(d.itemId, l.lot, l.expires);
      const expires = lotGet.get(d.itemId, l.lot) as string | null;
      if (l.delta > 0 && l.expires !== null && l.expires !== expires) {
        throw new StockError('LOT_EXPIRY_MISMATCH', `lot ${l.lot} expires on ${expires ?? '(no date)'}, not ${l.expires}`, 'expires', { expires });
      }
      try {
        lineInsert.run(seq, d.depotId, d.itemId, l.lot, l.delta);
      } catch (e) {
        if (isCheckFailure(e)) throw new StockError('INSUFFICIENT_STOCK', 'the stock would go below zero', 'quantity');
        throw e;
      }
      out.push({ lot: l.lot, expires, delta: l.delta });
    }
    return { ...d, quantity, seq, lines: out, reversedBy: null };
  }

  async record(draft: MovementDraft, plan: Planner): Promise<Movement> {
    return this.db.transaction(() => this.write(draft, plan(this.lotBalances(draft.depotId, draft.itemId)))).immediate();
  }

  async recordAll(steps: Array<{ draft: MovementDraft; plan: Planner }>, minimums: Minimum[] = []): Promise<Movement[]> {
    const setMin = this.q('INSERT INTO stock_minimums (depot_id, item_id, minimum) VALUES (?, ?, ?) ON CONFLICT (depot_id, item_id) DO UPDATE SET minimum = excluded.minimum');
    return this.db.transaction(() => {
      const out = steps.map((s) => this.write(s.draft, s.plan(this.lotBalances(s.draft.depotId, s.draft.itemId))));
      for (const m of minimums) setMin.run(m.depotId, m.itemId, m.minimum);
      return out;
    }).immediate();
  }

  async dispatch(t: TransferHeader, draft: MovementDraft, plan: Planner): Promise<{ transfer: Transfer; movement: Movement }> {
    return this.db.transaction(() => {
      this.q("INSERT INTO stock_transfers (id, from_depot, to_depot, item_id, status, dispatched_at, dispatched_by) VALUES (?, ?, ?, ?, 'in-transit', ?, ?)")
        .run(t.id, t.fromDepotId, t.toDepotId, t.itemId, t.dispatchedAt, t.dispatchedBy);
      const movement = this.write(draft, plan(this.lotBalances(draft.depotId, draft.itemId)));
      return { transfer: this.transferSync(t.id)!, movement };
    }).immediate();
  }

  async receive(transferId: string, build: (t: Transfer) => Receipt): Promise<{ transfer: Transfer; movement: Movement | null }> {
    return this.db.transaction(() => {
      const t = this.transferSync(transferId);
      if (!t) throw new StockError('TRANSFER_NOT_FOUND', `no transfer with id ${transferId}`, 'id');
      const r = build(t);
      const movement = r.draft ? this.write(r.draft, r.lines) : null;
      const changed = this.q("UPDATE stock_transfers SET status = 'received', received_at = ?, received_by = ?, received_lines = ?, difference_reason = ? WHERE id = ? AND status = 'in-transit'")
        .run(r.receivedAt, r.receivedBy, JSON.stringify(r.received.map((l) => ({ lot: l.lot, received: l.received }))), r.reason, transferId).changes;
      if (changed !== 1) throw new StockError('TRANSFER_NOT_IN_TRANSIT', `transfer ${transferId} was received already`, 'id');
      return { transfer: this.transferSync(transferId)!, movement };
    }).immediate();
  }

  async reverse(originalId: string, build: (original: Movement, balances: LotBalance[]) => { draft: MovementDraft; lines: LineDraft[] }): Promise<Movement> {
    return this.db.transaction(() => {
      const original = this.movementSync(originalId);
      if (!original) throw new StockError('MOVEMENT_NOT_FOUND', `no movement with id ${originalId}`, 'id');
      const { draft, lines } = build(original, this.lotBalances(original.depotId, original.itemId));
      try {
        return this.write(draft, lines);
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new StockError('ALREADY_REVERSED', `movement ${originalId} was already reversed`, 'id');
        throw e;
      }
    }).immediate();
  }

  // ---- counts ----

  async startCount(c: Count): Promise<void> {
    this.q('INSERT INTO stock_counts (id, depot_id, status, started_at, started_by, note) VALUES (?, ?, ?, ?, ?, ?)').run(c.id, c.depotId, c.status, c.startedAt, c.startedBy, c.note);
  }

  async recordCount(countId: string, lines: CountLine[]): Promise<Count> {
    const put = this.q(`INSERT INTO stock_count_lines (count_id, item_id, lot, expires, counted, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (count_id, item_id, lot) DO UPDATE SET expires = excluded.expires, counted = excluded.counted, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by`);
    return this.db.transaction(() => {
      const c = this.countSync(countId);
      if (!c) throw new StockError('COUNT_NOT_FOUND', `no count with id ${countId}`, 'id');
      if (c.status !== 'open') throw new StockError('COUNT_NOT_OPEN', `count ${countId} was posted already`, 'id');
      for (const l of lines) put.run(countId, l.itemId, l.lot, l.expires, l.counted, l.recordedAt, l.recordedBy);
      return this.countSync(countId)!;
    }).immediate();
  }

  async postCount(countId: string, postedAt: string, postedBy: string | null,
    build: (count: Count, balances: (itemId: string) => LotBalance[]) => Array<{ draft: MovementDraft; lines: LineDraft[] }>): Promise<{ count: Count; movements: Movement[] }> {
    return this.db.transaction(() => {
      const c = this.countSync(countId);
      if (!c) throw new StockError('COUNT_NOT_FOUND', `no count with id ${countId}`, 'id');
      const steps = build(c, (itemId) => this.lotBalances(c.depotId, itemId));
      const movements = steps.map((s) => this.write(s.draft, s.lines));
      const changed = this.q("UPDATE stock_counts SET status = 'posted', posted_at = ?, posted_by = ? WHERE id = ? AND status = 'open'").run(postedAt, postedBy, countId).changes;
      if (changed !== 1) throw new StockError('COUNT_NOT_OPEN', `count ${countId} was posted already`, 'id');
      return { count: this.countSync(countId)!, movements };
    }).immediate();
  }

  private countSync(id: string): Count | null {
    const r = this.q('SELECT * FROM stock_counts WHERE id = ?').get(id) as CountRow | undefined;
    if (!r) return null;
    const lines = (this.q('SELECT * FROM stock_count_lines WHERE count_id = ? ORDER BY recorded_at, item_id, lot').all(id) as Array<{ item_id: string; lot: string; expires: string | null; counted: number; recorded_at: string; recorded_by: string | null }>)
      .map((l) => ({ itemId: l.item_id, lot: l.lot, expires: l.expires, counted: l.counted, recordedAt: l.recorded_at, recordedBy: l.recorded_by }));
    return { id: r.id, depotId: r.depot_id, status: r.status as Count['status'], startedAt: r.started_at, startedBy: r.started_by, postedAt: r.posted_at, postedBy: r.posted_by, note: r.note, lines };
  }

  async getCount(id: string): Promise<Count | null> {
    return this.countSync(id);
  }

  async listCounts(depotId?: string): Promise<Count[]> {
    const ids = (depotId
      ? this.q('SELECT id FROM stock_counts WHERE depot_id = ? ORDER BY started_at DESC, rowid DESC').pluck().all(depotId)
      : this.q('SELECT id FROM stock_counts ORDER BY started_at DESC, rowid DESC').pluck().all()) as string[];
    return ids.map((id) => this.countSync(id)!);
  }

  // ---- transfers and movements ----

  private transferSync(id: string): Transfer | null {
    const r = this.q('SELECT * FROM stock_transfers WHERE id = ?').get(id) as TransferRow | undefined;
    if (!r) return null;
    const sent = this.q(`SELECT l.lot, lots.expires, -l.delta AS dispatched FROM stock_movements m JOIN stock_movement_lines l ON l.movement_seq = m.seq
      LEFT JOIN stock_lots lots ON lots.item_id = l.item_id AND lots.lot = l.lot WHERE m.transfer_id = ? AND m.type = 'transfer' ORDER BY l.lot`).all(id) as Array<{ lot: string; expires: string | null; dispatched: number }>;
    const received = new Map((r.received_lines ? JSON.parse(r.received_lines) as Array<{ lot: string; received: number }> : []).map((l) => [l.lot, l.received]));
    const lines: TransferLine[] = sent.map((l) => ({ lot: l.lot, expires: l.expires, dispatched: l.dispatched, received: r.received_lines ? received.get(l.lot) ?? 0 : null }));
    return {
      id: r.id, fromDepotId: r.from_depot, toDepotId: r.to_depot, itemId: r.item_id, status: r.status as Transfer['status'], dispatchedAt: r.dispatched_at,
      dispatchedBy: r.dispatched_by, receivedAt: r.received_at, receivedBy: r.received_by, lines, differenceReason: r.difference_reason,
    };
  }

  async getTransfer(id: string): Promise<Transfer | null> {
    return this.transferSync(id);
  }

  async listTransfers(status?: Transfer['status']): Promise<Transfer[]> {
    const ids = (status
      ? this.q('SELECT id FROM stock_transfers WHERE status = ? ORDER BY dispatched_at DESC, rowid DESC').pluck().all(status)
      : this.q('SELECT id FROM stock_transfers ORDER BY dispatched_at DESC, rowid DESC LIMIT 500').pluck().all()) as string[];
    return ids.map((id) => this.transferSync(id)!);
  }

  private movementOf(r: MovementRow): Movement {
    const lines = (this.q(`SELECT l.lot, lots.expires, l.delta FROM stock_movement_lines l LEFT JOIN stock_lots lots ON lots.item_id = l.item_id AND lots.lot = l.lot
      WHERE l.movement_seq = ? ORDER BY l.lot`).all(r.seq) as LineDraft[]);
    return {
      seq: r.seq, id: r.id, type: r.type as MovementType, depotId: r.depot_id, itemId: r.item_id, quantity: r.quantity, toDepotId: r.to_depot, unitId: r.unit_id,
      shelterId: r.shelter_id, recipient: r.recipient, reason: r.reason, reference: r.reference, counted: r.counted, reverses: r.reverses, transferId: r.transfer_id,
      countId: r.count_id, actor: r.actor, at: r.at, lines, reversedBy: r.reversed_by,
    };
  }

  private movementSync(id: string): Movement | null {
    const r = this.q(`${MOVEMENT_SELECT} WHERE m.id = ?`).get(id) as MovementRow | undefined;
    return r ? this.movementOf(r) : null;
  }

  async getMovement(id: string): Promise<Movement | null> {
    return this.movementSync(id);
  }

  async listMovements(f: MovementFilter): Promise<Movement[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.depotId) { where.push('(m.depot_id = ? OR m.to_depot = ?)'); args.push(f.depotId, f.depotId); }
    if (f.itemId) { where.push('m.item_id = ?'); args.push(f.itemId); }
    if (f.type) { where.push('m.type = ?'); args.push(f.type); }
    if (f.beforeSeq !== undefined) { where.push('m.seq < ?'); args.push(f.beforeSeq); }
    const sql = `${MOVEMENT_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY m.seq DESC LIMIT ?`;
    return (this.q(sql).all(...args, f.limit) as MovementRow[]).map((r) => this.movementOf(r));
  }

  // ---- reads for reports ----

  async balances(f: { depotId?: string; itemId?: string }): Promise<BalanceRow[]> {
    const where = ['b.quantity <> 0'];
    const args: unknown[] = [];
    if (f.depotId) { where.push('b.depot_id = ?'); args.push(f.depotId); }
    if (f.itemId) { where.push('b.item_id = ?'); args.push(f.itemId); }
    return (this.q(`SELECT b.depot_id, b.item_id, b.lot, l.expires, b.quantity FROM stock_balances b
      LEFT JOIN stock_lots l ON l.item_id = b.item_id AND l.lot = b.lot WHERE ${where.join(' AND ')}`).all(...args) as Array<{ depot_id: string; item_id: string; lot: string; expires: string | null; quantity: number }>)
      .map((r) => ({ depotId: r.depot_id, itemId: r.item_id, lot: r.lot, expires: r.expires, quantity: r.quantity }));
  }

  async ledger(f: LedgerFilter): Promise<LedgerLine[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.depotId) { where.push('l.depot_id = ?'); args.push(f.depotId); }
    if (f.itemId) { where.push('l.item_id = ?'); args.push(f.itemId); }
    if (f.unitId) { where.push('m.unit_id = ?'); args.push(f.unitId); }
    if (f.shelterId) { where.push('m.shelter_id = ?'); args.push(f.shelterId); }
    if (f.types?.length) { where.push(`m.type IN (${f.types.map(() => '?').join(', ')})`); args.push(...f.types); }
    const rows = this.q(`SELECT m.seq, m.id AS movement_id, m.type, l.depot_id, l.item_id, l.lot, lots.expires, l.delta, m.at, m.actor, m.reason, m.reference,
        m.unit_id, m.shelter_id, m.recipient, m.to_depot, m.reverses
      FROM stock_movement_lines l JOIN stock_movements m ON m.seq = l.movement_seq
      LEFT JOIN stock_lots lots ON lots.item_id = l.item_id AND lots.lot = l.lot
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.movement_seq, l.lot`).all(...args) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      seq: r.seq as number, movementId: r.movement_id as string, type: r.type as MovementType, depotId: r.depot_id as string, itemId: r.item_id as string,
      lot: r.lot as string, expires: r.expires as string | null, delta: r.delta as number, at: r.at as string, actor: r.actor as string | null,
      reason: r.reason as string | null, reference: r.reference as string | null, unitId: r.unit_id as string | null, shelterId: r.shelter_id as string | null,
      recipient: r.recipient as string | null, toDepotId: r.to_depot as string | null, reverses: r.reverses as string | null,
    }));
  }
}
