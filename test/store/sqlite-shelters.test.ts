import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStore, openDatabase } from '../../src/store/sqlite/index.ts';
import { shelterRepositoryContract } from './contract/shelters.contract.ts';
import { tempDir } from '../helpers.ts';

shelterRepositoryContract('sqlite', async (t) => {
  const store = openSqliteStore(join(tempDir(t), 'x.db'));
  t.after(() => store.close());
  return store.shelters;
});

test('sqlite: WAL, foreign keys, and migrations applied once', (t) => {
  const path = join(tempDir(t), 'x.db');
  const db = openDatabase(path);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  const versions = db.prepare('SELECT version FROM schema_migrations').pluck().all();
  assert.ok(versions.includes('001_foundation'));
  db.close();
  const again = openDatabase(path);
  assert.deepEqual(again.prepare('SELECT version FROM schema_migrations').pluck().all(), versions);
  again.close();
});
