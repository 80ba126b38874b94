// SIGKILL from outside while stock movements are being posted: every acknowledged movement is in the ledger with
// all its lines, every refused one is not, and the balances equal the sum of the recorded movements, before and after
// a restart on the same database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acknowledged, call, crashDb, loadThenKill, must, prepareStaff, stop } from './harness.ts';

test('SIGKILL during concurrent stock movements: nothing acknowledged lost, balances equal the ledger', async (t) => {
  const db = await crashDb(t);
  const staff = await prepareStaff(db);
  const first = await db.serve();
  const depot = (await must(first.url, 'POST', '/api/depots', staff.operator, { name: 'Central depot', lat: 50.5, lon: 30.5 })).id as string;
  const item = (await must(first.url, 'POST', '/api/items', staff.operator, { name: 'Blanket', category: 'shelter', unit: 'piece', tracksLots: true })).id as string;

  // Receipts into two lots and issues that may span both (several lines per movement); some issues are refused
  // with 409 when the stock is short. The reference names the operation, so the ledger can be matched to answers.
  const ops = Array.from({ length: 400 }, (_, i) => i);
  const bodyOf = (i: number) => i % 3 === 2
    ? { type: 'issue', depot, item, quantity: 1 + (i % 11), recipient: 'Team 3', reference: `op-${i}` }
    : { type: 'receipt', depot, item, quantity: 1 + (i % 5), lot: i % 2 ? 'L-A' : 'L-B', expires: i % 2 ? '2099-01-01' : '2099-06-01', reference: `op-${i}` };
  const { outcomes, unanswered } = await loadThenKill(first, ops, (i) => call(first.url, 'POST', '/api/stock/movements', staff.operator, bodyOf(i)), { inFlight: 12, killAfter: 30 });
  const acks = acknowledged(outcomes);
  t.diagnostic(`${acks.length} acknowledged, ${outcomes.filter((o) => o.answer?.status === 409).length} refused (409), ${unanswered} cut off by the kill`);
  assert.ok(acks.length >= 30);
  assert.ok(unanswered > 0, 'the kill landed with movements in flight');
  for (const o of outcomes) if (o.answer) assert.ok([201, 409].includes(o.answer.status), `op-${o.key}: ${o.answer.status} ${JSON.stringify(o.answer.body)}`);

  const checkLedger = async () => {
    const movements = await db.rows<{ id: string; reference: string; type: string; quantity: number }>(
      'SELECT id, reference, type, CAST(quantity AS INTEGER) AS quantity FROM stock_movements WHERE depot_id = ? AND item_id = ?', [depot, item]);
    const byRef = new Map<string, Array<{ id: string }>>();
    for (const m of movements) byRef.set(m.reference, [...(byRef.get(m.reference) ?? []), m]);
    for (const o of outcomes) {
      const found = byRef.get(`op-${o.key}`) ?? [];
      assert.ok(found.length <= 1, `op-${o.key} recorded ${found.length} times`);
      if (o.answer?.status === 201) assert.deepEqual(found.map((m) => m.id), [o.answer.body.id], `acknowledged op-${o.key} is in the ledger`);
      if (o.answer?.status === 409) assert.equal(found.length, 0, `refused op-${o.key} left nothing`);
    }
    // Every movement has all its lines: they add up to its quantity (negative for an issue).
    const torn = await db.rows(`SELECT m.reference, CAST(m.quantity AS INTEGER) AS quantity, CAST(COALESCE(SUM(l.delta), 0) AS INTEGER) AS lines
      FROM stock_movements m LEFT JOIN stock_movement_lines l ON l.movement_seq = m.seq WHERE m.depot_id = ? GROUP BY m.seq, m.reference, m.quantity, m.type
      HAVING COALESCE(SUM(l.delta), 0) <> CASE WHEN m.type = 'issue' THEN -m.quantity ELSE m.quantity END`, [depot]);
    assert.deepEqual(torn, [], 'no movement without all its lines');
    // The cached balance per lot equals the sum of the ledger's lines, and is never negative.
    const drift = await db.rows(`SELECT b.lot, CAST(b.quantity AS INTEGER) AS cached, CAST((SELECT COALESCE(SUM(l.delta), 0) FROM stock_movement_lines l
      WHERE l.depot_id = b.depot_id AND l.item_id = b.item_id AND l.lot = b.lot) AS INTEGER) AS ledger FROM stock_balances b WHERE b.depot_id = ?`, [depot]);
    assert.ok(drift.length > 0);
    for (const d of drift as Array<{ lot: string; cached: number; ledger: number }>) {
      assert.equal(d.cached, d.ledger, `lot ${d.lot}: cached balance equals the ledger`);
      assert.ok(d.cached >= 0);
    }
    return movements.reduce((s, m) => s + (m.type === 'issue' ? -m.quantity : m.quantity), 0);
  };
  const total = await checkLedger();

  // Restarted on the same database: the API's balance is the ledger's, and the ledger keeps working from there.
  const second = await db.serve();
  const balance = async () => ((await must(second.url, 'GET', `/api/stock/balances?depot=${depot}`, staff.operator)).balances
    .find((b: { item: string }) => b.item === item)?.quantity ?? 0) as number;
  assert.equal(await balance(), total);
  assert.ok(total > 0);
  const all = await call(second.url, 'POST', '/api/stock/movements', staff.operator, { type: 'issue', depot, item, quantity: total, recipient: 'Team 4', reference: 'after-restart' });
  assert.equal(all.status, 201, JSON.stringify(all.body));
  const more = await call(second.url, 'POST', '/api/stock/movements', staff.operator, { type: 'issue', depot, item, quantity: 1, recipient: 'Team 4', reference: 'after-empty' });
  assert.equal(more.status, 409, 'nothing is left once the whole balance was issued');
  assert.equal(await balance(), 0);
  await stop(second);
  assert.equal(await checkLedger(), 0);
});
