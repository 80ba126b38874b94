// The contract of the audit log on every store (audit.test.ts runs it on SQLite and PostgreSQL): every change to an
// audited table made through the ports is an entry, written in the change's own transaction (a rolled-back change
// leaves none), chained by hash, without secrets; and verification names the first entry an attacker with raw SQL
// access edited, removed, inserted or moved, and a seal that no longer matches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { Store } from '../../../src/store/store.ts';
import { NO_AMENITIES, type Shelter } from '../../../src/registry/index.ts';
import type { MovementDraft } from '../../../src/stock/model.ts';
import { AuditSealer, entryHash, recordLog, verifyAuditStore, type AuditEntry } from '../../../src/audit/index.ts';
import { keyIdOf } from '../../../src/alerts/signing/index.ts';

export interface AuditFixture {
  store: Store;
  /** Raw SQL on the store's database, `?` placeholders: what an attacker with the database would run. */
  sql(text: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  /** Drops the append-only guards of audit_log, as such an attacker would first. */
  unguard(): Promise<void>;
}

const T0 = '2026-01-01T00:00:00.000Z';

function shelter(id: string, over: Partial<Shelter> = {}): Shelter {
  return {
    id, name: `Shelter ${id}`, address: 'Somewhere 1', lat: 55.68, lon: 12.57, capacity: 100, kind: 'basement', protectionClass: 'A',
    stepFree: true, amenities: { ...NO_AMENITIES, water: true }, operator: null, contact: null, access: 'always-open', keyHolderPhone: null,
    status: 'open', statusSetAt: null, statusSetBy: null, occupancy: null, occupancyAt: null, occupancyBy: null, lastVerifiedAt: null,
    lastVerifiedBy: null, source: null, sourceId: null, createdAt: T0, updatedAt: T0, version: 1, decommissionedAt: null, ...over,
  };
}

const event = (action: string, subject: string) => ({ at: T0, actor: 'admin', via: 'local' as const, action, subject, detail: {} });

const all = async (store: Store): Promise<AuditEntry[]> => store.audit.entries(0, 100_000);
const summary = (es: AuditEntry[]) => es.map((e) => `${e.seq} ${e.table} ${e.op} ${e.key}`);

/** Five entries about shelters a, b, c (the tamper tests' log). */
async function fiveEntries(store: Store): Promise<void> {
  await store.shelters.create(shelter('a'), 'alice');
  await store.shelters.create(shelter('b'), 'alice');
  await store.shelters.update({ ...shelter('a'), name: 'Renamed', version: 2 }, 1, 'update', {}, 'bob');
  await store.shelters.create(shelter('c'), 'alice');
  await store.shelters.setWarden('c', 'wendy', true, 'alice');
}

function sealKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyId = keyIdOf(publicKey);
  return { privateKey, publicKey, keyId, keys: new Map([[keyId, publicKey]]) };
}

export function auditContract(name: string, make: (t: any) => Promise<AuditFixture>): void {
  test(`${name}: every change through the ports is one entry, in order, chained, and verifies`, async (t) => {
    const { store } = await make(t);
    assert.equal(await store.audit.head(), null);
    await fiveEntries(store);
    await store.shelters.setWarden('c', 'wendy', true, 'alice'); // already assigned: no change, no entry
    await store.shelters.setWarden('c', 'wendy', false, 'alice');
    await store.regions.replaceSource('test', [{ code: 'R1', name: 'Region one', warningTimeS: 90, parentCode: null, geometry: { type: 'MultiPolygon', coordinates: [[[[12, 55], [13, 55], [13, 56], [12, 55]]]] } }], T0);
    await store.regimes.insertChange({ id: 'rg1', regionCode: 'R1', level: 'heightened', reason: 'drill', requestedBy: 'op', requestedAt: T0, state: 'in-force', decidedBy: 'op', decidedAt: T0 });
    const es = await all(store);
    assert.deepEqual(summary(es), [
      '1 shelters insert a', '2 shelters insert b', '3 shelters update a', '4 shelters insert c', '5 shelter_wardens insert c/wendy',
      '6 shelter_wardens delete c/wendy', '7 regions insert R1', '8 regime_changes insert rg1',
    ]);
    const update = es[2];
    assert.equal(JSON.parse(update.before!).name, 'Shelter a');
    assert.equal(JSON.parse(update.after!).name, 'Renamed');
    assert.equal(JSON.parse(es[5].before!).user_name, 'wendy');
    assert.equal(es[5].after, null);
    assert.match(JSON.parse(es[6].after!).geometry, /^sha256:[0-9a-f]{64}$/, 'a region geometry is kept as its digest');
    assert.equal(es[0].prevHash, '0'.repeat(64));
    for (let i = 1; i < es.length; i++) assert.equal(es[i].prevHash, es[i - 1].hash, `entry ${es[i].seq} follows the one before`);
    for (const e of es) assert.equal(entryHash(e.prevHash, e), e.hash, `entry ${e.seq}'s hash is the chain's formula`);
    assert.ok(es.every((e) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(e.at)));
    assert.deepEqual(await store.audit.head(), { seq: 8, hash: es[7].hash });
    const report = await verifyAuditStore(store.audit);
    assert.equal(report.ok, true, JSON.stringify(report.firstBad));
    assert.equal(report.entries, 8);

    // The log of one record, for the console: newest first, with what changed.
    const log = await recordLog(store.audit, 'shelters', 'a');
    assert.deepEqual(log.map((c) => [c.seq, c.op]), [[3, 'update'], [1, 'insert']]);
    assert.deepEqual(log[0].changes.name, { old: 'Shelter a', new: 'Renamed' });
    assert.deepEqual(Object.keys(log[0].changes).sort(), ['name', 'version']);
  });

  test(`${name}: a rolled-back change leaves no entry; a change of nothing writes none`, async (t) => {
    const { store } = await make(t);
    await store.shelters.create(shelter('a'), null);
    const before = await all(store);
    // An import that fails half-way: its first rows were written, then the transaction rolls back.
    let merged = 0;
    await assert.rejects(store.shelters.upsertFromSource({ name: 'src', attribution: null, licence: null },
      [{ sourceId: '1' }, { sourceId: '2' }, { sourceId: '3' }],
      (_existing, item) => {
        if (++merged === 3) throw new Error('bad row');
        return { next: shelter(`src-${item.sourceId}`, { source: 'src', sourceId: item.sourceId }), changes: {} };
      }, 'importer'), /bad row/);
    // Stock: two receipts written, then the third step's planner refuses; the whole change rolls back.
    await store.stock.insertDepot({ id: 'A', name: 'Depot A', lat: null, lon: null, region: null, responsible: null, contact: null, createdAt: T0, createdBy: 'op' });
    await store.stock.insertItem({ id: 'kit', code: null, name: 'Kit', category: 'first aid', unit: 'piece', decimals: 0, tracksLots: false, createdAt: T0, createdBy: 'op' });
    const receipt = (id: string): MovementDraft => ({ id, type: 'receipt', depotId: 'A', itemId: 'kit', quantity: 5, toDepotId: null, unitId: null, shelterId: null, recipient: null,
      reason: null, reference: null, counted: null, reverses: null, transferId: null, countId: null, actor: 'op', at: T0 });
    const kept = await all(store);
    await assert.rejects(store.stock.recordAll([
      { draft: receipt('m1'), plan: () => [{ lot: '', expires: null, delta: 5 }] },
      { draft: receipt('m2'), plan: () => [{ lot: '', expires: null, delta: 5 }] },
      { draft: receipt('m3'), plan: () => { throw new Error('refused'); } },
    ]), /refused/);
    assert.deepEqual(summary(await all(store)), summary(kept), 'no entry of the refused movements');
    assert.deepEqual(summary(kept).slice(0, before.length), summary(before));
    const after = await all(store);
    assert.ok(!after.some((e) => e.table === 'shelters' && e.key.startsWith('src-')), 'no entry of the rolled-back import');
    assert.ok(!after.some((e) => e.table === 'sources'), 'not even of its source row');
    // The same values written again: no entry.
    const n = after.length;
    assert.equal(await store.shelters.update(shelter('a'), 1, 'update', {}, null), true);
    assert.equal((await all(store)).length, n, 'an update that changes nothing is no entry');
    assert.equal((await verifyAuditStore(store.audit)).ok, true);
  });

  test(`${name}: secrets are never copied into the log, only that they were set or changed`, async (t) => {
    const { store } = await make(t);
    const hash = 'scrypt$N=16384$SALTSALTSALT$THEPASSWORDHASHVALUE';
    const user = await store.accounts.createUser({ name: 'alice', role: 'admin', passwordHash: hash, createdAt: T0, createdBy: null, pending: null, mustChangePassword: false }, event('user.created', 'alice'));
    await store.accounts.saveToken({ id: 'tok_1', tokenHash: 'TOKENHASHVALUE0123456789', userId: user.id, label: 'ci', createdAt: T0, createdBy: 'alice', expiresAt: '2027-01-01T00:00:00.000Z' }, event('token.created', 'alice'));
    await store.accounts.touchToken('tok_1', '2026-01-02T00:00:00.000Z'); // bookkeeping: no entry
    await store.accounts.updateUser(user.id, { passwordHash: 'scrypt$N=16384$NEWSALT$NEWPASSWORDHASH', passwordChangedAt: '2026-01-03T00:00:00.000Z' }, event('user.password-changed', 'alice'));
    const es = await all(store);
    const text = JSON.stringify(es);
    for (const secret of ['THEPASSWORDHASHVALUE', 'TOKENHASHVALUE', 'NEWPASSWORDHASH', 'SALTSALTSALT']) assert.ok(!text.includes(secret), `${secret} is not in the log`);
    const users = es.filter((e) => e.table === 'users');
    assert.deepEqual(users.map((e) => e.op), ['insert', 'update']);
    assert.equal(JSON.parse(users[0].after!).password_hash, '[secret]');
    assert.equal(JSON.parse(users[1].before!).password_hash, '[secret]');
    assert.equal(JSON.parse(users[1].after!).password_hash, '[secret changed]');
    const tokens = es.filter((e) => e.table === 'api_tokens');
    assert.deepEqual(tokens.map((e) => [e.op, e.key]), [['insert', 'tok_1']], 'using a token is no entry');
    assert.equal(JSON.parse(tokens[0].after!).token_hash, '[secret]');
    assert.ok(!('last_used_at' in JSON.parse(tokens[0].after!)));
    assert.ok(es.some((e) => e.table === 'account_events'), 'the account log is audited too');
    assert.equal((await verifyAuditStore(store.audit)).ok, true);
  });

  test(`${name}: verify names an edited entry`, async (t) => {
    const fx = await make(t);
    await fiveEntries(fx.store);
    await fx.unguard();
    await fx.sql("UPDATE audit_log SET after = replace(after, 'Renamed', 'Hijacked') WHERE seq = ?", [3]);
    const r = await verifyAuditStore(fx.store.audit);
    assert.equal(r.ok, false);
    assert.deepEqual([r.firstBad!.seq, r.firstBad!.kind], [3, 'edited'], r.firstBad!.message);
  });

  test(`${name}: verify names a removed entry`, async (t) => {
    const fx = await make(t);
    await fiveEntries(fx.store);
    await fx.unguard();
    await fx.sql('DELETE FROM audit_log WHERE seq = ?', [2]);
    const r = await verifyAuditStore(fx.store.audit);
    assert.deepEqual([r.ok, r.firstBad!.seq, r.firstBad!.kind], [false, 2, 'removed'], r.firstBad!.message);
  });

  test(`${name}: verify names an inserted entry, even one forged with a correct hash`, async (t) => {
    const fx = await make(t);
    await fiveEntries(fx.store);
    await fx.unguard();
    const [two] = await fx.store.audit.entries(1, 1);
    // Make room at 3 (two steps: seq is the primary key), then forge an entry that links to entry 2.
    await fx.sql('UPDATE audit_log SET seq = seq + 1000 WHERE seq >= ?', [3]);
    await fx.sql('UPDATE audit_log SET seq = seq - 999 WHERE seq >= ?', [1003]);
    const forged = { seq: 3, at: '2026-01-01T00:00:01.000Z', table: 'shelters', op: 'delete', key: 'b', before: '{"id":"b"}', after: null };
    await fx.sql('INSERT INTO audit_log (seq, at, tbl, op, key, before, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [3, forged.at, forged.table, forged.op, forged.key, forged.before, null, two.hash, entryHash(two.hash, forged)]);
    const r = await verifyAuditStore(fx.store.audit);
    assert.deepEqual([r.ok, r.firstBad!.seq, r.firstBad!.kind], [false, 3, 'inserted'], r.firstBad!.message);
  });

  test(`${name}: verify names entries put in another order`, async (t) => {
    const fx = await make(t);
    await fiveEntries(fx.store);
    await fx.unguard();
    await fx.sql('UPDATE audit_log SET seq = ? WHERE seq = ?', [-1, 3]);
    await fx.sql('UPDATE audit_log SET seq = ? WHERE seq = ?', [3, 4]);
    await fx.sql('UPDATE audit_log SET seq = ? WHERE seq = ?', [4, -1]);
    const r = await verifyAuditStore(fx.store.audit);
    assert.deepEqual([r.ok, r.firstBad!.seq, r.firstBad!.kind], [false, 3, 'reordered'], r.firstBad!.message);
  });

  test(`${name}: the log is append-only unless its guards are dropped`, async (t) => {
    const fx = await make(t);
    await fiveEntries(fx.store);
    await assert.rejects(fx.sql("UPDATE audit_log SET key = 'x' WHERE seq = 1"), /append-only/);
    await assert.rejects(fx.sql('DELETE FROM audit_log WHERE seq = 5'), /append-only/);
    assert.equal((await all(fx.store)).length, 5);
  });

  test(`${name}: seals sign the head; a whole rewrite, a cut end or a forged seal is caught`, async (t) => {
    const fx = await make(t);
    const key = sealKey();
    const sealer = new AuditSealer(fx.store.audit, key);
    assert.equal(await sealer.sealNow(), null, 'nothing to seal in an empty log');
    await fiveEntries(fx.store);
    const seal = await sealer.sealNow();
    assert.deepEqual([seal?.seq, seal?.keyId], [5, key.keyId]);
    assert.equal(await sealer.sealNow(), null, 'an unchanged head is not sealed again');
    await fx.store.shelters.create(shelter('d'), null);
    let r = await verifyAuditStore(fx.store.audit, { keys: key.keys });
    assert.deepEqual([r.ok, r.seals, r.sealsChecked], [true, 1, 1]);
    assert.match(r.warnings.join('\n'), /entries 6 to 6 are not sealed yet/);
    const unchecked = await verifyAuditStore(fx.store.audit);
    assert.equal(unchecked.ok, true);
    assert.match(unchecked.warnings.join('\n'), /1 seal\(s\) not checked: no public key/);

    // Rewrite from entry 2 on with every hash recomputed: the chain holds, the seal does not.
    await fx.unguard();
    let prev = (await fx.store.audit.entries(0, 1))[0].hash;
    for (const e of await fx.store.audit.entries(1, 100)) {
      const edited = e.seq === 2 ? { ...e, after: e.after!.replace('Shelter b', 'Shelter Z') } : e;
      const hash = entryHash(prev, edited);
      await fx.sql('UPDATE audit_log SET after = ?, prev_hash = ?, hash = ? WHERE seq = ?', [edited.after, prev, hash, e.seq]);
      prev = hash;
    }
    r = await verifyAuditStore(fx.store.audit, { keys: key.keys });
    assert.deepEqual([r.ok, r.firstBad!.seq, r.firstBad!.kind], [false, 5, 'seal'], r.firstBad!.message);
    assert.match(r.firstBad!.message, /does not match its seal/);
  });

  test(`${name}: a seal over entries since removed, or signed with another key, is caught`, async (t) => {
    const fx = await make(t);
    const key = sealKey();
    await fiveEntries(fx.store);
    await new AuditSealer(fx.store.audit, key).sealNow();
    await fx.unguard();
    await fx.sql('DELETE FROM audit_log WHERE seq >= ?', [4]);
    let r = await verifyAuditStore(fx.store.audit, { keys: key.keys });
    assert.deepEqual([r.ok, r.firstBad!.seq, r.firstBad!.kind], [false, 5, 'seal'], r.firstBad!.message);
    assert.match(r.firstBad!.message, /ends at entry 3/);

    const other = sealKey();
    const fx2 = await make(t);
    await fiveEntries(fx2.store);
    const seal = (await new AuditSealer(fx2.store.audit, other).sealNow())!;
    await fx2.sql('UPDATE audit_seals SET key_id = ? WHERE seq = ?', [key.keyId, seal.seq]); // claims the real key
    r = await verifyAuditStore(fx2.store.audit, { keys: key.keys });
    assert.deepEqual([r.ok, r.firstBad!.seq, r.firstBad!.kind], [false, 5, 'seal'], r.firstBad!.message);
    assert.match(r.firstBad!.message, /bad signature/);
  });

  test(`${name}: concurrent writers chain in commit order, without gaps`, async (t) => {
    const { store } = await make(t);
    await Promise.all(Array.from({ length: 16 }, async (_, i) => {
      await store.shelters.create(shelter(`s${i}`), null);
      await store.shelters.setWarden(`s${i}`, 'wendy', true, null);
    }));
    const es = await all(store);
    assert.equal(es.length, 32);
    assert.deepEqual(es.map((e) => e.seq), Array.from({ length: 32 }, (_, i) => i + 1));
    for (let i = 0; i < 16; i++) {
      const made = es.find((e) => e.table === 'shelters' && e.key === `s${i}`)!;
      const warden = es.find((e) => e.table === 'shelter_wardens' && e.key === `s${i}/wendy`)!;
      assert.ok(made.seq < warden.seq, `s${i}: made before its warden was set`);
    }
    assert.equal((await verifyAuditStore(store.audit)).ok, true);
  });
}
