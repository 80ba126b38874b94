// Issue 9: one admin alone must not be able to get an Actual alert to residents through the accounts system.
// Each path an admin has (minting a token for the approver, creating an approver, creating a second admin, resetting a
// password, re-roling) is tried against a real server, and the draft must still be a draft at the end. The
// legitimate path, with a second admin who is a different account, must keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { draftBody, startAlertServer } from '../alerts-delivery/http-helpers.ts';
import { ALERT_ROLES } from '../../src/accounts/index.ts';
import { APPROVE_ROLES, DRAFT_ROLES } from '../../src/alerts/lifecycle/index.ts';
import type { TestServer } from '../helpers.ts';

async function assertStillDraft(s: TestServer, id: string): Promise<void> {
  const r = await s.request('GET', `/api/alerts/${id}`, { token: s.tokens.approver2 });
  assert.equal(r.body.state, 'draft', 'the draft was never issued');
  const active = await s.request('GET', '/api/alerts?regions=UA-30');
  assert.equal(active.status, 200);
  assert.equal(active.body.alerts.length, 0, 'no alert reached residents');
}

/** Tries every way an account may approve: its token, and a session if it can get one. */
async function tryApprove(s: TestServer, id: string, who: { token?: string; cookie?: string | null }): Promise<number> {
  const r = await s.request('POST', `/api/alerts/${id}/approve`, { token: who.token, headers: who.cookie ? { cookie: who.cookie } : {}, body: {} });
  return r.status;
}

test('the roles that can draft or approve alerts are exactly the ones account rules guard', () => {
  const alertRoles = new Set<string>([...DRAFT_ROLES, ...APPROVE_ROLES]);
  for (const r of alertRoles) assert.ok(ALERT_ROLES.includes(r as never), `${r} can draft or approve alerts but accounts do not treat it as alert-capable`);
});

test('one admin alone: every accounts path to a second approval is refused and the draft stays a draft', async (t) => {
  const s = await startAlertServer(t);
  const admin = s.tokens.admin;
  const draft = await s.request('POST', '/api/alerts', { token: admin, body: draftBody() });
  assert.equal(draft.status, 201, draft.text);
  const id = draft.body.id as string;
  assert.equal(await tryApprove(s, id, { token: admin }), 403, 'the alerts two-person rule itself');

  // 1. A token minted for the approver: refused, with a clear code; for itself it still works (the route keeps its shape).
  const minted = await s.request('POST', '/api/tokens', { token: admin, body: { user: 'approver' } });
  assert.equal(minted.status, 403, minted.text);
  assert.equal(minted.body.code, 'TOKEN_FOR_OTHER_USER');
  assert.equal(minted.body.field, 'user');
  const own = await s.request('POST', '/api/tokens', { token: admin, body: { user: 'admin', label: 'mine' } });
  assert.equal(own.status, 201);
  assert.match(own.body.token, /^rt_/);
  assert.equal(await tryApprove(s, id, { token: own.body.token }), 403, 'a token of your own is still you');

  // 2. A new approver account: pending; it can set its password but not sign in; its creator cannot activate it.
  const created = await s.request('POST', '/api/users', { token: admin, body: { name: 'mallory', role: 'approver', password: 'mallory-initial-1' } });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.status, 'pending');
  assert.equal(created.body.mustChangePassword, true);
  assert.equal((await signIn(s, 'mallory', 'mallory-initial-1')).code, 'PASSWORD_CHANGE_REQUIRED');
  const set = await signIn(s, 'mallory', 'mallory-initial-1', 'mallory-chosen-by-admin');
  assert.equal(set.status, 403);
  assert.equal(set.code, 'ACCOUNT_PENDING');
  assert.equal(set.cookie, null, 'no session for a pending account');
  const again = await signIn(s, 'mallory', 'mallory-chosen-by-admin');
  assert.equal(again.code, 'ACCOUNT_PENDING');
  assert.equal(again.cookie, null);
  const selfActivate = await s.request('POST', '/api/users/mallory/activate', { token: admin });
  assert.equal(selfActivate.status, 403);
  assert.equal(selfActivate.body.code, 'SECOND_ADMIN_REQUIRED');
  assert.equal((await s.request('POST', '/api/tokens', { token: admin, body: { user: 'mallory' } })).status, 403);
  assert.equal(await tryApprove(s, id, { cookie: again.cookie }), 401);

  // 3. A second admin account, to activate the approver with: it is pending too, so it can do nothing.
  const adminB = await s.request('POST', '/api/users', { token: admin, body: { name: 'admin-b', role: 'admin', password: 'admin-b-initial-1' } });
  assert.equal(adminB.body.status, 'pending');
  const b = await signIn(s, 'admin-b', 'admin-b-initial-1', 'admin-b-chosen-by-admin');
  assert.equal(b.code, 'ACCOUNT_PENDING');
  assert.equal(b.cookie, null);
  assert.equal((await s.request('POST', '/api/users/admin-b/activate', { token: admin })).body.code, 'SECOND_ADMIN_REQUIRED');

  // 4. Resetting the real approver's password: the approver goes back to pending; its old token stops; no activation by the resetter.
  assert.equal((await s.request('GET', '/api/auth/me', { token: s.tokens.approver })).status, 200);
  const reset = await s.request('POST', '/api/users/approver/password', { token: admin, body: { password: 'reset-by-admin-1' } });
  assert.equal(reset.status, 200, reset.text);
  assert.equal(reset.body.status, 'pending');
  assert.equal(reset.body.pendingReason, 'password-reset');
  const approverToken = await s.request('GET', '/api/auth/me', { token: s.tokens.approver });
  assert.equal(approverToken.status, 401);
  assert.equal(approverToken.body.code, 'ACCOUNT_INACTIVE');
  const asApprover = await signIn(s, 'approver', 'reset-by-admin-1', 'approver-taken-over-1');
  assert.equal(asApprover.code, 'ACCOUNT_PENDING');
  assert.equal(asApprover.cookie, null);
  assert.equal((await s.request('POST', '/api/users/approver/activate', { token: admin })).body.code, 'SECOND_ADMIN_REQUIRED');
  assert.equal(await tryApprove(s, id, { token: s.tokens.approver }), 401);

  // 5. Re-roling: itself (refused outright), an operator to approver, a warden to admin (both pending, tokens stop).
  const selfRole = await s.request('POST', '/api/users/admin/role', { token: admin, body: { role: 'approver' } });
  assert.equal(selfRole.status, 403);
  assert.equal(selfRole.body.code, 'NOT_ON_YOURSELF');
  const op = await s.request('POST', '/api/users/operator/role', { token: admin, body: { role: 'approver' } });
  assert.equal(op.body.status, 'pending');
  assert.equal(op.body.role, 'approver');
  assert.equal(await tryApprove(s, id, { token: s.tokens.operator }), 401);
  assert.equal((await s.request('POST', '/api/users/operator/activate', { token: admin })).body.code, 'SECOND_ADMIN_REQUIRED');
  const wardenUp = await s.request('POST', '/api/users/warden/role', { token: admin, body: { role: 'admin' } });
  assert.equal(wardenUp.body.status, 'pending');
  assert.equal((await s.request('POST', '/api/users/mallory/activate', { token: s.tokens.warden })).status, 401);
  // Back down to warden and up again does not shake off the pending state either.
  await s.request('POST', '/api/users/operator/role', { token: admin, body: { role: 'warden' } });
  const downUp = await s.request('POST', '/api/users/operator/role', { token: admin, body: { role: 'approver' } });
  assert.equal(downUp.body.status, 'pending');

  // 6. An operator account the admin creates to draft with, so the admin can approve: pending as well.
  const puppet = await s.request('POST', '/api/users', { token: admin, body: { name: 'puppet', role: 'operator', password: 'puppet-initial-12' } });
  assert.equal(puppet.body.status, 'pending');
  assert.equal((await signIn(s, 'puppet', 'puppet-initial-12', 'puppet-chosen-by-admin')).code, 'ACCOUNT_PENDING');

  // Disabling and enabling does not clear pending.
  await s.request('POST', '/api/users/mallory/disable', { token: admin });
  const enabled = await s.request('POST', '/api/users/mallory/enable', { token: admin });
  assert.equal(enabled.body.status, 'pending');

  await assertStillDraft(s, id);

  // Every one of these attempts is in the account event log, with who did it.
  const log = await s.request('GET', '/api/account-events?limit=1000', { token: admin });
  const actions = log.body.events.filter((e: { actor: string }) => e.actor === 'admin').map((e: { action: string; subject: string }) => `${e.action} ${e.subject}`);
  for (const a of ['user.created mallory', 'user.created admin-b', 'password.reset approver', 'user.role-changed operator', 'user.role-changed warden', 'token.created admin']) {
    assert.ok(actions.includes(a), `${a} logged`);
  }
});

test('with a second admin the legitimate paths work: approval, and a new approver activated by the other admin', async (t) => {
  const s = await startAlertServer(t);
  await s.ctx.accounts.createUser('admin2', 'admin', 'admin2-password-long');
  const admin2 = await s.ctx.accounts.createApiToken('admin2');
  const admin = s.tokens.admin;

  const first = await s.request('POST', '/api/alerts', { token: admin, body: draftBody() });
  const ok = await s.request('POST', `/api/alerts/${first.body.id}/approve`, { token: admin2, body: {} });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.issued, true);

  const created = await s.request('POST', '/api/users', { token: admin, body: { name: 'nadia', role: 'approver', password: 'nadia-initial-pw' } });
  assert.equal(created.body.status, 'pending');
  const early = await s.request('POST', '/api/users/nadia/activate', { token: admin2 });
  assert.equal(early.status, 409, 'not before the owner chose a password');
  assert.equal(early.body.code, 'OWNER_PASSWORD_NOT_SET');
  const set = await signIn(s, 'nadia', 'nadia-initial-pw', 'nadia-own-password');
  assert.equal(set.code, 'ACCOUNT_PENDING');
  assert.equal(set.body.passwordChanged, true);
  const activated = await s.request('POST', '/api/users/nadia/activate', { token: admin2 });
  assert.equal(activated.status, 200, activated.text);
  assert.equal(activated.body.status, 'active');
  const nadia = await signIn(s, 'nadia', 'nadia-own-password');
  assert.equal(nadia.status, 200);
  assert.ok(nadia.cookie);

  const second = await s.request('POST', '/api/alerts', { token: admin, body: draftBody({ headline: 'Second' }) });
  const approved = await s.request('POST', `/api/alerts/${second.body.id}/approve`, { headers: { cookie: nadia.cookie! }, body: {} });
  assert.equal(approved.status, 200, approved.text);

  // A reset approver comes back the same way: owner's own password, then the other admin.
  await s.request('POST', '/api/users/approver/password', { token: admin, body: { password: 'reset-by-admin-1' } });
  assert.equal((await signIn(s, 'approver', 'reset-by-admin-1', 'approver-own-again')).code, 'ACCOUNT_PENDING');
  assert.equal((await s.request('POST', '/api/users/approver/activate', { token: admin2 })).body.status, 'active');
  assert.equal((await s.request('GET', '/api/auth/me', { token: s.tokens.approver })).body.user.name, 'approver', 'its own tokens work again');

  const log = await s.request('GET', '/api/account-events?user=nadia', { token: admin2 });
  assert.deepEqual(log.body.events.map((e: { action: string; actor: string }) => `${e.action} by ${e.actor}`), ['user.activated by admin2', 'password.changed by nadia', 'user.created by admin']);
});

test('every admin who made an account pending is excluded from activating it, not only the first', async (t) => {
  const s = await startAlertServer(t);
  for (const n of ['admin2', 'admin3']) await s.ctx.accounts.createUser(n, 'admin', `${n}-password-long`);
  const admin2 = await s.ctx.accounts.createApiToken('admin2');
  const admin3 = await s.ctx.accounts.createApiToken('admin3');
  // admin creates it as a warden (active: wardens cannot touch alerts) and so knows its first password...
  const w = await s.request('POST', '/api/users', { token: s.tokens.admin, body: { name: 'xena', role: 'warden', password: 'xena-initial-pw1' } });
  assert.equal(w.body.status, 'active');
  // ...admin2 makes it an approver, then admin resets its password: both are now in the episode.
  assert.deepEqual((await s.request('POST', '/api/users/xena/role', { token: admin2, body: { role: 'approver' } })).body.pendingBy, ['admin2']);
  const reset = await s.request('POST', '/api/users/xena/password', { token: s.tokens.admin, body: { password: 'xena-second-pw1' } });
  assert.deepEqual(reset.body.pendingBy, ['admin2', 'admin']);
  assert.equal((await signIn(s, 'xena', 'xena-second-pw1', 'xena-own-password')).code, 'ACCOUNT_PENDING');
  for (const token of [s.tokens.admin, admin2]) {
    const r = await s.request('POST', '/api/users/xena/activate', { token });
    assert.equal(r.body.code, 'SECOND_ADMIN_REQUIRED');
  }
  const ok = await s.request('POST', '/api/users/xena/activate', { token: admin3 });
  assert.equal(ok.body.status, 'active');
  assert.deepEqual(ok.body.pendingBy, [], 'a new episode starts clean');
  assert.equal((await signIn(s, 'xena', 'xena-own-password')).status, 200);
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
