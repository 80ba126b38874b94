// Staff routes that change state are limited per account (STAFF_WRITE_LIMIT, over all those routes together), so a
// stolen token cannot flood drafts, imports or account changes; the limit is far above what a person does. On
// PostgreSQL it holds across server processes (shared counts, src/server/shared-limits.ts). Runs on SQLite, and on
// PostgreSQL with REFUGE_TEST_DATABASE_URL (then also across two processes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_DATABASE_URL, startTestServer } from '../helpers.ts';
import { startServer, type StartOptions } from '../../src/server/index.ts';
import { sharedRateCounterOf } from '../../src/server/app.ts';
import { STAFF_WRITE_LIMIT } from '../../src/server/route-limits.ts';

/** Starts in a fresh window of the clock-aligned limit, so a window boundary cannot fall among the requests. */
async function freshWindow(): Promise<void> {
  const left = STAFF_WRITE_LIMIT.windowMs - (Date.now() % STAFF_WRITE_LIMIT.windowMs);
  if (left < 20_000) await new Promise((r) => setTimeout(r, left + 50));
}

// A harmless state-changing staff route: forgetting a device that was never registered.
const unsubscribe = (url: string, token: string) => fetch(`${url}/api/staff/push/unsubscribe`, {
  method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ endpoint: 'https://push.example/none' }),
});

test('an account gets at most STAFF_WRITE_LIMIT state-changing staff requests a minute, over all routes; then 429 with Retry-After; others and reads are untouched', async (t) => {
  const s = await startTestServer(t);
  await freshWindow();
  const statuses: number[] = [];
  // Spread over two routes: one budget for the account, whichever route.
  for (let i = 0; i < STAFF_WRITE_LIMIT.max; i++) {
    const r = i % 2 ? await unsubscribe(s.url, s.tokens.approver) : await fetch(`${s.url}/api/staff/push/subscribe`, {
      method: 'POST', headers: { authorization: `Bearer ${s.tokens.approver}`, 'content-type': 'application/json' }, body: JSON.stringify({ subscription: {} }),
    });
    statuses.push(r.status);
  }
  assert.ok(statuses.every((st) => st === 200 || st === 400), `within the limit: ${[...new Set(statuses)].join(',')}`);
  const over = await unsubscribe(s.url, s.tokens.approver);
  assert.equal(over.status, 429);
  const problem = await over.json() as { code: string; detail: string };
  assert.equal(problem.code, 'RATE_LIMITED');
  assert.match(problem.detail, /this account/);
  const wait = Number(over.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 60, `Retry-After ${over.headers.get('retry-after')}`);
  // Another account is not held back by this one, and reading is not limited by it.
  assert.equal((await unsubscribe(s.url, s.tokens.admin)).status, 200);
  assert.equal((await s.request('GET', '/api/staff/push', { token: s.tokens.approver })).status, 200);
});

test('the staff write limit holds across two server processes on PostgreSQL', async (t) => {
  if (!TEST_DATABASE_URL) return t.skip('needs REFUGE_TEST_DATABASE_URL (PostgreSQL)');
  const a = await startTestServer(t);
  const b = await startServer({ databaseUrl: TEST_DATABASE_URL, pgSchema: a.pgSchema, insecureCookies: true } as StartOptions);
  t.after(() => b.close());
  const [ca, cb] = [sharedRateCounterOf(a.app), sharedRateCounterOf(b.app)];
  assert.ok(ca && cb, 'both processes count in PostgreSQL');
  await freshWindow();
  const half = STAFF_WRITE_LIMIT.max / 2;
  for (let i = 0; i < half; i++) assert.equal((await unsubscribe(a.url, a.tokens.operator)).status, 403, 'operators may not use this route');
  // 403 is refused by the role guard before the limit counts: the limit is for those who may act.
  for (let i = 0; i < half; i++) assert.equal((await unsubscribe(a.url, a.tokens.approver)).status, 200);
  await ca.sync();
  for (let i = 0; i < half; i++) assert.equal((await unsubscribe(b.url, a.tokens.approver)).status, 200);
  await cb.sync(); // B now knows A's hits too
  const over = await unsubscribe(b.url, a.tokens.approver);
  assert.equal(over.status, 429, 'the limit is over both processes together, not per process');
  assert.ok(Number(over.headers.get('retry-after')) >= 1);
  await cb.sync();
  await ca.sync();
  assert.equal((await unsubscribe(a.url, a.tokens.approver)).status, 429, 'and through A');
});
