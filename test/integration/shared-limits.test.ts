// Rate limits and sign-in throttling shared by several server processes through PostgreSQL (src/server/shared-limits.ts):
// two Fastify apps with @fastify/rate-limit, each with its own counter (as two processes have), on one schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import pg from 'pg';
import { PG_URL } from '../store/contract/databases.ts';
import { SharedLoginThrottle, SharedRateCounter, sharedLimitsFor, sharedRateLimitStore } from '../../src/server/shared-limits.ts';

async function schemaPool(t: { after: (fn: () => Promise<void>) => void }): Promise<pg.Pool> {
  const schema = `refuge_limits_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = new pg.Pool({ connectionString: PG_URL, max: 4, options: `-c search_path=${schema},public` });
  t.after(async () => {
    await pool.end();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });
  return pool;
}

async function app(counter: SharedRateCounter): Promise<FastifyInstance> {
  const f = Fastify();
  await f.register(rateLimit, { global: false, store: sharedRateLimitStore(counter) });
  f.get('/limited', { config: { rateLimit: { max: 4, timeWindow: '1 minute' } } }, async () => ({ ok: true }));
  f.get('/other', { config: { rateLimit: { max: 4, timeWindow: '1 minute' } } }, async () => ({ ok: true }));
  await f.ready();
  return f;
}

test('a request limit holds across two processes, not per process', async (t) => {
  const pool = await schemaPool(t);
  // Two processes: each its own counter and app (own connections too, as separate processes have).
  const poolB = new pg.Pool({ connectionString: PG_URL, max: 2, options: (pool.options as { options: string }).options });
  t.after(() => poolB.end());
  const ca = new SharedRateCounter(pool);
  const cb = new SharedRateCounter(poolB);
  const a = await app(ca);
  const b = await app(cb);
  t.after(() => Promise.all([a.close(), b.close()]).then(() => undefined));
  const get = (f: FastifyInstance, url = '/limited', ip = '203.0.113.7') => f.inject({ method: 'GET', url, remoteAddress: ip }).then((r) => r.statusCode);

  // 2 through A, 2 through B: each process alone would allow 4 more.
  assert.deepEqual([await get(a), await get(a)], [200, 200]);
  await ca.sync();
  assert.deepEqual([await get(b), await get(b)], [200, 200]);
  await cb.sync();
  await ca.sync(); // A had nothing new: it learns the total with its next hit's sync
  assert.equal(await get(a), 429, 'the fifth request in the window, through A, is over the shared limit of 4');
  assert.equal(await get(b), 429, 'and through B');
  // Counted per route and per address, as the in-memory store does.
  assert.equal(await get(a, '/other'), 200);
  assert.equal(await get(b, '/limited', '203.0.113.8'), 200);
  // Only hashes of addresses are stored.
  await ca.sync();
  await cb.sync();
  const keys = (await pool.query('SELECT key FROM rate_limit_hits')).rows.map((r) => r.key as string);
  assert.ok(keys.length >= 2 && keys.every((k) => !k.includes('203.0.113')), keys.join(','));
});

test('concurrent hits from many processes are all counted (one atomic upsert per sync)', async (t) => {
  const pool = await schemaPool(t);
  const counters = Array.from({ length: 5 }, () => new SharedRateCounter(pool));
  for (const c of counters) for (let i = 0; i < 20; i++) c.hit('GET /x\n198.51.100.1', 60_000);
  await Promise.all(counters.map((c) => c.sync()));
  await Promise.all(counters.map((c) => { c.hit('GET /x\n198.51.100.1', 60_000); return c.sync(); }));
  await Promise.all(counters.map((c) => c.sync())); // read back what the others added meanwhile
  const totals = counters.map((c) => c.peek('GET /x\n198.51.100.1', 60_000).current);
  assert.ok(totals.every((n) => n === 105), `every process sees all 105 hits: ${totals.join(',')}`);
});

test('with the database away, hits are kept and counted locally, and added once it is back', async (t) => {
  const pool = await schemaPool(t);
  let away = false;
  const flaky = { query: (text: string, params?: unknown[]) => (away ? Promise.reject(Object.assign(new Error('Connection terminated'), { code: '57P01' })) : pool.query(text, params)) };
  const c = new SharedRateCounter(flaky);
  const other = new SharedRateCounter(pool);
  away = true;
  for (let i = 0; i < 3; i++) c.hit('k', 60_000);
  await c.sync();
  assert.equal(c.stats.failures, 1);
  assert.equal(c.hit('k', 60_000).current, 4, 'still limited by its own count');
  away = false;
  await c.sync();
  other.hit('k', 60_000);
  await other.sync();
  assert.equal(other.peek('k', 60_000).current, 5, 'the hits made while away reached the shared count');
});

test('sign-in throttling holds across processes: failures through one delay attempts through another', async (t) => {
  const pool = await schemaPool(t);
  const a = new SharedLoginThrottle(pool);
  const b = new SharedLoginThrottle(pool);
  const key = 'olena\u0000203.0.113.7';
  const now = 1_800_000_000_000;
  for (let i = 0; i < 4; i++) await (i % 2 ? a : b).fail(key, now);
  assert.equal(await a.retryAfter(key, now), 0, 'four failures: no wait yet');
  await Promise.all([a.fail(key, now), b.fail(key, now)]); // the fifth and sixth at once
  assert.equal(await b.retryAfter(key, now), 2, 'six failures through two processes: 2 s, as one process would say');
  assert.equal(await a.retryAfter('olena\u0000198.51.100.1', now), 0, 'another address is not held up');
  for (let i = 0; i < 30; i++) await b.fail(key, now);
  assert.equal(await a.retryAfter(key, now), 900, 'capped at 15 minutes');
  await a.succeed(key);
  assert.equal(await b.retryAfter(key, now), 0, 'a success through one process clears it for all');
  assert.ok((await pool.query('SELECT key FROM login_failures')).rows.every((r) => !String(r.key).includes('olena')));
});

test('sharedLimitsFor: PostgreSQL gets shared limits, SQLite keeps the in-memory ones', async (t) => {
  const pool = await schemaPool(t);
  assert.equal(sharedLimitsFor({ kind: 'sqlite' }), null);
  const shared = sharedLimitsFor({ kind: 'postgres', pool } as { kind: string });
  assert.ok(shared);
  t.after(() => shared.counter.close());
  const f = Fastify();
  await f.register(rateLimit, { global: false, store: shared.store });
  f.get('/x', { config: { rateLimit: { max: 1, timeWindow: '1 minute' } } }, async () => 'ok');
  assert.deepEqual([(await f.inject('/x')).statusCode, (await f.inject('/x')).statusCode], [200, 429]);
  await f.close();
});

test('two servers on one PostgreSQL database share request limits and sign-in throttling', { timeout: 120_000 }, async (t) => {
  const { startServer } = await import('../../src/server/index.ts');
  const { sharedRateCounterOf } = await import('../../src/server/app.ts');
  const { tempDir } = await import('../helpers.ts');
  const schema = `refuge_limits_srv_${process.pid}_${randomBytes(3).toString('hex')}`;
  const dataDir = tempDir(t);
  // Both believe X-Forwarded-For from loopback, so the test speaks for one outside address through both.
  const opts = { databaseUrl: PG_URL, pgSchema: schema, dataDir, trustProxy: ['127.0.0.1', '::1'], insecureCookies: true };
  const a = await startServer(opts);
  t.after(async () => {
    await a.close();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });
  const b = await startServer(opts);
  t.after(() => b.close());
  const counterA = sharedRateCounterOf(a.app);
  const counterB = sharedRateCounterOf(b.app);
  assert.ok(counterA && counterB, 'on PostgreSQL each server counts in the shared tables');
  // A sync already under way when called is joined, not repeated: the second starts after everything sent so far.
  const flush = async (c: SharedRateCounter) => { await c.sync(); await c.sync(); };
  const from = { 'x-forwarded-for': '203.0.113.9' };
  const shelters = (url: string) => fetch(`${url}/api/shelters`, { headers: from }).then(async (r) => { await r.arrayBuffer(); return r.status; });

  // GET /api/shelters allows 60 a minute per address: 30 through each server is the whole allowance.
  for (let i = 0; i < 30; i++) assert.equal(await shelters(a.url), 200);
  await flush(counterA);
  for (let i = 0; i < 30; i++) assert.equal(await shelters(b.url), 200);
  await flush(counterB);
  await flush(counterA); // A learns B's hits (its key is halfway to the limit, so it reads back)
  assert.equal(await shelters(a.url), 429, 'the 61st request, through A, is over the limit both servers share');
  assert.equal(await shelters(b.url), 429, 'and through B');
  const other = await fetch(`${b.url}/api/shelters`, { headers: { 'x-forwarded-for': '203.0.113.10' } });
  await other.arrayBuffer();
  assert.equal(other.status, 200, 'another address has its own count');

  // Five failed sign-ins through A hold up the next attempt through B (with the right password, even).
  await a.ctx.accounts.createUser('olena', 'operator', 'olena-password-long');
  const login = (url: string, password: string) => fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { ...from, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'olena', password }),
  }).then(async (r) => ({ status: r.status, body: await r.json() as { code?: string }, retryAfter: r.headers.get('retry-after') }));
  for (let i = 0; i < 5; i++) assert.equal((await login(a.url, 'wrong-password')).status, 401);
  const held = await login(b.url, 'olena-password-long');
  assert.equal(held.status, 429, 'B knows of the failures made through A');
  assert.equal(held.body.code, 'TOO_MANY_ATTEMPTS');
  assert.ok(Number(held.retryAfter) > 0);
});
