// The AccountRepository contract against SQLite and PostgreSQL (a schema of its own per test).
import { accountRepositoryContract } from './accounts.contract.ts';
import { freshPostgres, freshSqlite } from './databases.ts';
import { PostgresAccountRepository } from '../../../src/store/postgres/accounts.ts';

accountRepositoryContract('sqlite', async (t) => (await freshSqlite(t)).accounts);
accountRepositoryContract('postgres', async (t) => new PostgresAccountRepository((await freshPostgres(t)).pool));
