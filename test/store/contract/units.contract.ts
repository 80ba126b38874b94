// The contract every UnitRepository + CallUpRepository pair must meet (SQLite and PostgreSQL, units.test.ts). Several
// servers may share one store: the concurrency cases check that answers never land after a call-up ended, an end
// happens once, counters add up, and a stream reading events by seq never misses one committed late.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallUp, Member, Recipient, Unit, UnitEventInput } from '../../../src/units/model.ts';
import type { AnswerUpdate, CallUpRepository, UnitRepository } from '../../../src/units/ports.ts';

export interface UnitStores {
  units: UnitRepository;
  callups: CallUpRepository;
  /** Reads what markPushed stored (not visible through the port). */
  pushState(callupId: string, memberId: string): Promise<{ pushedAt: string | null; pushed: number }>;
}

const T0 = '2026-12-01T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const unit = (id: string, over: Partial<Unit> = {}): Unit => ({
  id, name: `Unit ${id}`, type: 'rescue', regionCode: 'UA-30-1', base: { lat: 50.2, lon: 30.2, address: 'Depot 1' }, requiredRoles: ['leader', 'medic'],
  createdAt: T0, createdBy: 'operator', updatedAt: T0, ...over,
});
const member = (id: string, unitId: string, over: Partial<Member> = {}): Member => ({
  id, unitId, name: `Member ${id}`, role: 'member', phone: '+380 44 111 22 33', email: null, userName: null, skills: ['rope', 'chainsaw'],
  certificates: [{ name: 'First aid', expires: '2027-01-01' }, { name: 'Driving C', expires: null }], availability: 'available', availableFrom: null,
  createdAt: T0, updatedAt: T0, ...over,
});
const callup = (id: string, unitIds: string[], over: Partial<CallUp> = {}): CallUp => ({
  id, unitIds, regionCode: null, message: 'Flooding in Bucha: report to the depot', reportTo: 'Depot 1', deadline: at(120), exercise: false, state: 'open',
  createdAt: T0, createdBy: 'operator', endedAt: null, endedBy: null, endReason: null, ...over,
});
const recipient = (callupId: string, m: Member, tokenHash: string | null = null): Recipient => ({
  callupId, memberId: m.id, unitId: m.unitId, tokenHash, answer: null, etaMinutes: null, reason: null, answeredAt: null, answeredBy: null, answeredVia: null,
});
const notice = (callupId: string, memberId: string | null, n = 0): UnitEventInput => ({
  kind: 'callup', callupId, memberId, data: { callupId, memberId, unitName: 'Bucha rescue', message: 'Flooding', nested: { z: 1, a: [true, null, 'ї'] }, n },
});
const answerEvent = (callupId: string, memberId: string, data: Record<string, unknown> = {}): UnitEventInput => ({ kind: 'answer', callupId, memberId, data: { callupId, memberId, ...data } });
const coming = (minutes: number, eta: number, by = 'operator', via: AnswerUpdate['via'] = 'operator'): AnswerUpdate =>
  ({ answer: 'coming', etaMinutes: eta, reason: null, at: at(minutes), by, via });
const unavailable = (minutes: number, reason: string, by = 'operator', via: AnswerUpdate['via'] = 'operator'): AnswerUpdate =>
  ({ answer: 'unavailable', etaMinutes: null, reason, at: at(minutes), by, via });

/** What is stored as JSON (event data, a unit's base...), as JSON text: a stream sends it, so key order counts too. */
const JSON_FIELDS = ['data', 'base', 'requiredRoles', 'skills', 'certificates', 'unitIds'];
const jsonText = (x: unknown): unknown => (Array.isArray(x) ? x.map(jsonText)
  : typeof x === 'object' && x !== null ? JSON_FIELDS.filter((k) => k in x).map((k) => JSON.stringify((x as Record<string, unknown>)[k])) : x);

/** Same values as what went in, and the JSON-stored fields with the same text. */
function same<T>(actual: T, expected: T, message?: string): void {
  assert.deepEqual(actual, expected, message);
  assert.deepEqual(jsonText(actual), jsonText(expected), message);
}

/** A unit with members a, b, c (c by link) and an open call-up c1 reaching all three. */
async function seeded(s: UnitStores) {
  await s.units.insertUnit(unit('u1', { name: 'Bucha rescue' }));
  const ms = [member('a', 'u1', { role: 'leader', userName: 'olena' }), member('b', 'u1', { role: 'medic' }), member('c', 'u1')];
  for (const m of ms) await s.units.insertMember(m);
  const c = callup('c1', ['u1']);
  const events = await s.callups.createCallUp(c, [recipient('c1', ms[0]), recipient('c1', ms[1], 'hash-b'), recipient('c1', ms[2], 'hash-c')],
    ms.map((m) => notice('c1', m.id)));
  return { c, ms, events };
}

export function unitsContract(name: string, make: (t: any) => Promise<UnitStores>): void {
  test(`${name}: units are returned as stored, listed by name (byte order) then as added; update keeps who created them`, async (t) => {
    const s = await make(t);
    const bucha = unit('u-bucha', { name: 'Bucha rescue', base: { lat: 50.5438, lon: 30.2125, address: null } });
    const noBase = unit('u-none', { name: 'Ärzte ohne Depot', type: 'first-aid', regionCode: null, base: null, requiredRoles: [] });
    await s.units.insertUnit(bucha);
    await s.units.insertUnit(noBase);
    await s.units.insertUnit(unit('u-z', { name: 'brovary' }));
    await s.units.insertUnit(unit('u-y', { name: 'Bucha rescue' })); // same name: after the first one added
    await s.units.insertUnit(unit('u-a', { name: 'Brovary' }));
    same(await s.units.getUnit('u-bucha'), bucha);
    same(await s.units.getUnit('u-none'), noBase);
    assert.equal(await s.units.getUnit('nope'), null);
    assert.deepEqual((await s.units.listUnits()).map((u) => u.id), ['u-a', 'u-bucha', 'u-y', 'u-z', 'u-none']);
    await assert.rejects(s.units.insertUnit(unit('u-bucha')), 'ids are unique');

    const next: Unit = { ...bucha, name: 'Bucha rescue (north)', type: 'evacuation', regionCode: 'UA-30', base: null, requiredRoles: ['driver'], createdAt: at(5), createdBy: 'someone else', updatedAt: at(5) };
    assert.equal(await s.units.updateUnit(next), true);
    same(await s.units.getUnit('u-bucha'), { ...next, createdAt: T0, createdBy: 'operator' });
    assert.equal(await s.units.updateUnit(unit('ghost')), false);
    assert.equal(await s.units.getUnit('ghost'), null, 'an update does not create');
    assert.deepEqual((await s.units.listUnits()).map((u) => u.id), ['u-a', 'u-y', 'u-bucha', 'u-z', 'u-none']);
  });

  test(`${name}: members are returned as stored and listed in the order added, per unit, overall and per account`, async (t) => {
    const s = await make(t);
    await s.units.insertUnit(unit('u1'));
    await s.units.insertUnit(unit('u2', { name: 'Brovary first aid', type: 'first-aid' }));
    const olena = member('m-olena', 'u1', { name: 'Олена', role: 'leader', userName: 'warden', email: 'olena@example.org' });
    const taras = member('m-taras', 'u2', { name: 'Taras', role: 'driver', availability: 'on-leave', availableFrom: '2099-01-01', skills: [], certificates: [] });
    const petro = member('m-petro', 'u1', { name: 'Petro', role: 'medic', phone: null, email: 'petro@example.org' });
    const dan = member('m-dan', 'u2', { name: 'Dan', userName: 'warden' });
    for (const m of [olena, taras, petro, dan]) await s.units.insertMember(m);
    same(await s.units.getMember('m-olena'), olena);
    same(await s.units.getMember('m-taras'), taras);
    assert.equal(await s.units.getMember('nope'), null);
    assert.deepEqual((await s.units.listMembers()).map((m) => m.id), ['m-olena', 'm-taras', 'm-petro', 'm-dan']);
    assert.deepEqual((await s.units.listMembers('u1')).map((m) => m.id), ['m-olena', 'm-petro']);
    same((await s.units.listMembers('u2')), [taras, dan]);
    assert.deepEqual(await s.units.listMembers('no-unit'), []);
    assert.deepEqual((await s.units.membersOfUser('warden')).map((m) => m.id), ['m-olena', 'm-dan']);
    assert.deepEqual(await s.units.membersOfUser('nobody'), []);
    await assert.rejects(s.units.insertMember(member('m-x', 'no-such-unit')), 'a member belongs to a unit that exists');
    await assert.rejects(s.units.insertMember(member('m-olena', 'u1')), 'ids are unique');
    await assert.rejects(s.units.insertMember(member('m-y', 'u1', { availability: 'asleep' as Member['availability'] })), 'availability is one of the known values');

    // Moved to another unit, every field changed; created_at stays, the place in the order too.
    const moved: Member = { ...olena, unitId: 'u2', name: 'Olena K.', role: 'deputy', phone: null, email: null, userName: null, skills: ['boat'],
      certificates: [{ name: 'Boat licence', expires: '2030-06-30' }], availability: 'unavailable', availableFrom: null, createdAt: at(9), updatedAt: at(9) };
    assert.equal(await s.units.updateMember(moved), true);
    same(await s.units.getMember('m-olena'), { ...moved, createdAt: T0 });
    assert.deepEqual((await s.units.listMembers('u2')).map((m) => m.id), ['m-olena', 'm-taras', 'm-dan']);
    assert.deepEqual((await s.units.membersOfUser('warden')).map((m) => m.id), ['m-dan']);
    assert.equal(await s.units.updateMember(member('ghost', 'u1')), false);
    assert.equal(await s.units.getMember('ghost'), null);
    await assert.rejects(s.units.updateMember({ ...petro, unitId: 'no-such-unit' }));
    assert.equal((await s.units.getMember('m-petro'))!.unitId, 'u1');
  });

  test(`${name}: importUnits inserts or replaces by id, counts each, and is all or nothing`, async (t) => {
    const s = await make(t);
    await s.units.insertUnit(unit('u1', { name: 'Bucha rescue' }));
    await s.units.insertMember(member('m1', 'u1'));
    const outcome = await s.units.importUnits(
      [unit('u1', { name: 'Bucha rescue (imported)', createdAt: at(30), createdBy: 'csv', updatedAt: at(30) }), unit('u2', { name: 'Irpin rescue', createdBy: 'csv' })],
      [member('m2', 'u2', { role: 'leader' }), member('m1', 'u2', { role: 'medic', updatedAt: at(30) }), member('m3', 'u2'), member('m3', 'u2', { name: 'Twice' })],
    );
    assert.deepEqual(outcome, { unitsInserted: 1, unitsUpdated: 1, membersInserted: 2, membersUpdated: 2 });
    same(await s.units.getUnit('u1'), unit('u1', { name: 'Bucha rescue (imported)', updatedAt: at(30) }), 'replaced, created_at and created_by kept');
    assert.deepEqual(await s.units.getMember('m1'), member('m1', 'u2', { role: 'medic', updatedAt: at(30) }));
    assert.equal((await s.units.getMember('m3'))!.name, 'Twice', 'given twice: inserted, then replaced');
    assert.deepEqual((await s.units.listMembers('u2')).map((m) => m.id), ['m1', 'm2', 'm3']);
    assert.deepEqual(await s.units.importUnits([], []), { unitsInserted: 0, unitsUpdated: 0, membersInserted: 0, membersUpdated: 0 });

    // The last member names a unit that does not exist: nothing of the import is kept, not even the updates before it.
    await assert.rejects(s.units.importUnits([unit('u3'), unit('u1', { name: 'Lost' })], [member('m4', 'u3'), member('m2', 'u1', { name: 'Lost' }), member('m5', 'no-such-unit')]));
    assert.equal(await s.units.getUnit('u3'), null);
    assert.equal(await s.units.getMember('m4'), null);
    assert.equal((await s.units.getUnit('u1'))!.name, 'Bucha rescue (imported)');
    assert.equal((await s.units.getMember('m2'))!.name, 'Member m2');
    assert.deepEqual((await s.units.listUnits()).map((u) => u.id), ['u1', 'u2']);
    assert.equal((await s.units.listMembers()).length, 3);
  });

  test(`${name}: two servers importing the same new units at once both succeed, each row inserted once`, async (t) => {
    const s = await make(t);
    const units = Array.from({ length: 20 }, (_, i) => unit(`u${String(i).padStart(2, '0')}`));
    const members = units.map((u) => member(`m-${u.id}`, u.id));
    const outcomes = await Promise.all([0, 1, 2, 3].map(() => s.units.importUnits(units, members)));
    assert.equal(outcomes.reduce((n, o) => n + o.unitsInserted, 0), 20);
    assert.equal(outcomes.reduce((n, o) => n + o.unitsUpdated, 0), 60);
    assert.equal(outcomes.reduce((n, o) => n + o.membersInserted, 0), 20);
    assert.equal(outcomes.reduce((n, o) => n + o.membersUpdated, 0), 60);
    assert.equal((await s.units.listUnits()).length, 20);
    assert.equal((await s.units.listMembers()).length, 20);
  });

  test(`${name}: a call-up is stored with its recipients (in the order given) and events (increasing seq, at = created)`, async (t) => {
    const s = await make(t);
    await s.units.insertUnit(unit('u1'));
    await s.units.insertUnit(unit('u2'));
    const ids = ['m07', 'm03', 'm11', 'm01', 'm09', 'm05', 'm02', 'm10', 'm04', 'm08', 'm06', 'm12'];
    const ms = ids.map((id, i) => member(id, i % 2 ? 'u1' : 'u2'));
    for (const m of ms) await s.units.insertMember(m);
    const c = callup('c1', ['u2', 'u1'], { regionCode: 'UA-30', exercise: true, reportTo: null, deadline: null });
    const rs = ms.map((m, i) => (i === 3
      ? { ...recipient('c1', m, 'hash-m01'), answer: 'coming' as const, etaMinutes: 0, reason: 'already there', answeredAt: T0, answeredBy: 'operator', answeredVia: 'operator' as const }
      : recipient('c1', m, i % 3 ? `hash-${m.id}` : null)));
    const inputs = [...ms.map((m, i) => notice('c1', m.id, i)), notice('c1', null, 99)];
    const events = await s.callups.createCallUp(c, rs, inputs);
    assert.equal(events.length, inputs.length);
    events.forEach((e, i) => {
      assert.ok(Number.isInteger(e.seq) && e.seq > 0, 'seq is a positive integer (a number, not a string)');
      if (i > 0) assert.ok(e.seq > events[i - 1].seq, 'seq increases in the order given');
      same(e, { ...inputs[i], seq: e.seq, at: T0 });
    });
    same(await s.callups.getCallUp('c1'), c);
    assert.equal(await s.callups.getCallUp('nope'), null);
    same(await s.callups.recipients('c1'), rs);
    assert.deepEqual(await s.callups.recipients('nope'), []);
    same(await s.callups.recipient('c1', 'm01'), rs[3]);
    assert.equal(await s.callups.recipient('c1', 'nobody'), null);
    same(await s.callups.recipientByTokenHash('hash-m03'), rs[1]);
    assert.equal(await s.callups.recipientByTokenHash('hash-m07'), null, 'a member without a link has none');
    same(await s.callups.eventsAfter(0, { memberIds: null, callupId: null }, 1000), events);
  });

  test(`${name}: createCallUp is all or nothing`, async (t) => {
    const s = await make(t);
    const { events } = await seeded(s);
    const d = member('d', 'u1');
    await s.units.insertMember(d);
    // A recipient who is not a member, then one whose link hash is already taken: nothing of either call-up is kept.
    await assert.rejects(s.callups.createCallUp(callup('c2', ['u1']), [recipient('c2', d), recipient('c2', member('ghost', 'u1'))], [notice('c2', 'd')]));
    await assert.rejects(s.callups.createCallUp(callup('c3', ['u1']), [recipient('c3', d, 'hash-b')], [notice('c3', 'd')]));
    await assert.rejects(s.callups.createCallUp(callup('c1', ['u1']), [], []), 'ids are unique');
    assert.equal(await s.callups.getCallUp('c2'), null);
    assert.equal(await s.callups.getCallUp('c3'), null);
    assert.deepEqual(await s.callups.recipients('c2'), []);
    assert.deepEqual(await s.callups.recipients('c3'), []);
    assert.deepEqual(await s.callups.eventsAfter(0, { memberIds: null, callupId: null }, 100), events);
    assert.deepEqual((await s.callups.listCallUps(10)).map((c) => c.id), ['c1']);
  });

  test(`${name}: call-ups are listed newest first (ties: last added first), per member too, up to the limit`, async (t) => {
    const s = await make(t);
    await s.units.insertUnit(unit('u1'));
    await s.units.insertUnit(unit('u2'));
    const a = member('a', 'u1'), b = member('b', 'u2');
    await s.units.insertMember(a);
    await s.units.insertMember(b);
    const made: Array<[string, string, Member[]]> = [['k1', at(10), [a]], ['k2', at(30), [b]], ['k3', at(20), [a, b]], ['k4', at(30), [a]], ['k5', at(5), [b]]];
    for (const [id, when, who] of made) await s.callups.createCallUp(callup(id, ['u1', 'u2'], { createdAt: when }), who.map((m) => recipient(id, m)), []);
    assert.deepEqual((await s.callups.listCallUps(100)).map((c) => c.id), ['k4', 'k2', 'k3', 'k1', 'k5']);
    assert.deepEqual((await s.callups.listCallUps(2)).map((c) => c.id), ['k4', 'k2']);
    assert.deepEqual(await s.callups.listCallUps(0), []);
    assert.deepEqual((await s.callups.callUpsOfMembers(['a'], 10)).map((c) => c.id), ['k4', 'k3', 'k1']);
    assert.deepEqual((await s.callups.callUpsOfMembers(['b'], 10)).map((c) => c.id), ['k2', 'k3', 'k5']);
    assert.deepEqual((await s.callups.callUpsOfMembers(['a', 'b', 'nobody'], 10)).map((c) => c.id), ['k4', 'k2', 'k3', 'k1', 'k5'], 'each call-up once');
    assert.deepEqual((await s.callups.callUpsOfMembers(['a', 'b'], 3)).map((c) => c.id), ['k4', 'k2', 'k3']);
    assert.deepEqual(await s.callups.callUpsOfMembers([], 10), []);
    assert.deepEqual(await s.callups.callUpsOfMembers(['nobody'], 10), []);
    same((await s.callups.callUpsOfMembers(['b'], 1))[0], callup('k2', ['u1', 'u2'], { createdAt: at(30) }));
  });

  test(`${name}: answers update the recipient, are logged (by time) and evented; only recipients of an open call-up`, async (t) => {
    const s = await make(t);
    const { events } = await seeded(s);
    const last = events[events.length - 1].seq;
    const e1 = await s.callups.recordAnswer('c1', 'a', coming(10, 25, 'olena', 'account'), answerEvent('c1', 'a', { answer: 'coming' }));
    assert.ok(e1);
    assert.ok(e1.seq > last);
    same(e1, { ...answerEvent('c1', 'a', { answer: 'coming' }), seq: e1.seq, at: at(10) });
    same(await s.callups.recipient('c1', 'a'), { ...recipient('c1', member('a', 'u1')), answer: 'coming', etaMinutes: 25, reason: null, answeredAt: at(10), answeredBy: 'olena', answeredVia: 'account' });
    // An earlier time recorded later is logged in time order; the recipient holds the latest recorded.
    const e2 = await s.callups.recordAnswer('c1', 'b', unavailable(12, 'on night shift', 'link:b', 'link'), answerEvent('c1', 'b'));
    const e3 = await s.callups.recordAnswer('c1', 'a', unavailable(8, 'car broke down'), answerEvent('c1', 'a', { answer: 'unavailable' }));
    assert.ok(e2 && e3 && e3.seq > e2.seq && e2.seq > e1.seq);
    same(await s.callups.recipient('c1', 'a'), { ...recipient('c1', member('a', 'u1')), answer: 'unavailable', etaMinutes: null, reason: 'car broke down', answeredAt: at(8), answeredBy: 'operator', answeredVia: 'operator' });
    assert.equal((await s.callups.recipient('c1', 'c'))!.answer, null, 'others untouched');
    same(await s.callups.answerLog('c1'), [
      { callupId: 'c1', memberId: 'a', answer: 'unavailable', etaMinutes: null, reason: 'car broke down', at: at(8), by: 'operator', via: 'operator' },
      { callupId: 'c1', memberId: 'a', answer: 'coming', etaMinutes: 25, reason: null, at: at(10), by: 'olena', via: 'account' },
      { callupId: 'c1', memberId: 'b', answer: 'unavailable', etaMinutes: null, reason: 'on night shift', at: at(12), by: 'link:b', via: 'link' },
    ]);
    assert.deepEqual(await s.callups.answerLog('nope'), []);
    // Not a recipient, or no such call-up: nothing recorded.
    assert.equal(await s.callups.recordAnswer('c1', 'stranger', coming(13, 5), answerEvent('c1', 'stranger')), null);
    assert.equal(await s.callups.recordAnswer('nope', 'a', coming(13, 5), answerEvent('nope', 'a')), null);
    assert.equal((await s.callups.answerLog('c1')).length, 3);
    assert.deepEqual((await s.callups.eventsAfter(last, { memberIds: null, callupId: null }, 100)).map((e) => e.seq), [e1.seq, e2.seq, e3.seq]);
  });

  test(`${name}: a call-up ends once, with its events; afterwards answers are refused and links still known`, async (t) => {
    const s = await make(t);
    const { events } = await seeded(s);
    await s.callups.recordAnswer('c1', 'a', coming(1, 10), answerEvent('c1', 'a'));
    const ends: UnitEventInput[] = ['a', 'b', 'c'].map((m) => ({ kind: 'callup-ended', callupId: 'c1', memberId: m, data: { state: 'cancelled', reason: 'water receded' } }));
    const ended = await s.callups.endCallUp('c1', 'cancelled', 'duty officer', at(40), 'water receded', ends);
    assert.ok(ended);
    assert.equal(ended.length, 3);
    ended.forEach((e, i) => same(e, { ...ends[i], seq: e.seq, at: at(40) }));
    same(await s.callups.getCallUp('c1'), callup('c1', ['u1'], { state: 'cancelled', endedAt: at(40), endedBy: 'duty officer', endReason: 'water receded' }));
    assert.equal(await s.callups.endCallUp('c1', 'closed', 'other', at(41), null, ends), null, 'an ended call-up stays ended');
    assert.equal((await s.callups.getCallUp('c1'))!.state, 'cancelled');
    assert.equal(await s.callups.endCallUp('nope', 'closed', 'other', at(41), null, []), null);
    assert.equal((await s.callups.eventsAfter(0, { memberIds: null, callupId: null }, 100)).length, events.length + 1 + 3, 'a refused end adds no event');

    assert.equal(await s.callups.recordAnswer('c1', 'b', coming(42, 5), answerEvent('c1', 'b')), null, 'no answer after the end');
    assert.equal((await s.callups.recipient('c1', 'b'))!.answer, null);
    assert.equal((await s.callups.answerLog('c1')).length, 1);
    assert.equal((await s.callups.recipientByTokenHash('hash-c'))!.memberId, 'c', "an ended call-up's link is still known (told expired, not unknown)");

    // Closed with nobody to tell: ended, no events.
    await s.callups.createCallUp(callup('c2', ['u1']), [], []);
    assert.deepEqual(await s.callups.endCallUp('c2', 'closed', 'op', at(50), null, []), []);
    same(await s.callups.getCallUp('c2'), callup('c2', ['u1'], { state: 'closed', endedAt: at(50), endedBy: 'op', endReason: null }));
  });

  test(`${name}: setTokenHashes replaces links of one call-up, all or nothing`, async (t) => {
    const s = await make(t);
    await seeded(s);
    await s.callups.createCallUp(callup('c2', ['u1']), [recipient('c2', member('b', 'u1'), 'hash-b-c2')], []);
    await s.callups.setTokenHashes('c1', new Map([['c', 'new-c'], ['a', 'new-a'], ['stranger', 'new-s']]));
    assert.equal(await s.callups.recipientByTokenHash('hash-c'), null, 'the old link stops working');
    assert.deepEqual(await s.callups.recipientByTokenHash('new-c').then((r) => [r?.callupId, r?.memberId]), ['c1', 'c']);
    assert.deepEqual(await s.callups.recipientByTokenHash('new-a').then((r) => [r?.callupId, r?.memberId]), ['c1', 'a']);
    assert.equal(await s.callups.recipientByTokenHash('new-s'), null, 'a member not called up gets nothing');
    assert.equal((await s.callups.recipient('c1', 'b'))!.tokenHash, 'hash-b', 'members not named keep theirs');
    assert.equal((await s.callups.recipient('c2', 'b'))!.tokenHash, 'hash-b-c2', 'other call-ups untouched');
    // The second hash is taken by another recipient: the first replacement is undone too.
    await assert.rejects(s.callups.setTokenHashes('c1', new Map([['a', 'newer-a'], ['c', 'hash-b-c2']])));
    await assert.rejects(s.callups.setTokenHashes('c1', new Map([['c', 'hash-b-c2'], ['a', 'newer-a']])));
    assert.equal((await s.callups.recipient('c1', 'a'))!.tokenHash, 'new-a');
    assert.equal((await s.callups.recipient('c1', 'c'))!.tokenHash, 'new-c');
    await s.callups.setTokenHashes('c1', new Map());
    assert.equal((await s.callups.recipient('c1', 'a'))!.tokenHash, 'new-a');
  });

  test(`${name}: eventsAfter filters by seq, members and call-up, in seq order, up to the limit`, async (t) => {
    const s = await make(t);
    const { events } = await seeded(s);
    const c2 = await s.callups.createCallUp(callup('c2', ['u1'], { createdAt: at(1) }), [recipient('c2', member('b', 'u1'))], [notice('c2', 'b', 7), notice('c2', null, 8)]);
    const ans = (await s.callups.recordAnswer('c1', 'a', coming(2, 10), answerEvent('c1', 'a', { big: 2 ** 40, frac: 0.1, text: 'añ "q" \\ ї' })))!;
    const all = [...events, ...c2, ans];
    const seqs = (xs: Array<{ seq: number }>) => xs.map((e) => e.seq);
    same(await s.callups.eventsAfter(0, { memberIds: null, callupId: null }, 100), all, 'data round-trips exactly');
    assert.deepEqual(seqs(await s.callups.eventsAfter(events[2].seq, { memberIds: null, callupId: null }, 100)), seqs([...c2, ans]));
    assert.deepEqual(seqs(await s.callups.eventsAfter(0, { memberIds: ['a'], callupId: null }, 100)), [events[0].seq, ans.seq]);
    assert.deepEqual(seqs(await s.callups.eventsAfter(0, { memberIds: ['b', 'c'], callupId: null }, 100)), [events[1].seq, events[2].seq, c2[0].seq], 'events for nobody in particular are not member events');
    assert.deepEqual(await s.callups.eventsAfter(0, { memberIds: [], callupId: null }, 100), []);
    assert.deepEqual(seqs(await s.callups.eventsAfter(0, { memberIds: null, callupId: 'c2' }, 100)), seqs(c2));
    assert.deepEqual(seqs(await s.callups.eventsAfter(0, { memberIds: ['b'], callupId: 'c2' }, 100)), [c2[0].seq]);
    assert.deepEqual(seqs(await s.callups.eventsAfter(0, { memberIds: null, callupId: null }, 2)), seqs(events.slice(0, 2)));
    assert.deepEqual(await s.callups.eventsAfter(ans.seq, { memberIds: null, callupId: null }, 100), []);
    assert.deepEqual(await s.callups.eventsAfter(0, { memberIds: null, callupId: 'nope' }, 100), []);
  });

  test(`${name}: push subscriptions per member: replaced by endpoint, listed as added, removed by endpoint`, async (t) => {
    const s = await make(t);
    await seeded(s);
    const sub = (n: number, key = 'p') => ({ endpoint: `https://push.example/${n}`, keys: { p256dh: `${key}${n}`, auth: `auth${n}` } });
    await s.callups.addPushSubscription('b', sub(2), T0);
    await s.callups.addPushSubscription('a', sub(1), T0);
    await s.callups.addPushSubscription('a', sub(3), T0);
    await s.callups.addPushSubscription('c', sub(1), T0); // one browser shared by two members
    await s.callups.addPushSubscription('a', sub(1, 'renewed'), at(5));
    same(await s.callups.pushSubscriptions(['a']), [{ ...sub(1, 'renewed'), memberId: 'a' }, { ...sub(3), memberId: 'a' }]);
    assert.deepEqual((await s.callups.pushSubscriptions(['a', 'b', 'c'])).map((p) => [p.memberId, p.endpoint]),
      [['b', sub(2).endpoint], ['a', sub(1).endpoint], ['a', sub(3).endpoint], ['c', sub(1).endpoint]]);
    assert.deepEqual(await s.callups.pushSubscriptions([]), []);
    await assert.rejects(s.callups.addPushSubscription('ghost', sub(9), T0), 'only for members');
    await s.callups.removePushSubscription(sub(1).endpoint);
    assert.deepEqual((await s.callups.pushSubscriptions(['a', 'b', 'c'])).map((p) => [p.memberId, p.endpoint]), [['b', sub(2).endpoint], ['a', sub(3).endpoint]]);
    await s.callups.removePushSubscription('https://push.example/unknown');
    assert.equal((await s.callups.pushSubscriptions(['a', 'b'])).length, 2);
  });

  test(`${name}: markPushed records the time and adds up what was accepted, also when servers push at once`, async (t) => {
    const s = await make(t);
    await seeded(s);
    assert.deepEqual(await s.pushState('c1', 'b'), { pushedAt: null, pushed: 0 });
    await s.callups.markPushed('c1', 'b', at(1), 2);
    assert.deepEqual(await s.pushState('c1', 'b'), { pushedAt: at(1), pushed: 2 });
    await Promise.all(Array.from({ length: 12 }, () => s.callups.markPushed('c1', 'b', at(2), 1)));
    assert.deepEqual(await s.pushState('c1', 'b'), { pushedAt: at(2), pushed: 14 });
    assert.deepEqual(await s.pushState('c1', 'c'), { pushedAt: null, pushed: 0 });
    await s.callups.markPushed('c1', 'stranger', at(3), 1);
    same(await s.callups.recipient('c1', 'b'), recipient('c1', member('b', 'u1'), 'hash-b'), 'the answer fields are untouched');
  });

  test(`${name}: concurrently, an end happens once and no answer lands after it`, async (t) => {
    const s = await make(t);
    await s.units.insertUnit(unit('u1'));
    const ms = Array.from({ length: 24 }, (_, i) => member(`m${i}`, 'u1'));
    for (const m of ms) await s.units.insertMember(m);
    for (let round = 0; round < 8; round++) {
      const id = `c${round}`;
      await s.callups.createCallUp(callup(id, ['u1']), ms.map((m) => recipient(id, m)), []);
      const ends: UnitEventInput[] = [{ kind: 'callup-ended', callupId: id, memberId: 'm0', data: {} }];
      const answer = (m: Member, i: number) => s.callups.recordAnswer(id, m.id, coming(i, 10), answerEvent(id, m.id));
      // The ends start while answers are under way (a different point each round).
      const split = 4 + round * 2;
      const answers = ms.slice(0, split).map(answer);
      const endings = [0, 1, 2].map(() => s.callups.endCallUp(id, 'closed', 'op', at(30), null, ends));
      answers.push(...ms.slice(split).map((m, i) => answer(m, split + i)));
      const done = await Promise.all(answers);
      const ended = (await Promise.all(endings)).filter((e) => e !== null);
      assert.equal(ended.length, 1, 'exactly one end wins');
      const endSeq = ended[0]![0].seq;
      const recorded = done.filter((e) => e !== null);
      for (const e of recorded) assert.ok(e!.seq < endSeq, 'every answer recorded came before the end');
      const rs = await s.callups.recipients(id);
      assert.deepEqual(rs.filter((r) => r.answer !== null).map((r) => r.memberId).sort(), recorded.map((e) => e!.memberId!).sort(), 'answered = accepted');
      assert.equal((await s.callups.answerLog(id)).length, recorded.length);
      assert.deepEqual((await s.callups.eventsAfter(0, { memberIds: null, callupId: id }, 1000)).map((e) => e.seq), [...recorded.map((e) => e!.seq).sort((a, b) => a - b), endSeq]);
    }
  });

  test(`${name}: concurrent answers of one member: each logged once, the recipient holds the one evented last`, async (t) => {
    const s = await make(t);
    await seeded(s);
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) =>
      s.callups.recordAnswer('c1', 'b', { ...coming(1, i), reason: `try ${i}` }, answerEvent('c1', 'b', { reason: `try ${i}` }))));
    assert.ok(results.every((e) => e !== null));
    const lastEvent = results.reduce((x, y) => (y!.seq > x!.seq ? y : x))!;
    assert.equal((await s.callups.recipient('c1', 'b'))!.reason, lastEvent.data.reason);
    const log = await s.callups.answerLog('c1');
    assert.deepEqual(log.map((x) => x.reason).sort(), Array.from({ length: 16 }, (_, i) => `try ${i}`).sort());
    assert.equal(new Set(results.map((e) => e!.seq)).size, 16);
  });

  test(`${name}: a reader following seq never misses an event committed while it reads`, async (t) => {
    const s = await make(t);
    await s.units.insertUnit(unit('u1'));
    const ms = Array.from({ length: 6 }, (_, i) => member(`m${i}`, 'u1'));
    for (const m of ms) await s.units.insertMember(m);
    await s.callups.createCallUp(callup('c1', ['u1']), ms.map((m) => recipient('c1', m)), []);
    let writing = true;
    const seen: number[] = [];
    const reader = (async () => {
      let last = 0;
      for (;;) {
        const stop = !writing; // read once more after the writers are done
        for (const e of await s.callups.eventsAfter(last, { memberIds: null, callupId: null }, 1000)) { seen.push(e.seq); last = e.seq; }
        if (stop) return;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const written: number[] = [];
    await Promise.all(ms.map(async (m, w) => {
      for (let i = 0; i < 25; i++) {
        const e = await s.callups.recordAnswer('c1', m.id, coming(i, w), answerEvent('c1', m.id, { i }));
        written.push(e!.seq);
      }
    }));
    writing = false;
    await reader;
    assert.deepEqual(seen, written.sort((a, b) => a - b), 'the reader saw every event, each once, in seq order');
  });
}
