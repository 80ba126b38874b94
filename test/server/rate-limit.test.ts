// Public routes that store what a caller sends are limited per address: the 31st push subscription within an hour
// from one address is refused with a problem document and Retry-After; other addresses and other routes are not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_DATABASE_URL } from '../helpers.ts';

test('push subscribe: at most 30 an hour per address, then 429 RATE_LIMITED with Retry-After; other routes unaffected', async (t) => {
  const s = await startTestServer(t, { trustProxy: ['127.0.0.1'] });
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const bad = { subscription: { endpoint: 'not a url' }, regions: ['X'] };
  for (let i = 0; i < 30; i++) {
    const r = await s.request('POST', '/api/push/subscribe', { body: bad, headers: from('198.51.100.7') });
    assert.equal(r.status, 400, `request ${i + 1} is judged on its content`);
  }
  const limited = await s.request('POST', '/api/push/subscribe', { body: bad, headers: from('198.51.100.7') });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(limited.body.code, 'RATE_LIMITED');
  // In memory a window starts with its first request; on PostgreSQL every process counts in windows aligned to the
  // clock (src/server/shared-limits.ts), so the wait is what is left of the current hour.
  assert.match(limited.body.detail, TEST_DATABASE_URL
    ? /at most 30 in this route's window; try again in (\d+ (minutes|seconds)|1 (hour|minute|second))$/
    : /at most 30 in this route's window; try again in (59|60) minutes|1 hour/);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  const other = await s.request('POST', '/api/push/subscribe', { body: bad, headers: from('198.51.100.8') });
  assert.equal(other.status, 400, 'another address has its own count');
  const key = await s.request('GET', '/api/push/vapid-public-key', { headers: from('198.51.100.7') });
  assert.equal(key.status, 200, 'reading the key is not limited');
});
