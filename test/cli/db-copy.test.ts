// `refuge db copy`: a real SQLite installation with data in every capability (the real CLI and a real server over
// HTTP), copied by the real CLI into a fresh PostgreSQL schema, then served from there by a second real server: every
// read answers the same, the copied accounts sign in, tokens work, new alerts continue the event ids, and a second
// copy is refused unless --force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { ROOT, startTestServer, tempDir } from '../helpers.ts';
import { PG_URL } from '../store/contract/databases.ts';
import { handInstance, refuge } from '../planning/fixtures.ts';
import { testRegions } from '../alerts-lifecycle/helpers.ts';
import { issueAlert } from '../alerts-delivery/http-helpers.ts';
import { browserSubscription } from '../alerts-delivery/push-endpoint.ts';
import { reloadRegions } from '../../src/server/capabilities/regions.ts';
import { startServer } from '../../src/server/index.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { PostgresStore } from '../../src/store/postgres/index.ts';
import { openDatabase } from '../../src/store/sqlite/db.ts';
import { PRIVATE_KEY_FILE } from '../../src/alerts/signing/keys.ts';
import { copyDatabase, DEFAULT_BATCH_BYTES } from '../../src/store/copy.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');
/** Fields computed from the clock at the time of the read, not from the data. */
const CLOCK = new Set(['since', 'durationS']);
const timeless = (v: unknown): unknown => Array.isArray(v) ? v.map(timeless)
  : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => !CLOCK.has(k)).map(([k, x]) => [k, timeless(x)])) : v;
let schemas = 0;

async function freshSchema(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const schema = `refuge_dbcopy_${process.pid}_${schemas++}`;
  t.after(async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try { await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await c.end(); }
  });
  return schema;
}

const copy = (cwd: string, args: string[]) => spawnSync(process.execPath, [BIN, 'db', 'copy', '--to', PG_URL, ...args], {
  encoding: 'utf8', cwd, timeout: 120_000, env: { ...process.env, DATABASE_URL: '', REFUGE_PG_SCHEMA: '', REFUGE_DATA_DIR: '' },
});

test('db copy moves a whole installation to PostgreSQL; a server over the copy answers the same', async (t) => {
  const dir = tempDir(t);
  // Shelters, regions and population through the CLI, and a stored plan.
  const db = handInstance(dir);
  const plan = refuge(['plan', 'assign', '--db', db, '--minutes', '5', '--speed', '1', '--detour', '1', '--json']);
  assert.equal(plan.status, 0, plan.stderr);

  // Everything else through a real server over the same file.
  const a = await startTestServer(t, { dbPath: db });
  await reloadRegions(a.ctx, 'test', [...testRegions().list()]);
  const { operator: op, admin } = a.tokens;
  const ok = async (method: string, path: string, o: Parameters<typeof a.request>[2] = {}) => {
    const r = await a.request(method, path, o);
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
    return r.body;
  };
  const features = (await ok('GET', '/api/shelters')).features as Array<{ id?: string; properties: { id?: string; name: string } }>;
  const idOf = (name: string) => { const f = features.find((x) => x.properties.name === name)!; return f.id ?? f.properties.id!; };
  const [s1, s2, s3] = ['S1', 'S2', 'S3'].map(idOf);
  await ok('POST', `/api/shelters/${s1}/wardens`, { token: op, body: { user: 'warden' } });
  await ok('POST', `/api/shelters/${s1}/occupancy`, { token: a.tokens.warden, body: { occupancy: 12 } });
  await ok('POST', `/api/shelters/${s2}/status`, { token: op, body: { status: 'full' } });
  await ok('POST', '/api/reports', { body: { shelterId: s3, kind: 'locked' } });
  const issued = await issueAlert(a, { regions: ['UA-30'] });
  await ok('POST', '/api/push/subscribe', { body: { subscription: browserSubscription('https://push.example.com/send/abc'), regions: ['IL-SDEROT'] } });
  const unit = await ok('POST', '/api/units', { token: op, body: { name: 'Bucha rescue', type: 'rescue', region: 'UA-30' } });
  const member = await ok('POST', `/api/units/${unit.id}/members`, { token: op, body: { name: 'Olena', role: 'leader', user: 'warden' } });
  const callup = await ok('POST', '/api/callups', { token: op, body: { units: [unit.id], message: 'Report to the depot' } });
  await ok('POST', `/api/callups/${callup.id}/answers`, { token: a.tokens.warden, body: { member: member.id, answer: 'coming', etaMinutes: 20 } });
  await ok('PUT', '/api/regimes/UA-30', { token: op, body: { level: 'heightened', reason: 'massing troops' } });
  const depot = (await ok('POST', '/api/depots', { token: op, body: { name: 'Central depot', lat: 50.4, lon: 30.5 } })).id;
  const item = (await ok('POST', '/api/items', { token: op, body: { name: 'Blanket', category: 'shelter', unit: 'piece' } })).id;
  await ok('POST', '/api/stock/movements', { token: op, body: { type: 'receipt', depot, item, quantity: 20, reference: 'DN-1' } });
  await ok('POST', '/api/stock/movements', { token: op, body: { type: 'issue', depot, item, quantity: 5, recipient: 'team 3' } });
  await ok('POST', '/api/auth/login', { body: { name: 'approver', password: 'approver-password-long' } });
  // An account made over HTTP waits for a second admin: its pending_by list is an array on PostgreSQL, JSON on SQLite.
  await ok('POST', '/api/users', { token: admin, body: { name: 'kim', role: 'warden', password: 'kim-initial-pass' } });

  // What the SQLite installation answers (with the tokens it made: they are copied too).
  const reads: Array<[string, string | undefined]> = [
    ['/api/shelters', undefined], [`/api/shelters/${s1}`, undefined], [`/api/shelters/${s1}/history`, op], [`/api/shelters/${s1}/wardens`, op],
    ['/api/sources', undefined], ['/api/regions', undefined], [`/api/alerts/${issued.id}`, undefined], ['/api/alerts/history', undefined],
    ['/api/reports', op], ['/api/units', admin], [`/api/callups/${callup.id}/answers`, op], ['/api/regimes', undefined],
    [`/api/regimes/UA-30/history`, op], ['/api/depots', op], ['/api/items', op], [`/api/stock/balances?depot=${depot}`, op],
    [`/api/stock/movements?depot=${depot}`, op], ['/api/plan/current', a.tokens.approver], ['/api/users', admin], ['/api/account-events', admin],
    ['/api/push/vapid-public-key', undefined], ['/.well-known/refuge-signing-key', undefined],
  ];
  const before = new Map<string, unknown>();
  for (const [path, token] of reads) before.set(path, timeless(await ok('GET', path, { token })));
  const keyDir = `${db}.keys`;
  assert.ok(existsSync(join(keyDir, PRIVATE_KEY_FILE)), 'the server made its signing key beside the file');

  // The copy, through the real CLI.
  const schema = await freshSchema(t);
  const dataDir = join(dir, 'pg-data');
  const r = copy(dir, ['--from', db, '--schema', schema, '--data-dir', dataDir]);
  assert.equal(r.status, 0, r.stderr);
  const src = new Database(db, { readonly: true });
  const sqliteTables = (src.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'").pluck().all() as string[]);
  for (const table of sqliteTables) {
    const n = src.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    assert.match(r.stdout, new RegExp(`^${table} +${n} +${n}$`, 'm'), `${table} (${n} rows) in the printed counts`);
  }
  src.close();
  for (const table of ['alerts', 'alert_outbox', 'push_subscriptions', 'shelter_history', 'shelter_wardens', 'shelter_reports', 'sessions', 'api_tokens',
    'units', 'unit_members', 'callups', 'callup_answers', 'regime_changes', 'stock_movements', 'stock_balances', 'population_cells', 'plan_assignments']) {
    assert.doesNotMatch(r.stdout, new RegExp(`^${table} +0 +0$`, 'm'), `${table} has rows to copy`);
  }
  assert.match(r.stdout, /^stock_positions +- +1 +rebuilt/m);
  assert.match(r.stdout, /^regime_regions +- +1 +rebuilt/m);
  assert.match(r.stdout, /^signing key: copied /m);
  assert.deepEqual(readFileSync(join(dataDir, 'keys', PRIVATE_KEY_FILE)), readFileSync(join(keyDir, PRIVATE_KEY_FILE)));
  assert.equal(statSync(join(dataDir, 'keys', PRIVATE_KEY_FILE)).mode & 0o777, 0o600);
  assert.match(r.stdout, /^walking graph: none at the source/m);

  // A server over the copy: the same answers, with the same tokens.
  const b = await startServer({ databaseUrl: PG_URL, pgSchema: schema, dataDir, insecureCookies: true });
  t.after(() => b.close());
  const get = async (path: string, token?: string) => {
    const res = await fetch(b.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    assert.equal(res.status, 200, `${path} on the copy: ${res.status}`);
    return res.headers.get('content-type')?.includes('json') ? res.json() : res.text();
  };
  for (const [path, token] of reads) assert.deepEqual(timeless(await get(path, token)), before.get(path), path);

  // Accounts sign in with their passwords.
  const login = await fetch(b.url + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'admin', password: 'admin-password-long' }) });
  assert.equal(login.status, 200, await login.text());
  // Identities continue after the copied values: the next alert's event id follows the copied one.
  const draft = await fetch(b.url + '/api/alerts', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${op}` }, body: JSON.stringify({
    status: 'Actual', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed', headline: 'Again', regions: ['UA-30-1'],
    expires: new Date(Date.now() + 30 * 60_000).toISOString(),
  }) });
  assert.equal(draft.status, 201, await draft.clone().text());
  const approved = await fetch(b.url + `/api/alerts/${(await draft.json()).id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${a.tokens.approver}` }, body: '{}' });
  assert.equal(approved.status, 200, await approved.clone().text());
  assert.ok((await approved.json()).seq > issued.seq, 'event ids go on from the copied ones');
  // Stock balances through the port, and the ledger still accepts movements (its triggers are back on).
  const store = await openStore(PG_URL, { schema }) as PostgresStore;
  t.after(() => store.close());
  // References between rows of one table (a prepared cancel names its alert) survive, whatever their order.
  const sqliteRefs = new Database(db, { readonly: true });
  const refs = sqliteRefs.prepare('SELECT id, prepared_for, replaced_by FROM alerts WHERE prepared_for IS NOT NULL OR replaced_by IS NOT NULL ORDER BY id').all();
  sqliteRefs.close();
  assert.ok(refs.length >= 1, 'the issued alert has its prepared cancel');
  const pgRefs = (await store.pool.query(`SELECT id, prepared_for, replaced_by FROM alerts WHERE id = ANY($1) ORDER BY id COLLATE "C"`, [refs.map((x) => (x as { id: string }).id)])).rows;
  assert.deepEqual(pgRefs, refs.map((x) => ({ ...(x as object) })));
  assert.deepEqual((await store.stock.balances({ depotId: depot })).map((x) => [x.itemId, x.quantity]), [[item, 15]]);
  const more = await fetch(b.url + '/api/stock/movements', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${op}` }, body: JSON.stringify({ type: 'issue', depot, item, quantity: 1, recipient: 'team 4' }) });
  assert.equal(more.status, 201, await more.text());
  assert.equal((await get(`/api/stock/balances?depot=${depot}`, op) as { balances: Array<{ quantity: number }> }).balances.reduce((s, x) => s + x.quantity, 0), 14);

  // Again: refused, the target is not empty; with --force it replaces it.
  const again = copy(dir, ['--from', db, '--schema', schema, '--data-dir', dataDir]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /^refuge: the target schema refuge_dbcopy_\S+ is not empty \(.*shelters: 3.*\); give --force/);
  await b.close();
  const forced = copy(dir, ['--from', db, '--schema', schema, '--data-dir', dataDir, '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(forced.stdout, /^emptied first \(--force\): .*alerts/m);
  assert.match(forced.stdout, /^signing key: already there/m);
});

test('db copy refuses a SQLite table PostgreSQL has no place for, and copies nothing', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'r.db');
  const file = openDatabase(db);
  file.exec("CREATE TABLE stray (x TEXT); INSERT INTO stray VALUES ('y')");
  file.close();
  const schema = await freshSchema(t);
  const r = copy(dir, ['--from', db, '--schema', schema, '--data-dir', join(dir, 'data')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^refuge: tables only in SQLite, PostgreSQL has no place for them: stray /);
  const store = await openStore(PG_URL, { schema });
  try {
    assert.deepEqual(await store.shelters.list(), []);
  } finally {
    await store.close();
  }
  assert.ok(!existsSync(join(dir, 'data')), 'no files copied either');
});

test('db copy batches shelter photos by bytes as well as rows: no INSERT carries much more than 8 MB, and every photo arrives intact', async (t) => {
  const dir = tempDir(t);
  const db = handInstance(dir);
  // Five photos of 2 MB (the largest an operator may upload): one batch of rows would be a 10 MB statement.
  const photos = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, data: Buffer.alloc(2 * 1024 * 1024, i + 1) }));
  const file = openDatabase(db); // with the functions its audit triggers call
  const shelterId = file.prepare('SELECT id FROM shelters ORDER BY id LIMIT 1').pluck().get() as string;
  const add = file.prepare(`INSERT INTO shelter_photos (id, shelter_id, content_type, size, data, created_at, created_by) VALUES (?, ?, 'image/jpeg', ?, ?, ?, 'operator')`);
  for (const p of photos) add.run(p.id, shelterId, p.data.length, p.data, new Date().toISOString());
  file.close();
  const schema = await freshSchema(t);
  const report = await copyDatabase({ from: db, to: PG_URL, schema });
  const row = report.tables.find((r) => r.table === 'shelter_photos')!;
  assert.deepEqual([row.source, row.target], [5, 5]);
  assert.ok(row.inserts >= 2, `${row.inserts} INSERT statement(s) for 10 MB of photos`);
  assert.ok(row.largestInsertBytes <= DEFAULT_BATCH_BYTES, `largest INSERT ${row.largestInsertBytes} bytes`);
  // A smaller limit splits further; a row larger than the limit still goes (alone).
  const small = await copyDatabase({ from: db, to: PG_URL, schema: await freshSchema(t), batchBytes: 1024 * 1024 });
  assert.equal(small.tables.find((r) => r.table === 'shelter_photos')!.inserts, 5);
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const rows = (await c.query(`SELECT id, data FROM ${schema}.shelter_photos ORDER BY id`)).rows as Array<{ id: string; data: Buffer }>;
    assert.deepEqual(rows.map((r) => r.id), photos.map((p) => p.id));
    for (const [i, r] of rows.entries()) assert.ok(r.data.equals(photos[i].data), `${r.id} arrived byte for byte`);
  } finally {
    await c.end();
  }
});
