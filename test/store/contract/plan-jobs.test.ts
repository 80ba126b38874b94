// The planning jobs' contract on SQLite and on PostgreSQL, each with a second connection as another process has.
import pg from 'pg';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import { SqlitePlanJobRepository } from '../../../src/store/sqlite/plan-jobs.ts';
import { PostgresPlanJobRepository } from '../../../src/store/postgres/plan-jobs.ts';
import { freshPostgres, freshSqlite, PG_URL } from './databases.ts';
import { planJobsContract } from './plan-jobs.contract.ts';

planJobsContract('sqlite', async (t) => {
  const store = await freshSqlite(t);
  const second = openSqliteStore(store.db.name);
  t.after(() => second.close());
  return { jobs: store.planJobs, plans: store.plans, other: new SqlitePlanJobRepository(second.db) };
});

planJobsContract('postgres', async (t) => {
  const store = await freshPostgres(t);
  const schema = (await store.pool.query('SELECT current_schema() AS s')).rows[0].s as string;
  const second = new pg.Pool({ connectionString: PG_URL, max: 4, options: `-c search_path=${schema},public` });
  t.after(() => second.end());
  return { jobs: store.planJobs, plans: store.plans, other: new PostgresPlanJobRepository(second) };
});
