// The ApprovalsPushStore contract (issue 14) against SQLite and PostgreSQL: staff devices per user, who is notified
// (active approvers but the drafter), the waiting drafts, and the test push's claim (once per interval, across handles).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, freshSqlite } from './databases.ts';
import { draft, T0, MIN, subscription, matchCodes } from './alerts.fixtures.ts';
import type { Store } from '../../../src/store/store.ts';
import type { StaffPushSubscription } from '../../../src/alerts/approvals/index.ts';

const event = { at: new Date(T0).toISOString(), actor: null, via: 'cli' as const, action: 'create', subject: null, detail: {} };

async function user(s: Store, name: string, role: 'admin' | 'operator' | 'approver' | 'warden', pending = false) {
  return s.accounts.createUser({ name, role, passwordHash: 'x', createdAt: new Date(T0).toISOString(), createdBy: null, pending: pending ? { since: new Date(T0).toISOString(), reason: 'created', by: ['root'] } : null, mustChangePassword: false }, { ...event, subject: name });
}

const device = (name: string, userName: string): StaffPushSubscription => ({ endpoint: `https://push.example/staff/${name}`, keys: { p256dh: `p-${name}`, auth: `a-${name}` }, userName });

function contract(kind: string, make: (t: any) => Promise<Store>): void {
  test(`${kind}: staff devices per user; approvers but the drafter; pending and other roles left out`, async (t) => {
    const s = await make(t);
    const p = s.approvalsPush;
    for (const [n, r] of [['olena', 'operator'], ['mykola', 'approver'], ['iryna', 'approver'], ['root', 'admin']] as const) await user(s, n, r);
    await user(s, 'newbie', 'approver', true);
    await p.upsertStaffSubscription(device('m1', 'mykola'), 'x');
    await p.upsertStaffSubscription(device('m2', 'mykola'), 'x');
    await p.upsertStaffSubscription(device('i1', 'iryna'), 'x');
    await p.upsertStaffSubscription(device('r1', 'root'), 'x');
    await p.upsertStaffSubscription(device('o1', 'olena'), 'x');
    await p.upsertStaffSubscription(device('n1', 'newbie'), 'x');
    const ends = (l: StaffPushSubscription[]) => l.map((x) => x.endpoint.split('/').pop()).sort();
    assert.deepEqual(ends(await p.staffSubscriptionsForRoles(['approver', 'admin'], 'mykola')), ['i1', 'r1']);
    assert.deepEqual(ends(await p.staffSubscriptionsForRoles(['approver', 'admin'], 'olena')), ['i1', 'm1', 'm2', 'r1']);
    assert.deepEqual(ends(await p.staffSubscriptionsForRoles(['approver', 'admin'], null)), ['i1', 'm1', 'm2', 'r1']);
    assert.deepEqual((await p.staffSubscriptionsForRoles(['approver'], 'iryna')).find((x) => x.endpoint.endsWith('m1'))?.keys, { p256dh: 'p-m1', auth: 'a-m1' });
    // A device another user signs in on moves to them.
    await p.upsertStaffSubscription(device('m2', 'iryna'), 'x');
    assert.deepEqual(ends(await p.staffSubscriptionsOf('mykola')), ['m1']);
    assert.deepEqual(ends(await p.staffSubscriptionsOf('iryna')), ['i1', 'm2']);
    assert.equal(await p.removeStaffSubscription(device('m1', 'x').endpoint, 'iryna'), false, 'not hers to remove');
    assert.equal(await p.removeStaffSubscription(device('m1', 'x').endpoint, 'mykola'), true);
    assert.equal(await p.dropStaffEndpoint(device('i1', 'x').endpoint), true);
    assert.deepEqual(ends(await p.staffSubscriptionsForRoles(['approver', 'admin'], null)), ['m2', 'r1']);
  });

  test(`${kind}: waiting drafts leave out issued alerts and prepared false-alarm cancels`, async (t) => {
    const s = await make(t);
    assert.deepEqual(await s.approvalsPush.waitingDrafts(), []);
    await s.alerts.insertDraft(draft('a'));
    await s.alerts.insertDraft({ ...draft('b', { at: 1 }), createdBy: 'mykola' });
    await s.alerts.insertDraft({ ...draft('c', { at: 2 }), falseAlarm: true });
    await s.alerts.withdraw('a', 'olena', new Date(T0 + MIN).toISOString());
    assert.deepEqual(await s.approvalsPush.waitingDrafts(), [{ id: 'b', createdBy: 'mykola' }]);
  });

  test(`${kind}: the device behind an endpoint, and the test push claimed once per interval`, async (t) => {
    const s = await make(t);
    const sub = subscription('dev', ['UA-30-1']);
    assert.equal(await s.approvalsPush.deviceSubscription(sub.endpoint), null);
    await s.push.upsertSubscription(sub, matchCodes(['UA-30-1']), new Date(T0).toISOString());
    assert.deepEqual(await s.approvalsPush.deviceSubscription(sub.endpoint), sub);
    const p = s.approvalsPush;
    const [a, b] = await Promise.all([p.claimOnce(sub.endpoint, T0, MIN), p.claimOnce(sub.endpoint, T0, MIN)]);
    assert.equal([a, b].filter((x) => x.claimed).length, 1, 'one of two at once');
    assert.deepEqual(await p.claimOnce(sub.endpoint, T0 + 30_000, MIN), { claimed: false, nextMs: T0 + MIN });
    assert.deepEqual(await p.claimOnce(sub.endpoint, T0 + MIN, MIN), { claimed: true });
    assert.deepEqual(await p.claimOnce('https://push.example/other', T0 + MIN, MIN), { claimed: true }, 'per endpoint');
  });
}

contract('sqlite', freshSqlite);
contract('postgres', freshPostgres);
