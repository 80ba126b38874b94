// The stock contract on SQLite, and what is particular to it: immutability and the non-negative CHECK enforced by the
// schema, the cached balance always equal to the ledger, and two processes racing on one database file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { SqliteStockRepository } from '../../src/store/sqlite/stock.ts';
import { StockService, StockError } from '../../src/stock/index.ts';
import { Accounts } from '../../src/accounts/index.ts';
import { stockRepositoryContract } from './stock-repository.contract.ts';
import { tempDir, ROOT } from '../helpers.ts';

stockRepositoryContract('sqlite', async (t) => {
  const store = openSqliteStore(join(tempDir(t), 'stock.db'));
  t.after(() => store.close());
  return new SqliteStockRepository(store.db);
});

function open(t: any) {
  const store = openSqliteStore(join(tempDir(t), 'stock.db'));
  t.after(() => store.close());
  const repo = new SqliteStockRepository(store.db);
  return { store, repo, service: new StockService(repo, {}, () => new Date('2026-06-01T00:00:00Z')) };
}

test('sqlite: movements cannot be updated or deleted, and the balance cannot be written below zero, even by hand', async (t) => {
  const { store, service } = open(t);
  const d = await service.createDepot({ name: 'D' }, null);
  const i = await service.createItem({ name: 'I', category: 'c', unit: 'piece' }, null);
  const m = await service.post({ type: 'receipt', depot: d.id, item: i.id, quantity: 2 }, null);
  assert.throws(() => store.db.prepare('UPDATE stock_movements SET quantity = 5 WHERE id = ?').run(m.id), /immutable/);
  assert.throws(() => store.db.prepare('DELETE FROM stock_movements WHERE id = ?').run(m.id), /immutable/);
  assert.throws(() => store.db.prepare('UPDATE stock_movement_lines SET delta = 5').run(), /immutable/);
  assert.throws(() => store.db.prepare('DELETE FROM stock_movement_lines').run(), /immutable/);
  assert.throws(() => store.db.prepare('INSERT INTO stock_movement_lines (movement_seq, depot_id, item_id, lot, delta) VALUES (?, ?, ?, ?, ?)').run(m.seq, d.id, i.id, 'x', -1), /CHECK/);
  assert.equal(store.db.prepare('SELECT SUM(quantity) FROM stock_balances').pluck().get(), 2);
});

test('sqlite: the cached balance always equals the sum of the ledger (random movements, refused ones included)', async (t) => {
  const { store, service } = open(t);
  const depots = [(await service.createDepot({ name: 'D1' }, null)).id, (await service.createDepot({ name: 'D2' }, null)).id];
  const items = [
    (await service.createItem({ name: 'Plain', category: 'c', unit: 'piece' }, null)).id,
    (await service.createItem({ name: 'Lots', category: 'c', unit: 'box', tracksLots: true }, null)).id,
  ];
  const lots = ['A', 'B', 'C'];
  const expiries: Record<string, string> = { A: '2026-05-01', B: '2026-07-01', C: '2027-01-01' };
  const op = fc.record({
    type: fc.constantFrom('receipt', 'issue', 'return', 'transfer', 'adjustment', 'write-off', 'reverse'),
    depot: fc.nat(1), item: fc.nat(1), quantity: fc.integer({ min: 1, max: 12 }), lot: fc.option(fc.constantFrom(...lots)), counted: fc.option(fc.integer({ min: 0, max: 20 })),
  });
  const ledgerEqualsCache = () => {
    const diff = store.db.prepare(`SELECT COUNT(*) FROM (
        SELECT depot_id, item_id, lot, SUM(delta) AS q FROM stock_movement_lines GROUP BY depot_id, item_id, lot) l
      FULL OUTER JOIN stock_balances b USING (depot_id, item_id, lot) WHERE COALESCE(l.q, 0) <> COALESCE(b.quantity, 0)`).pluck().get();
    const negative = store.db.prepare('SELECT COUNT(*) FROM stock_balances WHERE quantity < 0').pluck().get();
    return diff === 0 && negative === 0;
  };
  let refused = 0;
  let done = 0;
  await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
    for (const o of ops) {
      const item = items[o.item];
      const tracked = o.item === 1;
      const lot = tracked ? (o.lot ?? 'A') : undefined;
      const body: Record<string, unknown> = { type: o.type, depot: depots[o.depot], item, quantity: o.quantity };
      try {
        if (o.type === 'reverse') {
          const last = (await service.repo.listMovements({ limit: 1 }))[0];
          if (last) await service.reverse(last.id, { reason: 'test' }, null);
        } else if (o.type === 'receipt' || o.type === 'return') {
          await service.post({ ...body, lot, expires: lot ? expiries[lot] : undefined }, null);
        } else if (o.type === 'adjustment') {
          await service.post(o.counted !== null ? { type: 'adjustment', depot: depots[o.depot], item, lot, counted: o.counted, reason: 'count' } : { ...body, lot, quantity: -o.quantity, reason: 'loss' }, null);
        } else if (o.type === 'transfer') {
          const m = await service.post({ ...body, toDepot: depots[1 - o.depot], lot: tracked ? o.lot ?? undefined : undefined }, null);
          await service.receive(m.transferId!, o.counted === null ? {} : { lines: [], reason: 'x' }, null);
        } else {
          await service.post({ ...body, lot: tracked ? o.lot ?? undefined : undefined, recipient: o.type === 'issue' ? 'r' : undefined, reason: o.type === 'write-off' ? 'damaged' : undefined }, null);
        }
        done++;
      } catch (e) {
        if (!(e instanceof StockError)) throw e;
        refused++;
      }
      if (!ledgerEqualsCache()) return false;
    }
    return true;
  }), { numRuns: 40, seed: 1313 });
  assert.ok(done > 100 && refused > 10, `the random walk did something (${done} done, ${refused} refused)`);
});

async function child(db: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/stock/serve-child.ts'), db], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.once('line', (l) => resolve(l.trim()));
    proc.once('exit', (c) => reject(new Error(`server process exited with ${c}`)));
  });
  return { proc, url };
}

test('sqlite: two server processes on one database file racing to issue: exactly the stock there is goes out', async (t) => {
  const db = join(tempDir(t), 'shared.db');
  const store = openSqliteStore(db);
  const accounts = new Accounts(store.accounts);
  await accounts.createUser('operator', 'operator', 'operator-password-long');
  const token = await accounts.createApiToken('operator');
  const repo = new SqliteStockRepository(store.db);
  const service = new StockService(repo);
  const depot = await service.createDepot({ name: 'Shared depot' }, 'setup');
  const item = await service.createItem({ name: 'Sandbag', category: 'flood', unit: 'piece' }, 'setup');
  await service.post({ type: 'receipt', depot: depot.id, item: item.id, quantity: 50 }, 'setup');
  const servers = await Promise.all([child(db), child(db)]);
  t.after(() => { for (const s of servers) s.proc.kill('SIGTERM'); store.close(); });
  const results = await Promise.all(Array.from({ length: 100 }, async (_, i) => {
    const res = await fetch(`${servers[i % 2].url}/api/stock/movements`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ type: 'issue', depot: depot.id, item: item.id, quantity: 1, recipient: `crew ${i}` }),
    });
    await res.text();
    return { status: res.status, via: i % 2 };
  }));
  const ok = results.filter((r) => r.status === 201);
  assert.equal(ok.length, 50, JSON.stringify(results.map((r) => r.status)));
  assert.equal(results.filter((r) => r.status === 409).length, 50);
  assert.ok(ok.some((r) => r.via === 0) && ok.some((r) => r.via === 1), 'both processes issued some');
  assert.equal(store.db.prepare('SELECT quantity FROM stock_balances WHERE depot_id = ? AND item_id = ?').pluck().get(depot.id, item.id), 0);
  assert.equal(store.db.prepare("SELECT COUNT(*) FROM stock_movements WHERE type = 'issue'").pluck().get(), 50);
  assert.equal(store.db.prepare('SELECT SUM(delta) FROM stock_movement_lines').pluck().get(), 0);
});
