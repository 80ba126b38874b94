// The units and call-ups contract against SQLite and PostgreSQL (a schema of its own per test).
import { unitsContract } from './units.contract.ts';
import { freshPostgres, freshSqlite } from './databases.ts';
import { SqliteCallUpRepository, SqliteUnitRepository } from '../../../src/store/sqlite/units.ts';
import { PostgresCallUpRepository, PostgresUnitRepository } from '../../../src/store/postgres/units.ts';

const state = (r: { pushed_at: string | null; pushed: number } | undefined) => ({ pushedAt: r?.pushed_at ?? null, pushed: r?.pushed ?? 0 });

unitsContract('sqlite', async (t) => {
  const { db } = await freshSqlite(t);
  return {
    units: new SqliteUnitRepository(db), callups: new SqliteCallUpRepository(db),
    pushState: async (c, m) => state(db.prepare('SELECT pushed_at, pushed FROM callup_recipients WHERE callup_id = ? AND member_id = ?').get(c, m) as never),
  };
});

unitsContract('postgres', async (t) => {
  const { pool } = await freshPostgres(t);
  return {
    units: new PostgresUnitRepository(pool), callups: new PostgresCallUpRepository(pool),
    pushState: async (c, m) => state((await pool.query('SELECT pushed_at, pushed FROM callup_recipients WHERE callup_id = $1 AND member_id = $2', [c, m])).rows[0]),
  };
});
