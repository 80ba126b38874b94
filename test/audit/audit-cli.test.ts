// `refuge audit verify|export|record` and `refuge backup` as an operator runs them: real processes over real databases
// written by the real CLI and a real server. Verify exits 0 on an intact log and 1 naming the first bad entry; the
// export checks on its own; a backup taken while the server writes restores to a database whose log verifies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { ROOT, startTestServer, tempDir } from '../helpers.ts';
import { PG_URL } from '../store/contract/databases.ts';
import { PUBLIC_KEY_FILE } from '../../src/alerts/signing/keys.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { startServer } from '../../src/server/index.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');
const ENV = { ...process.env, DATABASE_URL: '', REFUGE_PG_SCHEMA: '', REFUGE_DATA_DIR: '' };
const refuge = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 60_000, env: { ...ENV, ...env } });
/** The same, without blocking this process (a server in it must keep answering meanwhile). */
const refugeAsync = (args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: ENV });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  child.on('close', (status) => resolve({ status, stdout, stderr }));
});

function csv(dir: string, rows: number): string {
  const file = join(dir, 'shelters.csv');
  writeFileSync(file, ['id,name,lat,lon,capacity', ...Array.from({ length: rows }, (_, i) => `${i},Shelter ${i},55.${600 + i},12.5${i},${10 + i}`)].join('\n'));
  return file;
}

/** Drops the log's append-only guards and runs `sql` on the file, as someone with the database would. */
function tamper(db: string, sql: string): void {
  const raw = new Database(db);
  try {
    raw.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete');
    raw.exec(sql);
  } finally {
    raw.close();
  }
}

test('audit verify: 0 on the log the CLI and a server wrote, with the server\'s seal; 1 naming an edited or removed entry', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'refuge.db');
  const imported = refuge(['import', 'shelters', csv(dir, 3), '--db', db, '--source', 'town', '--coordinates', 'as-labelled']);
  assert.equal(imported.status, 0, imported.stderr);

  let r = refuge(['audit', 'verify', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^audit log intact: 4 entries, head entry 4 \(/, 'three shelters and their source');
  assert.match(r.stderr, /warning: no seal yet/);

  // A server seals the head at start (with the signing key it keeps beside the file) and logs what it does.
  const server = await startTestServer(t, { dbPath: db });
  const made = await server.request('POST', '/api/shelters', { token: server.tokens.operator, body: { name: 'Made over HTTP', lat: 55.7, lon: 12.6 } });
  assert.equal(made.status, 201, made.text);
  await server.close();
  r = refuge(['audit', 'verify', '--db', db, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  // Two seals: one at start, covering what the CLI wrote, and a last one at close, covering everything since.
  assert.deepEqual([report.ok, report.seals, report.sealsChecked], [true, 2, 2], 'a seal at start and one at close');
  assert.equal(report.lastSeal.seq, report.entries, 'the close seal covers the whole log');
  assert.ok(report.entries > 4 + 6, 'accounts, tokens and the new shelter were logged');

  const record = refuge(['audit', 'record', 'shelters', made.body.id ?? made.body.properties?.id, '--db', db]);
  assert.equal(record.status, 0, record.stderr);
  assert.match(record.stdout, /^\d+ {2}\S+ {2}insert {2}\(\d+ fields\)$/m);

  tamper(db, "UPDATE audit_log SET after = replace(after, 'Shelter 1', 'Shelter X') WHERE seq = 3");
  r = refuge(['audit', 'verify', '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^refuge: audit log NOT intact: first bad entry 3 \(edited\)/m);

  tamper(db, 'DELETE FROM audit_log WHERE seq = 2');
  r = refuge(['audit', 'verify', '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /first bad entry 2 \(removed\)/);

  const missing = refuge(['audit', 'verify', '--db', join(dir, 'nope.db')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such database file/);
  assert.ok(!existsSync(join(dir, 'nope.db')), 'verify creates no database');
});

test('audit export writes JSON lines that verify on their own, and name the entry changed in the file', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'refuge.db');
  const server = await startTestServer(t, { dbPath: db }); // accounts and tokens: entries
  await server.request('POST', '/api/shelters', { token: server.tokens.operator, body: { name: 'Kept', lat: 55.7, lon: 12.6 } });
  await server.ctx.auditSealer!.sealNow();
  await server.close();
  const out = join(dir, 'audit.jsonl');
  const r = refuge(['audit', 'export', '--db', db, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const entries = lines.filter((l) => l.type === 'entry');
  assert.deepEqual(entries.map((e) => e.seq), entries.map((_, i) => i + 1));
  assert.equal(lines.filter((l) => l.type === 'seal').length, 1);
  assert.ok(entries.some((e) => e.table === 'shelters' && JSON.parse(e.after).name === 'Kept'));
  assert.match(r.stderr, new RegExp(`^${entries.length} entries written to `));

  const key = join(`${db}.keys`, PUBLIC_KEY_FILE);
  let v = refuge(['audit', 'verify', '--file', out, '--key', key]);
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, new RegExp(`^audit log intact: ${entries.length} entries.*1 seals, 1 signatures checked`));

  const later = refuge(['audit', 'export', '--db', db, '--after', String(entries.length - 2)]);
  assert.equal(later.status, 0, later.stderr);
  assert.deepEqual(later.stdout.trim().split('\n').map((l) => JSON.parse(l).seq).filter(Boolean).slice(0, 2), [entries.length - 1, entries.length]);

  const edited = lines.map((l) => (l.type === 'entry' && l.seq === 5 ? { ...l, key: 'someone else' } : l));
  writeFileSync(out, edited.map((l) => JSON.stringify(l)).join('\n'));
  v = refuge(['audit', 'verify', '--file', out, '--key', key]);
  assert.equal(v.status, 1);
  assert.match(v.stderr, /first bad entry 5 \(edited\)/);
});

test('backup while the server writes: a consistent copy, never over a file; restored, its audit log verifies and it serves', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'refuge.db');
  // Loopback exempt from the staff write limit (120 a minute): on a loaded machine the backup process takes longer to
  // start than the writer takes to send 120 shelters, and the writer then met 429s.
  const server = await startTestServer(t, { dbPath: db, rateLimitAllow: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] });
  const { operator } = server.tokens;
  // Shelters keep arriving over HTTP while the backup runs in another process.
  let writing = true;
  let written = 0;
  const writer = (async () => {
    while (writing) {
      const r = await server.request('POST', '/api/shelters', { token: operator, body: { name: `During backup ${written}`, lat: 55.7, lon: 12.6 } });
      assert.equal(r.status, 201, r.text);
      written++;
    }
  })();
  while (written < 5) await new Promise((resolve) => setTimeout(resolve, 20));
  const backup = join(dir, 'backup.db');
  const b = await refugeAsync(['backup', backup, '--db', db]);
  writing = false;
  await writer;
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /^backup of .*refuge\.db written to .*backup\.db \(\d+\.\d MB, as of /m);
  assert.match(b.stdout, /not in it: the signing key/);
  assert.ok(written > 5, 'the server went on writing');

  const again = refuge(['backup', backup, '--db', db]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /backup\.db exists: refusing to overwrite it/);

  // Restored elsewhere, with the key kept apart: its log verifies, seals included, and every shelter in it is logged.
  await server.close();
  mkdirSync(join(dir, 'restored'));
  const restored = join(dir, 'restored', 'refuge.db');
  copyFileSync(backup, restored);
  const v = refuge(['audit', 'verify', '--db', restored, '--key', join(`${db}.keys`, PUBLIC_KEY_FILE)]);
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /signatures checked/);
  const store = openSqliteStore(restored);
  try {
    const shelters = store.db.prepare('SELECT id FROM shelters').pluck().all() as string[];
    assert.ok(shelters.length >= 5 && shelters.length <= written, `${shelters.length} of ${written} shelters: a snapshot`);
    const logged = new Set(store.db.prepare("SELECT key FROM audit_log WHERE tbl = 'shelters' AND op = 'insert'").pluck().all() as string[]);
    assert.deepEqual(shelters.filter((id) => !logged.has(id)), [], 'no shelter without its entry: the copy is one transaction\'s view');
  } finally {
    await store.close();
  }
  const served = await startServer({ dbPath: restored });
  t.after(() => served.close());
  const list = await fetch(`${served.url}/api/shelters?limit=500`);
  assert.equal(list.status, 200);
  assert.ok(((await list.json()) as { features: unknown[] }).features.length >= 5, 'the restored shelters are served');

  const noSource = refuge(['backup', join(dir, 'y.db'), '--db', join(dir, 'missing.db')]);
  assert.equal(noSource.status, 1);
  assert.match(noSource.stderr, /missing\.db: no such database file/);
  assert.ok(!existsSync(join(dir, 'y.db')));
});

test('on PostgreSQL: audit verify checks the shared database; backup says to use pg_dump', async (t) => {
  const schema = `refuge_auditcli_${process.pid}`;
  t.after(async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try { await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await c.end(); }
  });
  const dir = tempDir(t);
  const env = { REFUGE_PG_SCHEMA: schema, REFUGE_DATA_DIR: join(dir, 'data') };
  const imported = refuge(['import', 'shelters', csv(dir, 2), '--database-url', PG_URL, '--source', 'town', '--coordinates', 'as-labelled'], env);
  assert.equal(imported.status, 0, imported.stderr);
  let r = refuge(['audit', 'verify', '--database-url', PG_URL], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^audit log intact: 3 entries/);

  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`ALTER TABLE ${schema}.audit_log DISABLE TRIGGER USER`);
    await c.query(`UPDATE ${schema}.audit_log SET seq = -1 WHERE seq = 2; UPDATE ${schema}.audit_log SET seq = 2 WHERE seq = 3; UPDATE ${schema}.audit_log SET seq = 3 WHERE seq = -1`);
  } finally { await c.end(); }
  r = refuge(['audit', 'verify', '--database-url', PG_URL], env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /first bad entry 2 \(reordered\)/);

  const b = refuge(['backup', join(dir, 'pg.backup'), '--database-url', PG_URL], env);
  assert.equal(b.status, 2);
  assert.match(b.stderr, new RegExp(`pg_dump --format=custom --schema=${schema}`));
  assert.ok(!existsSync(join(dir, 'pg.backup')));
});
