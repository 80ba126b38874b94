// The contract every StockRepository implementation must meet, port method by port method (the service-level contract
// in test/stock/stock-repository.contract.ts runs on top). Run it with a factory for each store (stock.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StockError, type StockRepository } from '../../../src/stock/index.ts';
import type { Count, Depot, Item, LineDraft, LotBalance, MovementDraft, MovementType } from '../../../src/stock/model.ts';
import type { Planner } from '../../../src/stock/ports.ts';

export interface StockStores {
  repo: StockRepository;
  /** Another connection to the same database: what a second server process sees and does. */
  other: StockRepository;
  /** Runs SQL that reads the same on both stores (table names are shared); returns the rows. */
  sql: (text: string) => Promise<Array<Record<string, unknown>>>;
}

const AT = '2026-06-01T12:00:00.000Z';
const code = (c: string) => (e: unknown) => e instanceof StockError && e.code === c;

const depot = (id: string, name: string, over: Partial<Depot> = {}): Depot =>
  ({ id, name, lat: null, lon: null, region: null, responsible: null, contact: null, createdAt: AT, createdBy: null, ...over });
const item = (id: string, over: Partial<Item> = {}): Item =>
  ({ id, code: null, name: `Item ${id}`, category: 'general', unit: 'piece', decimals: 0, tracksLots: false, createdAt: AT, createdBy: 'op', ...over });

function draft(id: string, type: MovementType, depotId: string, itemId: string, quantity: number, over: Partial<MovementDraft> = {}): MovementDraft {
  return {
    id, type, depotId, itemId, quantity, toDepotId: null, unitId: null, shelterId: null, recipient: null, reason: null, reference: null, counted: null,
    reverses: null, transferId: null, countId: null, actor: 'op', at: AT, ...over,
  };
}

const put = (lot: string, expires: string | null, delta: number): Planner => () => [{ lot, expires, delta }];
/** Takes `quantity` from the lots in the order given, refusing what is not there (a planner as the domain's). */
const take = (quantity: number): Planner => (balances) => {
  const out: LineDraft[] = [];
  let left = quantity;
  for (const b of balances) {
    if (left === 0) break;
    const n = Math.min(left, b.quantity);
    if (n > 0) { out.push({ lot: b.lot, expires: b.expires, delta: -n }); left -= n; }
  }
  if (left > 0) throw new StockError('INSUFFICIENT_STOCK', `short by ${left}`);
  return out;
};

/** A store with depots A and B, a plain item (blanket) and a lot-tracked one (kit). */
async function world(make: (t: any) => Promise<StockStores>, t: any) {
  const s = await make(t);
  await s.repo.insertDepot(depot('A', 'Depot A'));
  await s.repo.insertDepot(depot('B', 'Depot B'));
  await s.repo.insertItem(item('blanket', { code: 'BL', name: 'Blanket' }));
  await s.repo.insertItem(item('kit', { name: 'Kit', category: 'medical', tracksLots: true }));
  return s;
}

const sumOf = (rows: Array<{ quantity: number }>) => rows.reduce((n, r) => n + r.quantity, 0);

export function stockContract(name: string, make: (t: any) => Promise<StockStores>): void {
  test(`${name}: depots are stored as given, listed by name bytewise, a duplicate name refused`, async (t) => {
    const { repo } = await make(t);
    const full = depot('d1', 'b-depot', { lat: 55.123456789012, lon: -12.5, region: 'R1', responsible: 'Ana', contact: '+45 1111', createdBy: 'op' });
    await repo.insertDepot(full);
    await repo.insertDepot(depot('d2', 'alpha'));
    await repo.insertDepot(depot('d3', 'Alpha'));
    assert.deepEqual(await repo.getDepot('d1'), full);
    assert.equal(await repo.getDepot('nope'), null);
    assert.deepEqual((await repo.listDepots()).map((d) => d.name), ['Alpha', 'alpha', 'b-depot']);
    await assert.rejects(repo.insertDepot(depot('d4', 'alpha')), (e: unknown) => code('DUPLICATE')(e) && (e as StockError).field === 'name');
    assert.equal((await repo.listDepots()).length, 3);
  });

  test(`${name}: items: get, by code, listed by category then name; a duplicate code refused; saveCatalogue all or nothing`, async (t) => {
    const { repo } = await make(t);
    const water = item('water', { name: 'Water', category: 'food', unit: 'litre', decimals: 1, code: 'W1' });
    await repo.insertItem(water);
    await repo.insertItem(item('kit', { name: 'Kit', category: 'medical', tracksLots: true }));
    await repo.insertItem(item('bread', { name: 'Bread', category: 'food' }));
    await repo.insertItem(item('x', { name: 'X' })); // a second item without code is fine
    assert.deepEqual(await repo.getItem('water'), water);
    assert.equal((await repo.getItem('kit'))!.tracksLots, true);
    assert.equal(await repo.getItem('nope'), null);
    assert.deepEqual(await repo.findItemByCode('W1'), water);
    assert.equal(await repo.findItemByCode('nope'), null);
    assert.deepEqual((await repo.listItems()).map((i) => i.id), ['bread', 'water', 'x', 'kit']);
    await assert.rejects(repo.insertItem(item('w2', { code: 'W1' })), (e: unknown) => code('DUPLICATE')(e) && (e as StockError).field === 'code');

    await repo.saveCatalogue([item('soap', { code: 'S1', name: 'Soap', category: 'hygiene' })], [{ ...water, name: 'Drinking water', category: 'drink', unit: 'bottle', decimals: 3 }]);
    const w = (await repo.getItem('water'))!;
    assert.deepEqual([w.name, w.category, w.unit, w.decimals, w.code], ['Drinking water', 'drink', 'bottle', 1, 'W1'], 'only name, category and unit change');
    assert.equal((await repo.findItemByCode('S1'))!.name, 'Soap');
    // The second insert duplicates a code: the first insert and the update are undone with it.
    await assert.rejects(repo.saveCatalogue([item('new1', { code: 'N1' }), item('new2', { code: 'S1' })], [{ ...water, name: 'Changed' }]), code('DUPLICATE'));
    assert.equal(await repo.getItem('new1'), null);
    assert.equal((await repo.getItem('water'))!.name, 'Drinking water');
  });

  test(`${name}: minimums are set, replaced, removed and listed per depot`, async (t) => {
    const { repo } = await world(make, t);
    await repo.setMinimum('B', 'kit', 3);
    await repo.setMinimum('A', 'kit', 5);
    await repo.setMinimum('A', 'blanket', 20);
    await repo.setMinimum('A', 'blanket', 2_000_000_000_000); // beyond 32 bits: minor units of a kg item
    assert.deepEqual(await repo.minimums(), [
      { depotId: 'A', itemId: 'blanket', minimum: 2_000_000_000_000 }, { depotId: 'A', itemId: 'kit', minimum: 5 }, { depotId: 'B', itemId: 'kit', minimum: 3 },
    ]);
    await repo.setMinimum('A', 'kit', null);
    await repo.setMinimum('A', 'nothing-set', null);
    assert.deepEqual(await repo.minimums('A'), [{ depotId: 'A', itemId: 'blanket', minimum: 2_000_000_000_000 }]);
    assert.deepEqual(await repo.minimums('C'), []);
  });

  test(`${name}: record plans from the balances, writes movement, lines and lots, and reads back the same`, async (t) => {
    const { repo } = await world(make, t);
    const seen: LotBalance[][] = [];
    const first = await repo.record(draft('m1', 'receipt', 'A', 'kit', 4, { reference: 'DN-1' }), (b) => { seen.push(b); return [{ lot: 'L2', expires: '2027-01-01', delta: 4 }]; });
    const second = await repo.record(draft('m2', 'receipt', 'A', 'kit', 5, { unitId: 'u1', shelterId: 's1', recipient: 'r', reason: 'why' }), (b) => {
      seen.push(b);
      return [{ lot: 'L1', expires: '2026-09-01', delta: 3 }, { lot: 'L2', expires: null, delta: 2 }];
    });
    assert.deepEqual(seen[0], [], 'nothing there yet');
    assert.deepEqual(seen[1], [{ lot: 'L2', expires: '2027-01-01', quantity: 4, firstSeq: first.seq }]);
    assert.ok(second.seq > first.seq, 'seq orders the ledger');
    assert.deepEqual(second, {
      ...draft('m2', 'receipt', 'A', 'kit', 5, { unitId: 'u1', shelterId: 's1', recipient: 'r', reason: 'why' }), seq: second.seq, reversedBy: null,
      lines: [{ lot: 'L1', expires: '2026-09-01', delta: 3 }, { lot: 'L2', expires: '2027-01-01', delta: 2 }],
    }, 'a line without expiry gets the lot\'s');
    assert.deepEqual(await repo.getMovement('m2'), second);
    assert.deepEqual(await repo.getMovement('m1'), first);
    assert.equal(await repo.getMovement('nope'), null);
    await repo.record(draft('m3', 'receipt', 'B', 'kit', 1), put('L0', null, 1));
    await repo.record(draft('m4', 'receipt', 'B', 'kit', 1), put('L3', '2026-07-01', 1));
    assert.deepEqual(await repo.lots('kit'), [
      { lot: 'L3', expires: '2026-07-01' }, { lot: 'L1', expires: '2026-09-01' }, { lot: 'L2', expires: '2027-01-01' }, { lot: 'L0', expires: null },
    ], 'every lot ever received, by expiry, lots without one last');
    await repo.record(draft('m5', 'receipt', 'A', 'blanket', 3), put('', null, 3));
    assert.deepEqual(await repo.lots('blanket'), [], "the no-lot '' is not a lot");

    // An adjustment's quantity is its net change, whatever the draft says; large quantities stay exact.
    const adj = await repo.record(draft('m6', 'adjustment', 'A', 'blanket', 0, { counted: 1_000_000_000_002 }), put('', null, 999_999_999_999));
    assert.equal(adj.quantity, 999_999_999_999);
    assert.deepEqual([(await repo.getMovement('m6'))!.quantity, (await repo.getMovement('m6'))!.counted], [999_999_999_999, 1_000_000_000_002]);
    const neg = await repo.record(draft('m7', 'adjustment', 'A', 'blanket', 99), put('', null, -2));
    assert.equal(neg.quantity, -2);
    assert.deepEqual(await repo.balances({ depotId: 'A', itemId: 'blanket' }), [{ depotId: 'A', itemId: 'blanket', lot: '', expires: null, quantity: 1_000_000_000_000 }]);
  });

  test(`${name}: record refuses, leaving nothing behind: planner error, below zero, expiry mismatch, bad lines`, async (t) => {
    const { repo } = await world(make, t);
    await repo.record(draft('r1', 'receipt', 'A', 'kit', 5), put('K1', '2027-01-01', 5));
    const before = { movements: await repo.listMovements({ limit: 100 }), balances: await repo.balances({}), lots: await repo.lots('kit'), ledger: await repo.ledger({}) };
    const after = async () => ({ movements: await repo.listMovements({ limit: 100 }), balances: await repo.balances({}), lots: await repo.lots('kit'), ledger: await repo.ledger({}) });

    await assert.rejects(repo.record(draft('x1', 'issue', 'A', 'kit', 1), () => { throw new StockError('LOT_EXPIRED', 'no'); }), code('LOT_EXPIRED'));
    // A planner that ignores the balance: the store itself refuses to go below zero, also for a lot never seen.
    await assert.rejects(repo.record(draft('x2', 'issue', 'A', 'kit', 6), put('K1', null, -6)), code('INSUFFICIENT_STOCK'));
    await assert.rejects(repo.record(draft('x3', 'issue', 'A', 'kit', 1), put('NEW', null, -1)), code('INSUFFICIENT_STOCK'));
    // Lines in order: the first goes in, the second fails; the movement as a whole is undone.
    await assert.rejects(repo.record(draft('x4', 'issue', 'A', 'kit', 7), () => [{ lot: 'K1', expires: null, delta: -1 }, { lot: 'K2', expires: null, delta: -6 }]), code('INSUFFICIENT_STOCK'));
    await assert.rejects(repo.record(draft('x5', 'receipt', 'B', 'kit', 2), () => [{ lot: 'K9', expires: '2030-01-01', delta: 1 }, { lot: 'K1', expires: '2030-01-01', delta: 1 }]),
      (e: unknown) => code('LOT_EXPIRY_MISMATCH')(e) && (e as StockError).detail.expires === '2027-01-01');
    await assert.rejects(repo.record(draft('x6', 'receipt', 'A', 'kit', 2), () => [{ lot: 'K1', expires: null, delta: 1 }, { lot: 'K1', expires: null, delta: 1 }]), /twice/);
    await assert.rejects(repo.record(draft('x7', 'receipt', 'A', 'kit', 1), put('K1', null, 0)), /non-zero/);
    await assert.rejects(repo.record(draft('x8', 'receipt', 'A', 'kit', 1), put('K1', null, 0.5)), /whole/);
    await assert.rejects(repo.record(draft('r1', 'receipt', 'A', 'kit', 1), put('K1', null, 1)), 'a movement id is used once');
    await assert.rejects(repo.record(draft('x9', 'receipt', 'NO-DEPOT', 'kit', 1), put('K1', null, 1)), 'an unknown depot is refused');
    assert.deepEqual(await after(), before);
    // The balance a refused write was checked against is still usable.
    await repo.record(draft('ok', 'issue', 'A', 'kit', 5), put('K1', null, -5));
    assert.deepEqual(await repo.balances({}), []);
  });

  test(`${name}: recordAll is all or nothing, each plan sees the steps before it, minimums come with it`, async (t) => {
    const { repo } = await world(make, t);
    await repo.setMinimum('A', 'kit', 1);
    await assert.rejects(repo.recordAll([
      { draft: draft('a1', 'receipt', 'A', 'blanket', 5), plan: put('', null, 5) },
      { draft: draft('a2', 'receipt', 'B', 'kit', 5), plan: put('K', null, 5) },
      { draft: draft('a3', 'issue', 'A', 'blanket', 6), plan: (b) => { assert.equal(b[0].quantity, 5, 'a later step sees the earlier one'); return [{ lot: '', expires: null, delta: -6 }]; } },
    ], [{ depotId: 'A', itemId: 'kit', minimum: 9 }, { depotId: 'B', itemId: 'kit', minimum: 2 }]), code('INSUFFICIENT_STOCK'));
    assert.equal(await repo.getMovement('a1'), null);
    assert.deepEqual(await repo.balances({}), []);
    assert.deepEqual(await repo.lots('kit'), []);
    assert.deepEqual(await repo.minimums(), [{ depotId: 'A', itemId: 'kit', minimum: 1 }]);

    const done = await repo.recordAll([
      { draft: draft('b1', 'receipt', 'A', 'blanket', 5), plan: put('', null, 5) },
      { draft: draft('b2', 'receipt', 'B', 'kit', 5), plan: put('K', null, 5) },
      { draft: draft('b3', 'issue', 'A', 'blanket', 2), plan: take(2) },
    ], [{ depotId: 'A', itemId: 'kit', minimum: 9 }, { depotId: 'B', itemId: 'kit', minimum: 2 }]);
    assert.deepEqual(done.map((m) => [m.id, m.lines]), [['b1', [{ lot: '', expires: null, delta: 5 }]], ['b2', [{ lot: 'K', expires: null, delta: 5 }]], ['b3', [{ lot: '', expires: null, delta: -2 }]]]);
    assert.ok(done[0].seq < done[1].seq && done[1].seq < done[2].seq);
    assert.deepEqual(await repo.minimums(), [{ depotId: 'A', itemId: 'kit', minimum: 9 }, { depotId: 'B', itemId: 'kit', minimum: 2 }]);
    assert.deepEqual((await repo.balances({})).map((b) => [b.depotId, b.itemId, b.quantity]), [['A', 'blanket', 3], ['B', 'kit', 5]]);
    assert.deepEqual(await repo.recordAll([]), []);
  });

  test(`${name}: dispatch puts stock in transit; receive once, with what arrived; refusals leave nothing`, async (t) => {
    const { repo } = await world(make, t);
    await repo.record(draft('r1', 'receipt', 'A', 'kit', 4), put('K2', '2028-01-01', 4));
    await repo.record(draft('r2', 'receipt', 'A', 'kit', 6), put('K1', '2027-01-01', 6));
    const header = { id: 'T1', fromDepotId: 'A', toDepotId: 'B', itemId: 'kit', dispatchedAt: '2026-06-01T10:00:00.000Z', dispatchedBy: 'op' };
    const { transfer, movement } = await repo.dispatch(header, draft('d1', 'transfer', 'A', 'kit', 7, { toDepotId: 'B', transferId: 'T1' }), take(7));
    const inTransit = {
      ...header, status: 'in-transit', receivedAt: null, receivedBy: null, differenceReason: null,
      lines: [{ lot: 'K1', expires: '2027-01-01', dispatched: 6, received: null }, { lot: 'K2', expires: '2028-01-01', dispatched: 1, received: null }],
    };
    assert.deepEqual(transfer, inTransit);
    assert.deepEqual(await repo.getTransfer('T1'), inTransit);
    assert.equal(await repo.getTransfer('nope'), null);
    assert.deepEqual(movement.lines, [{ lot: 'K1', expires: '2027-01-01', delta: -6 }, { lot: 'K2', expires: '2028-01-01', delta: -1 }]);
    assert.deepEqual(await repo.balances({ itemId: 'kit' }), [{ depotId: 'A', itemId: 'kit', lot: 'K2', expires: '2028-01-01', quantity: 3 }], 'in transit is in neither depot');

    // A dispatch the planner or the store refuses leaves no transfer behind.
    await assert.rejects(repo.dispatch({ ...header, id: 'T2' }, draft('d2', 'transfer', 'A', 'kit', 9, { toDepotId: 'B', transferId: 'T2' }), put('K2', null, -9)), code('INSUFFICIENT_STOCK'));
    assert.equal(await repo.getTransfer('T2'), null);
    assert.equal(await repo.getMovement('d2'), null);

    // A receipt that fails (here its build) changes nothing.
    await assert.rejects(repo.receive('T1', () => { throw new StockError('INVALID_MOVEMENT', 'give a reason'); }), code('INVALID_MOVEMENT'));
    await assert.rejects(repo.receive('nope', () => { throw new Error('not called'); }), code('TRANSFER_NOT_FOUND'));
    assert.equal((await repo.getTransfer('T1'))!.status, 'in-transit');

    let given: unknown = null;
    const got = await repo.receive('T1', (tr) => {
      given = tr;
      const lines = [{ lot: 'K1', expires: '2027-01-01', delta: 5 }, { lot: 'K2', expires: '2028-01-01', delta: 1 }];
      return {
        draft: draft('t1-in', 'transfer-receipt', 'B', 'kit', 6, { transferId: 'T1', reason: 'crushed' }), lines, reason: 'crushed', receivedAt: '2026-06-02T08:00:00.000Z', receivedBy: 'op2',
        received: tr.lines.map((l) => ({ ...l, received: l.lot === 'K1' ? 5 : l.dispatched })),
      };
    });
    assert.deepEqual(given, inTransit);
    const received = {
      ...header, status: 'received', receivedAt: '2026-06-02T08:00:00.000Z', receivedBy: 'op2', differenceReason: 'crushed',
      lines: [{ lot: 'K1', expires: '2027-01-01', dispatched: 6, received: 5 }, { lot: 'K2', expires: '2028-01-01', dispatched: 1, received: 1 }],
    };
    assert.deepEqual(got.transfer, received);
    assert.deepEqual(await repo.getTransfer('T1'), received);
    assert.equal(got.movement!.transferId, 'T1');
    assert.equal(sumOf(await repo.balances({ depotId: 'B' })), 6);

    // The store refuses a second receipt by itself, even when the build does not check, and writes nothing of it.
    const again = () => ({ draft: draft('t1-again', 'transfer-receipt', 'B', 'kit', 1, { transferId: 'T1' }), lines: [{ lot: 'K1', expires: null, delta: 1 }], received: [], reason: null, receivedAt: AT, receivedBy: 'x' });
    await assert.rejects(repo.receive('T1', again), code('TRANSFER_NOT_IN_TRANSIT'));
    assert.equal(await repo.getMovement('t1-again'), null);
    assert.deepEqual(await repo.getTransfer('T1'), received);

    // Nothing arrived at all: no movement, the transfer received with zeros.
    await repo.dispatch({ ...header, id: 'T3', dispatchedAt: '2026-06-03T10:00:00.000Z' }, draft('d3', 'transfer', 'A', 'kit', 1, { toDepotId: 'B', transferId: 'T3' }), take(1));
    await repo.dispatch({ ...header, id: 'T4', dispatchedAt: '2026-06-03T10:00:00.000Z' }, draft('d4', 'transfer', 'A', 'kit', 1, { toDepotId: 'B', transferId: 'T4' }), take(1));
    const lost = await repo.receive('T3', (tr) => ({ draft: null, lines: [], received: tr.lines.map((l) => ({ ...l, received: 0 })), reason: 'lost', receivedAt: AT, receivedBy: 'op' }));
    assert.equal(lost.movement, null);
    assert.deepEqual(lost.transfer.lines.map((l) => [l.lot, l.dispatched, l.received]), [['K2', 1, 0]]);
    assert.deepEqual((await repo.listTransfers()).map((x) => x.id), ['T4', 'T3', 'T1'], 'newest dispatch first, then the later one of a tie');
    assert.deepEqual((await repo.listTransfers('in-transit')).map((x) => x.id), ['T4']);
    assert.deepEqual((await repo.listTransfers('received')).map((x) => x.id), ['T3', 'T1']);
  });

  test(`${name}: reverse plans from the original and the balances, once`, async (t) => {
    const { repo } = await world(make, t);
    await repo.record(draft('r', 'receipt', 'A', 'blanket', 10), put('', null, 10));
    const issue = await repo.record(draft('i', 'issue', 'A', 'blanket', 3, { unitId: 'u1' }), take(3));
    let args: unknown[] = [];
    const reversal = (id: string) => (o: typeof issue, b: LotBalance[]) => {
      args = [o, b];
      return { draft: { ...o, id, type: 'reversal' as const, reverses: o.id, reason: 'wrong unit' }, lines: o.lines.map((l) => ({ ...l, delta: -l.delta })) };
    };
    const rev = await repo.reverse('i', reversal('rev1'));
    assert.deepEqual(args[0], issue);
    assert.deepEqual(args[1], [{ lot: '', expires: null, quantity: 7, firstSeq: (await repo.getMovement('r'))!.seq }]);
    assert.deepEqual([rev.type, rev.reverses, rev.unitId, rev.lines], ['reversal', 'i', 'u1', [{ lot: '', expires: null, delta: 3 }]]);
    assert.equal((await repo.getMovement('i'))!.reversedBy, 'rev1');
    assert.equal((await repo.listMovements({ limit: 5 })).find((m) => m.id === 'i')!.reversedBy, 'rev1');
    assert.equal(sumOf(await repo.balances({})), 10);
    // The build below does not look at reversedBy: the store refuses the second reversal by itself.
    await assert.rejects(repo.reverse('i', reversal('rev2')), code('ALREADY_REVERSED'));
    assert.equal(await repo.getMovement('rev2'), null);
    await assert.rejects(repo.reverse('nope', reversal('rev3')), code('MOVEMENT_NOT_FOUND'));
    // Reversing the receipt would go below zero once stock was used.
    await repo.record(draft('i2', 'issue', 'A', 'blanket', 8), take(8));
    await assert.rejects(repo.reverse('r', reversal('rev4')), code('INSUFFICIENT_STOCK'));
    assert.equal(await repo.getMovement('rev4'), null);
    assert.equal((await repo.getMovement('r'))!.reversedBy, null);
    assert.equal(sumOf(await repo.balances({})), 2);
  });

  test(`${name}: counts: start, record (replacing lines), post all or nothing, once`, async (t) => {
    const { repo } = await world(make, t);
    await repo.record(draft('r1', 'receipt', 'A', 'blanket', 10), put('', null, 10));
    await repo.record(draft('r2', 'receipt', 'A', 'kit', 3), put('K1', '2027-01-01', 3));
    const c1: Count = { id: 'C1', depotId: 'A', status: 'open', startedAt: '2026-06-01T09:00:00.000Z', startedBy: 'op', postedAt: null, postedBy: null, note: 'quarterly', lines: [] };
    await repo.startCount(c1);
    await repo.startCount({ ...c1, id: 'C2', note: null, startedBy: null });
    await repo.startCount({ ...c1, id: 'C3', depotId: 'B', startedAt: '2026-05-01T09:00:00.000Z' });
    assert.deepEqual(await repo.getCount('C1'), c1);
    assert.equal(await repo.getCount('nope'), null);
    assert.deepEqual((await repo.listCounts()).map((c) => c.id), ['C2', 'C1', 'C3']);
    assert.deepEqual((await repo.listCounts('A')).map((c) => c.id), ['C2', 'C1']);

    const l = (itemId: string, lot: string, counted: number, recordedAt: string, recordedBy = 'op') => ({ itemId, lot, expires: null, counted, recordedAt, recordedBy });
    await repo.recordCount('C1', [l('kit', 'K1', 3, '2026-06-01T10:00:00.000Z'), l('blanket', '', 9, '2026-06-01T10:00:00.000Z')]);
    const recorded = await repo.recordCount('C1', [l('blanket', '', 8, '2026-06-01T11:00:00.000Z', 'op2'), { ...l('kit', 'FOUND', 2, '2026-06-01T10:30:00.000Z'), expires: '2029-01-01' }]);
    assert.deepEqual(recorded.lines, [
      l('kit', 'K1', 3, '2026-06-01T10:00:00.000Z'), { ...l('kit', 'FOUND', 2, '2026-06-01T10:30:00.000Z'), expires: '2029-01-01' }, l('blanket', '', 8, '2026-06-01T11:00:00.000Z', 'op2'),
    ], 'a line counted again replaces the earlier one; lines by time recorded');
    assert.deepEqual(await repo.getCount('C1'), recorded);
    await assert.rejects(repo.recordCount('nope', []), code('COUNT_NOT_FOUND'));

    const plan = (c: Count, balances: (itemId: string) => LotBalance[]) => c.lines.map((x) => {
      const now = balances(x.itemId).find((b) => b.lot === x.lot)?.quantity ?? 0;
      return { draft: draft(`adj-${c.id}-${x.itemId}-${x.lot}`, 'adjustment', c.depotId, x.itemId, 0, { counted: x.counted, countId: c.id, reason: 'count' }), lines: [{ lot: x.lot, expires: x.expires, delta: x.counted - now }] };
    }).filter((s) => s.lines[0].delta !== 0);
    // A post whose adjustments fail (here the second goes below zero) leaves the count open and writes nothing.
    await assert.rejects(repo.postCount('C1', AT, 'lead', (c, b) => [...plan(c, b), { draft: draft('bad', 'adjustment', 'A', 'blanket', 0), lines: [{ lot: '', expires: null, delta: -100 }] }]), code('INSUFFICIENT_STOCK'));
    assert.equal((await repo.getCount('C1'))!.status, 'open');
    assert.deepEqual(await repo.ledger({ types: ['adjustment'] }), []);
    await assert.rejects(repo.postCount('nope', AT, 'lead', plan), code('COUNT_NOT_FOUND'));

    let asked: LotBalance[] = [];
    const { count, movements } = await repo.postCount('C1', '2026-06-01T12:30:00.000Z', 'lead', (c, b) => { asked = b('kit'); return plan(c, b); });
    assert.deepEqual(asked.map((x) => [x.lot, x.quantity]), [['K1', 3]], 'build sees the balances before any of its adjustments');
    assert.deepEqual({ ...count, lines: [] }, { ...c1, status: 'posted', postedAt: '2026-06-01T12:30:00.000Z', postedBy: 'lead' });
    assert.equal(count.lines.length, 3);
    assert.deepEqual(movements.map((m) => [m.itemId, m.quantity, m.counted, m.countId]), [['kit', 2, 2, 'C1'], ['blanket', -2, 8, 'C1']]);
    assert.deepEqual((await repo.balances({ depotId: 'A' })).map((b) => [b.itemId, b.lot, b.expires, b.quantity]), [['blanket', '', null, 8], ['kit', 'FOUND', '2029-01-01', 2], ['kit', 'K1', '2027-01-01', 3]]);
    // Posted: the store refuses a second post (even with a build that does not check) and further counting.
    await assert.rejects(repo.postCount('C1', AT, 'x', (c) => [{ draft: draft('again', 'adjustment', c.depotId, 'blanket', 0), lines: [{ lot: '', expires: null, delta: 1 }] }]), code('COUNT_NOT_OPEN'));
    assert.equal(await repo.getMovement('again'), null);
    assert.equal((await repo.getCount('C1'))!.postedBy, 'lead');
    await assert.rejects(repo.recordCount('C1', [l('blanket', '', 1, AT)]), code('COUNT_NOT_OPEN'));
    assert.equal((await repo.getCount('C1'))!.lines.find((x) => x.itemId === 'blanket')!.counted, 8);
  });

  test(`${name}: listMovements pages newest first with filters; balances and ledger read the ledger`, async (t) => {
    const { repo } = await world(make, t);
    await repo.record(draft('m1', 'receipt', 'A', 'blanket', 10), put('', null, 10));
    await repo.record(draft('m2', 'receipt', 'A', 'kit', 5), put('K1', '2027-01-01', 5));
    await repo.record(draft('m3', 'issue', 'A', 'blanket', 4, { unitId: 'u7' }), take(4));
    await repo.record(draft('m4', 'issue', 'A', 'blanket', 1, { shelterId: 's1' }), take(1));
    await repo.dispatch({ id: 'T', fromDepotId: 'A', toDepotId: 'B', itemId: 'kit', dispatchedAt: AT, dispatchedBy: null }, draft('m5', 'transfer', 'A', 'kit', 2, { toDepotId: 'B', transferId: 'T' }), take(2));
    await repo.record(draft('m6', 'return', 'A', 'blanket', 1, { unitId: 'u7' }), put('', null, 1));
    await repo.record(draft('m7', 'receipt', 'B', 'kit', 2), put('K0', null, 2));
    await repo.record(draft('m8', 'issue', 'B', 'kit', 2), take(2));
    const ids = (ms: Array<{ id: string }>) => ms.map((m) => m.id);
    assert.deepEqual(ids(await repo.listMovements({ limit: 100 })), ['m8', 'm7', 'm6', 'm5', 'm4', 'm3', 'm2', 'm1']);
    const page1 = await repo.listMovements({ limit: 3 });
    assert.deepEqual(ids(page1), ['m8', 'm7', 'm6']);
    assert.deepEqual(ids(await repo.listMovements({ limit: 3, beforeSeq: page1[2].seq })), ['m5', 'm4', 'm3']);
    assert.deepEqual(ids(await repo.listMovements({ limit: 100, depotId: 'B' })), ['m8', 'm7', 'm5'], 'a depot sees transfers sent to it');
    assert.deepEqual(ids(await repo.listMovements({ limit: 100, itemId: 'kit', type: 'receipt' })), ['m7', 'm2']);
    assert.deepEqual(ids(await repo.listMovements({ limit: 100, depotId: 'A', type: 'issue' })), ['m4', 'm3']);
    assert.deepEqual(await repo.listMovements({ limit: 100, type: 'write-off' }), []);

    assert.deepEqual(await repo.balances({}), [
      { depotId: 'A', itemId: 'blanket', lot: '', expires: null, quantity: 6 }, { depotId: 'A', itemId: 'kit', lot: 'K1', expires: '2027-01-01', quantity: 3 },
    ], 'a lot at zero (B K0) is not listed');
    assert.deepEqual(await repo.balances({ itemId: 'kit' }), [{ depotId: 'A', itemId: 'kit', lot: 'K1', expires: '2027-01-01', quantity: 3 }]);
    assert.deepEqual(await repo.balances({ depotId: 'B' }), []);

    const all = await repo.ledger({});
    assert.deepEqual(all.map((l) => [l.movementId, l.lot, l.delta]), [
      ['m1', '', 10], ['m2', 'K1', 5], ['m3', '', -4], ['m4', '', -1], ['m5', 'K1', -2], ['m6', '', 1], ['m7', 'K0', 2], ['m8', 'K0', -2],
    ]);
    const m3 = (await repo.getMovement('m3'))!;
    assert.deepEqual(all[2], {
      seq: m3.seq, movementId: 'm3', type: 'issue', depotId: 'A', itemId: 'blanket', lot: '', expires: null, delta: -4, at: AT, actor: 'op', reason: null, reference: null,
      unitId: 'u7', shelterId: null, recipient: null, toDepotId: null, reverses: null,
    });
    assert.deepEqual((await repo.ledger({ unitId: 'u7' })).map((l) => l.movementId), ['m3', 'm6']);
    assert.deepEqual((await repo.ledger({ shelterId: 's1' })).map((l) => l.movementId), ['m4']);
    assert.deepEqual((await repo.ledger({ depotId: 'B' })).map((l) => l.movementId), ['m7', 'm8'], 'the ledger of a depot is its own lines');
    assert.deepEqual((await repo.ledger({ depotId: 'A', itemId: 'kit', types: ['transfer', 'receipt'] })).map((l) => l.movementId), ['m2', 'm5']);
    assert.deepEqual((await repo.ledger({ types: ['issue'], itemId: 'blanket' })).map((l) => l.delta), [-4, -1]);
  });

  test(`${name}: movements are immutable and the cached balance is the ledger's, in the database itself`, async (t) => {
    const { repo, sql } = await world(make, t);
    await repo.record(draft('m1', 'receipt', 'A', 'blanket', 2), put('', null, 2));
    await assert.rejects(sql("UPDATE stock_movements SET quantity = 5 WHERE id = 'm1'"), /immutable/);
    await assert.rejects(sql("DELETE FROM stock_movements WHERE id = 'm1'"), /immutable/);
    await assert.rejects(sql('UPDATE stock_movement_lines SET delta = 5'), /immutable/);
    await assert.rejects(sql('DELETE FROM stock_movement_lines'), /immutable/);
    await assert.rejects(sql("INSERT INTO stock_movement_lines (movement_seq, depot_id, item_id, lot, delta) SELECT seq, 'A', 'blanket', 'x', -1 FROM stock_movements WHERE id = 'm1'"), /check/i);
    // A line written by hand still moves the cached balance: it is the ledger's trigger, not the store, that keeps it.
    await sql("INSERT INTO stock_movement_lines (movement_seq, depot_id, item_id, lot, delta) SELECT seq, 'A', 'blanket', 'y', 3 FROM stock_movements WHERE id = 'm1'");
    assert.deepEqual((await repo.balances({})).map((b) => [b.lot, b.quantity]), [['', 2], ['y', 3]]);
    assert.deepEqual((await repo.getMovement('m1'))!.lines.map((l) => [l.lot, l.delta]), [['', 2], ['y', 3]]);
  });

  test(`${name}: concurrent writers from two connections: balances never go wrong`, async (t) => {
    const { repo, other, sql } = await world(make, t);
    // Two issues of the last 5 at once, by planners that ignore the balance: the store lets one through.
    await repo.record(draft('r', 'receipt', 'A', 'blanket', 5), put('', null, 5));
    const blind = await Promise.allSettled([repo.record(draft('i1', 'issue', 'A', 'blanket', 5), put('', null, -5)), other.record(draft('i2', 'issue', 'A', 'blanket', 5), put('', null, -5))]);
    assert.deepEqual(blind.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    assert.ok(code('INSUFFICIENT_STOCK')((blind.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason));
    assert.deepEqual(await repo.balances({ itemId: 'blanket' }), []);

    // Two issues of 3 from lots of 3 and 3: each planner sees the other's effect, so both succeed from different lots.
    await repo.record(draft('k1', 'receipt', 'A', 'kit', 3), put('KA', '2027-01-01', 3));
    await repo.record(draft('k2', 'receipt', 'A', 'kit', 3), put('KB', '2028-01-01', 3));
    const both = await Promise.all([repo.record(draft('j1', 'issue', 'A', 'kit', 3), take(3)), other.record(draft('j2', 'issue', 'A', 'kit', 3), take(3))]);
    assert.deepEqual(both.map((m) => m.lines.map((l) => l.lot)).flat().sort(), ['KA', 'KB']);

    // Many small issues over both connections, mixed with transfers and a count: exactly the stock there is goes out.
    await repo.record(draft('r2', 'receipt', 'B', 'blanket', 20), put('', null, 20));
    const jobs = Array.from({ length: 30 }, (_, i) => (i % 2 ? repo : other).record(draft(`n${i}`, 'issue', 'B', 'blanket', 1), take(1)));
    const results = await Promise.allSettled(jobs);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 20);
    assert.ok(results.every((r) => r.status === 'fulfilled' || code('INSUFFICIENT_STOCK')(r.reason)));
    assert.deepEqual(await repo.balances({ depotId: 'B' }), []);

    // Two receivers of one transfer and two reversals of one movement: one each wins.
    await repo.record(draft('r3', 'receipt', 'A', 'blanket', 4), put('', null, 4));
    await repo.dispatch({ id: 'T', fromDepotId: 'A', toDepotId: 'B', itemId: 'blanket', dispatchedAt: AT, dispatchedBy: null }, draft('tr', 'transfer', 'A', 'blanket', 2, { toDepotId: 'B', transferId: 'T' }), take(2));
    const receiveAll = (id: string) => (tr: any) => ({ draft: draft(id, 'transfer-receipt', 'B', 'blanket', 2, { transferId: 'T' }), lines: [{ lot: '', expires: null, delta: 2 }], received: tr.lines.map((l: any) => ({ ...l, received: l.dispatched })), reason: null, receivedAt: AT, receivedBy: id });
    const receipts = await Promise.allSettled([repo.receive('T', receiveAll('rx1')), other.receive('T', receiveAll('rx2'))]);
    assert.deepEqual(receipts.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    assert.ok(code('TRANSFER_NOT_IN_TRANSIT')((receipts.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason));
    assert.deepEqual((await repo.balances({ depotId: 'B' })).map((b) => b.quantity), [2]);
    await repo.record(draft('iss', 'issue', 'A', 'blanket', 1), take(1));
    const undo = (id: string) => (o: any) => ({ draft: { ...o, id, type: 'reversal' as const, reverses: o.id }, lines: o.lines.map((l: LineDraft) => ({ ...l, delta: -l.delta })) });
    const reversals = await Promise.allSettled([repo.reverse('iss', undo('u1')), other.reverse('iss', undo('u2'))]);
    assert.deepEqual(reversals.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    assert.ok(code('ALREADY_REVERSED')((reversals.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason));
    assert.deepEqual((await repo.balances({ depotId: 'A', itemId: 'blanket' })).map((b) => b.quantity), [2]);

    // The cached balance equals the sum of the ledger, everywhere.
    const diff = await sql(`SELECT COUNT(*) AS n FROM (SELECT depot_id, item_id, lot, SUM(delta) AS q FROM stock_movement_lines GROUP BY depot_id, item_id, lot) l
      FULL OUTER JOIN stock_balances b USING (depot_id, item_id, lot) WHERE COALESCE(l.q, 0) <> COALESCE(b.quantity, 0) OR b.quantity < 0`);
    assert.equal(Number(diff[0].n), 0);
  });
}
