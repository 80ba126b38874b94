// A refresh (another process changed shelters) never puts an older version of a record back: a read that began before
// a change and lands after it must not undo the change in memory. Real SQLite file, the stored row set back by hand
// to stand in for that late read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { ShelterRegistry } from '../../src/registry/index.ts';
import { tempDir } from '../helpers.ts';

test('refresh takes a newer stored version and keeps the one in memory when the stored one is older', async (t) => {
  const store = openSqliteStore(join(tempDir(t), 'r.db'));
  t.after(() => store.close());
  const registry = new ShelterRegistry(store.shelters);
  await registry.load();
  const s = await registry.create({ name: 'Metro Nørreport', lat: 55.683, lon: 12.571, capacity: 200 }, 'olga');
  await registry.setStatus(s.id, 'open', 'olga');
  const v2 = registry.get(s.id)!;
  assert.equal(v2.version, 2);

  // Another process wrote version 3: taken in.
  store.db.prepare("UPDATE shelters SET status = 'full', version = 3 WHERE id = ?").run(s.id);
  assert.equal(await registry.refresh([s.id]), 1);
  assert.equal(registry.get(s.id)!.status, 'full');

  // A late read hands back version 2 (older than memory): ignored.
  store.db.prepare("UPDATE shelters SET status = 'open', version = 2 WHERE id = ?").run(s.id);
  assert.equal(await registry.refresh([s.id]), 0);
  assert.equal(registry.get(s.id)!.status, 'full');
  assert.equal(registry.get(s.id)!.version, 3);
});
