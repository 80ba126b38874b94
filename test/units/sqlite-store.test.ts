// The units store contract against a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { SqliteCallUpRepository, SqliteUnitRepository } from '../../src/store/sqlite/units.ts';
import { SqliteRegimeRepository } from '../../src/store/sqlite/regimes.ts';
import { unitStoreContract } from './store.contract.ts';

unitStoreContract('sqlite', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'refuge-units-'));
  const store = openSqliteStore(join(dir, 'u.db'));
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { units: new SqliteUnitRepository(store.db), callups: new SqliteCallUpRepository(store.db), regimes: new SqliteRegimeRepository(store.db) };
});
