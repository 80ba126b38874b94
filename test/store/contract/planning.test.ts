// The planning repositories' contract on SQLite and on PostgreSQL. `otherPopulation` is a second connection to the
// same database: on PostgreSQL a second pool, as a second server process would have.
import pg from 'pg';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import { SqlitePlanRepository } from '../../../src/store/sqlite/planning.ts';
import { SqlitePopulationRepository } from '../../../src/store/sqlite/population.ts';
import { PostgresPlanRepository, PostgresPopulationRepository } from '../../../src/store/postgres/planning.ts';
import { freshPostgres, freshSqlite, PG_URL } from './databases.ts';
import { planningContract } from './planning.contract.ts';

planningContract('sqlite', async (t) => {
  const store = await freshSqlite(t);
  const second = openSqliteStore(store.db.name);
  t.after(() => second.close());
  return { plans: new SqlitePlanRepository(store.db), population: new SqlitePopulationRepository(store.db), otherPopulation: new SqlitePopulationRepository(second.db) };
});

planningContract('postgres', async (t) => {
  const store = await freshPostgres(t);
  const schema = (await store.pool.query('SELECT current_schema() AS s')).rows[0].s as string;
  const second = new pg.Pool({ connectionString: PG_URL, max: 2, options: `-c search_path=${schema},public` });
  t.after(() => second.end());
  return { plans: new PostgresPlanRepository(store.pool), population: new PostgresPopulationRepository(store.pool), otherPopulation: new PostgresPopulationRepository(second) };
});
