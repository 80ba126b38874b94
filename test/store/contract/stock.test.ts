// The stock repository contract on SQLite and on PostgreSQL, port by port (stock.contract.ts) and through the domain
// service (test/stock/stock-repository.contract.ts). `other` is a second connection to the same database: on
// PostgreSQL a second pool, as a second server process would have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import { SqliteStockRepository } from '../../../src/store/sqlite/stock.ts';
import { PostgresStockRepository } from '../../../src/store/postgres/stock.ts';
import { freshPostgres, freshSqlite, PG_URL } from './databases.ts';
import { stockContract, type StockStores } from './stock.contract.ts';
import { stockRepositoryContract } from '../../stock/stock-repository.contract.ts';

async function sqlite(t: any): Promise<StockStores> {
  const store = await freshSqlite(t);
  const second = openSqliteStore(store.db.name);
  t.after(() => second.close());
  return {
    repo: new SqliteStockRepository(store.db),
    other: new SqliteStockRepository(second.db),
    sql: async (text) => {
      const s = store.db.prepare(text);
      if (s.reader) return s.all() as Array<Record<string, unknown>>;
      s.run();
      return [];
    },
  };
}

async function postgres(t: any): Promise<StockStores> {
  const store = await freshPostgres(t);
  const schema = (await store.pool.query('SELECT current_schema() AS s')).rows[0].s as string;
  const second = new pg.Pool({ connectionString: PG_URL, max: 8, options: `-c search_path=${schema},public` });
  t.after(() => second.end());
  return {
    repo: new PostgresStockRepository(store.pool),
    other: new PostgresStockRepository(second),
    sql: async (text) => (await store.pool.query(text)).rows,
  };
}

stockContract('sqlite', sqlite);
stockContract('postgres', postgres);
stockRepositoryContract('sqlite service', async (t) => (await sqlite(t)).repo);
stockRepositoryContract('postgres service', async (t) => (await postgres(t)).repo);

// PostgreSQL guards more than SQLite: balances cannot be written by hand at all, and TRUNCATE is refused too.
test('postgres: only the ledger writes balances; movements cannot be truncated', async (t) => {
  const { repo, sql } = await postgres(t);
  const at = '2026-06-01T12:00:00.000Z';
  await repo.insertDepot({ id: 'A', name: 'A', lat: null, lon: null, region: null, responsible: null, contact: null, createdAt: at, createdBy: null });
  await repo.insertItem({ id: 'i', code: null, name: 'I', category: 'c', unit: 'piece', decimals: 0, tracksLots: false, createdAt: at, createdBy: null });
  await repo.record({ id: 'm', type: 'receipt', depotId: 'A', itemId: 'i', quantity: 2, toDepotId: null, unitId: null, shelterId: null, recipient: null, reason: null,
    reference: null, counted: null, reverses: null, transferId: null, countId: null, actor: null, at }, () => [{ lot: '', expires: null, delta: 2 }]);
  await assert.rejects(sql('UPDATE stock_balances SET quantity = 99'), /kept by the ledger/);
  await assert.rejects(sql("INSERT INTO stock_balances VALUES ('A', 'i', 'x', 5)"), /kept by the ledger/);
  await assert.rejects(sql('DELETE FROM stock_balances'), /kept by the ledger/);
  await assert.rejects(sql('TRUNCATE stock_balances'), /kept by the ledger/);
  await assert.rejects(sql('TRUNCATE stock_movement_lines'), /immutable/);
  await assert.rejects(sql('TRUNCATE stock_movements CASCADE'), /immutable/);
  assert.deepEqual((await repo.balances({})).map((b) => b.quantity), [2]);
});
