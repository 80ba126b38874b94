// A pooled connection that the server ends in the middle of a transaction (a failover, pg_terminate_backend) must fail
// that transaction, not crash the process: between two queries the checked-out connection's 'error' event has no
// pool listener, and an unhandled 'error' kills Node. Found when a server process died in the multi-process test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { withTransaction } from '../../src/store/postgres/tx.ts';
import { PG_URL } from './contract/databases.ts';

test('a connection terminated between two queries of a transaction fails the transaction; the pool carries on', async (t) => {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 2 });
  pool.on('error', () => {});
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  t.after(async () => { await admin.end(); await pool.end(); });
  let crashed: unknown = null;
  const onUncaught = (err: unknown) => { crashed = err; };
  process.on('uncaughtException', onUncaught);
  t.after(() => { process.off('uncaughtException', onUncaught); });

  await assert.rejects(withTransaction(pool, async (c) => {
    const pid = (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await new Promise((res) => setTimeout(res, 300)); // the connection's end arrives while no query is running
    await c.query('SELECT 1');
  }));
  assert.equal(crashed, null, `no uncaught error: ${String(crashed)}`);
  assert.equal((await pool.query('SELECT 41 + 1 AS n')).rows[0].n, 42, 'the next query gets a fresh connection');
});
