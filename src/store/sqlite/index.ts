// The embedded store: one SQLite file, every repository over one connection.
import { openDatabase, type Db } from './db.ts';
import { SqliteShelterRepository } from './shelters.ts';
import { SqliteAccountRepository } from './accounts.ts';

export interface SqliteStore {
  db: Db;
  path: string;
  shelters: SqliteShelterRepository;
  accounts: SqliteAccountRepository;
  close(): void;
}

export function openSqliteStore(path: string): SqliteStore {
  const db = openDatabase(path);
  return {
    db, path,
    shelters: new SqliteShelterRepository(db),
    accounts: new SqliteAccountRepository(db),
    close: () => db.close(),
  };
}
export { openDatabase, migrate, type Db } from './db.ts';
