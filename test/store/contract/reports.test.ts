// The ReportRepository contract against SQLite and PostgreSQL (a schema of its own per test).
import { reportRepositoryContract } from './reports.contract.ts';
import { freshPostgres, freshSqlite } from './databases.ts';
import { SqliteReportRepository } from '../../../src/store/sqlite/reports.ts';
import { PostgresReportRepository } from '../../../src/store/postgres/reports.ts';

reportRepositoryContract('sqlite', async (t) => {
  const store = await freshSqlite(t);
  return { reports: new SqliteReportRepository(store.db), shelters: store.shelters };
});
reportRepositoryContract('postgres', async (t) => {
  const store = await freshPostgres(t);
  return { reports: new PostgresReportRepository(store.pool), shelters: store.shelters };
});
