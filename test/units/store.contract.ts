// The contract every store of the units capability must meet (units, call-ups, regimes). Run it with a factory per
// store: SQLite now (sqlite-store.test.ts), PostgreSQL when its store lands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallUp, CallUpRepository, Member, RegimeChange, RegimeRepository, Recipient, Unit, UnitRepository } from '../../src/units/index.ts';

export interface UnitStores {
  units: UnitRepository;
  callups: CallUpRepository;
  regimes: RegimeRepository;
}

const at = '2026-12-01T10:00:00.000Z';
export const unit = (id: string, over: Partial<Unit> = {}): Unit => ({
  id, name: `Unit ${id}`, type: 'rescue', regionCode: 'UA-30', base: { lat: 50, lon: 30, address: 'Depot 1' }, requiredRoles: ['leader'],
  createdAt: at, createdBy: 'op', updatedAt: at, ...over,
});
export const member = (id: string, unitId: string, over: Partial<Member> = {}): Member => ({
  id, unitId, name: `Member ${id}`, role: 'member', phone: '+380 44 000', email: null, userName: null, skills: ['rope'],
  certificates: [{ name: 'First aid', expires: '2027-01-01' }], availability: 'available', availableFrom: null, createdAt: at, updatedAt: at, ...over,
});
const callup = (id: string, unitIds: string[], over: Partial<CallUp> = {}): CallUp => ({
  id, unitIds, regionCode: null, message: 'Report now', reportTo: 'Depot 1', deadline: '2026-12-01T12:00:00.000Z', exercise: false, state: 'open',
  createdAt: at, createdBy: 'op', endedAt: null, endedBy: null, endReason: null, ...over,
});
const recipient = (callupId: string, m: Member, tokenHash: string | null = null): Recipient => ({
  callupId, memberId: m.id, unitId: m.unitId, tokenHash, answer: null, etaMinutes: null, reason: null, answeredAt: null, answeredBy: null, answeredVia: null,
});
const change = (id: string, regionCode: string, over: Partial<RegimeChange> = {}): RegimeChange => ({
  id, regionCode, level: 'heightened', reason: 'threat', requestedBy: 'op', requestedAt: at, state: 'in-force', decidedBy: 'op', decidedAt: at, ...over,
});

export function unitStoreContract(name: string, make: (t: any) => Promise<UnitStores>): void {
  test(`${name}: units and members are returned as stored; import is all or nothing`, async (t) => {
    const s = await make(t);
    const u = unit('u1');
    await s.units.insertUnit(u);
    assert.deepEqual(await s.units.getUnit('u1'), u);
    assert.equal(await s.units.getUnit('nope'), null);
    assert.equal(await s.units.updateUnit({ ...u, name: 'Renamed once', requiredRoles: [] }), true);
    assert.deepEqual((await s.units.getUnit('u1'))!.requiredRoles, []);
    assert.equal(await s.units.updateUnit(unit('ghost')), false);
    const m = member('m1', 'u1', { userName: 'alice' });
    await s.units.insertMember(m);
    await s.units.insertMember(member('m2', 'u1'));
    assert.deepEqual(await s.units.getMember('m1'), m);
    assert.deepEqual((await s.units.listMembers('u1')).map((x) => x.id), ['m1', 'm2']);
    assert.deepEqual((await s.units.membersOfUser('alice')).map((x) => x.id), ['m1']);
    assert.equal(await s.units.updateMember({ ...m, availability: 'on-leave', availableFrom: '2026-12-24' }), true);
    assert.equal((await s.units.getMember('m1'))!.availableFrom, '2026-12-24');
    assert.equal(await s.units.updateMember(member('ghost', 'u1')), false);

    const outcome = await s.units.importUnits([unit('u1', { name: 'Renamed' }), unit('u2')], [member('m3', 'u2'), member('m2', 'u1', { role: 'medic' })]);
    assert.deepEqual(outcome, { unitsInserted: 1, unitsUpdated: 1, membersInserted: 1, membersUpdated: 1 });
    assert.equal((await s.units.getUnit('u1'))!.name, 'Renamed');
    // A member of a unit that does not exist breaks the import: nothing of it is kept.
    await assert.rejects(s.units.importUnits([unit('u3')], [member('m4', 'no-such-unit')]));
    assert.equal(await s.units.getUnit('u3'), null);
    assert.deepEqual((await s.units.listUnits()).map((x) => x.id).sort(), ['u1', 'u2']);
  });

  test(`${name}: a call-up, its recipients and events are stored together; answers are logged and evented`, async (t) => {
    const s = await make(t);
    await s.units.insertUnit(unit('u1'));
    const a = member('a', 'u1'), b = member('b', 'u1');
    await s.units.insertMember(a);
    await s.units.insertMember(b);
    const c = callup('c1', ['u1']);
    const events = await s.callups.createCallUp(c, [recipient('c1', a, 'hash-a'), recipient('c1', b)], [
      { kind: 'callup', callupId: 'c1', memberId: 'a', data: { n: 1 } }, { kind: 'callup', callupId: 'c1', memberId: 'b', data: { n: 2 } },
    ]);
    assert.equal(events.length, 2);
    assert.ok(events[1].seq > events[0].seq);
    assert.deepEqual(await s.callups.getCallUp('c1'), c);
    assert.equal((await s.callups.recipientByTokenHash('hash-a'))!.memberId, 'a');
    assert.equal(await s.callups.recipientByTokenHash('hash-x'), null);
    const e = await s.callups.recordAnswer('c1', 'a', { answer: 'coming', etaMinutes: 15, reason: null, at, by: 'link:a', via: 'link' }, { kind: 'answer', callupId: 'c1', memberId: 'a', data: {} });
    assert.ok(e && e.seq > events[1].seq);
    await s.callups.recordAnswer('c1', 'a', { answer: 'unavailable', etaMinutes: null, reason: 'sick', at, by: 'link:a', via: 'link' }, { kind: 'answer', callupId: 'c1', memberId: 'a', data: {} });
    assert.deepEqual((await s.callups.recipient('c1', 'a'))!.reason, 'sick');
    assert.deepEqual((await s.callups.answerLog('c1')).map((x) => x.answer), ['coming', 'unavailable']);
    assert.deepEqual((await s.callups.eventsAfter(0, { memberIds: ['a'], callupId: null }, 100)).map((x) => x.kind), ['callup', 'answer', 'answer']);
    assert.deepEqual((await s.callups.eventsAfter(events[0].seq, { memberIds: null, callupId: 'c1' }, 100)).length, 3);
    const all = await s.callups.eventsAfter(0, { memberIds: null, callupId: null }, 100);
    assert.equal(await s.callups.lastEventSeq(), all[all.length - 1]!.seq, 'the highest seq stored');
    assert.deepEqual((await s.callups.callUpsOfMembers(['b'], 10)).map((x) => x.id), ['c1']);

    const ended = await s.callups.endCallUp('c1', 'closed', 'op', at, 'done', [{ kind: 'callup-ended', callupId: 'c1', memberId: 'a', data: {} }]);
    assert.equal(ended!.length, 1);
    assert.equal(await s.callups.endCallUp('c1', 'cancelled', 'op', at, null, []), null, 'an ended call-up stays ended');
    assert.equal((await s.callups.getCallUp('c1'))!.state, 'closed');
    assert.equal((await s.callups.recipientByTokenHash('hash-a'))!.callupId, 'c1', "an ended call-up's link is still known (so it is told expired, not unknown)");
    const late = await s.callups.recordAnswer('c1', 'b', { answer: 'coming', etaMinutes: 5, reason: null, at, by: 'x', via: 'operator' }, { kind: 'answer', callupId: 'c1', memberId: 'b', data: {} });
    assert.equal(late, null, 'no answer after the end');
    assert.equal((await s.callups.recipient('c1', 'b'))!.answer, null);
  });

  test(`${name}: push subscriptions per member`, async (t) => {
    const s = await make(t);
    await s.units.insertUnit(unit('u1'));
    await s.units.insertMember(member('a', 'u1'));
    await s.callups.addPushSubscription('a', { endpoint: 'https://push.example/1', keys: { p256dh: 'p', auth: 'x' } }, at);
    await s.callups.addPushSubscription('a', { endpoint: 'https://push.example/1', keys: { p256dh: 'p2', auth: 'x2' } }, at);
    assert.deepEqual(await s.callups.pushSubscriptions(['a']), [{ endpoint: 'https://push.example/1', memberId: 'a', keys: { p256dh: 'p2', auth: 'x2' } }]);
    await s.callups.removePushSubscription('https://push.example/1');
    assert.deepEqual(await s.callups.pushSubscriptions(['a']), []);
  });

  test(`${name}: regime changes: one in force per region, pending ones decided once, history kept`, async (t) => {
    const s = await make(t);
    await s.regimes.insertChange(change('r1', 'UA-30'));
    await s.regimes.insertChange(change('r2', 'UA-30', { level: 'emergency', requestedAt: '2026-12-01T11:00:00.000Z' }));
    await s.regimes.insertChange(change('r3', 'UA-30', { level: 'martial-law', state: 'pending', decidedBy: null, decidedAt: null, requestedAt: '2026-12-01T12:00:00.000Z' }));
    assert.deepEqual((await s.regimes.inForce()).map((c) => c.id), ['r2']);
    assert.deepEqual((await s.regimes.pending()).map((c) => c.id), ['r3']);
    assert.equal(await s.regimes.decide('r3', 'in-force', 'ap', at), true);
    assert.equal(await s.regimes.decide('r3', 'rejected', 'ap', at), false);
    assert.deepEqual((await s.regimes.inForce()).map((c) => c.id), ['r3']);
    assert.deepEqual((await s.regimes.history('UA-30')).map((c) => [c.id, c.state]), [['r3', 'in-force'], ['r2', 'superseded'], ['r1', 'superseded']]);
    assert.equal((await s.regimes.getChange('r3'))!.decidedBy, 'ap');
  });
}
