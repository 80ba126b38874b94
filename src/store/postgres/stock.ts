// PostgreSQL implementation of the stock capability's StockRepository port (same semantics as SQLite's, which is the
// reference: src/store/sqlite/stock.ts).
//
// Several server processes share the database, so a ledger write cannot rely on one writer as SQLite does. Each one
// first locks the stock_positions row of every depot+item it will plan from (created on first use, locked in sorted
// order so two writers never wait on each other crosswise), then reads the balances, plans, and writes; the next
// writer of that depot+item waits and plans from the new balances. The balance itself is kept by the ledger's trigger
// and refuses to go below zero by a CHECK (migration 080), whatever a planner decided.
// Quantities are BIGINT (pg returns them as text): rows go through Number().
import type pg from 'pg';
import { withTransaction } from './tx.ts';
import { StockError } from '../../stock/errors.ts';
import type {
  BalanceRow, Count, CountLine, Depot, Item, LedgerLine, LineDraft, LotBalance, Movement, MovementDraft, MovementType, Transfer, TransferLine,
} from '../../stock/model.ts';
import type { LedgerFilter, Minimum, MovementFilter, Planner, Receipt, StockRepository, TransferHeader } from '../../stock/ports.ts';

type Q = pg.Pool | pg.PoolClient;
type Row = Record<string, any>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const depotOf = (r: Row): Depot => ({ id: r.id, name: r.name, lat: r.lat, lon: r.lon, region: r.region, responsible: r.responsible, contact: r.contact, createdAt: r.created_at, createdBy: r.created_by });
const itemOf = (r: Row): Item => ({ id: r.id, code: r.code, name: r.name, category: r.category, unit: r.unit, decimals: r.decimals, tracksLots: r.tracks_lots, createdAt: r.created_at, createdBy: r.created_by });

const MOVEMENT_SELECT = 'SELECT m.*, (SELECT r.id FROM stock_movements r WHERE r.reverses = m.id) AS reversed_by FROM stock_movements m';
const C = 'COLLATE "C"'; // SQLite's bytewise text order

function pgCode(e: unknown): string | undefined {
  return (e as { code?: string }).code;
}
function constraintOf(e: unknown): string | undefined {
  return (e as { constraint?: string }).constraint;
}

export class PostgresStockRepository implements StockRepository {
  constructor(private readonly pool: pg.Pool) {}

  // ---- catalogue ----

  async insertDepot(d: Depot): Promise<void> {
    try {
      await this.pool.query('INSERT INTO stock_depots (id, name, lat, lon, region, responsible, contact, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [d.id, d.name, d.lat, d.lon, d.region, d.responsible, d.contact, d.createdAt, d.createdBy]);
    } catch (e) {
      if (pgCode(e) === '23505' && constraintOf(e) === 'stock_depots_name') throw new StockError('DUPLICATE', `a depot named ${d.name} exists already`, 'name');
      throw e;
    }
  }

  async getDepot(id: string): Promise<Depot | null> {
    const r = (await this.pool.query('SELECT * FROM stock_depots WHERE id = $1', [id])).rows[0];
    return r ? depotOf(r) : null;
  }

  async listDepots(): Promise<Depot[]> {
    return (await this.pool.query(`SELECT * FROM stock_depots ORDER BY name ${C}`)).rows.map(depotOf);
  }

  private async insertItemWith(q: Q, i: Item): Promise<void> {
    try {
      await q.query('INSERT INTO stock_items (id, code, name, category, unit, decimals, tracks_lots, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [i.id, i.code, i.name, i.category, i.unit, i.decimals, i.tracksLots, i.createdAt, i.createdBy]);
    } catch (e) {
      if (pgCode(e) === '23505' && constraintOf(e) === 'stock_items_code') throw new StockError('DUPLICATE', `an item with code ${i.code} exists already`, 'code');
      throw e;
    }
  }

  async insertItem(i: Item): Promise<void> {
    await this.insertItemWith(this.pool, i);
  }

  async getItem(id: string): Promise<Item | null> {
    const r = (await this.pool.query('SELECT * FROM stock_items WHERE id = $1', [id])).rows[0];
    return r ? itemOf(r) : null;
  }

  async findItemByCode(code: string): Promise<Item | null> {
    const r = (await this.pool.query('SELECT * FROM stock_items WHERE code = $1', [code])).rows[0];
    return r ? itemOf(r) : null;
  }

  async listItems(): Promise<Item[]> {
    return (await this.pool.query(`SELECT * FROM stock_items ORDER BY category ${C}, name ${C}`)).rows.map(itemOf);
  }

  async saveCatalogue(inserts: Item[], updates: Item[]): Promise<void> {
    await withTransaction(this.pool, async (c) => {
      for (const i of inserts) await this.insertItemWith(c, i);
      for (const i of updates) await c.query('UPDATE stock_items SET name = $1, category = $2, unit = $3 WHERE id = $4', [i.name, i.category, i.unit, i.id]);
    });
  }

  async setMinimum(depotId: string, itemId: string, minimum: number | null): Promise<void> {
    if (minimum === null) await this.pool.query('DELETE FROM stock_minimums WHERE depot_id = $1 AND item_id = $2', [depotId, itemId]);
    else await this.setMinimumWith(this.pool, { depotId, itemId, minimum });
  }

  private async setMinimumWith(q: Q, m: Minimum): Promise<void> {
    await q.query('INSERT INTO stock_minimums (depot_id, item_id, minimum) VALUES ($1, $2, $3) ON CONFLICT (depot_id, item_id) DO UPDATE SET minimum = excluded.minimum',
      [m.depotId, m.itemId, m.minimum]);
  }

  async minimums(depotId?: string): Promise<Minimum[]> {
    const order = `ORDER BY depot_id ${C}, item_id ${C}`;
    const rows = (depotId
      ? await this.pool.query(`SELECT * FROM stock_minimums WHERE depot_id = $1 ${order}`, [depotId])
      : await this.pool.query(`SELECT * FROM stock_minimums ${order}`)).rows;
    return rows.map((r) => ({ depotId: r.depot_id, itemId: r.item_id, minimum: num(r.minimum) }));
  }

  async lots(itemId: string): Promise<Array<{ lot: string; expires: string | null }>> {
    return (await this.pool.query(`SELECT lot, expires FROM stock_lots WHERE item_id = $1 AND lot <> '' ORDER BY expires IS NULL, expires ${C}, lot ${C}`, [itemId])).rows;
  }

  // ---- ledger (all inside a transaction holding the positions' locks) ----

  /** Locks the depot+item positions a write will plan from, in one sorted order (no crosswise waits). */
  private async lock(c: pg.PoolClient, positions: Array<[string, string]>): Promise<void> {
    const unique = [...new Map(positions.map(([d, i]) => [`${d}\u0000${i}`, [d, i] as [string, string]])).values()];
    const depots = unique.map((p) => p[0]);
    const items = unique.map((p) => p[1]);
    await c.query(`INSERT INTO stock_positions (depot_id, item_id) SELECT d, i FROM unnest($1::text[], $2::text[]) AS p(d, i)
      ORDER BY d ${C}, i ${C} ON CONFLICT DO NOTHING`, [depots, items]);
    await c.query(`SELECT 1 FROM stock_positions p JOIN unnest($1::text[], $2::text[]) AS w(d, i) ON p.depot_id = w.d AND p.item_id = w.i
      ORDER BY p.depot_id, p.item_id FOR UPDATE OF p`, [depots, items]);
  }

  private async lotBalances(c: Q, depotId: string, itemId: string): Promise<LotBalance[]> {
    const rows = (await c.query(`SELECT b.lot, l.expires, b.quantity,
        (SELECT MIN(x.movement_seq) FROM stock_movement_lines x WHERE x.depot_id = b.depot_id AND x.item_id = b.item_id AND x.lot = b.lot) AS first_seq
      FROM stock_balances b LEFT JOIN stock_lots l ON l.item_id = b.item_id AND l.lot = b.lot
      WHERE b.depot_id = $1 AND b.item_id = $2 ORDER BY b.lot ${C}`, [depotId, itemId])).rows;
    return rows.map((r) => ({ lot: r.lot, expires: r.expires, quantity: num(r.quantity), firstSeq: num(r.first_seq) }));
  }

  /** Writes a movement and its lines; the caller holds the transaction and the position's lock. */
  private async write(c: pg.PoolClient, d: MovementDraft, lines: LineDraft[]): Promise<Movement> {
    const seen = new Set<string>();
    for (const l of lines) {
      if (!Number.isSafeInteger(l.delta) || l.delta === 0) throw new Error(`stock: a line must move a whole, non-zero number of minor units, not ${l.delta}`);
      if (seen.has(l.lot)) throw new Error(`stock: lot ${l.lot} twice in one movement`);
      seen.add(l.lot);
    }
    // An adjustment's quantity is its net signed change; every other movement's is the positive amount moved.
    const quantity = d.type === 'adjustment' ? lines.reduce((n, l) => n + l.delta, 0) : d.quantity;
    let seq: number;
    try {
      seq = num((await c.query(`INSERT INTO stock_movements (id, type, depot_id, item_id, quantity, to_depot, unit_id, shelter_id, recipient, reason, reference, counted, reverses, transfer_id, count_id, actor, at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING seq`,
      [d.id, d.type, d.depotId, d.itemId, quantity, d.toDepotId, d.unitId, d.shelterId, d.recipient, d.reason, d.reference, d.counted, d.reverses, d.transferId, d.countId, d.actor, d.at])).rows[0].seq);
    } catch (e) {
      if (pgCode(e) === '23505' && constraintOf(e) === 'stock_movements_reverses_once') throw new StockError('ALREADY_REVERSED', `movement ${d.reverses} was already reversed`, 'id');
      throw e;
    }
    // New lots in sorted order: two writers creating the same lots never wait on each other crosswise.
    if (lines.length) {
      await c.query(`INSERT INTO stock_lots (item_id, lot, expires) SELECT $1, lot, expires FROM unnest($2::text[], $3::text[]) AS x(lot, expires)
        ORDER BY lot ${C} ON CONFLICT DO NOTHING`, [d.itemId, lines.map((l) => l.lot), lines.map((l) => l.expires)]);
    }
    const known = new Map<string, string | null>((await c.query('SELECT lot, expires FROM stock_lots WHERE item_id = $1 AND lot = ANY($2::text[])',
      [d.itemId, lines.map((l) => l.lot)])).rows.map((r) => [r.lot, r.expires]));
    const out: LineDraft[] = [];
    // Line by line, as SQLite: a line's expiry is checked after the lines before it went in.
    for (const l of lines) {
      const expires = known.get(l.lot) ?? null;
      if (l.delta > 0 && l.expires !== null && l.expires !== expires) {
        throw new StockError('LOT_EXPIRY_MISMATCH', `lot ${l.lot} expires on ${expires ?? '(no date)'}, not ${l.expires}`, 'expires', { expires });
      }
      try {
        await c.query('INSERT INTO stock_movement_lines (movement_seq, depot_id, item_id, lot, delta) VALUES ($1, $2, $3, $4, $5)', [seq, d.depotId, d.itemId, l.lot, l.delta]);
      } catch (e) {
        if (pgCode(e) === '23514' && constraintOf(e) === 'stock_balances_not_negative') throw new StockError('INSUFFICIENT_STOCK', 'the stock would go below zero', 'quantity');
        throw e;
      }
      out.push({ lot: l.lot, expires, delta: l.delta });
    }
    return { ...d, quantity, seq, lines: out, reversedBy: null };
  }

  async record(draft: MovementDraft, plan: Planner): Promise<Movement> {
    return withTransaction(this.pool, async (c) => {
      await this.lock(c, [[draft.depotId, draft.itemId]]);
      return this.write(c, draft, plan(await this.lotBalances(c, draft.depotId, draft.itemId)));
    });
  }

  async recordAll(steps: Array<{ draft: MovementDraft; plan: Planner }>, minimums: Minimum[] = []): Promise<Movement[]> {
    return withTransaction(this.pool, async (c) => {
      if (steps.length) await this.lock(c, steps.map((s) => [s.draft.depotId, s.draft.itemId]));
      const out: Movement[] = [];
      for (const s of steps) out.push(await this.write(c, s.draft, s.plan(await this.lotBalances(c, s.draft.depotId, s.draft.itemId))));
      for (const m of minimums) await this.setMinimumWith(c, m);
      return out;
    });
  }

  async dispatch(t: TransferHeader, draft: MovementDraft, plan: Planner): Promise<{ transfer: Transfer; movement: Movement }> {
    return withTransaction(this.pool, async (c) => {
      await c.query("INSERT INTO stock_transfers (id, from_depot, to_depot, item_id, status, dispatched_at, dispatched_by) VALUES ($1, $2, $3, $4, 'in-transit', $5, $6)",
        [t.id, t.fromDepotId, t.toDepotId, t.itemId, t.dispatchedAt, t.dispatchedBy]);
      await this.lock(c, [[draft.depotId, draft.itemId]]);
      const movement = await this.write(c, draft, plan(await this.lotBalances(c, draft.depotId, draft.itemId)));
      return { transfer: (await this.transfers(c, [t.id]))[0], movement };
    });
  }

  async receive(transferId: string, build: (t: Transfer) => Receipt): Promise<{ transfer: Transfer; movement: Movement | null }> {
    return withTransaction(this.pool, async (c) => {
      // The transfer's row lock: a second receiver waits here, then sees it received.
      const found = await c.query('SELECT 1 FROM stock_transfers WHERE id = $1 FOR UPDATE', [transferId]);
      if (found.rowCount === 0) throw new StockError('TRANSFER_NOT_FOUND', `no transfer with id ${transferId}`, 'id');
      const r = build((await this.transfers(c, [transferId]))[0]);
      let movement: Movement | null = null;
      if (r.draft) {
        await this.lock(c, [[r.draft.depotId, r.draft.itemId]]);
        movement = await this.write(c, r.draft, r.lines);
      }
      const changed = (await c.query("UPDATE stock_transfers SET status = 'received', received_at = $1, received_by = $2, received_lines = $3, difference_reason = $4 WHERE id = $5 AND status = 'in-transit'",
        [r.receivedAt, r.receivedBy, JSON.stringify(r.received.map((l) => ({ lot: l.lot, received: l.received }))), r.reason, transferId])).rowCount;
      if (changed !== 1) throw new StockError('TRANSFER_NOT_IN_TRANSIT', `transfer ${transferId} was received already`, 'id');
      return { transfer: (await this.transfers(c, [transferId]))[0], movement };
    });
  }

  async reverse(originalId: string, build: (original: Movement, balances: LotBalance[]) => { draft: MovementDraft; lines: LineDraft[] }): Promise<Movement> {
    return withTransaction(this.pool, async (c) => {
      const first = await this.movement(c, originalId);
      if (!first) throw new StockError('MOVEMENT_NOT_FOUND', `no movement with id ${originalId}`, 'id');
      await this.lock(c, [[first.depotId, first.itemId]]);
      // Read again under the lock: a reversal that committed meanwhile shows in reversedBy.
      const original = (await this.movement(c, originalId))!;
      const { draft, lines } = build(original, await this.lotBalances(c, original.depotId, original.itemId));
      if (draft.depotId !== original.depotId || draft.itemId !== original.itemId) await this.lock(c, [[draft.depotId, draft.itemId]]);
      return this.write(c, draft, lines);
    });
  }

  // ---- counts ----

  async startCount(k: Count): Promise<void> {
    await this.pool.query('INSERT INTO stock_counts (id, depot_id, status, started_at, started_by, note) VALUES ($1, $2, $3, $4, $5, $6)',
      [k.id, k.depotId, k.status, k.startedAt, k.startedBy, k.note]);
  }

  async recordCount(countId: string, lines: CountLine[]): Promise<Count> {
    return withTransaction(this.pool, async (c) => {
      // The count's row lock orders this against a posting of the same count.
      const found = (await c.query('SELECT status FROM stock_counts WHERE id = $1 FOR UPDATE', [countId])).rows[0];
      if (!found) throw new StockError('COUNT_NOT_FOUND', `no count with id ${countId}`, 'id');
      if (found.status !== 'open') throw new StockError('COUNT_NOT_OPEN', `count ${countId} was posted already`, 'id');
      for (const l of lines) {
        await c.query(`INSERT INTO stock_count_lines (count_id, item_id, lot, expires, counted, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
          ON CONFLICT (count_id, item_id, lot) DO UPDATE SET expires = excluded.expires, counted = excluded.counted, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by`,
        [countId, l.itemId, l.lot, l.expires, l.counted, l.recordedAt, l.recordedBy]);
      }
      return (await this.counts(c, [countId]))[0];
    });
  }

  async postCount(countId: string, postedAt: string, postedBy: string | null,
    build: (count: Count, balances: (itemId: string) => LotBalance[]) => Array<{ draft: MovementDraft; lines: LineDraft[] }>): Promise<{ count: Count; movements: Movement[] }> {
    return withTransaction(this.pool, async (c) => {
      const found = await c.query('SELECT 1 FROM stock_counts WHERE id = $1 FOR UPDATE', [countId]);
      if (found.rowCount === 0) throw new StockError('COUNT_NOT_FOUND', `no count with id ${countId}`, 'id');
      const count = (await this.counts(c, [countId]))[0];
      // build asks for balances synchronously: lock and read those of every counted item first (as SQLite, build
      // sees the balances before any of the count's adjustments).
      const itemIds = [...new Set(count.lines.map((l) => l.itemId))];
      if (itemIds.length) await this.lock(c, itemIds.map((i) => [count.depotId, i]));
      const balances = new Map<string, LotBalance[]>();
      for (const i of itemIds) balances.set(i, await this.lotBalances(c, count.depotId, i));
      const steps = build(count, (itemId) => {
        const b = balances.get(itemId);
        if (!b) throw new Error(`stock: item ${itemId} is not counted in count ${countId}; its balances were not read`);
        return b.map((x) => ({ ...x }));
      });
      const movements: Movement[] = [];
      for (const s of steps) {
        if (!balances.has(s.draft.itemId) || s.draft.depotId !== count.depotId) await this.lock(c, [[s.draft.depotId, s.draft.itemId]]);
        movements.push(await this.write(c, s.draft, s.lines));
      }
      const changed = (await c.query("UPDATE stock_counts SET status = 'posted', posted_at = $1, posted_by = $2 WHERE id = $3 AND status = 'open'", [postedAt, postedBy, countId])).rowCount;
      if (changed !== 1) throw new StockError('COUNT_NOT_OPEN', `count ${countId} was posted already`, 'id');
      return { count: (await this.counts(c, [countId]))[0], movements };
    });
  }

  /** Counts with their lines, in the order of ids. */
  private async counts(q: Q, ids: string[]): Promise<Count[]> {
    if (!ids.length) return [];
    const rows = (await q.query('SELECT * FROM stock_counts WHERE id = ANY($1::text[])', [ids])).rows;
    const lines = (await q.query(`SELECT * FROM stock_count_lines WHERE count_id = ANY($1::text[]) ORDER BY recorded_at ${C}, item_id ${C}, lot ${C}`, [ids])).rows;
    const byCount = new Map<string, CountLine[]>();
    for (const l of lines) {
      const list = byCount.get(l.count_id) ?? [];
      list.push({ itemId: l.item_id, lot: l.lot, expires: l.expires, counted: num(l.counted), recordedAt: l.recorded_at, recordedBy: l.recorded_by });
      byCount.set(l.count_id, list);
    }
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    return ids.filter((id) => byId.has(id)).map((id) => {
      const r = byId.get(id)!;
      return { id: r.id, depotId: r.depot_id, status: r.status, startedAt: r.started_at, startedBy: r.started_by, postedAt: r.posted_at, postedBy: r.posted_by, note: r.note, lines: byCount.get(id) ?? [] };
    });
  }

  async getCount(id: string): Promise<Count | null> {
    return (await this.counts(this.pool, [id]))[0] ?? null;
  }

  async listCounts(depotId?: string): Promise<Count[]> {
    const order = `ORDER BY started_at ${C} DESC, ord DESC`;
    const ids = (depotId
      ? await this.pool.query(`SELECT id FROM stock_counts WHERE depot_id = $1 ${order}`, [depotId])
      : await this.pool.query(`SELECT id FROM stock_counts ${order}`)).rows.map((r) => r.id as string);
    return this.counts(this.pool, ids);
  }

  // ---- transfers and movements ----

  /** Transfers with their lines (what was sent, per lot), in the order of ids. */
  private async transfers(q: Q, ids: string[]): Promise<Transfer[]> {
    if (!ids.length) return [];
    const rows = (await q.query('SELECT * FROM stock_transfers WHERE id = ANY($1::text[])', [ids])).rows;
    const sent = (await q.query(`SELECT m.transfer_id, l.lot, lots.expires, -l.delta AS dispatched FROM stock_movements m JOIN stock_movement_lines l ON l.movement_seq = m.seq
      LEFT JOIN stock_lots lots ON lots.item_id = l.item_id AND lots.lot = l.lot WHERE m.transfer_id = ANY($1::text[]) AND m.type = 'transfer' ORDER BY l.lot ${C}`, [ids])).rows;
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    return ids.filter((id) => byId.has(id)).map((id) => {
      const r = byId.get(id)!;
      const received = new Map((r.received_lines ? JSON.parse(r.received_lines) as Array<{ lot: string; received: number }> : []).map((l) => [l.lot, l.received]));
      const lines: TransferLine[] = sent.filter((l) => l.transfer_id === id)
        .map((l) => ({ lot: l.lot, expires: l.expires, dispatched: num(l.dispatched), received: r.received_lines ? received.get(l.lot) ?? 0 : null }));
      return {
        id: r.id, fromDepotId: r.from_depot, toDepotId: r.to_depot, itemId: r.item_id, status: r.status, dispatchedAt: r.dispatched_at,
        dispatchedBy: r.dispatched_by, receivedAt: r.received_at, receivedBy: r.received_by, lines, differenceReason: r.difference_reason,
      };
    });
  }

  async getTransfer(id: string): Promise<Transfer | null> {
    return (await this.transfers(this.pool, [id]))[0] ?? null;
  }

  async listTransfers(status?: Transfer['status']): Promise<Transfer[]> {
    const order = `ORDER BY dispatched_at ${C} DESC, ord DESC`;
    const ids = (status
      ? await this.pool.query(`SELECT id FROM stock_transfers WHERE status = $1 ${order}`, [status])
      : await this.pool.query(`SELECT id FROM stock_transfers ${order} LIMIT 500`)).rows.map((r) => r.id as string);
    return this.transfers(this.pool, ids);
  }

  /** Movements from their rows, with their lines (one query for all). */
  private async movementsOf(q: Q, rows: Row[]): Promise<Movement[]> {
    if (!rows.length) return [];
    const lines = (await q.query(`SELECT l.movement_seq, l.lot, lots.expires, l.delta FROM stock_movement_lines l
      LEFT JOIN stock_lots lots ON lots.item_id = l.item_id AND lots.lot = l.lot WHERE l.movement_seq = ANY($1::bigint[]) ORDER BY l.lot ${C}`, [rows.map((r) => r.seq)])).rows;
    const bySeq = new Map<number, LineDraft[]>();
    for (const l of lines) {
      const list = bySeq.get(num(l.movement_seq)) ?? [];
      list.push({ lot: l.lot, expires: l.expires, delta: num(l.delta) });
      bySeq.set(num(l.movement_seq), list);
    }
    return rows.map((r) => ({
      seq: num(r.seq), id: r.id, type: r.type as MovementType, depotId: r.depot_id, itemId: r.item_id, quantity: num(r.quantity), toDepotId: r.to_depot, unitId: r.unit_id,
      shelterId: r.shelter_id, recipient: r.recipient, reason: r.reason, reference: r.reference, counted: numOrNull(r.counted), reverses: r.reverses, transferId: r.transfer_id,
      countId: r.count_id, actor: r.actor, at: r.at, lines: bySeq.get(num(r.seq)) ?? [], reversedBy: r.reversed_by,
    }));
  }

  private async movement(q: Q, id: string): Promise<Movement | null> {
    const rows = (await q.query(`${MOVEMENT_SELECT} WHERE m.id = $1`, [id])).rows;
    return (await this.movementsOf(q, rows))[0] ?? null;
  }

  async getMovement(id: string): Promise<Movement | null> {
    return this.movement(this.pool, id);
  }

  async listMovements(f: MovementFilter): Promise<Movement[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => { args.push(v); return `$${args.length}`; };
    if (f.depotId) { const p = arg(f.depotId); where.push(`(m.depot_id = ${p} OR m.to_depot = ${p})`); }
    if (f.itemId) where.push(`m.item_id = ${arg(f.itemId)}`);
    if (f.type) where.push(`m.type = ${arg(f.type)}`);
    if (f.beforeSeq !== undefined) where.push(`m.seq < ${arg(f.beforeSeq)}`);
    const sql = `${MOVEMENT_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY m.seq DESC LIMIT ${arg(f.limit)}`;
    return this.movementsOf(this.pool, (await this.pool.query(sql, args)).rows);
  }

  // ---- reads for reports ----

  async balances(f: { depotId?: string; itemId?: string }): Promise<BalanceRow[]> {
    const where = ['b.quantity <> 0'];
    const args: unknown[] = [];
    if (f.depotId) { args.push(f.depotId); where.push(`b.depot_id = $${args.length}`); }
    if (f.itemId) { args.push(f.itemId); where.push(`b.item_id = $${args.length}`); }
    const rows = (await this.pool.query(`SELECT b.depot_id, b.item_id, b.lot, l.expires, b.quantity FROM stock_balances b
      LEFT JOIN stock_lots l ON l.item_id = b.item_id AND l.lot = b.lot WHERE ${where.join(' AND ')} ORDER BY b.depot_id ${C}, b.item_id ${C}, b.lot ${C}`, args)).rows;
    return rows.map((r) => ({ depotId: r.depot_id, itemId: r.item_id, lot: r.lot, expires: r.expires, quantity: num(r.quantity) }));
  }

  async ledger(f: LedgerFilter): Promise<LedgerLine[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => { args.push(v); return `$${args.length}`; };
    if (f.depotId) where.push(`l.depot_id = ${arg(f.depotId)}`);
    if (f.itemId) where.push(`l.item_id = ${arg(f.itemId)}`);
    if (f.unitId) where.push(`m.unit_id = ${arg(f.unitId)}`);
    if (f.shelterId) where.push(`m.shelter_id = ${arg(f.shelterId)}`);
    if (f.types?.length) where.push(`m.type = ANY(${arg(f.types)}::text[])`);
    const rows = (await this.pool.query(`SELECT m.seq, m.id AS movement_id, m.type, l.depot_id, l.item_id, l.lot, lots.expires, l.delta, m.at, m.actor, m.reason, m.reference,
        m.unit_id, m.shelter_id, m.recipient, m.to_depot, m.reverses
      FROM stock_movement_lines l JOIN stock_movements m ON m.seq = l.movement_seq
      LEFT JOIN stock_lots lots ON lots.item_id = l.item_id AND lots.lot = l.lot
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.movement_seq, l.lot ${C}`, args)).rows;
    return rows.map((r) => ({
      seq: num(r.seq), movementId: r.movement_id, type: r.type, depotId: r.depot_id, itemId: r.item_id, lot: r.lot, expires: r.expires, delta: num(r.delta),
      at: r.at, actor: r.actor, reason: r.reason, reference: r.reference, unitId: r.unit_id, shelterId: r.shelter_id, recipient: r.recipient,
      toDepotId: r.to_depot, reverses: r.reverses,
    }));
  }
}
