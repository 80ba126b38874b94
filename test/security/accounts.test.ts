// The accounts API over real HTTP on a real SQLite file: token expiry, last use and revocation, disabling,
// password change and reset, ending sessions, the event log, the sign-in throttle's Retry-After, and the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, startTestServer, tempDir, type TestServer } from '../helpers.ts';
import { Accounts } from '../../src/accounts/index.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

/** Puts the server's accounts on a clock the test moves (routes read ctx.accounts on every request). */
function withClock(s: TestServer, policy: ConstructorParameters<typeof Accounts>[2] = {}): { now: number; advance(ms: number): void } {
  const clock = { now: Date.now(), advance(ms: number) { clock.now += ms; } };
  s.ctx.accounts = new Accounts(s.ctx.store.accounts, () => new Date(clock.now), policy);
  return clock;
}

const DAY = 86_400_000;

test('tokens expire: the default lifetime, expiresInDays up to the maximum, and 401 once past', async (t) => {
  const s = await startTestServer(t);
  const clock = withClock(s, { tokenDefaultDays: 3, tokenMaxDays: 10 });
  const admin = s.tokens.admin;
  const short = await s.request('POST', '/api/tokens', { token: admin, body: { label: 'short', expiresInDays: 1 } });
  assert.equal(short.status, 201, short.text);
  assert.equal(Date.parse(short.body.expiresAt), clock.now + DAY);
  const byDefault = await s.request('POST', '/api/tokens', { token: admin, body: {} });
  assert.equal(byDefault.status, 201, byDefault.text);
  assert.equal(Date.parse(byDefault.body.expiresAt), clock.now + 3 * DAY, 'the configured default');
  const tooLong = await s.request('POST', '/api/tokens', { token: admin, body: { expiresInDays: 11 } });
  assert.equal(tooLong.status, 400);
  assert.equal(tooLong.body.code, 'INVALID_EXPIRY');
  assert.equal(tooLong.body.field, 'expiresInDays');
  assert.equal((await s.request('POST', '/api/tokens', { token: admin, body: { expiresInDays: 0 } })).status, 400);

  assert.equal((await s.request('GET', '/api/auth/me', { token: short.body.token })).body.user.name, 'admin');
  clock.advance(DAY - 1);
  assert.equal((await s.request('GET', '/api/auth/me', { token: short.body.token })).status, 200, 'live until the last millisecond');
  clock.advance(1);
  const expired = await s.request('GET', '/api/auth/me', { token: short.body.token });
  assert.equal(expired.status, 401);
  assert.equal(expired.body.code, 'INVALID_TOKEN');
  assert.match(expired.body.detail, /expired/);
  assert.equal((await s.request('GET', '/api/auth/me', { token: byDefault.body.token })).status, 200, 'the other still works');
});

test('tokens: listed without secrets with created, expires and last use; own only unless admin; revoked at once', async (t) => {
  const s = await startTestServer(t);
  const clock = withClock(s);
  const mine = await s.request('GET', '/api/tokens', { token: s.tokens.operator });
  assert.equal(mine.status, 200);
  assert.equal(mine.body.tokens.length, 1);
  const tok = mine.body.tokens[0];
  assert.equal(tok.user, 'operator');
  assert.ok(tok.createdAt && tok.expiresAt);
  assert.equal(tok.lastUsedAt, new Date(clock.now).toISOString(), 'listing with it is itself a use');
  assert.ok(!('token' in tok) && !('tokenHash' in tok) && !JSON.stringify(mine.body).includes(s.tokens.operator), 'no secret in the list');
  assert.equal((await s.request('GET', '/api/tokens?user=admin', { token: s.tokens.operator })).status, 403, 'not other people\'s');

  // Last use moves with use, written at most once a minute.
  clock.advance(30_000);
  await s.request('GET', '/api/auth/me', { token: s.tokens.operator });
  const at30 = (await s.request('GET', '/api/tokens', { token: s.tokens.admin })).body.tokens.find((x: { user: string }) => x.user === 'operator');
  assert.equal(at30.lastUsedAt, tok.lastUsedAt);
  clock.advance(31_000);
  await s.request('GET', '/api/auth/me', { token: s.tokens.operator });
  const at61 = (await s.request('GET', '/api/tokens?user=operator', { token: s.tokens.admin })).body.tokens[0];
  assert.equal(at61.lastUsedAt, new Date(clock.now).toISOString());

  const all = await s.request('GET', '/api/tokens', { token: s.tokens.admin });
  assert.deepEqual(new Set(all.body.tokens.map((x: { user: string }) => x.user)), new Set(['admin', 'operator', 'approver', 'warden', 'operator2', 'approver2']));

  // Someone else's token: not found for a non-admin (nothing revealed); an admin may revoke any; the owner their own.
  const adminTok = all.body.tokens.find((x: { user: string }) => x.user === 'admin');
  assert.equal((await s.request('DELETE', `/api/tokens/${adminTok.id}`, { token: s.tokens.operator })).status, 404);
  const approverTok = all.body.tokens.find((x: { user: string }) => x.user === 'approver');
  const revoked = await s.request('DELETE', `/api/tokens/${approverTok.id}`, { token: s.tokens.admin });
  assert.equal(revoked.status, 200);
  assert.equal(revoked.body.revokedBy, 'admin');
  const refused = await s.request('GET', '/api/auth/me', { token: s.tokens.approver });
  assert.equal(refused.status, 401);
  assert.match(refused.body.detail, /revoked/);
  const own = await s.request('DELETE', `/api/tokens/${tok.id}`, { token: s.tokens.operator });
  assert.equal(own.status, 200);
  assert.equal((await s.request('GET', '/api/auth/me', { token: s.tokens.operator })).status, 401);
  assert.equal((await s.request('DELETE', '/api/tokens/tok_nope', { token: s.tokens.admin })).status, 404);
});

test('disabling ends sessions and stops tokens at once; enabling brings tokens back, not sessions', async (t) => {
  const s = await startTestServer(t);
  const session = await signIn(s, 'approver', 'approver-password-long');
  assert.equal(session.status, 200);
  assert.equal(await whoIs(s, session.cookie!), 'approver');
  const off = await s.request('POST', '/api/users/approver/disable', { token: s.tokens.admin });
  assert.equal(off.status, 200);
  assert.equal(off.body.status, 'disabled');
  assert.equal(await whoIs(s, session.cookie!), null, 'the session ended');
  const tok = await s.request('GET', '/api/auth/me', { token: s.tokens.approver });
  assert.equal(tok.status, 401);
  assert.equal(tok.body.code, 'ACCOUNT_INACTIVE');
  assert.equal((await signIn(s, 'approver', 'approver-password-long')).status, 401, 'a disabled account looks like a wrong password');
  assert.equal((await s.request('POST', '/api/users/admin/disable', { token: s.tokens.admin })).body.code, 'NOT_ON_YOURSELF');
  assert.equal((await s.request('POST', '/api/users/approver/disable', { token: s.tokens.operator })).status, 403, 'admins only');

  const on = await s.request('POST', '/api/users/approver/enable', { token: s.tokens.admin });
  assert.equal(on.body.status, 'active');
  assert.equal(await whoIs(s, session.cookie!), null);
  assert.equal((await s.request('GET', '/api/auth/me', { token: s.tokens.approver })).body.user.name, 'approver');
});

test('changing your own password needs the current one and ends your other sessions', async (t) => {
  const s = await startTestServer(t);
  const a = await signIn(s, 'operator', 'operator-password-long');
  const b = await signIn(s, 'operator', 'operator-password-long');
  const wrong = await s.request('POST', '/api/auth/password', { headers: { cookie: a.cookie! }, body: { currentPassword: 'not-my-password', newPassword: 'operator-new-password' } });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.code, 'WRONG_PASSWORD');
  const weak = await s.request('POST', '/api/auth/password', { headers: { cookie: a.cookie! }, body: { currentPassword: 'operator-password-long', newPassword: 'short' } });
  assert.equal(weak.status, 400);
  assert.equal(weak.body.field, 'newPassword');
  const ok = await s.request('POST', '/api/auth/password', { headers: { cookie: a.cookie! }, body: { currentPassword: 'operator-password-long', newPassword: 'operator-new-password' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(await whoIs(s, a.cookie!), 'operator', 'the session in use stays');
  assert.equal(await whoIs(s, b.cookie!), null, 'the other one ended');
  assert.equal((await signIn(s, 'operator', 'operator-password-long')).status, 401);
  assert.equal((await signIn(s, 'operator', 'operator-new-password')).status, 200);
  assert.equal((await s.request('GET', '/api/auth/me', { token: s.tokens.operator })).status, 200, 'tokens are not passwords');
  assert.equal((await s.request('POST', '/api/auth/password', { body: { currentPassword: 'x', newPassword: 'operator-new-password' } })).status, 401);
});

test('an admin resets a warden\'s password: sessions end, and the warden must choose their own at next sign-in', async (t) => {
  const s = await startTestServer(t);
  const before = await signIn(s, 'warden', 'warden-password-long');
  const reset = await s.request('POST', '/api/users/warden/password', { token: s.tokens.admin, body: { password: 'warden-temporary-1' } });
  assert.equal(reset.status, 200, reset.text);
  assert.equal(reset.body.status, 'active', 'a warden cannot draft or approve alerts, so no second admin is needed');
  assert.equal(reset.body.mustChangePassword, true);
  assert.equal(await whoIs(s, before.cookie!), null);
  assert.equal((await signIn(s, 'warden', 'warden-password-long')).status, 401);
  const must = await signIn(s, 'warden', 'warden-temporary-1');
  assert.equal(must.status, 403);
  assert.equal(must.code, 'PASSWORD_CHANGE_REQUIRED');
  assert.equal((await signIn(s, 'warden', 'warden-temporary-1', 'warden-temporary-1')).status, 400, 'the same password again is not a change');
  const chosen = await signIn(s, 'warden', 'warden-temporary-1', 'warden-own-password');
  assert.equal(chosen.status, 200, JSON.stringify(chosen.body));
  assert.equal(await whoIs(s, chosen.cookie!), 'warden');
  assert.equal((await signIn(s, 'warden', 'warden-own-password')).status, 200);
  const self = await s.request('POST', '/api/users/admin/password', { token: s.tokens.admin, body: { password: 'admin-new-password' } });
  assert.equal(self.status, 403);
  assert.equal(self.body.code, 'NOT_ON_YOURSELF');
  assert.equal((await s.request('POST', '/api/users/nobody/password', { token: s.tokens.admin, body: { password: 'whatever-long-1' } })).status, 404);
  assert.equal((await s.request('POST', '/api/users/warden/password', { token: s.tokens.admin, body: { password: 'short' } })).status, 400);
});

test('an admin ends all sessions of a user; its tokens keep working', async (t) => {
  const s = await startTestServer(t);
  const a = await signIn(s, 'approver2', 'approver2-password-long');
  const b = await signIn(s, 'approver2', 'approver2-password-long');
  const mine = await signIn(s, 'operator2', 'operator2-password-long');
  const r = await s.request('POST', '/api/users/approver2/end-sessions', { token: s.tokens.admin });
  assert.equal(r.status, 200);
  assert.equal(r.body.ended, 2);
  assert.equal(await whoIs(s, a.cookie!), null);
  assert.equal(await whoIs(s, b.cookie!), null);
  assert.equal(await whoIs(s, mine.cookie!), 'operator2', 'other users are untouched');
  assert.equal((await s.request('GET', '/api/auth/me', { token: s.tokens.approver2 })).status, 200);
  assert.equal((await s.request('POST', '/api/users/approver2/end-sessions', { token: s.tokens.approver })).status, 403);
});

test('the account event log records who did what to whom, and only admins read it', async (t) => {
  const s = await startTestServer(t);
  const admin = s.tokens.admin;
  await s.request('POST', '/api/users', { token: admin, body: { name: 'kim', role: 'warden', password: 'kim-initial-pass' } });
  await s.request('POST', '/api/users/kim/role', { token: admin, body: { role: 'approver' } });
  await s.request('POST', '/api/users/kim/disable', { token: admin });
  await s.request('POST', '/api/users/kim/enable', { token: admin });
  await s.request('POST', '/api/users/kim/password', { token: admin, body: { password: 'kim-second-pass' } });
  await s.request('POST', '/api/users/kim/end-sessions', { token: admin });
  const made = await s.request('POST', '/api/tokens', { token: admin, body: { label: 'deploy' } });
  await s.request('DELETE', `/api/tokens/${made.body.id}`, { token: admin });
  const ses = await signIn(s, 'operator', 'operator-password-long');
  await s.request('POST', '/api/auth/password', { headers: { cookie: ses.cookie! }, body: { currentPassword: 'operator-password-long', newPassword: 'operator-password-two' } });

  const log = await s.request('GET', '/api/account-events', { token: admin });
  assert.equal(log.status, 200);
  const lines = log.body.events.map((e: { actor: string; via: string; action: string; subject: string }) => `${e.actor}/${e.via} ${e.action} ${e.subject}`);
  assert.deepEqual(lines.slice(0, 9), [
    'operator/http password.changed operator',
    'admin/http token.revoked admin',
    'admin/http token.created admin',
    'admin/http sessions.ended kim',
    'admin/http password.reset kim',
    'admin/http user.enabled kim',
    'admin/http user.disabled kim',
    'admin/http user.role-changed kim',
    'admin/http user.created kim',
  ]);
  const roleEvent = log.body.events.find((e: { action: string }) => e.action === 'user.role-changed');
  assert.deepEqual(roleEvent.detail, { from: 'warden', to: 'approver', pending: true });
  assert.ok(log.body.events.every((e: { at: string }) => !Number.isNaN(Date.parse(e.at))));
  // Accounts made in-process (test setup) are logged too, as local.
  assert.ok(lines.includes('null/local user.created admin'));
  const kim = await s.request('GET', '/api/account-events?user=kim&limit=2', { token: admin });
  assert.equal(kim.body.events.length, 2);
  const older = await s.request('GET', `/api/account-events?user=kim&before=${kim.body.events[1].id}`, { token: admin });
  assert.equal(older.body.events.length, 4);
  assert.equal((await s.request('GET', '/api/account-events', { token: s.tokens.operator2 })).status, 403);
  assert.equal((await s.request('GET', '/api/account-events')).status, 401);
});

test('POST /api/users and /api/tokens keep their shapes; bad input is a clear 4xx naming the field', async (t) => {
  const s = await startTestServer(t);
  const admin = s.tokens.admin;
  const dup = await s.request('POST', '/api/users', { token: admin, body: { name: 'operator', role: 'operator', password: 'long-enough-pass' } });
  assert.equal(dup.status, 409);
  const badRole = await s.request('POST', '/api/users', { token: admin, body: { name: 'x1', role: 'root', password: 'long-enough-pass' } });
  assert.equal(badRole.status, 400);
  assert.match(badRole.body.field, /role/);
  const warden = await s.request('POST', '/api/users', { token: admin, body: { name: 'wanda', role: 'warden', password: 'long-enough-pass' } });
  assert.equal(warden.status, 201);
  assert.deepEqual([warden.body.name, warden.body.role, warden.body.status, typeof warden.body.id], ['wanda', 'warden', 'active', 'number']);
  assert.equal((await s.request('POST', '/api/tokens', { token: admin, body: { user: 'nobody' } })).body.code, 'TOKEN_FOR_OTHER_USER');
  assert.equal((await s.request('POST', '/api/tokens', { token: s.tokens.operator, body: {} })).status, 403, 'admins only, as before');
  assert.equal((await s.request('POST', '/api/tokens', { token: admin, body: { label: 'x'.repeat(201) } })).status, 400);
  const noBody = await s.request('POST', '/api/tokens', { token: admin });
  assert.equal(noBody.status, 201, `no body at all is a token for yourself: ${noBody.text}`);
  assert.equal((await s.request('POST', '/api/users/nobody/activate', { token: admin })).status, 404);
  assert.equal((await s.request('POST', '/api/users/wanda/activate', { token: admin })).body.code, 'NOT_PENDING');
  assert.equal((await s.request('POST', '/api/users/wanda/role', { token: admin, body: { role: 'root' } })).status, 400);
  const list = await s.request('GET', '/api/users', { token: admin });
  assert.ok(list.body.every((u: Record<string, unknown>) => !('passwordHash' in u)));
});

test('sign-in throttle: after repeated failures a 429 carries Retry-After, in the header and the body', async (t) => {
  const s = await startTestServer(t);
  const statuses: number[] = [];
  let last: Awaited<ReturnType<typeof signIn>> | null = null;
  for (let i = 0; i < 7; i++) {
    last = await signIn(s, 'approver', `guess-number-${i}`);
    statuses.push(last.status);
  }
  assert.ok(statuses.includes(429), statuses.join(','));
  assert.equal(last!.status, 429);
  const header = last!.headers.get('retry-after');
  assert.match(header ?? '', /^\d+$/);
  assert.ok(Number(header) >= 1);
  assert.equal(last!.body.retryAfter, Number(header));
  assert.equal(last!.body.code, 'TOO_MANY_ATTEMPTS');
});

test('CLI: reset-password, disable-user, activate-user, list-tokens, revoke-token, events', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'r.db');
  const run = (args: string[], input?: string) => spawnSync(process.execPath, [join(ROOT, 'bin', 'refuge.js'), 'admin', ...args, '--db', db], { encoding: 'utf8', input, cwd: ROOT });
  assert.equal(run(['create-user', '--name', 'ops', '--role', 'operator', '--password-stdin'], 'first-password-1\n').status, 0);
  const token = run(['create-token', '--user', 'ops', '--label', 'ci', '--expires-in-days', '5']).stdout.trim();
  assert.match(token, /^rt_/);

  assert.match(run(['reset-password', '--name', 'ops']).stderr, /--password-stdin/);
  const weak = run(['reset-password', '--name', 'ops', '--password-stdin'], 'short\n');
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /at least 12/);
  assert.equal(run(['reset-password', '--name', 'ghost', '--password-stdin'], 'second-password-2\n').status, 1);
  const reset = run(['reset-password', '--name', 'ops', '--password-stdin'], 'second-password-2\n');
  assert.equal(reset.status, 0, reset.stderr);
  assert.match(reset.stdout, /password of ops reset/);

  const tokens = run(['list-tokens']);
  assert.equal(tokens.status, 0, tokens.stderr);
  const [id, user, label] = tokens.stdout.trim().split('\t');
  assert.deepEqual([user, label], ['ops', 'ci']);
  assert.ok(!tokens.stdout.includes(token), 'never the secret');

  const check = async (fn: (a: Accounts) => Promise<void>) => {
    const store = openSqliteStore(db);
    try { await fn(new Accounts(store.accounts)); } finally { store.close(); }
  };
  await check(async (a) => {
    assert.equal(await a.authenticate('ops', 'first-password-1'), null);
    assert.equal((await a.authenticate('ops', 'second-password-2'))?.name, 'ops', 'from the shell the new password works at once');
    assert.equal((await a.userForToken(token))?.name, 'ops');
  });

  assert.equal(run(['disable-user', '--name', 'ops']).status, 0);
  await check(async (a) => assert.equal(await a.userForToken(token), null));
  assert.equal(run(['enable-user', '--name', 'ops']).status, 0);
  assert.equal(run(['activate-user', '--name', 'ops']).status, 1, 'not pending');
  assert.equal(run(['revoke-token', '--id', id]).status, 0);
  assert.match(run(['list-tokens', '--user', 'ops']).stdout, /\trevoked /);
  await check(async (a) => assert.equal(await a.userForToken(token), null));

  const events = run(['events']).stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(events.map((e) => `${e[1]} ${e[3]} ${e[4]}`), [
    'cli token.revoked ops', 'cli user.enabled ops', 'cli user.disabled ops', 'cli password.reset ops', 'cli token.created ops', 'cli user.created ops',
  ]);
  assert.match(events[0]![2]!, /^cli/);
});

// Sign-in over real HTTP: the session cookie as a browser would keep it.

interface SignIn {
  status: number;
  code: string | undefined;
  /** "refuge_session=..." to send back as a Cookie header, or null when no session was given. */
  cookie: string | null;
  body: any;
  headers: Headers;
}

async function signIn(server: TestServer, name: string, password: string, newPassword?: string): Promise<SignIn> {
  const res = await fetch(server.url + '/api/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password, ...(newPassword !== undefined ? { newPassword } : {}) }),
  });
  const body = await res.json();
  const set = res.headers.get('set-cookie');
  const cookie = set && /refuge_session=([^;]+)/.exec(set)?.[0];
  return { status: res.status, code: body?.code, cookie: cookie ?? null, body, headers: res.headers };
}

/** The signed-in user's name for a session cookie (null when the session no longer works). */
async function whoIs(server: TestServer, cookie: string): Promise<string | null> {
  const r = await server.request('GET', '/api/auth/me', { headers: { cookie } });
  return r.body?.user?.name ?? null;
}
