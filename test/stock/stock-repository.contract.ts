// The contract every StockRepository implementation must meet, exercised through the StockService (the domain that
// uses it). Run it with a factory for each store: SQLite now (sqlite-stock.test.ts); PostgreSQL when that store lands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StockService, StockReports, StockError, type StockRepository, type Movement } from '../../src/stock/index.ts';

export type StockRepoFactory = (t: any) => Promise<StockRepository>;

const NOW = new Date('2026-06-01T12:00:00Z');
const code = (c: string) => (e: unknown) => e instanceof StockError && e.code === c;

async function world(make: StockRepoFactory, t: any, shelters: string[] = ['shelter-1']) {
  const repo = await make(t);
  const service = new StockService(repo, { shelterExists: (id) => shelters.includes(id) }, () => NOW);
  const reports = new StockReports(repo, () => service.today());
  const a = await service.createDepot({ name: 'Depot A', region: 'R1', responsible: 'Ana', contact: '+45 1111' }, 'op');
  const b = await service.createDepot({ name: 'Depot B' }, 'op');
  const blanket = await service.createItem({ name: 'Blanket', category: 'shelter', unit: 'piece', code: 'BL' }, 'op');
  const water = await service.createItem({ name: 'Water', category: 'food', unit: 'litre', decimals: 1 }, 'op');
  const kit = await service.createItem({ name: 'First-aid kit', category: 'medical', unit: 'kit', tracksLots: true }, 'op');
  const balance = async (depot: string, item: string) => (await reports.balances(depot)).rows.find((r) => r.item === item)?.quantity ?? 0;
  const post = (body: Record<string, unknown>) => service.post(body, 'op');
  return { repo, service, reports, a: a.id, b: b.id, blanket: blanket.id, water: water.id, kit: kit.id, balance, post };
}

export function stockRepositoryContract(name: string, make: StockRepoFactory): void {
  test(`${name}: ledger arithmetic in the item's unit, exact with decimals`, async (t) => {
    const w = await world(make, t);
    await w.post({ type: 'receipt', depot: w.a, item: w.water, quantity: '0.1' });
    await w.post({ type: 'receipt', depot: w.a, item: w.water, quantity: 0.2 });
    assert.equal(await w.balance(w.a, w.water), 0.3, 'no floating-point drift: 0.1 + 0.2 is 0.3');
    await w.post({ type: 'issue', depot: w.a, item: w.water, quantity: 0.3, shelter: 'shelter-1' });
    assert.equal(await w.balance(w.a, w.water), 0);
    await assert.rejects(w.post({ type: 'receipt', depot: w.a, item: w.water, quantity: 0.05 }), code('INVALID_QUANTITY'));
    await w.post({ type: 'receipt', depot: w.a, item: w.blanket, quantity: 10 });
    await w.post({ type: 'issue', depot: w.a, item: w.blanket, quantity: 4, unit: 'unit-7' });
    await w.post({ type: 'return', depot: w.a, item: w.blanket, quantity: 1, unit: 'unit-7' });
    await w.post({ type: 'write-off', depot: w.a, item: w.blanket, quantity: 2, reason: 'damaged' });
    await w.post({ type: 'adjustment', depot: w.a, item: w.blanket, quantity: -1, reason: 'found torn' });
    assert.equal(await w.balance(w.a, w.blanket), 4);
    const adj = await w.post({ type: 'adjustment', depot: w.a, item: w.blanket, counted: 6, reason: 'recount' });
    assert.equal(adj.quantity, 2);
    assert.equal(adj.counted, 6);
    assert.equal(await w.balance(w.a, w.blanket), 6);
    await assert.rejects(w.post({ type: 'adjustment', depot: w.a, item: w.blanket, quantity: -7, reason: 'x' }), code('INSUFFICIENT_STOCK'));
    await assert.rejects(w.post({ type: 'issue', depot: w.a, item: w.blanket, quantity: 7, recipient: 'x' }), code('INSUFFICIENT_STOCK'));
    assert.equal(await w.balance(w.a, w.blanket), 6, 'refused movements leave nothing behind');
  });

  test(`${name}: FEFO picks the earliest expiry first, lots without expiry last; a named lot is taken as named`, async (t) => {
    const w = await world(make, t);
    await w.post({ type: 'receipt', depot: w.a, item: w.kit, quantity: 5, lot: 'NOEXP' });
    await w.post({ type: 'receipt', depot: w.a, item: w.kit, quantity: 3, lot: 'L-LATE', expires: '2027-12-31' });
    await w.post({ type: 'receipt', depot: w.a, item: w.kit, quantity: 4, lot: 'L-EARLY', expires: '2026-09-30' });
    const m = await w.post({ type: 'issue', depot: w.a, item: w.kit, quantity: 6, recipient: 'Team 1' });
    assert.deepEqual(m.lines.map((l) => [l.lot, l.delta]), [['L-EARLY', -4], ['L-LATE', -2]]);
    const named = await w.post({ type: 'issue', depot: w.a, item: w.kit, quantity: 2, lot: 'NOEXP', recipient: 'Team 2' });
    assert.deepEqual(named.lines.map((l) => [l.lot, l.delta]), [['NOEXP', -2]]);
    await assert.rejects(w.post({ type: 'issue', depot: w.a, item: w.kit, quantity: 2, lot: 'L-LATE', recipient: 'x' }), code('INSUFFICIENT_STOCK'));
    await assert.rejects(w.post({ type: 'issue', depot: w.a, item: w.kit, quantity: 1, lot: 'NOPE', recipient: 'x' }), code('LOT_NOT_FOUND'));
    await assert.rejects(w.post({ type: 'receipt', depot: w.a, item: w.kit, quantity: 1 }), code('INVALID_MOVEMENT'), 'a tracked item needs its lot');
    await assert.rejects(w.post({ type: 'receipt', depot: w.b, item: w.kit, quantity: 1, lot: 'L-EARLY', expires: '2030-01-01' }), code('LOT_EXPIRY_MISMATCH'));
    const lots = (await w.reports.balances(w.a)).rows.find((r) => r.item === w.kit)!.lotList;
    assert.deepEqual(lots.map((l) => [l.lot, l.quantity]), [['L-LATE', 1], ['NOEXP', 3]]);
  });

  test(`${name}: expired lots cannot be issued or transferred, only written off`, async (t) => {
    const w = await world(make, t);
    await w.post({ type: 'receipt', depot: w.a, item: w.kit, quantity: 5, lot: 'OLD', expires: '2026-05-31' });
    await w.post({ type: 'receipt', depot: w.a, item: w.kit, quantity: 2, lot: 'TODAY', expires: '2026-06-01' });
    await assert.rejects(w.post({ type: 'issue', depot: w.a, item: w.kit, quantity: 1, lot: 'OLD', recipient: 'x' }), code('LOT_EXPIRED'));
    await assert.rejects(w.post({ type: 'transfer', depot: w.a, item: w.kit, quantity: 1, lot: 'OLD', toDepot: w.b }), code('LOT_EXPIRED'));
    await assert.rejects(w.post({ type: 'issue', depot: w.a, item: w.kit, quantity: 3, recipient: 'x' }), (e: unknown) => e instanceof StockError && e.code === 'INSUFFICIENT_STOCK' && /5 kit expired/.test(e.message));
    const ok = await w.post({ type: 'issue', depot: w.a, item: w.kit, quantity: 2, recipient: 'x' });
    assert.deepEqual(ok.lines.map((l) => l.lot), ['TODAY'], 'a lot is usable through its expiry day');
    await assert.rejects(w.post({ type: 'write-off', depot: w.a, item: w.kit, quantity: 1, lot: 'TODAY', reason: 'expired' }), code('LOT_NOT_FOUND'));
    const wo = await w.post({ type: 'write-off', depot: w.a, item: w.kit, quantity: 5, reason: 'expired' });
    assert.deepEqual(wo.lines.map((l) => [l.lot, l.delta]), [['OLD', -5]]);
    assert.equal(await w.balance(w.a, w.kit), 0);
  });

  test(`${name}: transfers are dispatched, in transit, received once, with differences recorded`, async (t) => {
    const w = await world(make, t);
    await w.post({ type: 'receipt', depot: w.a, item: w.kit, quantity: 4, lot: 'K1', expires: '2027-01-01' });
    await w.post({ type: 'receipt', depot: w.a, item: w.kit, quantity: 6, lot: 'K2', expires: '2028-01-01' });
    const out = await w.post({ type: 'transfer', depot: w.a, item: w.kit, quantity: 7, toDepot: w.b, reference: 'TR-1' });
    assert.equal(out.type, 'transfer');
    assert.equal(await w.balance(w.a, w.kit), 3);
    assert.equal(await w.balance(w.b, w.kit), 0, 'in transit is in neither depot');
    const inTransit = await w.repo.listTransfers('in-transit');
    assert.equal(inTransit.length, 1);
    assert.deepEqual(inTransit[0].lines.map((l) => [l.lot, l.dispatched, l.received]), [['K1', 4, null], ['K2', 3, null]]);
    await assert.rejects(w.service.receive(out.transferId!, { lines: [{ lot: 'K2', quantity: 2 }] }, 'op2'), code('INVALID_MOVEMENT'), 'a difference needs a reason');
    const received = await w.service.receive(out.transferId!, { lines: [{ lot: 'K2', quantity: 2 }], reason: 'one box crushed' }, 'op2');
    assert.equal(received.status, 'received');
    assert.equal(received.receivedBy, 'op2');
    assert.equal(received.differenceReason, 'one box crushed');
    assert.deepEqual(received.lines.map((l) => [l.lot, l.dispatched, l.received]), [['K1', 4, 4], ['K2', 3, 2]]);
    assert.equal(await w.balance(w.b, w.kit), 6);
    await assert.rejects(w.service.receive(out.transferId!, {}, 'op'), code('TRANSFER_NOT_IN_TRANSIT'));
    assert.equal(await w.balance(w.b, w.kit), 6, 'a second receipt adds nothing');
    // Two receivers at once: one wins.
    const t2 = await w.post({ type: 'transfer', depot: w.a, item: w.kit, quantity: 1, toDepot: w.b });
    const both = await Promise.allSettled([w.service.receive(t2.transferId!, {}, 'x'), w.service.receive(t2.transferId!, {}, 'y')]);
    assert.equal(both.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal(await w.balance(w.b, w.kit), 7);
    await assert.rejects(w.service.reverse(out.id, { reason: 'oops' }, 'op'), code('NOT_REVERSIBLE'));
  });

  test(`${name}: a wrong movement is corrected by a reversing one that references it, once`, async (t) => {
    const w = await world(make, t);
    const r = await w.post({ type: 'receipt', depot: w.a, item: w.blanket, quantity: 10, reference: 'DN-9' });
    const issue = await w.post({ type: 'issue', depot: w.a, item: w.blanket, quantity: 3, unit: 'unit-1' });
    const rev = await w.service.reverse(issue.id, { reason: 'issued to the wrong unit' }, 'op2');
    assert.equal(rev.type, 'reversal');
    assert.equal(rev.reverses, issue.id);
    assert.equal(rev.unitId, 'unit-1');
    assert.equal(await w.balance(w.a, w.blanket), 10);
    assert.equal((await w.repo.getMovement(issue.id))!.reversedBy, rev.id);
    await assert.rejects(w.service.reverse(issue.id, { reason: 'again' }, 'op'), code('ALREADY_REVERSED'));
    await assert.rejects(w.service.reverse(rev.id, { reason: 'undo' }, 'op'), code('NOT_REVERSIBLE'));
    await w.post({ type: 'issue', depot: w.a, item: w.blanket, quantity: 8, unit: 'unit-2' });
    await assert.rejects(w.service.reverse(r.id, { reason: 'never came' }, 'op'), code('INSUFFICIENT_STOCK'), 'the receipt was used since');
    assert.equal(await w.balance(w.a, w.blanket), 2);
  });

  test(`${name}: counts record counted quantities and post the differences as adjustments in one step`, async (t) => {
    const w = await world(make, t);
    await w.post({ type: 'receipt', depot: w.a, item: w.blanket, quantity: 10 });
    await w.post({ type: 'receipt', depot: w.a, item: w.water, quantity: 5 });
    await w.post({ type: 'receipt', depot: w.a, item: w.kit, quantity: 3, lot: 'K1', expires: '2027-01-01' });
    const count = await w.service.startCount({ depot: w.a, note: 'quarterly' }, 'op');
    await w.service.recordCount(count.id, { lines: [{ item: w.blanket, counted: 9 }, { item: w.water, counted: '5.5' }] }, 'op');
    await w.service.recordCount(count.id, { lines: [{ item: w.blanket, counted: 8 }, { item: w.kit, lot: 'K1', counted: 3 }, { item: w.kit, lot: 'FOUND', expires: '2029-01-01', counted: 2 }] }, 'op2');
    await assert.rejects(w.service.recordCount(count.id, { lines: [{ item: w.kit, counted: 1 }] }, 'op'), code('INVALID_MOVEMENT'));
    // Stock moves between counting and posting: the difference is taken against the balance at posting.
    await w.post({ type: 'issue', depot: w.a, item: w.blanket, quantity: 1, recipient: 'x' });
    const { count: posted, movements } = await w.service.postCount(count.id, 'lead');
    assert.equal(posted.status, 'posted');
    assert.equal(posted.postedBy, 'lead');
    assert.deepEqual(movements.map((m) => [m.itemId, m.quantity, m.counted, m.countId, m.reason]).sort(), [
      [w.blanket, -1, 8, count.id, 'count'], [w.kit, 2, 2, count.id, 'count'], [w.water, 5, 55, count.id, 'count'],
    ].sort());
    assert.equal(await w.balance(w.a, w.blanket), 8);
    assert.equal(await w.balance(w.a, w.water), 5.5);
    assert.equal(await w.balance(w.a, w.kit), 5);
    await assert.rejects(w.service.postCount(count.id, 'lead'), code('COUNT_NOT_OPEN'));
    await assert.rejects(w.service.recordCount(count.id, { lines: [{ item: w.blanket, counted: 1 }] }, 'op'), code('COUNT_NOT_OPEN'));
  });

  test(`${name}: reports: balances, below minimum, expiring, issued to a unit or shelter, stock card`, async (t) => {
    const w = await world(make, t);
    await w.service.setMinimum({ depot: w.a, item: w.blanket, minimum: 20 });
    await w.service.setMinimum({ depot: w.b, item: w.water, minimum: 1 });
    await w.post({ type: 'receipt', depot: w.a, item: w.blanket, quantity: 25 });
    await w.post({ type: 'issue', depot: w.a, item: w.blanket, quantity: 7, unit: 'unit-7' });
    await w.post({ type: 'issue', depot: w.a, item: w.blanket, quantity: 2, shelter: 'shelter-1' });
    await w.post({ type: 'return', depot: w.a, item: w.blanket, quantity: 1, unit: 'unit-7' });
    await w.post({ type: 'receipt', depot: w.a, item: w.kit, quantity: 3, lot: 'SOON', expires: '2026-06-20' });
    await w.post({ type: 'receipt', depot: w.a, item: w.kit, quantity: 3, lot: 'GONE', expires: '2026-05-01' });
    await w.post({ type: 'receipt', depot: w.a, item: w.kit, quantity: 3, lot: 'LATER', expires: '2026-12-01' });
    await assert.rejects(w.post({ type: 'issue', depot: w.a, item: w.blanket, quantity: 1, shelter: 'no-such' }), code('SHELTER_NOT_FOUND'));

    const below = await w.reports.belowMinimum();
    assert.deepEqual(below.rows.map((r) => [r.depotName, r.itemName, r.quantity, r.minimum, r.shortfall]), [['Depot A', 'Blanket', 17, 20, 3], ['Depot B', 'Water', 0, 1, 1]]);
    const balances = await w.reports.balances(w.a);
    assert.deepEqual(balances.rows.map((r) => [r.itemName, r.quantity, r.minimum]), [['First-aid kit', 9, null], ['Blanket', 17, 20]]);
    const expiring = await w.reports.expiring(30);
    assert.deepEqual(expiring.rows.map((r) => [r.lot, r.daysLeft, r.expired]), [['GONE', -31, true], ['SOON', 19, false]]);
    const unit = await w.reports.issued({ unitId: 'unit-7' });
    assert.deepEqual(unit.rows.map((r) => [r.type, r.quantity]), [['issue', 7], ['return', -1]]);
    assert.deepEqual(unit.totals.map((x) => [x.itemName, x.quantity]), [['Blanket', 6]]);
    const shelter = await w.reports.issued({ shelterId: 'shelter-1' });
    assert.deepEqual(shelter.rows.map((r) => [r.type, r.quantity, r.toShelter]), [['issue', 2, 'shelter-1']]);
    const card = await w.reports.stockCard(w.a, w.blanket);
    assert.deepEqual(card.rows.map((r) => [r.type, r.in, r.out, r.balance, r.party]), [
      ['receipt', 25, 0, 25, null], ['issue', 0, 7, 18, 'unit unit-7'], ['issue', 0, 2, 16, 'shelter shelter-1'], ['return', 1, 0, 17, 'unit unit-7'],
    ]);
    assert.ok(card.rows.every((r) => r.actor === 'op' && r.at));
  });

  test(`${name}: a planner that refuses, or a store-level negative, leaves nothing behind; several movements are all or nothing`, async (t) => {
    const w = await world(make, t);
    const blanket = (await w.repo.getItem(w.blanket))!;
    const draft = (id: string, quantity: number) => ({
      id, type: 'receipt' as const, depotId: w.a, itemId: blanket.id, quantity, toDepotId: null, unitId: null, shelterId: null, recipient: null,
      reason: null, reference: null, counted: null, reverses: null, transferId: null, countId: null, actor: 't', at: NOW.toISOString(),
    });
    await assert.rejects(w.repo.record(draft('m1', 1), () => { throw new StockError('INSUFFICIENT_STOCK', 'no'); }), code('INSUFFICIENT_STOCK'));
    // A planner that ignores the balance: the store itself must refuse to go below zero.
    await assert.rejects(w.repo.record({ ...draft('m2', 5), type: 'issue' }, () => [{ lot: '', expires: null, delta: -5 }]), code('INSUFFICIENT_STOCK'));
    await assert.rejects(w.repo.recordAll([
      { draft: draft('m3', 5), plan: () => [{ lot: '', expires: null, delta: 5 }] },
      { draft: { ...draft('m4', 6), type: 'issue' }, plan: (b) => { assert.equal(b[0]?.quantity, 5, 'a later step sees the earlier one'); return [{ lot: '', expires: null, delta: -6 }]; } },
    ]), code('INSUFFICIENT_STOCK'));
    assert.equal(await w.repo.getMovement('m3'), null);
    assert.deepEqual(await w.repo.listMovements({ limit: 10 }), []);
    assert.deepEqual(await w.repo.balances({}), []);
    const ok: Movement = await w.repo.record(draft('m5', 2), () => [{ lot: '', expires: null, delta: 2 }]);
    assert.equal(ok.seq > 0, true);
    assert.deepEqual((await w.repo.getMovement('m5'))!.lines, [{ lot: '', expires: null, delta: 2 }]);
  });
}
