// Migration 106 on a database that already holds photos: they read back without a caption (null) and in the order
// they were added; a new photo goes after them, and a reorder then holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../src/store/sqlite/index.ts';
import { SqliteShelterRepository } from '../../src/store/sqlite/shelters.ts';
import { ROOT, tempDir } from '../helpers.ts';

test('sqlite 106_photo_captions: photos stored before it have no caption and keep their order', async (t) => {
  const dir = tempDir(t);
  const all = join(ROOT, 'src', 'store', 'sqlite', 'migrations');
  const older = join(dir, 'older');
  mkdirSync(older);
  for (const f of readdirSync(all)) if (f < '106') copyFileSync(join(all, f), join(older, f));
  const db = new Database(join(dir, 'x.db'));
  t.after(() => db.close());
  migrate(db, older);
  db.prepare(`INSERT INTO shelters (id, name, lat, lon, capacity, kind, protection_class, amenities, access, status, created_at, updated_at, version)
    VALUES ('old', 'Before captions', 55.6, 12.5, 50, 'basement', 'A', '{}', 'unknown', 'open', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 1)`).run();
  const add = db.prepare(`INSERT INTO shelter_photos (id, shelter_id, content_type, size, data, created_at) VALUES (?, 'old', 'image/png', 1, x'00', ?)`);
  // Ids against their time order: the order read back must follow the time they were added.
  add.run('z-first', '2025-01-01T00:00:01Z');
  add.run('a-second', '2025-01-01T00:00:02Z');
  const applied = migrate(db, all);
  assert.equal(applied[0], '106_photo_captions');
  assert.deepEqual(migrate(db, all), [], 'applied once');
  const repo = new SqliteShelterRepository(db);
  assert.deepEqual((await repo.get('old'))!.photos!.map((p) => [p.id, p.caption]), [['z-first', null], ['a-second', null]]);
  const added = await repo.addPhoto('old', { id: 'm-third', contentType: 'image/png', size: 1, addedAt: '2025-01-01T00:00:00Z', caption: 'New' }, Buffer.from([0]), 'op');
  assert.deepEqual(added!.photos!.map((p) => p.id), ['z-first', 'a-second', 'm-third'], 'a new photo goes last even if its time is earlier');
  const reordered = await repo.reorderPhotos('old', ['m-third', 'a-second', 'z-first'], 'op');
  assert.deepEqual(reordered!.photos!.map((p) => p.id), ['m-third', 'a-second', 'z-first']);
  assert.deepEqual((await repo.list()).find((s) => s.id === 'old')!.photos!.map((p) => p.id), ['m-third', 'a-second', 'z-first']);
});
