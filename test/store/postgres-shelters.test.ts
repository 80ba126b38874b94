// The same repository contract against a real PostgreSQL (REFUGE_TEST_PG, default the local test database).
// Each test gets a schema of its own, dropped afterwards.
import { test } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { shelterRepositoryContract } from './contract/shelters.contract.ts';

const URL = process.env.REFUGE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<string | null> {
  const c = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 2000 });
  try { await c.connect(); await c.end(); return null; } catch (e) { return (e as Error).message; }
}

const why = await reachable();
if (why) {
  test('postgres shelter repository', (t) => t.skip(`PostgreSQL at ${URL} is not reachable (${why})`));
} else {
  let n = 0;
  shelterRepositoryContract('postgres', async (t) => {
    const schema = `refuge_test_${process.pid}_${n++}`;
    const store = await openPostgresStore(URL, schema);
    t.after(async () => {
      await store.pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await store.close();
    });
    return store.shelters;
  });
}
