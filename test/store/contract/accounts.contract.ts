// The contract every AccountRepository implementation must meet (src/accounts/ports.ts). Run it with a factory per store.
// Concurrent calls go through Promise.all: on PostgreSQL they run on separate pooled connections, as several servers would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccountEventInput, AccountRepository, NewToken, NewUser, StoredUser, User } from '../../../src/accounts/ports.ts';
import { UserNameTaken } from '../../../src/accounts/ports.ts';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T11:00:00.000Z';
const T2 = '2026-03-01T12:00:00.000Z';
const LATER = '2026-06-01T00:00:00.000Z';

function ev(action: string, subject: string | null, detail: Record<string, unknown> = {}, over: Partial<AccountEventInput> = {}): AccountEventInput {
  return { at: T0, actor: 'root', via: 'http', action, subject, detail, ...over };
}

function newUser(name: string, over: Partial<NewUser> = {}): NewUser {
  return { name, role: 'operator', passwordHash: `hash-of-${name}`, createdAt: T0, createdBy: 'root', pending: null, mustChangePassword: false, ...over };
}

/** What a freshly created, active account must read back as. */
function expected(id: number, u: NewUser): StoredUser {
  return {
    id, name: u.name, role: u.role, createdAt: u.createdAt, disabledAt: null, createdBy: u.createdBy,
    status: u.pending ? 'pending' : 'active', pendingSince: u.pending?.since ?? null, pendingReason: u.pending?.reason ?? null,
    pendingBy: u.pending?.by ?? [], mustChangePassword: u.mustChangePassword, passwordChangedAt: u.createdAt, passwordHash: u.passwordHash, jurisdiction: u.jurisdiction ?? [],
    jurisdictionGone: [],
  };
}
/** As read by sign-in (session, token): those reads do not check for gone jurisdiction codes (ports.ts). */
function expectedSignedIn(id: number, u: NewUser): StoredUser {
  const { jurisdictionGone: _, ...rest } = expected(id, u);
  return rest;
}

function token(id: string, userId: number, over: Partial<NewToken> = {}): NewToken {
  return { id, tokenHash: `th-${id}`, userId, label: `label ${id}`, createdAt: T0, createdBy: 'root', expiresAt: LATER, ...over };
}

const strip = ({ passwordHash: _p, ...u }: StoredUser): User => u;
// A via the log refuses (NOT NULL): the event fails after the change was written, so the change must roll back with it.
const BAD_EVENT = ev('broken', 'x', {}, { via: null as never });

/** Opens several connections first, so concurrent calls really overlap rather than queue behind connection set-up. */
async function warm(repo: AccountRepository): Promise<void> {
  await Promise.all(Array.from({ length: 8 }, () => repo.listEvents({ limit: 1 })));
}

async function eventsOf(repo: AccountRepository, subject: string) {
  return repo.listEvents({ subject, limit: 1000 });
}

export function accountRepositoryContract(name: string, make: (t: any) => Promise<AccountRepository>): void {
  test(`${name}: accounts: createUser, findUser and listUsers return the account as stored`, async (t) => {
    const repo = await make(t);
    const plain = newUser('alice', { createdBy: null });
    const alice = await repo.createUser(plain, ev('user.created', 'alice', { role: 'operator', pending: false }));
    assert.equal(typeof alice.id, 'number');
    assert.deepEqual(alice, strip(expected(alice.id, plain)));
    assert.ok(!('passwordHash' in alice), 'createUser does not hand back the hash');
    assert.deepEqual(await repo.findUser('alice'), expected(alice.id, plain));

    const pend = newUser('Zed', { role: 'admin', mustChangePassword: true, pending: { since: T0, reason: 'created', by: ['root', 'other'] } });
    const zed = await repo.createUser(pend, ev('user.created', 'Zed'));
    assert.notEqual(zed.id, alice.id);
    assert.deepEqual(await repo.findUser('Zed'), expected(zed.id, pend));
    assert.equal(zed.status, 'pending');

    const emile = await repo.createUser(newUser('Émile', { role: 'warden' }), ev('user.created', 'Émile'));
    const bob = await repo.createUser(newUser('bob', { role: 'approver' }), ev('user.created', 'bob'));
    // Names compare as bytes, as SQLite does: capitals first, accented letters after z; lookups are case-sensitive.
    assert.deepEqual(await repo.listUsers(), [zed, alice, bob, emile]);
    assert.equal(await repo.findUser('ALICE'), null);
    assert.equal(await repo.findUser('nobody'), null);
    assert.deepEqual((await eventsOf(repo, 'alice')).map((e) => [e.action, e.actor, e.via, e.detail]), [['user.created', 'root', 'http', { role: 'operator', pending: false }]]);
  });

  test(`${name}: accounts: a refused createUser leaves neither account nor event`, async (t) => {
    const repo = await make(t);
    await repo.createUser(newUser('alice'), ev('user.created', 'alice'));
    await assert.rejects(repo.createUser(newUser('alice', { role: 'admin' }), ev('user.created', 'alice', { again: true })), UserNameTaken);
    assert.equal((await repo.findUser('alice'))!.role, 'operator');
    assert.equal((await eventsOf(repo, 'alice')).length, 1, 'the duplicate left no event');
    await assert.rejects(repo.createUser(newUser('bad', { role: 'root' as never }), ev('user.created', 'bad')), 'the store refuses an unknown role');
    await assert.rejects(repo.createUser(newUser('ghost'), BAD_EVENT));
    assert.equal(await repo.findUser('ghost'), null, 'no account without its event');
    assert.equal(await repo.findUser('bad'), null);
    assert.deepEqual((await repo.listUsers()).map((u) => u.name), ['alice']);
  });

  test(`${name}: accounts: of several concurrent createUser calls for one name exactly one succeeds`, async (t) => {
    const repo = await make(t);
    await warm(repo);
    const tries = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => repo.createUser(newUser('dup', { passwordHash: `h${i}` }), ev('user.created', 'dup', { i }))));
    const won = tries.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    // The losers are told the name is taken (the API then answers 409 USER_EXISTS), not a driver's unique-key error.
    for (const r of tries) if (r.status === 'rejected') assert.ok(r.reason instanceof UserNameTaken, String(r.reason));
    const stored = (await repo.findUser('dup'))!;
    assert.equal(stored.id, (won[0] as PromiseFulfilledResult<User>).value.id);
    const events = await eventsOf(repo, 'dup');
    assert.equal(events.length, 1, 'one account, one event');
    assert.equal(stored.passwordHash, `h${events[0].detail.i}`, 'the event is the winner\'s');
  });

  test(`${name}: accounts: updateUser writes only the patched fields, with its event`, async (t) => {
    const repo = await make(t);
    const u = await repo.createUser(newUser('carol'), ev('user.created', 'carol'));
    const base = expected(u.id, newUser('carol'));
    await repo.updateUser(u.id, { role: 'admin' }, ev('user.role-changed', 'carol', { from: 'operator', to: 'admin' }, { at: T1 }));
    assert.deepEqual(await repo.findUser('carol'), { ...base, role: 'admin' });

    await repo.updateUser(u.id, { passwordHash: 'new-hash', passwordChangedAt: T1, mustChangePassword: true }, ev('password.reset', 'carol'));
    assert.deepEqual(await repo.findUser('carol'), { ...base, role: 'admin', passwordHash: 'new-hash', passwordChangedAt: T1, mustChangePassword: true });

    const pending = { since: T1, reason: 'password-reset' as const, by: ['root'] };
    await repo.updateUser(u.id, { pending, mustChangePassword: false }, ev('password.reset', 'carol'));
    let now = (await repo.findUser('carol'))!;
    assert.deepEqual([now.status, now.pendingSince, now.pendingReason, now.pendingBy, now.mustChangePassword], ['pending', T1, 'password-reset', ['root'], false]);

    await repo.updateUser(u.id, { disabledAt: T2 }, ev('user.disabled', 'carol'));
    now = (await repo.findUser('carol'))!;
    assert.deepEqual([now.status, now.disabledAt, now.pendingSince], ['disabled', T2, T1], 'disabled wins over pending; pending is kept');

    await repo.updateUser(u.id, { disabledAt: null, pending: null }, ev('user.activated', 'carol'));
    assert.deepEqual(await repo.findUser('carol'), { ...base, role: 'admin', passwordHash: 'new-hash', passwordChangedAt: T1 });

    // An empty patch changes nothing but is still logged.
    await repo.updateUser(u.id, {}, ev('user.noted', 'carol'));
    assert.deepEqual((await eventsOf(repo, 'carol')).map((e) => e.action),
      ['user.noted', 'user.activated', 'user.disabled', 'password.reset', 'password.reset', 'user.role-changed', 'user.created']);
  });

  test(`${name}: accounts: updateUser with an expectation applies only to the account as it was read`, async (t) => {
    const repo = await make(t);
    const pending = { since: T0, reason: 'created' as const, by: ['root'] };
    const u = await repo.createUser(newUser('dora', { pending }), ev('user.created', 'dora'));
    const read = (await repo.findUser('dora'))!;
    const expect = { role: read.role, pendingSince: read.pendingSince, passwordChangedAt: read.passwordChangedAt, mustChangePassword: read.mustChangePassword };
    // Meanwhile the admin who made it pending resets its password: an activation decided on the old read must not apply.
    await repo.updateUser(u.id, { passwordHash: 'chosen-by-root', passwordChangedAt: T1, mustChangePassword: true }, ev('password.reset', 'dora'));
    assert.equal(await repo.updateUser(u.id, { pending: null }, ev('user.activated', 'dora'), false, expect), false);
    assert.equal((await repo.findUser('dora'))!.status, 'pending', 'still pending');
    assert.deepEqual((await eventsOf(repo, 'dora')).map((e) => e.action), ['password.reset', 'user.created'], 'the refused activation is not logged');
    // Read again: now it matches, and applies.
    const again = (await repo.findUser('dora'))!;
    assert.equal(await repo.updateUser(u.id, { pending: null }, ev('user.activated', 'dora'), false,
      { role: again.role, pendingSince: again.pendingSince, passwordChangedAt: again.passwordChangedAt, mustChangePassword: again.mustChangePassword }), true);
    assert.equal((await repo.findUser('dora'))!.status, 'active');
    // A role change in between is caught the same way.
    const e2 = await repo.createUser(newUser('emil', { pending }), ev('user.created', 'emil'));
    const r2 = (await repo.findUser('emil'))!;
    await repo.updateUser(e2.id, { role: 'admin' }, ev('user.role-changed', 'emil'));
    assert.equal(await repo.updateUser(e2.id, { pending: null }, ev('user.activated', 'emil'), false,
      { role: r2.role, pendingSince: r2.pendingSince, passwordChangedAt: r2.passwordChangedAt, mustChangePassword: r2.mustChangePassword }), false);
  });

  test(`${name}: accounts: a failed updateUser changes nothing, ends no session and logs nothing`, async (t) => {
    const repo = await make(t);
    const u = await repo.createUser(newUser('dave'), ev('user.created', 'dave'));
    await repo.saveSession('s1', u.id, T0, LATER);
    const before = await repo.findUser('dave');
    await assert.rejects(repo.updateUser(u.id, { passwordHash: 'x', role: 'superuser' as never }, ev('user.role-changed', 'dave'), {}));
    await assert.rejects(repo.updateUser(u.id, { disabledAt: T1, passwordHash: 'y' }, BAD_EVENT, {}));
    await assert.rejects(repo.endSessions(u.id, BAD_EVENT));
    assert.deepEqual(await repo.findUser('dave'), before);
    assert.equal((await repo.userBySession('s1', T1))?.name, 'dave', 'the session survived every failed call');
    assert.deepEqual((await repo.listEvents({ limit: 100 })).map((e) => e.action), ['user.created']);
  });

  test(`${name}: accounts: updateUser ends the account's sessions when asked, keeping the caller's own`, async (t) => {
    const repo = await make(t);
    const a = await repo.createUser(newUser('erin'), ev('user.created', 'erin'));
    const b = await repo.createUser(newUser('frank'), ev('user.created', 'frank'));
    for (const s of ['e1', 'e2', 'e3']) await repo.saveSession(s, a.id, T0, LATER);
    await repo.saveSession('f1', b.id, T0, LATER);
    await repo.updateUser(a.id, { passwordHash: 'p2' }, ev('password.changed', 'erin'));
    assert.equal((await repo.userBySession('e1', T1))?.passwordHash, 'p2', 'endSessions left out: sessions stay');
    await repo.updateUser(a.id, { passwordHash: 'p3' }, ev('password.changed', 'erin'), { except: 'e2' });
    assert.equal(await repo.userBySession('e1', T1), null);
    assert.equal(await repo.userBySession('e3', T1), null);
    assert.equal((await repo.userBySession('e2', T1))?.passwordHash, 'p3', 'the caller\'s own session is kept');
    await repo.updateUser(a.id, { disabledAt: T1 }, ev('user.disabled', 'erin'), {});
    assert.equal(await repo.userBySession('e2', T1), null, 'no exception: every session ends');
    assert.equal((await repo.userBySession('f1', T1))?.name, 'frank', 'other accounts keep theirs');
  });

  test(`${name}: accounts: endSessions counts what it ended and logs the count`, async (t) => {
    const repo = await make(t);
    const u = await repo.createUser(newUser('gina'), ev('user.created', 'gina'));
    for (const s of ['g1', 'g2', 'g3']) await repo.saveSession(s, u.id, T0, LATER);
    assert.equal(await repo.endSessions(u.id, ev('sessions.ended', 'gina', { why: 'test' }), 'g1'), 2);
    assert.equal((await repo.userBySession('g1', T1))?.name, 'gina');
    assert.equal(await repo.endSessions(u.id, ev('sessions.ended', 'gina')), 1);
    assert.equal(await repo.endSessions(u.id, ev('sessions.ended', 'gina')), 0);
    assert.deepEqual((await eventsOf(repo, 'gina')).slice(0, 3).map((e) => e.detail), [{ sessionsEnded: 0 }, { sessionsEnded: 1 }, { why: 'test', sessionsEnded: 2 }]);
  });

  test(`${name}: accounts: sessions are found while live, whatever the account's status, and end on delete`, async (t) => {
    const repo = await make(t);
    const u = await repo.createUser(newUser('hank'), ev('user.created', 'hank'));
    await repo.saveSession('h1', u.id, T0, T2);
    assert.deepEqual(await repo.userBySession('h1', T1), { ...expectedSignedIn(u.id, newUser('hank')), session: { createdAt: T0, expiresAt: T2 } });
    assert.equal(await repo.userBySession('h1', T2), null, 'expires at its expiry instant');
    // The idle timeout slides the expiry with use.
    await repo.extendSession('h1', LATER);
    assert.equal((await repo.userBySession('h1', T2))?.session.expiresAt, LATER);
    await repo.extendSession('h1', T2);
    assert.equal(await repo.userBySession('h1', '2026-03-01T11:59:59.999Z') !== null, true);
    assert.equal(await repo.userBySession('unknown', T1), null);
    await assert.rejects(repo.saveSession('h1', u.id, T0, LATER), 'a session hash is unique');
    await assert.rejects(repo.saveSession('orphan', 99999, T0, LATER), 'no session without an account');
    assert.equal(await repo.userBySession('orphan', T1), null);

    // The store answers for pending and disabled accounts too: the caller must check the status.
    await repo.updateUser(u.id, { pending: { since: T1, reason: 'role-changed', by: ['root'] } }, ev('user.role-changed', 'hank'));
    assert.equal((await repo.userBySession('h1', T1))?.status, 'pending');
    await repo.updateUser(u.id, { disabledAt: T1 }, ev('user.disabled', 'hank'));
    assert.equal((await repo.userBySession('h1', T1))?.status, 'disabled');

    await repo.deleteSession('h1');
    assert.equal(await repo.userBySession('h1', T1), null);
    await repo.deleteSession('h1'); // a second sign-out is harmless
  });

  test(`${name}: accounts: tokens are saved with their event and read back with their account`, async (t) => {
    const repo = await make(t);
    const u = await repo.createUser(newUser('ivy'), ev('user.created', 'ivy'));
    const o = await repo.createUser(newUser('otto', { role: 'warden' }), ev('user.created', 'otto'));
    await repo.saveToken(token('tok_a', u.id, { label: null, createdBy: null }), ev('token.created', 'ivy', { tokenId: 'tok_a' }));
    const info = { id: 'tok_a', user: 'ivy', label: null, createdAt: T0, createdBy: null, expiresAt: LATER, lastUsedAt: null, revokedAt: null, revokedBy: null };
    assert.deepEqual(await repo.tokenByHash('th-tok_a'), { token: info, user: expectedSignedIn(u.id, newUser('ivy')) });
    assert.deepEqual(await repo.getToken('tok_a'), info);
    assert.equal(await repo.tokenByHash('th-unknown'), null);
    assert.equal(await repo.getToken('tok_unknown'), null);
    assert.deepEqual((await eventsOf(repo, 'ivy')).map((e) => [e.action, e.detail]), [['token.created', { tokenId: 'tok_a' }], ['user.created', {}]]);

    // Newest first; tokens of the same millisecond newest-made first.
    await repo.saveToken(token('tok_z', u.id, { createdAt: T1 }), ev('token.created', 'ivy'));
    await repo.saveToken(token('tok_b', u.id, { createdAt: T1 }), ev('token.created', 'ivy'));
    await repo.saveToken(token('tok_o', o.id, { createdAt: T2 }), ev('token.created', 'otto'));
    assert.deepEqual((await repo.listTokens('ivy')).map((x) => x.id), ['tok_b', 'tok_z', 'tok_a']);
    assert.deepEqual((await repo.listTokens(null)).map((x) => [x.id, x.user]), [['tok_o', 'otto'], ['tok_b', 'ivy'], ['tok_z', 'ivy'], ['tok_a', 'ivy']]);
    assert.deepEqual(await repo.listTokens('nobody'), []);
    assert.deepEqual((await repo.listTokens('otto'))[0], { ...info, id: 'tok_o', user: 'otto', label: 'label tok_o', createdAt: T2, createdBy: 'root' });

    await repo.touchToken('tok_a', T2);
    assert.equal((await repo.getToken('tok_a'))!.lastUsedAt, T2);
    assert.equal((await repo.tokenByHash('th-tok_a'))!.token.lastUsedAt, T2);
    assert.equal((await repo.getToken('tok_z'))!.lastUsedAt, null, 'only that token');
  });

  test(`${name}: accounts: a refused saveToken leaves neither token nor event`, async (t) => {
    const repo = await make(t);
    const u = await repo.createUser(newUser('jack'), ev('user.created', 'jack'));
    await repo.saveToken(token('tok_1', u.id), ev('token.created', 'jack'));
    await assert.rejects(repo.saveToken(token('tok_1', u.id, { tokenHash: 'other' }), ev('token.created', 'jack')), 'token ids are unique');
    await assert.rejects(repo.saveToken(token('tok_2', u.id, { tokenHash: 'th-tok_1' }), ev('token.created', 'jack')), 'token hashes are unique');
    await assert.rejects(repo.saveToken(token('tok_3', 99999), ev('token.created', 'ghost')), 'no token without an account');
    await assert.rejects(repo.saveToken(token('tok_4', u.id), BAD_EVENT));
    assert.equal(await repo.tokenByHash('th-tok_4'), null, 'no token without its event');
    assert.equal(await repo.getToken('tok_2'), null);
    assert.deepEqual((await repo.listTokens(null)).map((x) => x.id), ['tok_1']);
    assert.deepEqual((await repo.listEvents({ limit: 100 })).map((e) => e.action), ['token.created', 'user.created']);
  });

  test(`${name}: accounts: tokenByHash answers for revoked and expired tokens and inactive accounts, for the caller to refuse`, async (t) => {
    const repo = await make(t);
    const u = await repo.createUser(newUser('kim'), ev('user.created', 'kim'));
    await repo.saveToken(token('tok_old', u.id, { expiresAt: T1 }), ev('token.created', 'kim'));
    await repo.saveToken(token('tok_rev', u.id), ev('token.created', 'kim'));
    assert.equal(await repo.revokeToken('tok_rev', T1, 'root', ev('token.revoked', 'kim')), true);
    const expired = (await repo.tokenByHash('th-tok_old'))!;
    assert.deepEqual([expired.token.expiresAt, expired.token.revokedAt, expired.user.status], [T1, null, 'active']);
    const revoked = (await repo.tokenByHash('th-tok_rev'))!;
    assert.deepEqual([revoked.token.revokedAt, revoked.token.revokedBy], [T1, 'root']);

    await repo.updateUser(u.id, { pending: { since: T1, reason: 'password-reset', by: ['root'] } }, ev('password.reset', 'kim'));
    const pending = (await repo.tokenByHash('th-tok_old'))!.user;
    assert.deepEqual([pending.status, pending.pendingReason, pending.pendingBy], ['pending', 'password-reset', ['root']]);
    await repo.updateUser(u.id, { disabledAt: T2 }, ev('user.disabled', 'kim'), {});
    assert.equal((await repo.tokenByHash('th-tok_old'))!.user.status, 'disabled');
  });

  test(`${name}: accounts: revokeToken revokes once, logs once, and rolls back with its event`, async (t) => {
    const repo = await make(t);
    const u = await repo.createUser(newUser('lena'), ev('user.created', 'lena'));
    await repo.saveToken(token('tok_1', u.id), ev('token.created', 'lena'));
    await repo.saveToken(token('tok_2', u.id), ev('token.created', 'lena'));
    await assert.rejects(repo.revokeToken('tok_2', T1, 'root', BAD_EVENT));
    assert.equal((await repo.getToken('tok_2'))!.revokedAt, null, 'no revocation without its event');
    assert.equal(await repo.revokeToken('tok_1', T1, 'root', ev('token.revoked', 'lena', { tokenId: 'tok_1' })), true);
    assert.equal(await repo.revokeToken('tok_1', T2, 'mallory', ev('token.revoked', 'lena', { again: true })), false);
    assert.equal(await repo.revokeToken('tok_none', T2, 'root', ev('token.revoked', null)), false);
    assert.deepEqual(await repo.getToken('tok_1'), { id: 'tok_1', user: 'lena', label: 'label tok_1', createdAt: T0, createdBy: 'root', expiresAt: LATER, lastUsedAt: null, revokedAt: T1, revokedBy: 'root' });
    assert.equal((await repo.getToken('tok_2'))!.revokedAt, null, 'only that token');
    assert.deepEqual((await repo.listEvents({ limit: 100 })).filter((e) => e.action === 'token.revoked').map((e) => e.detail), [{ tokenId: 'tok_1' }]);
  });

  test(`${name}: accounts: of concurrent revocations of one token exactly one wins and is logged`, async (t) => {
    const repo = await make(t);
    const u = await repo.createUser(newUser('max'), ev('user.created', 'max'));
    await warm(repo);
    const admins = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    for (let round = 0; round < 4; round++) {
      const id = `tok_${round}`;
      await repo.saveToken(token(id, u.id), ev('token.created', 'max'));
      const results = await Promise.all(admins.map((a, i) => repo.revokeToken(id, `2026-03-01T11:00:0${i}.000Z`, a, ev('token.revoked', 'max', { id, by: a }))));
      assert.equal(results.filter(Boolean).length, 1, `round ${round}`);
      const winner = admins[results.indexOf(true)];
      const revoked = (await repo.getToken(id))!;
      assert.deepEqual([revoked.revokedBy, revoked.revokedAt], [winner, `2026-03-01T11:00:0${admins.indexOf(winner)}.000Z`], 'the winner\'s revocation stands whole');
      assert.deepEqual((await eventsOf(repo, 'max')).filter((e) => e.action === 'token.revoked' && e.detail.id === id).map((e) => e.detail.by), [winner]);
    }
  });

  test(`${name}: accounts: concurrent changes to one account (activations, role, disable, sessions) lose nothing`, async (t) => {
    const repo = await make(t);
    const u = await repo.createUser(newUser('nina', { pending: { since: T0, reason: 'created', by: ['root'] }, mustChangePassword: true }), ev('user.created', 'nina'));
    for (const s of ['n1', 'n2', 'n3', 'n4']) await repo.saveSession(s, u.id, T0, LATER);
    await warm(repo);
    await Promise.all([
      repo.updateUser(u.id, { pending: null }, ev('user.activated', 'nina', { by: 'admin2' })),
      repo.updateUser(u.id, { pending: null }, ev('user.activated', 'nina', { by: 'admin3' })),
      repo.updateUser(u.id, { role: 'approver' }, ev('user.role-changed', 'nina'), {}),
      repo.updateUser(u.id, { passwordHash: 'chosen', passwordChangedAt: T1, mustChangePassword: false }, ev('password.changed', 'nina'), { except: 'n4' }),
      repo.endSessions(u.id, ev('sessions.ended', 'nina'), 'n4'),
    ]);
    const now = (await repo.findUser('nina'))!;
    assert.deepEqual([now.status, now.role, now.passwordHash, now.mustChangePassword, now.pendingBy], ['active', 'approver', 'chosen', false, []]);
    // The role change ended every session, the others kept n4; in any order, none survives.
    for (const s of ['n1', 'n2', 'n3', 'n4']) assert.equal(await repo.userBySession(s, T1), null, s);
    const events = await eventsOf(repo, 'nina');
    assert.equal(events.length, 6, 'every change logged once');
    assert.deepEqual(new Set(events.map((e) => e.id)).size, 6);
    // Sessions ended are counted once: the deletions never overlap.
    const ended = events.find((e) => e.action === 'sessions.ended')!.detail.sessionsEnded as number;
    assert.ok(ended >= 0 && ended <= 3);
  });

  test(`${name}: accounts: appendEvent and listEvents keep the detail as written and page newest first`, async (t) => {
    const repo = await make(t);
    const detail = { z: 1, a: [1, 'two', null, { nested: true }], 'ü': 'ĉ😀', n: 1.5, empty: {} };
    await repo.appendEvent({ at: T0, actor: null, via: 'local', action: 'server.started', subject: null, detail });
    for (let i = 0; i < 5; i++) await repo.appendEvent(ev('login.failed', i % 2 ? 'odd' : 'even', { i }, { at: `2026-03-01T10:00:0${i}.000Z`, via: 'cli' }));
    const all = await repo.listEvents({ limit: 100 });
    assert.equal(all.length, 6);
    assert.ok(all.every((e) => typeof e.id === 'number'));
    assert.deepEqual(all.map((e) => e.detail.i), [4, 3, 2, 1, 0, undefined], 'newest first');
    assert.ok(all.every((e, k) => k === 0 || e.id < all[k - 1].id));
    const first = all[5];
    assert.deepEqual(first, { id: first.id, at: T0, actor: null, via: 'local', action: 'server.started', subject: null, detail });
    assert.equal(JSON.stringify(first.detail), JSON.stringify(detail), 'keys in the order they were written');
    assert.deepEqual(all[0], { id: all[0].id, at: '2026-03-01T10:00:04.000Z', actor: 'root', via: 'cli', action: 'login.failed', subject: 'even', detail: { i: 4 } });

    assert.deepEqual((await repo.listEvents({ subject: 'odd', limit: 100 })).map((e) => e.detail.i), [3, 1]);
    assert.deepEqual((await repo.listEvents({ limit: 2 })).map((e) => e.detail.i), [4, 3]);
    assert.deepEqual((await repo.listEvents({ before: all[1].id, limit: 2 })).map((e) => e.detail.i), [2, 1]);
    assert.deepEqual((await repo.listEvents({ subject: 'even', before: all[0].id, limit: 10 })).map((e) => e.detail.i), [2, 0]);
    assert.deepEqual(await repo.listEvents({ subject: 'nobody', limit: 10 }), []);
  });
}
