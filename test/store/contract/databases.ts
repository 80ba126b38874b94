// Where contract suites get a fresh store of each kind: a SQLite file in a temporary directory, and a PostgreSQL
// schema of its own (dropped afterwards) in REFUGE_TEST_PG (default the local `test` database). PostgreSQL is
// required: a contract suite that silently skipped it would prove nothing.
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../../src/store/sqlite/index.ts';
import { openPostgresStore, type PostgresStore } from '../../../src/store/postgres/index.ts';
import { tempDir } from '../../helpers.ts';

export const PG_URL = process.env.REFUGE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

let n = 0;

export async function freshSqlite(t: any): Promise<SqliteStore> {
  const store = openSqliteStore(join(tempDir(t), 'contract.db'));
  t.after(() => store.close());
  return store;
}

export async function freshPostgres(t: any): Promise<PostgresStore> {
  const schema = `refuge_contract_${process.pid}_${n++}`;
  const store = await openPostgresStore(PG_URL, schema);
  t.after(async () => {
    await store.pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await store.close();
  });
  return store;
}
