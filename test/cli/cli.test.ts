// The `refuge` command as a user runs it: a real process, a real database file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SHARED, tempDir } from '../helpers.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');
const run = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, cwd: ROOT });

test('every subcommand has --help', () => {
  for (const cmd of [[], ['serve'], ['import'], ['import', 'shelters'], ['export', 'shelters'], ['admin', 'create-user'], ['admin', 'create-token'], ['admin', 'reset-password'], ['admin', 'activate-user']]) {
    const r = run([...cmd, '--help']);
    assert.equal(r.status, 0, `${cmd.join(' ')} --help: ${r.stderr}`);
    assert.match(r.stdout, /Usage: refuge/);
  }
});

test('import --json prints one JSON summary; a bad file is rejected whole, naming line and field', (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'r.db');
  const ok = run(['import', 'shelters', join(SHARED, 'copenhagen-shelters/shelters.geojson'), '--db', db, '--source', 'kbh', '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  const summary = JSON.parse(ok.stdout);
  assert.equal(summary.imported, 1852);
  assert.equal(summary.totalCapacity, 407788);

  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'id,name,capacity,lat,lon\n1,Fine,10,55.6,12.5\n2,Broken,ten,55.6,12.5\n');
  const r = run(['import', 'shelters', bad, '--db', db, '--source', 'bad']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.csv: line 3: capacity: "ten" is not a number/);
  assert.match(r.stderr, /nothing was imported/);
  const store = openSqliteStore(db);
  assert.equal(store.db.prepare("SELECT count(*) FROM shelters WHERE source = 'bad'").pluck().get(), 0);
  store.close();
  const skip = run(['import', 'shelters', bad, '--db', db, '--source', 'bad', '--skip-invalid']);
  assert.equal(skip.status, 0, skip.stderr);
  assert.match(skip.stdout, /imported 1, .* rejected 1/);

  const missing = run(['import', 'shelters', join(dir, 'nope.csv'), '--db', db]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot read .*nope\.csv: ENOENT/);
  const binary = join(dir, 'x.csv');
  writeFileSync(binary, Buffer.from([0, 1, 2, 3, 0, 255]));
  assert.match(run(['import', 'shelters', binary, '--db', db]).stderr, /binary file/);
});

test('export round-trips with import, in both formats', (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'a.db');
  assert.equal(run(['import', 'shelters', join(SHARED, 'jerusalem-shelters/raw_municipality.csv'), '--db', db, '--source', 'jer']).status, 0);
  for (const format of ['csv', 'geojson']) {
    const out = join(dir, `export.${format}`);
    const e = run(['export', 'shelters', '--db', db, '--format', format, '--out', out]);
    assert.equal(e.status, 0, e.stderr);
    const db2 = join(dir, `b-${format}.db`);
    const i = run(['import', 'shelters', out, '--db', db2, '--source', 'jer', '--json']);
    assert.equal(i.status, 0, i.stderr);
    const strip = (p: string) => {
      const s = openSqliteStore(p);
      const rows = s.db.prepare('SELECT source_id, name, address, lat, lon, capacity, kind, protection_class, step_free, amenities, operator, status FROM shelters ORDER BY source_id').all();
      s.close();
      return rows;
    };
    assert.deepEqual(strip(db2), strip(db), `${format} round trip`);
    // and re-exporting the copy gives the same file apart from Refuge's own ids
    const again = join(dir, `again.${format}`);
    run(['export', 'shelters', '--db', db2, '--format', format, '--out', again]);
    const noIds = (s: string) => s.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID');
    if (format === 'csv') assert.equal(noIds(readFileSync(again, 'utf8')).split('\n').length, noIds(readFileSync(out, 'utf8')).split('\n').length);
  }
});

test('admin create-user and create-token; the token works against a served API; SIGTERM shuts down cleanly', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'r.db');
  const weak = run(['admin', 'create-user', '--db', db, '--name', 'ops', '--role', 'operator', '--password-stdin'], 'short\n');
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /at least 12/);
  const u = run(['admin', 'create-user', '--db', db, '--name', 'ops', '--role', 'operator', '--password-stdin'], 'a-long-enough-password\n');
  assert.equal(u.status, 0, u.stderr);
  const tok = run(['admin', 'create-token', '--db', db, '--user', 'ops']);
  assert.equal(tok.status, 0, tok.stderr);
  const token = tok.stdout.trim();
  assert.match(token, /^rt_/);

  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; const m = /serving .* on (http:\/\/\S+)/.exec(out); if (m) resolve(m[1]); });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  const res = await fetch(url + '/api/shelters', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'X', lat: 1, lon: 1, capacity: 1 }) });
  assert.equal(res.status, 201);
  const wrong = await fetch(url + '/api/shelters', { method: 'POST', headers: { authorization: 'Bearer rt_nope', 'content-type': 'application/json' }, body: '{}' });
  assert.equal(wrong.status, 401);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0, 'graceful shutdown exits 0');
});

test('an import killed halfway leaves nothing behind', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'r.db');
  const big = join(dir, 'big.csv');
  const lines = ['id,name,capacity,lat,lon'];
  for (let i = 0; i < 150_000; i++) lines.push(`${i},Shelter ${i},${i % 500},${(55.6 + (i % 1000) / 10000).toFixed(5)},${(12.5 + Math.floor(i / 1000) / 10000).toFixed(5)}`);
  writeFileSync(big, lines.join('\n'));
  const child = spawn(process.execPath, [BIN, 'import', 'shelters', big, '--db', db, '--source', 'big'], { cwd: ROOT, stdio: 'ignore' });
  // Kill it once the write transaction has begun: the WAL file grows as rows go in.
  const { statSync, existsSync } = await import('node:fs');
  await new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (existsSync(db + '-wal') && statSync(db + '-wal').size > 512 * 1024) { clearInterval(timer); resolve(); }
      else if (Date.now() - started > 60_000) { clearInterval(timer); reject(new Error('import never started writing')); }
    }, 5);
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  const store = openSqliteStore(db);
  assert.equal(store.db.prepare('SELECT count(*) FROM shelters').pluck().get(), 0);
  assert.equal(store.db.prepare('SELECT count(*) FROM shelter_history').pluck().get(), 0);
  store.close();
});
