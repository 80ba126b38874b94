// The regimes contract against SQLite and PostgreSQL (a schema of its own per test).
import { regimesContract } from './regimes.contract.ts';
import { freshPostgres, freshSqlite } from './databases.ts';
import { SqliteRegimeRepository } from '../../../src/store/sqlite/regimes.ts';
import { PostgresRegimeRepository } from '../../../src/store/postgres/regimes.ts';

regimesContract('sqlite', async (t) => new SqliteRegimeRepository((await freshSqlite(t)).db));
regimesContract('postgres', async (t) => new PostgresRegimeRepository((await freshPostgres(t)).pool));
