// The account controls, fresh sign-in and two-person guarantees of the alerts (docs/security.md) hold for the
// capabilities added since (units, call-ups, readiness regimes, stock, planning jobs) with two real `refuge serve`
// processes on one database: the PostgreSQL schema when REFUGE_TEST_DATABASE_URL is set, otherwise one SQLite file.
// Nothing in a server is mocked: the processes are spawned, the requests are HTTP, the checks read the database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { Accounts } from '../../src/accounts/index.ts';
import { call, crashDb, must, prepareStaff, type Answer, type CrashDb, type Served } from '../crash/harness.ts';

const REGIME_ENV = { REFUGE_REGIME_APPROVAL: 'emergency,martial-law' };
const PASSWORD = { olena: 'olena-password-long', mykola: 'mykola-password-long', anna: 'anna-password-long', ivan: 'ivan-password-long', petro: 'petro-password-long' } as const;
type Name = keyof typeof PASSWORD;

interface Two {
  db: CrashDb;
  a: Served;
  b: Served;
  /** API tokens: olena and petro are operators, mykola and ivan approvers, anna an admin. */
  tokens: Record<Name, string>;
}

/** A database with five staff accounts and the test regions, served by two processes. */
async function twoProcesses(t: Parameters<typeof crashDb>[0], env: Record<string, string> = REGIME_ENV): Promise<Two> {
  const db = await crashDb(t);
  const staff = await prepareStaff(db);
  const store = await db.open();
  const tokens = { olena: staff.operator, mykola: staff.approver } as Record<Name, string>;
  try {
    const accounts = new Accounts(store.accounts);
    for (const [name, role] of [['anna', 'admin'], ['ivan', 'approver'], ['petro', 'operator']] as const) {
      await accounts.createUser(name, role, PASSWORD[name]);
      tokens[name] = await accounts.createApiToken(name);
    }
  } finally {
    await store.close();
  }
  const [a, b] = await Promise.all([db.serve(env), db.serve(env)]);
  return { db, a, b, tokens };
}

/** A write on a connection of its own (crashDb's rows() reads only on SQLite). */
async function exec(db: CrashDb, sql: string, params: unknown[] = []): Promise<void> {
  if (db.path) {
    const d = new Database(db.path, { fileMustExist: true });
    try {
      d.pragma('busy_timeout = 10000');
      d.prepare(sql).run(...params);
    } finally {
      d.close();
    }
    return;
  }
  await db.rows(sql, params);
}

async function signIn(s: Served, name: Name): Promise<string> {
  const res = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password: PASSWORD[name] }) });
  const text = await res.text();
  assert.equal(res.status, 200, `sign-in of ${name} through ${s.url}: ${text}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('refuge_session='));
  assert.ok(cookie, 'a session cookie');
  return cookie;
}

/** The same as call(), with a session cookie instead of a token. */
async function callAs(url: string, method: string, path: string, cookie: string, body?: unknown): Promise<Answer> {
  const res = await fetch(url + path, {
    method,
    headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
}

/** Makes a session look as if it was signed in `minutes` ago (the clock of a real process cannot be moved). */
async function age(db: CrashDb, name: Name, minutes: number): Promise<void> {
  const at = new Date(Date.now() - minutes * 60_000).toISOString();
  await exec(db, 'UPDATE sessions SET created_at = ? WHERE user_id = (SELECT id FROM users WHERE name = ?)', [at, name]);
}

/** A rescue unit in UA-30-1 with two available members (no accounts), made through `s`. */
async function unitWithMembers(s: Served, token: string, name = 'Bucha rescue'): Promise<string> {
  const unit = (await must(s.url, 'POST', '/api/units', token, { name, type: 'rescue', region: 'UA-30-1', requiredRoles: ['leader'] })).id as string;
  for (const [member, role] of [['Oksana', 'leader'], ['Taras', 'medic']]) {
    await must(s.url, 'POST', `/api/units/${unit}/members`, token, { name: `${member} ${name}`, role, contact: { phone: '+380 44 111' }, availability: 'available' });
  }
  return unit;
}

async function depotAndItem(s: Served, token: string): Promise<{ depot: string; item: string }> {
  const depot = (await must(s.url, 'POST', '/api/depots', token, { name: 'Central depot', lat: 50.5, lon: 30.5 })).id as string;
  const item = (await must(s.url, 'POST', '/api/items', token, { name: 'Blanket', category: 'shelter', unit: 'piece' })).id as string;
  return { depot, item };
}

const count = async (db: CrashDb, table: string): Promise<number> => (await db.rows<{ n: number }>(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table}`))[0].n;

function refused(r: Answer, status: number, code: string, what: string): void {
  assert.equal(r.status, status, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  assert.equal(r.body?.code, code, `${what}: ${JSON.stringify(r.body)}`);
}

test('an account disabled, or a token revoked, through one process loses units, call-ups, regimes, stock and planning at once through the other', async (t) => {
  const { db, a, b, tokens } = await twoProcesses(t);
  const unit = await unitWithMembers(a, tokens.olena);
  const { depot, item } = await depotAndItem(a, tokens.olena);
  await must(a.url, 'POST', '/api/stock/movements', tokens.olena, { type: 'receipt', depot, item, quantity: 10 });
  const session = await signIn(a, 'olena');

  // What a working operator account may do, through B: the positive control for the refusals below.
  const writes = (): Array<[string, string, unknown]> => [
    ['POST', '/api/callups', { units: [unit], message: 'Flooding: report to the depot' }],
    ['POST', '/api/stock/movements', { type: 'issue', depot, item, quantity: 1, recipient: 'Team 3' }],
    ['PUT', '/api/regimes/UA-30-2', { level: 'heightened', reason: 'drills' }],
    ['POST', '/api/units', { name: `Unit ${Math.random()}`, type: 'rescue', region: 'UA-30-1' }],
    ['POST', `/api/units/${unit}/members`, { name: `Member ${Math.random()}`, role: 'medic' }],
    ['POST', '/api/depots', { name: `Depot ${Math.random()}` }],
  ];
  for (let i = 0; i < writes().length; i++) {
    const [method, path, body] = writes()[i];
    const byToken = await call(b.url, method, path, tokens.olena, body);
    assert.ok(byToken.status < 300, `before: ${method} ${path} by token through B: ${byToken.status} ${JSON.stringify(byToken.body)}`);
    const bySession = await callAs(b.url, method, path, session, writes()[i][2]);
    assert.ok(bySession.status < 300, `before: ${method} ${path} by session through B: ${bySession.status} ${JSON.stringify(bySession.body)}`);
  }

  // The admin disables olena through A; through B (and A) her token and her session stop at once.
  await must(a.url, 'POST', '/api/users/olena/disable', tokens.anna);
  const before = { callups: await count(db, 'callups'), movements: await count(db, 'stock_movements'), regimes: await count(db, 'regime_changes'), units: await count(db, 'units') };
  const all: Array<[string, string, unknown]> = [...writes(), ['POST', '/api/plan/jobs', { kind: 'coverage', minutes: 5 }], ['PUT', '/api/regimes/UA-30', { level: 'emergency', reason: 'x' }]];
  for (const s of [b, a]) {
    for (const [method, path, body] of all) {
      refused(await call(s.url, method, path, tokens.olena, body), 401, 'ACCOUNT_INACTIVE', `disabled: ${method} ${path} by token through ${s === a ? 'A' : 'B'}`);
      refused(await callAs(s.url, method, path, session, body), 401, 'NOT_SIGNED_IN', `disabled: ${method} ${path} by session through ${s === a ? 'A' : 'B'}`);
    }
  }
  assert.deepEqual({ callups: await count(db, 'callups'), movements: await count(db, 'stock_movements'), regimes: await count(db, 'regime_changes'), units: await count(db, 'units') }, before, 'nothing written');

  // A revoked token: petro's, revoked by the admin through B, stops through A.
  assert.equal((await call(a.url, 'POST', '/api/stock/movements', tokens.petro, { type: 'issue', depot, item, quantity: 1, recipient: 'Team 3' })).status, 201);
  const list = await must(b.url, 'GET', '/api/tokens?user=petro', tokens.anna);
  const id = (list.tokens as Array<{ id: string; user: string; revokedAt: string | null }>).find((x) => x.user === 'petro' && !x.revokedAt)!.id;
  await must(b.url, 'DELETE', `/api/tokens/${id}`, tokens.anna);
  for (const [method, path, body] of all) {
    refused(await call(a.url, method, path, tokens.petro, body), 401, 'INVALID_TOKEN', `revoked: ${method} ${path} through A`);
  }
  // And an approver disabled through A can no longer approve a pending raise through B.
  const pending = await call(a.url, 'PUT', '/api/regimes/UA-30', tokens.anna, { level: 'emergency', reason: 'strikes expected' });
  assert.equal(pending.status, 202, JSON.stringify(pending.body));
  await must(a.url, 'POST', '/api/users/mykola/disable', tokens.anna);
  refused(await call(b.url, 'POST', `/api/regimes/changes/${pending.body.change.id}/approve`, tokens.mykola), 401, 'ACCOUNT_INACTIVE', 'a disabled approver');
  assert.equal((await must(b.url, 'GET', '/api/regimes/UA-30', tokens.anna)).level, 'everyday');
});

test('a raise to emergency needs a second person through either process, and a pending change is decided exactly once', async (t) => {
  const { db, a, b, tokens } = await twoProcesses(t);
  // Asked for through A, it waits; the asker cannot approve it through B, with any credential.
  const asked = await call(a.url, 'PUT', '/api/regimes/UA-30', tokens.anna, { level: 'emergency', reason: 'strikes expected' });
  assert.equal(asked.status, 202, JSON.stringify(asked.body));
  const change = asked.body.change.id as string;
  refused(await call(b.url, 'POST', `/api/regimes/changes/${change}/approve`, tokens.anna), 403, 'SAME_PERSON', 'the admin who asked, by token through B');
  refused(await callAs(b.url, 'POST', `/api/regimes/changes/${change}/approve`, await signIn(b, 'anna')), 403, 'SAME_PERSON', 'the admin who asked, by session through B');
  refused(await call(b.url, 'POST', `/api/regimes/changes/${change}/approve`, tokens.olena), 403, 'ROLE_NOT_ALLOWED', 'an operator');
  for (const s of [a, b]) assert.equal((await must(s.url, 'GET', '/api/regimes/UA-30', tokens.mykola)).level, 'everyday', 'not in force before a second person approves');
  // A second person approves through B: in force as read through A.
  assert.equal((await call(b.url, 'POST', `/api/regimes/changes/${change}/approve`, tokens.mykola)).status, 200);
  assert.equal((await must(a.url, 'GET', '/api/regimes/UA-30', tokens.mykola)).level, 'emergency');
  assert.equal((await must(a.url, 'GET', '/api/regimes/UA-30-1', tokens.mykola)).level, 'emergency', 'inherited');

  // Races: each pending change approved through A and rejected (or approved by another approver) through B at the
  // same moment is decided once; the loser gets 409 and the history shows one decision.
  const codes = ['UA-30-1', 'UA-30-2'];
  for (let round = 0; round < 6; round++) {
    const code = codes[round % 2];
    const level = round % 3 === 0 ? 'martial-law' : 'emergency';
    const p = await call(round % 2 ? a.url : b.url, 'PUT', `/api/regimes/${code}`, tokens.olena, { level, reason: `round ${round}` });
    assert.equal(p.status, 202, JSON.stringify(p.body));
    const id = p.body.change.id as string;
    const second = round % 2 ? 'reject' : 'approve';
    const [x, y] = await Promise.all([
      call(a.url, 'POST', `/api/regimes/changes/${id}/approve`, tokens.mykola),
      call(b.url, 'POST', `/api/regimes/changes/${id}/${second}`, round % 2 ? tokens.anna : tokens.ivan),
    ]);
    assert.deepEqual([x.status, y.status].sort(), [200, 409], `round ${round}: ${JSON.stringify([x.body, y.body])}`);
    assert.equal((x.status === 409 ? x : y).body.code, 'CHANGE_DECIDED');
    const rows = await db.rows<{ state: string; decided_by: string }>('SELECT state, decided_by FROM regime_changes WHERE id = ?', [id]);
    const winner = x.status === 200 ? { state: 'in-force', by: 'mykola' } : { state: second === 'approve' ? 'in-force' : 'rejected', by: round % 2 ? 'anna' : 'ivan' };
    assert.deepEqual(rows, [{ state: winner.state, decided_by: winner.by }], `round ${round}`);
  }
  // At most one change in force per region, whatever raced.
  const inForce = await db.rows<{ region_code: string; n: number }>("SELECT region_code, CAST(COUNT(*) AS INTEGER) AS n FROM regime_changes WHERE state = 'in-force' GROUP BY region_code");
  assert.ok(inForce.every((r) => r.n === 1), JSON.stringify(inForce));
});

test('issuing a call-up, raising a regime to emergency and approving that raise need a fresh sign-in, through either process; tokens are not asked', async (t) => {
  const { db, a, b, tokens } = await twoProcesses(t);
  const unit = await unitWithMembers(a, tokens.olena);
  const operator = await signIn(a, 'olena');
  const approver = await signIn(b, 'mykola');
  const admin = await signIn(b, 'anna');
  for (const name of ['olena', 'mykola', 'anna'] as const) await age(db, name, 10);
  const callupsBefore = await count(db, 'callups');
  const regimesBefore = await count(db, 'regime_changes');

  for (const s of [a, b]) {
    const where = s === a ? 'A' : 'B';
    refused(await callAs(s.url, 'POST', '/api/callups', operator, { units: [unit], message: 'Report to the depot' }), 403, 'FRESH_SIGN_IN_REQUIRED', `a call-up through ${where}`);
    for (const level of ['emergency', 'martial-law']) {
      refused(await callAs(s.url, 'PUT', '/api/regimes/UA-30', operator, { level, reason: 'strikes expected' }), 403, 'FRESH_SIGN_IN_REQUIRED', `${level} through ${where}`);
    }
  }
  assert.equal(await count(db, 'callups'), callupsBefore, 'no call-up written');
  assert.equal(await count(db, 'regime_changes'), regimesBefore, 'no regime change written');
  // A lower level, and what is not dangerous, needs no fresh sign-in.
  assert.equal((await callAs(b.url, 'PUT', '/api/regimes/UA-30-2', operator, { level: 'heightened', reason: 'drills' })).status, 200);

  // Approving a pending raise is when it takes force: a stale approver session is refused through either process;
  // rejecting is not dangerous.
  const pending = await call(a.url, 'PUT', '/api/regimes/UA-30', tokens.petro, { level: 'emergency', reason: 'strikes expected' });
  assert.equal(pending.status, 202, JSON.stringify(pending.body));
  const id = pending.body.change.id as string;
  for (const s of [a, b]) {
    refused(await callAs(s.url, 'POST', `/api/regimes/changes/${id}/approve`, approver, {}), 403, 'FRESH_SIGN_IN_REQUIRED', `approval through ${s === a ? 'A' : 'B'}`);
    refused(await callAs(s.url, 'POST', `/api/regimes/changes/${id}/approve`, admin, {}), 403, 'FRESH_SIGN_IN_REQUIRED', `an admin's approval through ${s === a ? 'A' : 'B'}`);
  }
  assert.equal((await must(a.url, 'GET', '/api/regimes/UA-30', tokens.mykola)).level, 'everyday');
  const lowPending = await call(a.url, 'PUT', '/api/regimes/UA-30-1', tokens.petro, { level: 'martial-law', reason: 'mobilisation' });
  assert.equal(lowPending.status, 202);
  assert.equal((await callAs(a.url, 'POST', `/api/regimes/changes/${lowPending.body.change.id}/reject`, approver, {})).status, 200, 'rejecting needs no fresh sign-in');

  // Signed in again (through the other process): it works.
  const freshApprover = await signIn(a, 'mykola');
  assert.equal((await callAs(b.url, 'POST', `/api/regimes/changes/${id}/approve`, freshApprover, {})).status, 200);
  assert.equal((await must(b.url, 'GET', '/api/regimes/UA-30', tokens.mykola)).level, 'emergency');
  const freshOperator = await signIn(b, 'olena');
  assert.equal((await callAs(a.url, 'POST', '/api/callups', freshOperator, { units: [unit], message: 'Report to the depot' })).status, 201);

  // API tokens are standing credentials for automation (docs/security.md): not asked, through either process.
  assert.equal((await call(b.url, 'POST', '/api/callups', tokens.olena, { units: [unit], message: 'Automated call-up' })).status, 201);
  const byToken = await call(a.url, 'PUT', '/api/regimes/UA-30-2', tokens.olena, { level: 'emergency', reason: 'automation' });
  assert.equal(byToken.status, 202);
  assert.equal((await call(b.url, 'POST', `/api/regimes/changes/${byToken.body.change.id}/approve`, tokens.ivan)).status, 200);
});

test('stock through two processes at once: never negative, no movement lost, reversals, receipts and counts once', async (t) => {
  const { db, a, b, tokens } = await twoProcesses(t);
  const { depot, item } = await depotAndItem(a, tokens.olena);
  const balance = async (s: Served) => ((await must(s.url, 'GET', `/api/stock/balances?depot=${depot}`, tokens.mykola)).balances
    .find((x: { item: string }) => x.item === item)?.quantity ?? 0) as number;

  // 40 receipts of 1, half through each process, all at once: none lost.
  const receipts = await Promise.all(Array.from({ length: 40 }, (_, i) => call(i % 2 ? a.url : b.url, 'POST', '/api/stock/movements', i % 4 < 2 ? tokens.olena : tokens.petro,
    { type: 'receipt', depot, item, quantity: 1, reference: `r-${i}` })));
  assert.deepEqual(receipts.map((r) => r.status), Array(40).fill(201));
  assert.equal(await balance(a), 40);
  assert.equal(await balance(b), 40);

  // 100 issues of 1 against 40, half through each process: exactly 40 go through, the rest are refused whole.
  const issues = await Promise.all(Array.from({ length: 100 }, (_, i) => call(i % 2 ? a.url : b.url, 'POST', '/api/stock/movements', i % 3 ? tokens.olena : tokens.petro,
    { type: 'issue', depot, item, quantity: 1, recipient: 'Team 3', reference: `i-${i}` })));
  const ok = issues.filter((r) => r.status === 201).length;
  assert.equal(ok, 40, `issued ${ok}: ${JSON.stringify(issues.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.body))}`);
  for (const r of issues) if (r.status !== 201) refused(r, 409, 'INSUFFICIENT_STOCK', 'an issue over the balance');
  assert.equal(await balance(a), 0);
  assert.equal(await balance(b), 0);
  const issued = await db.rows<{ n: number }>("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM stock_movements WHERE depot_id = ? AND type = 'issue'", [depot]);
  assert.equal(issued[0].n, 40, 'every acknowledged issue is in the ledger, no refused one');
  const negative = await db.rows('SELECT lot FROM stock_balances WHERE quantity < 0');
  assert.deepEqual(negative, []);

  // One receipt reversed through both processes at once: once.
  const wrong = await must(a.url, 'POST', '/api/stock/movements', tokens.olena, { type: 'receipt', depot, item, quantity: 12 });
  const reversals = await Promise.all([a, b].map((s, i) => call(s.url, 'POST', `/api/stock/movements/${wrong.id}/reverse`, i ? tokens.petro : tokens.olena, { reason: 'typed 12 for 21' })));
  assert.deepEqual(reversals.map((r) => r.status).sort(), [201, 409], JSON.stringify(reversals.map((r) => r.body)));
  assert.equal(reversals.find((r) => r.status === 409)!.body.code, 'ALREADY_REVERSED');
  assert.equal(await balance(b), 0);

  // A transfer received through both processes at once: once.
  const south = (await must(b.url, 'POST', '/api/depots', tokens.olena, { name: 'South' })).id as string;
  await must(a.url, 'POST', '/api/stock/movements', tokens.olena, { type: 'receipt', depot, item, quantity: 5 });
  const tr = await must(b.url, 'POST', '/api/stock/movements', tokens.olena, { type: 'transfer', depot, item, quantity: 5, toDepot: south });
  const receives = await Promise.all([a, b].map((s) => call(s.url, 'POST', `/api/stock/transfers/${tr.transfer}/receive`, tokens.petro, {})));
  assert.deepEqual(receives.map((r) => r.status).sort(), [200, 409], JSON.stringify(receives.map((r) => r.body)));
  assert.equal(receives.find((r) => r.status === 409)!.body.code, 'TRANSFER_NOT_IN_TRANSIT');
  const southBalance = (await must(a.url, 'GET', `/api/stock/balances?depot=${south}`, tokens.olena)).balances.find((x: { item: string }) => x.item === item).quantity;
  assert.equal(southBalance, 5, 'received once');

  // A count posted through both processes at once: its adjustments are written once.
  const c = await must(a.url, 'POST', '/api/stock/counts', tokens.olena, { depot: south });
  await must(b.url, 'POST', `/api/stock/counts/${c.id}/lines`, tokens.olena, { lines: [{ item, counted: 3 }] });
  const posts = await Promise.all([a, b].map((s) => call(s.url, 'POST', `/api/stock/counts/${c.id}/post`, tokens.olena)));
  assert.deepEqual(posts.map((r) => r.status).sort(), [200, 409], JSON.stringify(posts.map((r) => r.body)));
  assert.equal((await must(b.url, 'GET', `/api/stock/balances?depot=${south}`, tokens.olena)).balances.find((x: { item: string }) => x.item === item).quantity, 3);

  // The balance table equals the ledger's lines.
  const drift = await db.rows<{ cached: number; ledger: number }>(`SELECT CAST(b.quantity AS INTEGER) AS cached, CAST((SELECT COALESCE(SUM(l.delta), 0) FROM stock_movement_lines l
    WHERE l.depot_id = b.depot_id AND l.item_id = b.item_id AND l.lot = b.lot) AS INTEGER) AS ledger FROM stock_balances b`);
  assert.ok(drift.length >= 2);
  for (const d of drift) assert.equal(d.cached, d.ledger);
});

test('a call-up ended through both processes at once ends once; answers through both are all kept', async (t) => {
  const { db, a, b, tokens } = await twoProcesses(t);
  const units = [await unitWithMembers(a, tokens.olena, 'Bucha rescue'), await unitWithMembers(b, tokens.olena, 'Irpin rescue')];
  for (let round = 0; round < 4; round++) {
    const c = await must(round % 2 ? a.url : b.url, 'POST', '/api/callups', tokens.olena, { units, message: `Round ${round}: report to the depot` });
    assert.equal(c.links.length, 4);
    // Every member answers through one process or the other, at once: every answer kept.
    const answers = await Promise.all(c.links.map((l: { token: string }, i: number) => call(i % 2 ? a.url : b.url, 'POST', `/api/callups/${c.id}/answers`, undefined,
      { token: l.token, answer: i % 3 ? 'coming' : 'unavailable', etaMinutes: i % 3 ? 10 + i : null, reason: i % 3 ? null : 'ill' })));
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200], JSON.stringify(answers.map((r) => r.body)));
    const state = await must(a.url, 'GET', `/api/callups/${c.id}`, tokens.mykola);
    assert.deepEqual(state.counts, { coming: 2, unavailable: 2, pending: 0 });
    // Cancelled through one and closed through the other at the same moment: one wins, the other is told it ended.
    const [x, y] = await Promise.all([
      call(a.url, 'POST', `/api/callups/${c.id}/${round % 2 ? 'cancel' : 'close'}`, tokens.olena, {}),
      call(b.url, 'POST', `/api/callups/${c.id}/${round % 2 ? 'close' : 'cancel'}`, tokens.petro, {}),
    ]);
    assert.deepEqual([x.status, y.status].sort(), [200, 409], JSON.stringify([x.body, y.body]));
    assert.equal((x.status === 409 ? x : y).body.code, 'CALLUP_ENDED');
    const ended = await db.rows<{ kind: string }>("SELECT kind FROM unit_events WHERE callup_id = ? AND kind = 'callup-ended'", [c.id]);
    assert.equal(ended.length, 4, 'one end event per member, not two');
    // A link stops working through either process once the call-up has ended.
    refused(await call(b.url, 'POST', `/api/callups/${c.id}/answers`, undefined, { token: c.links[0].token, answer: 'coming', etaMinutes: 5 }), 410, 'LINK_EXPIRED', 'an answer after the end');
  }
});
