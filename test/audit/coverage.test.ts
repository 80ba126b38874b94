// What the audit log covers, checked against both real schemas: every table is either audited or left out with a
// reason (a new table cannot slip out of the log unnoticed), every audited table has its triggers on both stores, and
// an entry names the same fields on SQLite and PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDITED_TABLES, NOT_AUDITED } from '../../src/audit/index.ts';
import { freshPostgres, freshSqlite } from '../store/contract/databases.ts';

test('every table of both stores is audited or left out with a reason; triggers and logged fields agree', async (t) => {
  const sqlite = await freshSqlite(t);
  const pg = await freshPostgres(t);
  const sqliteTables = sqlite.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").pluck().all() as string[];
  const pgTables = (await pg.pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`, [pg.schema])).rows.map((r) => r.table_name as string);
  const audited = new Set(AUDITED_TABLES.map((a) => a.table));
  for (const [store, tables] of [['sqlite', sqliteTables], ['postgres', pgTables]] as const) {
    const unclassified = tables.filter((name) => !audited.has(name) && !(name in NOT_AUDITED));
    assert.deepEqual(unclassified, [], `${store}: add these to AUDITED_TABLES or NOT_AUDITED in src/audit/coverage.ts`);
    assert.deepEqual([...audited].filter((name) => !tables.includes(name)), [], `${store}: audited tables that do not exist`);
  }
  assert.deepEqual(Object.keys(NOT_AUDITED).filter((name) => audited.has(name)), [], 'no table is in both lists');

  const sqliteTriggers = new Set(sqlite.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]);
  const pgTriggers = new Set((await pg.pool.query(`SELECT cl.relname || '.' || t.tgname AS id FROM pg_trigger t JOIN pg_class cl ON cl.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal`, [pg.schema])).rows.map((r) => r.id as string));
  for (const a of AUDITED_TABLES) {
    for (const op of ['insert', 'update', 'delete']) {
      assert.ok(sqliteTriggers.has(`audit_${a.table}_${op}`), `sqlite: ${a.table} ${op} trigger`);
      assert.ok(pgTriggers.has(`${a.table}.audit_${op}`), `postgres: ${a.table} ${op} trigger`);
    }
    const sqliteColumns = (sqlite.db.prepare(`PRAGMA table_info("${a.table}")`).all() as Array<{ name: string }>).map((c) => c.name);
    const pgColumns = (await pg.pool.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND is_generated <> 'ALWAYS'`, [pg.schema, a.table])).rows.map((r) => r.column_name as string);
    const logged = (cols: string[]) => cols.filter((c) => !a.ignore?.includes(c)).sort();
    assert.deepEqual(logged(pgColumns), logged(sqliteColumns), `${a.table}: the same fields in an entry on both stores`);
    for (const k of [...a.key, ...(a.secret ?? []), ...(a.digest ?? [])]) assert.ok(sqliteColumns.includes(k), `${a.table}.${k} exists`);
  }
});
