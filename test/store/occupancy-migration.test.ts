// Migration 045 on a database that already holds shelters: they read back with occupancy unknown (null), not 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../src/store/sqlite/index.ts';
import { SqliteShelterRepository } from '../../src/store/sqlite/shelters.ts';
import { ROOT, tempDir } from '../helpers.ts';

test('sqlite 045_occupancy: shelters stored before it have occupancy null, and it is applied once', async (t) => {
  const dir = tempDir(t);
  const all = join(ROOT, 'src', 'store', 'sqlite', 'migrations');
  const older = join(dir, 'older');
  mkdirSync(older);
  for (const f of readdirSync(all)) if (f < '045') copyFileSync(join(all, f), join(older, f));
  const db = new Database(join(dir, 'x.db'));
  t.after(() => db.close());
  migrate(db, older);
  db.prepare(`INSERT INTO shelters (id, name, lat, lon, capacity, kind, protection_class, amenities, access, status, created_at, updated_at, version)
    VALUES ('old', 'Before occupancy', 55.6, 12.5, 50, 'basement', 'A', '{}', 'unknown', 'open', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 1)`).run();
  // 045 and whatever came after it, in order (later migrations must not break this test).
  const applied = migrate(db, all);
  assert.equal(applied[0], '045_occupancy');
  assert.deepEqual(applied, readdirSync(all).filter((f) => f.endsWith('.sql') && f >= '045').map((f) => f.replace(/\.sql$/, '')).sort());
  assert.deepEqual(migrate(db, all), [], 'applied once');
  const s = (await new SqliteShelterRepository(db).get('old'))!;
  assert.deepEqual([s.occupancy, s.occupancyAt, s.occupancyBy], [null, null, null]);
  assert.throws(() => db.prepare("UPDATE shelters SET occupancy = -1 WHERE id = 'old'").run(), /CHECK constraint/);
});
