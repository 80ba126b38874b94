// Issue 15, "Access": console sessions end after an idle timeout and at their longest life however much they are
// used, and approving an Actual alert, issuing a call-up or raising a regime to emergency needs a sign-in within the
// last 5 minutes (a console left open on an unattended desk cannot do them). The accounts run on a test clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Accounts } from '../../src/accounts/index.ts';
import type { TestServer } from '../helpers.ts';
import { draftBody, startAlertServer } from '../alerts-delivery/http-helpers.ts';

function withClock(s: TestServer): { advance(ms: number): void } {
  const clock = { now: Date.now(), advance(ms: number) { clock.now += ms; } };
  s.ctx.accounts = new Accounts(s.ctx.store.accounts, () => new Date(clock.now));
  return clock;
}

async function signIn(s: TestServer, name: string): Promise<string> {
  const r = await s.request('POST', '/api/auth/login', { body: { name, password: `${name}-password-long` } });
  assert.equal(r.status, 200, r.text);
  return (r.headers.get('set-cookie') ?? '').split(';')[0];
}

const MIN = 60_000;

test('a session ends after 30 idle minutes; use slides it, up to its 12-hour life', async (t) => {
  const s = await startAlertServer(t);
  const clock = withClock(s);
  const login = await s.request('POST', '/api/auth/login', { body: { name: 'operator', password: 'operator-password-long' } });
  // The browser keeps the cookie for the session's longest life; the server ends it earlier when it goes unused.
  const cookieExpires = Date.parse(/expires=([^;]+)/i.exec(login.headers.get('set-cookie') ?? '')![1]);
  assert.ok(cookieExpires - Date.now() > 11 * 3_600_000, 'the cookie outlives the idle timeout');
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  // /api/auth/me answers who the session belongs to, or null once it has ended.
  const me = async (c = cookie) => ((await s.request('GET', '/api/auth/me', { headers: { cookie: c } })).body.user?.name ?? null) as string | null;
  assert.equal(await me(), 'operator');
  for (let i = 0; i < 3; i++) {
    clock.advance(25 * MIN); // each use within 30 minutes of the last keeps it alive
    assert.equal(await me(), 'operator', `use ${i + 1}, 25 minutes after the last`);
  }
  clock.advance(31 * MIN);
  assert.equal(await me(), null, 'unused for 31 minutes: ended');

  const busy = await signIn(s, 'operator');
  let lastOk = 0;
  for (let used = 0; used < 13 * 60; used += 20) {
    if (await me(busy)) lastOk = used;
    clock.advance(20 * MIN);
  }
  assert.ok(lastOk >= 11 * 60 && lastOk < 12 * 60 && !(await me(busy)), `a session used every 20 minutes ends at 12 hours (last good use at ${lastOk} min)`);
});

test('approving an Actual alert needs a sign-in within 5 minutes; an exercise does not; a token is not asked', async (t) => {
  const s = await startAlertServer(t);
  const clock = withClock(s);
  const draft = async (overrides: Record<string, unknown> = {}) => {
    const r = await s.request('POST', '/api/alerts', { token: s.tokens.operator, body: draftBody(overrides) });
    assert.equal(r.status, 201, r.text);
    return r.body.id as string;
  };
  const stale = await signIn(s, 'approver');
  clock.advance(6 * MIN);
  const actual = await draft();
  const refused = await s.request('POST', `/api/alerts/${actual}/approve`, { headers: { cookie: stale }, body: {} });
  assert.equal(refused.status, 403, refused.text);
  assert.equal(refused.body.code, 'FRESH_SIGN_IN_REQUIRED');
  assert.match(refused.body.detail, /sign in again/);
  assert.equal((await s.request('GET', `/api/alerts/${actual}`, { token: s.tokens.operator })).body.state, 'draft', 'nothing was issued');

  const exercise = await draft({ status: 'Exercise' });
  const ex = await s.request('POST', `/api/alerts/${exercise}/approve`, { headers: { cookie: stale }, body: {} });
  assert.equal(ex.status, 200, ex.text);

  const fresh = await signIn(s, 'approver');
  const ok = await s.request('POST', `/api/alerts/${actual}/approve`, { headers: { cookie: fresh }, body: {} });
  assert.equal(ok.status, 200, ok.text);

  const byToken = await draft();
  assert.equal((await s.request('POST', `/api/alerts/${byToken}/approve`, { token: s.tokens.approver, body: {} })).status, 200);
});

test('issuing a call-up and raising a regime to emergency need a fresh sign-in; a lower regime does not', async (t) => {
  const s = await startAlertServer(t);
  const clock = withClock(s);
  const stale = await signIn(s, 'operator');
  clock.advance(6 * MIN);
  const callup = await s.request('POST', '/api/callups', { headers: { cookie: stale }, body: { region: 'UA-30', message: 'Report to the depot' } });
  assert.equal(callup.status, 403, callup.text);
  assert.equal(callup.body.code, 'FRESH_SIGN_IN_REQUIRED');
  const emergency = await s.request('PUT', '/api/regimes/UA-30', { headers: { cookie: stale }, body: { level: 'emergency', reason: 'strikes expected' } });
  assert.equal(emergency.body.code, 'FRESH_SIGN_IN_REQUIRED', emergency.text);
  const heightened = await s.request('PUT', '/api/regimes/UA-30', { headers: { cookie: stale }, body: { level: 'heightened', reason: 'drills' } });
  assert.ok(heightened.status < 300, heightened.text);

  const fresh = await signIn(s, 'operator');
  const again = await s.request('PUT', '/api/regimes/UA-30', { headers: { cookie: fresh }, body: { level: 'emergency', reason: 'strikes expected' } });
  assert.notEqual(again.body?.code, 'FRESH_SIGN_IN_REQUIRED', again.text);
  assert.ok(again.status < 300, again.text);
  const call = await s.request('POST', '/api/callups', { headers: { cookie: fresh }, body: { region: 'UA-30', message: 'Report to the depot' } });
  assert.notEqual(call.body?.code, 'FRESH_SIGN_IN_REQUIRED', call.text);
});
