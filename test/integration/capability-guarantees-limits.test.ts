// The rate limits of the units capability's public write routes hold across two real `refuge serve` processes on one
// PostgreSQL database (src/server/shared-limits.ts), as those of the alerts do: a member's device registering for
// call-up pushes (POST /api/callups/push, 30 an hour per address) through one process counts against the other.
// PostgreSQL only: on SQLite one process owns the database and counts in memory (docs/security.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir, TEST_DATABASE_URL } from '../helpers.ts';
import { crashDb, prepareStaff, type Served } from '../crash/harness.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');

/** `refuge serve` without --rate-limit-allow: the test's own loopback requests are limited like anyone's. */
function serveLimited(t: { after: (fn: () => Promise<void> | void) => void }, schema: string, dataDir: string): Promise<Served> {
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, [BIN, 'serve', '--database-url', TEST_DATABASE_URL!, '--data-dir', dataDir, '--port', '0'], {
    cwd: dataDir,
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', REFUGE_DATA_DIR: '', REFUGE_ALERT_BUS: '', REFUGE_MQTT_URL: '', REFUGE_PG_SCHEMA: schema },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  const served: Served = { child, url: '', exited, output: () => out };
  // Registered after crashDb's cleanup, so it runs first: the process is gone before the schema is dropped.
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => (out += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving .* on (http:\/\/\S+)/.exec(out);
      if (m && !served.url) {
        served.url = m[1];
        resolve(served);
      }
    });
    child.on('exit', (code, signal) => reject(new Error(`refuge serve exited (${signal ?? code}) before listening:\n${out}`)));
  });
}

async function until<T>(what: string, probe: () => Promise<T | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the call-up push registration limit (30 an hour per address) holds across two processes on PostgreSQL', { skip: !TEST_DATABASE_URL && 'PostgreSQL only (REFUGE_TEST_DATABASE_URL)' }, async (t) => {
  const db = await crashDb(t);
  await prepareStaff(db);
  // Windows are fixed hours on the clock: start well inside one, so the count is not reset halfway through.
  const intoHour = Date.now() % 3_600_000;
  if (intoHour > 3_600_000 - 120_000) await new Promise((r) => setTimeout(r, 3_600_000 - intoHour + 1000));
  const dir = tempDir(t);
  const [a, b] = await Promise.all([serveLimited(t, db.schema!, join(dir, 'a')), serveLimited(t, db.schema!, join(dir, 'b'))]);
  const register = async (s: Served) => {
    const res = await fetch(`${s.url}/api/callups/push`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'not-a-link', subscription: { endpoint: 'https://push.example.org/send/abc', keys: { p256dh: 'BAAA', auth: 'AAAA' } } }),
    });
    await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  };
  const shared = async () => {
    try {
      // The call-up limit's own hits (an hour's window): the staff write limit counts the same requests per minute.
      return Number((await db.rows<{ n: string }>('SELECT COALESCE(SUM(hits), 0) AS n FROM rate_limit_hits WHERE expires_ms - window_start > 60000'))[0].n);
    } catch {
      return 0; // the table is made on first use
    }
  };

  // 30 through A: all within the limit.
  for (let i = 0; i < 30; i++) assert.notEqual((await register(a)).status, 429, `request ${i + 1} through A`);
  await until('A has added its 30 hits to the shared count', async () => (await shared()) >= 30);
  // B has not seen this address yet; its first request is counted, and once B has added it and read the total back,
  // B refuses: the limit is the installation's, not each process's. (A process counting alone would allow 29 more.)
  // B learns the total from its own sync's answer, which may land just after the shared row shows the hit: a few
  // requests are allowed for that, far fewer than the 30 a per-process count would let through.
  let overB: { status: number; retryAfter: string | null } | null = null;
  for (let i = 0, seen = 30; i < 4 && !overB; i++) {
    const r = await register(b);
    if (r.status === 429) overB = r;
    else {
      seen++;
      await until(`B has added hit ${i + 1}`, async () => (await shared()) >= seen);
    }
  }
  assert.ok(overB, 'through B, a request over the shared limit of 30 is refused within a few requests');
  assert.ok(Number(overB.retryAfter) > 0, 'with Retry-After');
  assert.equal((await register(a)).status, 429, 'and through A');
});
