// Depots, items and movements: checks input, decides each movement's lots (FEFO, expiry, never below zero) and hands
// the write to the store, whose transaction makes the check and the write one step.
import { randomUUID } from 'node:crypto';
import { StockError } from './errors.ts';
import {
  fromMinor, minorText, parseDate, toMinor, POSTABLE_TYPES, WRITE_OFF_REASONS,
  type Count, type CountLine, type Depot, type Item, type LineDraft, type Movement, type MovementDraft, type MovementType, type PostableType, type Transfer, type TransferLine,
} from './model.ts';
import { planAdjust, planPut, planReverse, planTake } from './ledger.ts';
import type { Minimum, StockRepository } from './ports.ts';

export interface StockLookups {
  /** Whether a shelter with this id exists (issues to a shelter are checked); absent: not checked. */
  shelterExists?(id: string): boolean | Promise<boolean>;
  /** Whether a unit with this id exists; absent (units not running): the id is kept as given, unchecked. */
  unitExists?(id: string): boolean | Promise<boolean>;
}

type Input = Record<string, unknown>;

const TEXT_MAX = 200;

function text(input: Input, field: string, { required = false, max = TEXT_MAX, code = 'INVALID_MOVEMENT' }: { required?: boolean; max?: number; code?: StockError['code'] } = {}): string | null {
  const v = input[field];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    if (required) throw new StockError(code, `${field} is required`, field);
    return null;
  }
  if (typeof v !== 'string') throw new StockError(code, `${field} must be text`, field);
  const t = v.trim();
  if (t.length > max) throw new StockError(code, `${field} must be at most ${max} characters`, field);
  return t;
}

function numberIn(input: Input, field: string, min: number, max: number, code: StockError['code']): number | null {
  const v = input[field];
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) throw new StockError(code, `${field} must be a number from ${min} to ${max}`, field);
  return n;
}

function bool(input: Input, field: string, code: StockError['code']): boolean | null {
  const v = input[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') throw new StockError(code, `${field} must be true or false`, field);
  return v;
}

export function showQuantity(item: Item): (minor: number) => string {
  return (minor) => `${minorText(minor, item.decimals)} ${item.unit}`;
}

export class StockService {
  constructor(
    readonly repo: StockRepository,
    private readonly lookups: StockLookups = {},
    private readonly now: () => Date = () => new Date(),
  ) {}

  today(): string {
    return this.now().toISOString().slice(0, 10);
  }

  // ---- catalogue ----

  async createDepot(input: Input, actor: string | null): Promise<Depot> {
    const lat = numberIn(input, 'lat', -90, 90, 'INVALID_DEPOT');
    const lon = numberIn(input, 'lon', -180, 180, 'INVALID_DEPOT');
    if ((lat === null) !== (lon === null)) throw new StockError('INVALID_DEPOT', 'give both lat and lon, or neither', lat === null ? 'lat' : 'lon');
    const depot: Depot = {
      id: randomUUID(),
      name: text(input, 'name', { required: true, code: 'INVALID_DEPOT' })!,
      lat, lon,
      region: text(input, 'region', { code: 'INVALID_DEPOT' }),
      responsible: text(input, 'responsible', { code: 'INVALID_DEPOT' }),
      contact: text(input, 'contact', { code: 'INVALID_DEPOT' }),
      createdAt: this.now().toISOString(),
      createdBy: actor,
    };
    await this.repo.insertDepot(depot);
    return depot;
  }

  /** Checks an item's fields (for the API and the catalogue import alike). */
  itemFrom(input: Input, actor: string | null, id: string = randomUUID()): Item {
    const decimals = numberIn(input, 'decimals', 0, 3, 'INVALID_ITEM') ?? 0;
    if (!Number.isInteger(decimals)) throw new StockError('INVALID_ITEM', 'decimals must be 0, 1, 2 or 3', 'decimals');
    return {
      id,
      code: text(input, 'code', { max: 64, code: 'INVALID_ITEM' }),
      name: text(input, 'name', { required: true, code: 'INVALID_ITEM' })!,
      category: text(input, 'category', { required: true, max: 100, code: 'INVALID_ITEM' })!,
      unit: text(input, 'unit', { required: true, max: 32, code: 'INVALID_ITEM' })!,
      decimals,
      tracksLots: bool(input, 'tracksLots', 'INVALID_ITEM') ?? false,
      createdAt: this.now().toISOString(),
      createdBy: actor,
    };
  }

  async createItem(input: Input, actor: string | null): Promise<Item> {
    const item = this.itemFrom(input, actor);
    if (item.code && (await this.repo.findItemByCode(item.code))) throw new StockError('DUPLICATE', `an item with code ${item.code} exists already`, 'code');
    await this.repo.insertItem(item);
    return item;
  }

  async depot(id: unknown, field = 'depot'): Promise<Depot> {
    if (typeof id !== 'string' || id === '') throw new StockError('INVALID_MOVEMENT', `${field} is required`, field);
    const d = await this.repo.getDepot(id);
    if (!d) throw new StockError('DEPOT_NOT_FOUND', `no depot with id ${id}`, field);
    return d;
  }

  async item(id: unknown, field = 'item'): Promise<Item> {
    if (typeof id !== 'string' || id === '') throw new StockError('INVALID_MOVEMENT', `${field} is required`, field);
    const i = await this.repo.getItem(id);
    if (!i) throw new StockError('ITEM_NOT_FOUND', `no item with id ${id}`, field);
    return i;
  }

  async setMinimum(input: Input): Promise<Minimum | null> {
    const depot = await this.depot(input.depot);
    const item = await this.item(input.item);
    if (input.minimum === null) {
      await this.repo.setMinimum(depot.id, item.id, null);
      return null;
    }
    const minimum = toMinor(input.minimum, item.decimals, 'minimum', { allowZero: true });
    await this.repo.setMinimum(depot.id, item.id, minimum);
    return { depotId: depot.id, itemId: item.id, minimum };
  }

  // ---- movements ----

  private draft(type: MovementType, depot: Depot, item: Item, quantity: number, actor: string | null, over: Partial<MovementDraft> = {}): MovementDraft {
    return {
      id: randomUUID(), type, depotId: depot.id, itemId: item.id, quantity, toDepotId: null, unitId: null, shelterId: null, recipient: null,
      reason: null, reference: null, counted: null, reverses: null, transferId: null, countId: null, actor, at: this.now().toISOString(), ...over,
    };
  }

  /** The lot a receipt, return or adjustment goes into: required for items with lots, refused for others. */
  private lotOf(input: Input, item: Item, required: boolean): { lot: string; expires: string | null } {
    const lot = text(input, 'lot', { max: 64 });
    const expires = parseDate(input.expires, 'expires');
    if (!item.tracksLots) {
      if (lot) throw new StockError('INVALID_MOVEMENT', `${item.name} does not track lots`, 'lot');
      if (expires) throw new StockError('INVALID_MOVEMENT', `${item.name} does not track lots or expiry dates`, 'expires');
      return { lot: '', expires: null };
    }
    if (!lot && required) throw new StockError('INVALID_MOVEMENT', `${item.name} tracks lots: name the lot`, 'lot');
    return { lot: lot ?? '', expires };
  }

  /** The lot named for an issue, transfer or write-off, if any (otherwise FEFO). */
  private namedLot(input: Input, item: Item): string | null {
    const lot = text(input, 'lot', { max: 64 });
    if (lot && !item.tracksLots) throw new StockError('INVALID_MOVEMENT', `${item.name} does not track lots`, 'lot');
    if (input.expires !== undefined && input.expires !== null) throw new StockError('INVALID_MOVEMENT', 'expires is given only when stock comes in', 'expires');
    return lot;
  }

  /** Who stock went to or came back from: a unit (id), a shelter (id, checked) or a named recipient. */
  private async party(input: Input, required: boolean): Promise<Pick<MovementDraft, 'unitId' | 'shelterId' | 'recipient'>> {
    const unitId = text(input, 'unit', { max: 100 });
    const shelterId = text(input, 'shelter', { max: 100 });
    const recipient = text(input, 'recipient');
    const named = [unitId, shelterId, recipient].filter((v) => v !== null).length;
    if (named > 1) throw new StockError('INVALID_MOVEMENT', 'name one of unit, shelter or recipient', unitId ? 'shelter' : 'recipient');
    if (required && named === 0) throw new StockError('INVALID_MOVEMENT', 'an issue names its unit, shelter or recipient', 'recipient');
    if (unitId && this.lookups.unitExists && !(await this.lookups.unitExists(unitId))) throw new StockError('UNIT_NOT_FOUND', `no unit with id ${unitId}`, 'unit');
    if (shelterId && this.lookups.shelterExists && !(await this.lookups.shelterExists(shelterId))) throw new StockError('SHELTER_NOT_FOUND', `no shelter with id ${shelterId}`, 'shelter');
    return { unitId, shelterId, recipient };
  }

  /** Posts a movement of any client-postable type. A transfer returns its movement; the transfer is on `transferId`. */
  async post(input: Input, actor: string | null): Promise<Movement> {
    const type = input.type as PostableType;
    if (typeof type !== 'string' || !(POSTABLE_TYPES as readonly string[]).includes(type)) {
      throw new StockError('INVALID_MOVEMENT', `type must be one of ${POSTABLE_TYPES.join(', ')}`, 'type');
    }
    const depot = await this.depot(input.depot);
    const item = await this.item(input.item);
    const show = showQuantity(item);
    const today = this.today();
    const reason = text(input, 'reason', { max: 500 });
    const reference = text(input, 'reference');
    const common = { reason, reference };
    for (const f of ['toDepot', 'unit', 'shelter', 'recipient', 'counted'] as const) {
      const allowed = f === 'toDepot' ? type === 'transfer' : f === 'counted' ? type === 'adjustment' : type === 'issue' || type === 'return';
      if (!allowed && input[f] !== undefined && input[f] !== null) throw new StockError('INVALID_MOVEMENT', `${f} does not apply to a ${type}`, f);
    }
    switch (type) {
      case 'receipt': {
        const quantity = toMinor(input.quantity, item.decimals);
        const { lot, expires } = this.lotOf(input, item, true);
        return this.repo.record(this.draft('receipt', depot, item, quantity, actor, common), () => planPut(lot, expires, quantity));
      }
      case 'return': {
        const quantity = toMinor(input.quantity, item.decimals);
        const { lot, expires } = this.lotOf(input, item, true);
        return this.repo.record(this.draft('return', depot, item, quantity, actor, { ...common, ...(await this.party(input, false)) }), () => planPut(lot, expires, quantity));
      }
      case 'issue': {
        const quantity = toMinor(input.quantity, item.decimals);
        const lot = this.namedLot(input, item);
        return this.repo.record(this.draft('issue', depot, item, quantity, actor, { ...common, ...(await this.party(input, true)) }), (b) => planTake(b, quantity, { lot, today, show }));
      }
      case 'write-off': {
        const quantity = toMinor(input.quantity, item.decimals);
        if (!reason || !(WRITE_OFF_REASONS as readonly string[]).includes(reason)) throw new StockError('INVALID_MOVEMENT', `a write-off's reason is one of ${WRITE_OFF_REASONS.join(', ')}`, 'reason');
        const lot = this.namedLot(input, item);
        return this.repo.record(this.draft('write-off', depot, item, quantity, actor, common), (b) => planTake(b, quantity, { lot, today, show, allowExpired: true, onlyExpired: reason === 'expired' }));
      }
      case 'adjustment': {
        if (!reason) throw new StockError('INVALID_MOVEMENT', 'an adjustment needs a reason', 'reason');
        const { lot, expires } = this.lotOf(input, item, true);
        const hasCounted = input.counted !== undefined && input.counted !== null;
        if (hasCounted === (input.quantity !== undefined && input.quantity !== null)) throw new StockError('INVALID_MOVEMENT', 'give the counted quantity (counted) or the signed difference (quantity), not both', 'counted');
        const counted = hasCounted ? toMinor(input.counted, item.decimals, 'counted', { allowZero: true }) : null;
        const delta = counted === null ? toMinor(input.quantity, item.decimals, 'quantity', { allowNegative: true }) : null;
        const d = this.draft('adjustment', depot, item, 0, actor, { ...common, counted });
        let planned: LineDraft[] = [];
        const movement = await this.repo.record(d, (b) => {
          planned = planAdjust(b, lot, expires, counted !== null ? { counted } : { delta: delta! }, show);
          return planned;
        });
        return movement;
      }
      case 'transfer': {
        const quantity = toMinor(input.quantity, item.decimals);
        const to = await this.depot(input.toDepot, 'toDepot');
        if (to.id === depot.id) throw new StockError('INVALID_MOVEMENT', 'a transfer goes to another depot', 'toDepot');
        const lot = this.namedLot(input, item);
        const transferId = randomUUID();
        const d = this.draft('transfer', depot, item, quantity, actor, { ...common, toDepotId: to.id, transferId });
        const { movement } = await this.repo.dispatch(
          { id: transferId, fromDepotId: depot.id, toDepotId: to.id, itemId: item.id, dispatchedAt: d.at, dispatchedBy: actor },
          d, (b) => planTake(b, quantity, { lot, today, show }),
        );
        return movement;
      }
    }
  }

  /** Undoes a movement by a reversing one that references it (movements are never edited). */
  async reverse(id: string, input: Input, actor: string | null): Promise<Movement> {
    const reason = text(input, 'reason', { required: true, max: 500 });
    const reference = text(input, 'reference');
    const original = await this.repo.getMovement(id);
    if (!original) throw new StockError('MOVEMENT_NOT_FOUND', `no movement with id ${id}`, 'id');
    const item = await this.item(original.itemId);
    return this.repo.reverse(id, (o, balances) => {
      if (o.type === 'reversal') throw new StockError('NOT_REVERSIBLE', 'a reversal is not reversed; post the movement again instead', 'id');
      if (o.type === 'transfer' || o.type === 'transfer-receipt') throw new StockError('NOT_REVERSIBLE', 'a transfer is corrected by a transfer back, or at receipt by recording what arrived', 'id');
      if (o.reversedBy) throw new StockError('ALREADY_REVERSED', `movement ${id} was already reversed by ${o.reversedBy}`, 'id');
      const lines = planReverse(balances, o.lines, showQuantity(item));
      const total = lines.reduce((n, l) => n + Math.abs(l.delta), 0);
      return {
        draft: { ...o, id: randomUUID(), type: 'reversal', quantity: total, reason, reference: reference ?? o.reference, counted: null, reverses: o.id, transferId: null, countId: null, actor, at: this.now().toISOString() },
        lines,
      };
    });
  }

  /** Receives a transfer at its destination: what arrived per lot (default: everything sent); differences need a reason. */
  async receive(transferId: string, input: Input, actor: string | null): Promise<Transfer> {
    const existing = await this.repo.getTransfer(transferId);
    if (!existing) throw new StockError('TRANSFER_NOT_FOUND', `no transfer with id ${transferId}`, 'id');
    const item = await this.item(existing.itemId);
    const depot = await this.depot(existing.toDepotId);
    const reason = text(input, 'reason', { max: 500 });
    const given = new Map<string, number>();
    if (input.lines !== undefined && input.lines !== null) {
      if (!Array.isArray(input.lines)) throw new StockError('INVALID_MOVEMENT', 'lines must be a list of {lot, quantity}', 'lines');
      input.lines.forEach((l: unknown, i: number) => {
        const line = (l ?? {}) as Input;
        const lot = typeof line.lot === 'string' ? line.lot : '';
        if (!existing.lines.some((x) => x.lot === lot)) throw new StockError('INVALID_MOVEMENT', `lot ${lot || '(none)'} was not dispatched in this transfer`, `lines.${i}.lot`);
        given.set(lot, toMinor(line.quantity, item.decimals, `lines.${i}.quantity`, { allowZero: true }));
      });
    }
    const { transfer } = await this.repo.receive(transferId, (t) => {
      if (t.status !== 'in-transit') throw new StockError('TRANSFER_NOT_IN_TRANSIT', `transfer ${t.id} was received already`, 'id');
      const received: TransferLine[] = t.lines.map((l) => ({ ...l, received: given.has(l.lot) ? given.get(l.lot)! : l.dispatched }));
      const differs = received.some((l) => l.received !== l.dispatched);
      if (differs && !reason) throw new StockError('INVALID_MOVEMENT', 'what arrived differs from what was sent: give a reason', 'reason');
      const lines = received.filter((l) => l.received! > 0).map((l) => ({ lot: l.lot, expires: l.expires, delta: l.received! }));
      const total = lines.reduce((n, l) => n + l.delta, 0);
      const at = this.now().toISOString();
      const draft = total > 0 ? this.draft('transfer-receipt', depot, item, total, actor, { transferId: t.id, reason, reference: text(input, 'reference'), at }) : null;
      return { draft, lines, received, reason, receivedAt: at, receivedBy: actor };
    });
    return transfer;
  }

  // ---- counts ----

  async startCount(input: Input, actor: string | null): Promise<Count> {
    const depot = await this.depot(input.depot);
    const count: Count = { id: randomUUID(), depotId: depot.id, status: 'open', startedAt: this.now().toISOString(), startedBy: actor, postedAt: null, postedBy: null, note: text(input, 'note', { max: 500 }), lines: [] };
    await this.repo.startCount(count);
    return count;
  }

  /** Records counted quantities: {lines: [{item, lot?, expires?, counted}]}; a line counted again replaces the earlier one. */
  async recordCount(id: string, input: Input, actor: string | null): Promise<Count> {
    if (!Array.isArray(input.lines) || input.lines.length === 0) throw new StockError('INVALID_MOVEMENT', 'lines must be a non-empty list of {item, lot, counted}', 'lines');
    const at = this.now().toISOString();
    const lines: CountLine[] = [];
    for (const [i, raw] of input.lines.entries()) {
      const l = (raw ?? {}) as Input;
      const item = await this.item(l.item, `lines.${i}.item`);
      const lot = typeof l.lot === 'string' ? l.lot.trim() : '';
      if (item.tracksLots && !lot) throw new StockError('INVALID_MOVEMENT', `${item.name} tracks lots: name the lot`, `lines.${i}.lot`);
      if (!item.tracksLots && lot) throw new StockError('INVALID_MOVEMENT', `${item.name} does not track lots`, `lines.${i}.lot`);
      lines.push({ itemId: item.id, lot, expires: parseDate(l.expires, `lines.${i}.expires`), counted: toMinor(l.counted, item.decimals, `lines.${i}.counted`, { allowZero: true }), recordedAt: at, recordedBy: actor });
    }
    return this.repo.recordCount(id, lines);
  }

  /** Posts the differences between counted and booked quantities as adjustments, in one step. Lines not counted stay as booked. */
  async postCount(id: string, actor: string | null): Promise<{ count: Count; movements: Movement[] }> {
    const count = await this.repo.getCount(id);
    if (!count) throw new StockError('COUNT_NOT_FOUND', `no count with id ${id}`, 'id');
    const items = new Map((await this.repo.listItems()).map((i) => [i.id, i]));
    const depot = await this.depot(count.depotId);
    const at = this.now().toISOString();
    return this.repo.postCount(id, at, actor, (c, balances) => {
      if (c.status !== 'open') throw new StockError('COUNT_NOT_OPEN', `count ${c.id} was posted already`, 'id');
      const out: Array<{ draft: MovementDraft; lines: LineDraft[] }> = [];
      for (const l of c.lines) {
        const item = items.get(l.itemId)!;
        const lines = planAdjust(balances(l.itemId), l.lot, l.expires, { counted: l.counted }, showQuantity(item));
        if (lines.length === 0) continue;
        out.push({ draft: this.draft('adjustment', depot, item, 0, actor, { counted: l.counted, countId: c.id, reason: 'count', at }), lines });
      }
      return out;
    });
  }
}

/** A movement in the item's unit, for the API. */
export function movementView(m: Movement, item: Pick<Item, 'decimals'>) {
  const q = (v: number) => fromMinor(v, item.decimals);
  return {
    id: m.id, seq: m.seq, type: m.type, depot: m.depotId, item: m.itemId, quantity: q(m.quantity), toDepot: m.toDepotId,
    unit: m.unitId, shelter: m.shelterId, recipient: m.recipient, reason: m.reason, reference: m.reference,
    counted: m.counted === null ? null : q(m.counted), reverses: m.reverses, reversedBy: m.reversedBy, transfer: m.transferId, count: m.countId,
    actor: m.actor, at: m.at, lines: m.lines.map((l) => ({ lot: l.lot || null, expires: l.expires, quantity: q(l.delta) })),
  };
}

export function transferView(t: Transfer, item: Pick<Item, 'decimals'>) {
  const q = (v: number | null) => (v === null ? null : fromMinor(v, item.decimals));
  return {
    id: t.id, fromDepot: t.fromDepotId, toDepot: t.toDepotId, item: t.itemId, status: t.status, dispatchedAt: t.dispatchedAt, dispatchedBy: t.dispatchedBy,
    receivedAt: t.receivedAt, receivedBy: t.receivedBy, differenceReason: t.differenceReason,
    lines: t.lines.map((l) => ({ lot: l.lot || null, expires: l.expires, dispatched: q(l.dispatched), received: q(l.received), difference: l.received === null ? null : q(l.received - l.dispatched) })),
  };
}

export function countView(c: Count, items: Map<string, Item>) {
  return { ...c, lines: c.lines.map((l) => ({ item: l.itemId, lot: l.lot || null, expires: l.expires, counted: fromMinor(l.counted, items.get(l.itemId)?.decimals ?? 0), recordedAt: l.recordedAt, recordedBy: l.recordedBy })) };
}
