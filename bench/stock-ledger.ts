// Stock ledger: movements per second through the service (each its own BEGIN IMMEDIATE transaction, synchronous=FULL
// as the server runs it), and the balance query for a depot with 100,000 movements: the trigger-kept balance table
// vs the ledger summed through its index vs a naive baseline (SUM over the whole ledger, no index), with the ratio.
// Run: node --import tsx bench/stock-ledger.ts [movements=100000] [single=3000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { SqliteStockRepository } from '../src/store/sqlite/stock.ts';
import { StockService, StockReports, planPut, planTake, type MovementDraft } from '../src/stock/index.ts';

const TOTAL = Number(process.argv[2] ?? 100_000);
const SINGLE = Number(process.argv[3] ?? 3_000);
const ITEMS = 50;
const dir = mkdtempSync(join(tmpdir(), 'refuge-stock-bench-'));
const store = openSqliteStore(join(dir, 'bench.db'));
const repo = new SqliteStockRepository(store.db);
const service = new StockService(repo, {}, () => new Date('2026-06-01T00:00:00Z'));
const reports = new StockReports(repo, () => service.today());

const depot = await service.createDepot({ name: 'Bench depot' }, 'bench');
const other = await service.createDepot({ name: 'Other depot' }, 'bench');
const items: string[] = [];
for (let i = 0; i < ITEMS; i++) items.push((await service.createItem({ name: `Item ${i}`, category: `cat ${i % 5}`, unit: 'piece', tracksLots: i % 2 === 0 }, 'bench')).id);
const lotOf = (i: number, n: number) => (i % 2 === 0 ? { lot: `L${n % 8}`, expires: `2027-0${1 + (n % 8)}-01` } : {});

// 1. Single movements through the service, one transaction each (what an HTTP request does): receipts and FEFO issues.
let t = performance.now();
for (let n = 0; n < SINGLE; n++) {
  const i = n % ITEMS;
  if (n % 3 === 2) await service.post({ type: 'issue', depot: depot.id, item: items[(n - 2) % ITEMS], quantity: 1, recipient: 'bench' }, 'bench');
  else await service.post({ type: 'receipt', depot: depot.id, item: items[i], quantity: 5, ...lotOf(i, n) }, 'bench');
}
const singleMs = performance.now() - t;

// 2. The rest of the 100,000 in batches of 1,000 per transaction (as an import does), to build the big ledger.
t = performance.now();
let made = SINGLE;
const draft = (type: 'receipt' | 'issue', item: string, quantity: number, d = depot.id): MovementDraft => ({
  id: randomUUID(), type, depotId: d, itemId: item, quantity, toDepotId: null, unitId: null, shelterId: null, recipient: type === 'issue' ? 'bench' : null,
  reason: null, reference: null, counted: null, reverses: null, transferId: null, countId: null, actor: 'bench', at: new Date().toISOString(),
});
while (made < TOTAL) {
  const steps = [];
  for (let k = 0; k < 1000 && made < TOTAL; k++, made++) {
    const i = made % ITEMS;
    const l = lotOf(i, made);
    if (made % 3 === 2) steps.push({ draft: draft('issue', items[(made - 2) % ITEMS], 1), plan: (b: Parameters<typeof planTake>[0]) => planTake(b, 1, { today: '2026-06-01' }) });
    else steps.push({ draft: draft('receipt', items[i], 5), plan: () => planPut(l.lot ?? '', l.expires ?? null, 5) });
  }
  await repo.recordAll(steps);
}
const batchMs = performance.now() - t;
// Some movements in another depot, so "the whole ledger" is not just this depot.
await repo.recordAll(Array.from({ length: 5000 }, (_, n) => ({ draft: draft('receipt', items[n % ITEMS], 1, other.id), plan: () => planPut(lotOf(n % ITEMS, n).lot ?? '', lotOf(n % ITEMS, n).expires ?? null, 1) })));

const ledgerLines = store.db.prepare('SELECT COUNT(*) FROM stock_movement_lines').pluck().get() as number;
const movements = store.db.prepare('SELECT COUNT(*) FROM stock_movements WHERE depot_id = ?').pluck().get(depot.id) as number;

function time(label: string, runs: number, f: () => unknown): { label: string; medianMs: number; p95Ms: number } {
  for (let i = 0; i < 3; i++) f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    f();
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  return { label, medianMs: ms[Math.floor(runs / 2)], p95Ms: ms[Math.floor(runs * 0.95)] };
}

const cached = store.db.prepare('SELECT item_id, lot, quantity FROM stock_balances WHERE depot_id = ?');
const indexed = store.db.prepare('SELECT item_id, lot, SUM(delta) FROM stock_movement_lines WHERE depot_id = ? GROUP BY item_id, lot');
const naive = store.db.prepare('SELECT item_id, lot, SUM(delta) FROM stock_movement_lines NOT INDEXED WHERE depot_id = ? GROUP BY item_id, lot');
// The three agree (the bench checks, so a fast wrong answer cannot win).
const key = (rows: unknown[][]) => JSON.stringify(rows.map((r) => r.join('|')).sort());
const a = key(cached.raw().all(depot.id) as unknown[][]);
if (a !== key(indexed.raw().all(depot.id) as unknown[][]) || a !== key(naive.raw().all(depot.id) as unknown[][])) throw new Error('balances disagree with the ledger');

let sink = 0;
const rCached = time('cached balance table (what GET /api/stock/balances reads)', 200, () => (sink += cached.all(depot.id).length));
const rService = await (async () => {
  const ms: number[] = [];
  for (let i = 0; i < 103; i++) { const s = performance.now(); sink += (await reports.balances(depot.id)).rows.length; if (i >= 3) ms.push(performance.now() - s); }
  ms.sort((x, y) => x - y);
  return { label: 'the whole balances report (service, items and depots joined)', medianMs: ms[50], p95Ms: ms[95] };
})();
const rIndexed = time('ledger summed through its index', 20, () => (sink += indexed.all(depot.id).length));
const rNaive = time('naive: SUM over the whole ledger, no index', 20, () => (sink += naive.all(depot.id).length));

console.log(`stock ledger bench — ${cpus().length} x ${cpus()[0]?.model ?? '?'}; node ${process.version}`);
console.log(`single movements (one BEGIN IMMEDIATE each, synchronous=FULL): ${SINGLE} in ${(singleMs / 1000).toFixed(2)} s = ${Math.round(SINGLE / (singleMs / 1000))} movements/s`);
console.log(`batched movements (1,000 per transaction): ${TOTAL - SINGLE} in ${(batchMs / 1000).toFixed(2)} s = ${Math.round((TOTAL - SINGLE) / (batchMs / 1000))} movements/s`);
console.log(`depot: ${movements} movements; ledger: ${ledgerLines} lines in all; ${ITEMS} items, half with 8 lots`);
for (const r of [rCached, rService, rIndexed, rNaive]) console.log(`  ${r.label}: median ${r.medianMs.toFixed(3)} ms, p95 ${r.p95Ms.toFixed(3)} ms`);
console.log(`ratio naive / cached: ${(rNaive.medianMs / rCached.medianMs).toFixed(0)}x; naive / indexed ledger sum: ${(rNaive.medianMs / rIndexed.medianMs).toFixed(1)}x; naive / whole report: ${(rNaive.medianMs / rService.medianMs).toFixed(1)}x`);
if (sink < 0) console.log(sink);
store.close();
rmSync(dir, { recursive: true, force: true });
