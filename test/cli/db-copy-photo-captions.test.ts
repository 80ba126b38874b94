// `refuge db copy` carries photo captions and the operator's order of the photos (migration 106) from SQLite to
// PostgreSQL: the shelter read back from the copy has the same photos, captions and order as the original.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pg from 'pg';
import { tempDir } from '../helpers.ts';
import { PG_URL } from '../store/contract/databases.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import { openStore } from '../../src/store/open-store.ts';
import { NO_AMENITIES, type Shelter } from '../../src/registry/index.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 7)]);

test('db copy carries photo captions (any script, or none) and the photos\' order', async (t) => {
  const file = join(tempDir(t), 'refuge.db');
  const at = '2026-12-01T10:00:00.000Z';
  const shelter: Shelter = {
    id: 's1', name: 'Shelter', address: null, lat: 55.67, lon: 12.56, capacity: 100, kind: 'basement', protectionClass: 'unknown', stepFree: null,
    amenities: { ...NO_AMENITIES }, operator: null, contact: null, access: 'unknown', keyHolderPhone: null, status: 'open',
    statusSetAt: null, statusSetBy: null, occupancy: null, occupancyAt: null, occupancyBy: null, lastVerifiedAt: null, lastVerifiedBy: null,
    source: null, sourceId: null, createdAt: at, updatedAt: at, version: 1, decommissionedAt: null,
  };
  const src = await openStore(file);
  await src.shelters.create(shelter, 'op');
  const captions = ['The entrance is the green door left of the pharmacy', 'المدخل هو الباب الأخضر على يسار الصيدلية', null];
  for (const [i, caption] of captions.entries()) {
    await src.shelters.addPhoto('s1', { id: `p${i}`, contentType: 'image/png', size: PNG.length, addedAt: `2026-12-02T09:0${i}:00.000Z`, caption }, PNG, 'op');
  }
  await src.shelters.reorderPhotos('s1', ['p2', 'p0', 'p1'], 'op');
  const original = await src.shelters.get('s1');
  await src.close();
  assert.deepEqual(original?.photos?.map((p) => [p.id, p.caption]), [['p2', null], ['p0', captions[0]], ['p1', captions[1]]]);

  const schema = `refuge_dbcopy_captions_${process.pid}`;
  t.after(async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try { await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await c.end(); }
  });
  await copyDatabase({ from: file, to: PG_URL, schema });
  const target = await openStore(PG_URL, { schema });
  t.after(() => target.close());
  const copied = await target.shelters.get('s1');
  assert.deepEqual(copied?.photos, original?.photos, 'captions and order arrive as they were');
  assert.equal(copied?.version, original?.version);
});
