// `refuge db copy` carries the SQLite audit log and its seals into PostgreSQL as they are, and the PostgreSQL chain
// goes on from them: both stores compute the same hashes, so the whole log verifies after the move.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { tempDir } from '../helpers.ts';
import { PG_URL } from '../store/contract/databases.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import { AuditSealer, verifyAuditStore } from '../../src/audit/index.ts';
import { keyIdOf } from '../../src/alerts/signing/index.ts';
import { NO_AMENITIES, type Shelter } from '../../src/registry/index.ts';

const at = '2026-01-01T00:00:00.000Z';
const shelter = (id: string): Shelter => ({
  id, name: `Shelter ${id} — Ø`, address: null, lat: 55.68, lon: 12.57, capacity: 10, kind: 'basement', protectionClass: 'A', stepFree: null,
  amenities: { ...NO_AMENITIES }, operator: null, contact: null, access: 'always-open', keyHolderPhone: null, status: 'open', statusSetAt: null,
  statusSetBy: null, occupancy: null, occupancyAt: null, occupancyBy: null, lastVerifiedAt: null, lastVerifiedBy: null, source: null, sourceId: null,
  createdAt: at, updatedAt: at, version: 1, decommissionedAt: null,
});

test('db copy: the SQLite log and seals move to PostgreSQL, and the chain goes on there', async (t) => {
  const file = join(tempDir(t), 'r.db');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key = { privateKey, keyId: keyIdOf(publicKey) };
  const sqlite = openSqliteStore(file);
  await sqlite.shelters.create(shelter('a'), 'x');
  await sqlite.shelters.setWarden('a', 'wendy', true, 'x');
  await new AuditSealer(sqlite.audit, key).sealNow();
  await sqlite.close();

  const schema = `refuge_auditcopy_${process.pid}`;
  t.after(async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try { await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await c.end(); }
  });
  await copyDatabase({ from: file, to: PG_URL, schema });
  const store = await openPostgresStore(PG_URL, schema);
  t.after(() => store.close());
  assert.deepEqual((await store.audit.entries(0, 10)).map((e) => `${e.seq} ${e.table} ${e.op}`), ['1 shelters insert', '2 shelter_wardens insert'], 'copied as they were, the copy itself wrote nothing');
  await store.shelters.create(shelter('b'), 'y');
  const entries = await store.audit.entries(0, 10);
  assert.deepEqual(entries.map((e) => e.seq), [1, 2, 3]);
  assert.equal(entries[2].prevHash, entries[1].hash, 'the PostgreSQL entry follows the copied head');
  const r = await verifyAuditStore(store.audit, { keys: new Map([[key.keyId, publicKey]]) });
  assert.deepEqual([r.ok, r.entries, r.sealsChecked], [true, 3, 1], JSON.stringify(r.firstBad));
});
