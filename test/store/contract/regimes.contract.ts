// The contract every RegimeRepository must meet (SQLite and PostgreSQL, regimes.test.ts): every change kept, at most
// one in force per region, a pending change decided once; with several servers at once the last change applied is
// the one in force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RegimeChange } from '../../../src/units/model.ts';
import type { RegimeRepository } from '../../../src/units/ports.ts';

const T0 = '2026-12-01T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const inForce = (id: string, regionCode: string, minutes: number, over: Partial<RegimeChange> = {}): RegimeChange => ({
  id, regionCode, level: 'heightened', reason: 'massing troops near the border', requestedBy: 'operator', requestedAt: at(minutes), state: 'in-force',
  decidedBy: 'operator', decidedAt: at(minutes), ...over,
});
const pendingChange = (id: string, regionCode: string, minutes: number, over: Partial<RegimeChange> = {}): RegimeChange =>
  inForce(id, regionCode, minutes, { level: 'martial-law', reason: 'decree 64/2022', state: 'pending', decidedBy: null, decidedAt: null, ...over });

const ids = (cs: RegimeChange[]) => cs.map((c) => c.id);
const states = (cs: RegimeChange[]) => cs.map((c) => [c.id, c.state]);

export function regimesContract(name: string, make: (t: any) => Promise<RegimeRepository>): void {
  test(`${name}: a change is returned as stored`, async (t) => {
    const repo = await make(t);
    const c = inForce('r1', 'UA-30', 0, { reason: 'Загроза: масований удар' });
    const p = pendingChange('r2', 'UA-30', 1);
    await repo.insertChange(c);
    await repo.insertChange(p);
    assert.deepEqual(await repo.getChange('r1'), c);
    assert.deepEqual(await repo.getChange('r2'), p);
    assert.equal(await repo.getChange('nope'), null);
    await assert.rejects(repo.insertChange({ ...c, level: 'apocalypse' as RegimeChange['level'] }), 'levels are the known ones');
  });

  test(`${name}: a change in force supersedes the region's previous one only`, async (t) => {
    const repo = await make(t);
    await repo.insertChange(inForce('kyiv-1', 'UA-30', 0));
    await repo.insertChange(inForce('bucha-1', 'UA-30-1', 1, { level: 'emergency' }));
    await repo.insertChange(pendingChange('kyiv-p', 'UA-30', 2));
    await repo.insertChange(inForce('kyiv-r', 'UA-30', 3, { state: 'rejected' }));
    assert.deepEqual(ids(await repo.inForce()), ['kyiv-1', 'bucha-1'], 'pending and rejected changes supersede nothing');
    await repo.insertChange(inForce('kyiv-2', 'UA-30', 4, { level: 'everyday', reason: 'stood down' }));
    assert.deepEqual(ids(await repo.inForce()), ['bucha-1', 'kyiv-2'], 'listed in the order added');
    assert.deepEqual(states(await repo.history('UA-30')), [['kyiv-2', 'in-force'], ['kyiv-r', 'rejected'], ['kyiv-p', 'pending'], ['kyiv-1', 'superseded']]);
    assert.deepEqual(states(await repo.history('UA-30-1')), [['bucha-1', 'in-force']], 'other regions untouched');
    assert.deepEqual(await repo.getChange('kyiv-1'), inForce('kyiv-1', 'UA-30', 0, { state: 'superseded' }), 'superseding changes the state only');
    assert.deepEqual(await repo.history('IL-SDEROT'), []);
  });

  test(`${name}: history is newest first (ties: last added first); pending oldest first (ties: first added first)`, async (t) => {
    const repo = await make(t);
    await repo.insertChange(inForce('b', 'UA-30', 10));
    await repo.insertChange(inForce('a', 'UA-30', 5)); // requested earlier, applied later: still the one in force
    await repo.insertChange(inForce('d', 'UA-30', 10));
    await repo.insertChange(inForce('c', 'UA-30', 10));
    assert.deepEqual(ids(await repo.history('UA-30')), ['c', 'd', 'b', 'a']);
    assert.deepEqual(ids(await repo.inForce()), ['c']);
    await repo.insertChange(pendingChange('p-late', 'UA-30', 30));
    await repo.insertChange(pendingChange('p-z', 'IL-SDEROT', 20));
    await repo.insertChange(pendingChange('p-y', 'UA-30-2', 20));
    await repo.insertChange(pendingChange('p-early', 'UA-30', 1));
    assert.deepEqual(ids(await repo.pending()), ['p-early', 'p-z', 'p-y', 'p-late']);
  });

  test(`${name}: a pending change is decided once; in force supersedes, rejected does not`, async (t) => {
    const repo = await make(t);
    await repo.insertChange(inForce('old', 'UA-30', 0));
    await repo.insertChange(pendingChange('p1', 'UA-30', 1));
    await repo.insertChange(pendingChange('p2', 'UA-30', 2));
    await repo.insertChange(inForce('other', 'UA-30-1', 0));

    assert.equal(await repo.decide('p1', 'rejected', 'approver', at(5)), true);
    assert.deepEqual(await repo.getChange('p1'), pendingChange('p1', 'UA-30', 1, { state: 'rejected', decidedBy: 'approver', decidedAt: at(5) }));
    assert.deepEqual(ids(await repo.inForce()), ['old', 'other'], 'a rejection supersedes nothing');
    assert.equal(await repo.decide('p1', 'in-force', 'approver', at(6)), false, 'a rejected change stays rejected');
    assert.equal((await repo.getChange('p1'))!.state, 'rejected');

    assert.equal(await repo.decide('p2', 'in-force', 'approver', at(7)), true);
    assert.deepEqual(await repo.getChange('p2'), pendingChange('p2', 'UA-30', 2, { state: 'in-force', decidedBy: 'approver', decidedAt: at(7) }));
    assert.deepEqual(states(await repo.history('UA-30')), [['p2', 'in-force'], ['p1', 'rejected'], ['old', 'superseded']]);
    assert.deepEqual(ids(await repo.inForce()), ['p2', 'other'], 'listed in the order added, not decided');
    assert.equal(await repo.decide('p2', 'rejected', 'someone', at(8)), false);
    assert.equal((await repo.getChange('p2'))!.decidedBy, 'approver');
    assert.equal(await repo.decide('other', 'rejected', 'someone', at(8)), false, 'only pending changes are decided');
    assert.equal(await repo.decide('old', 'in-force', 'someone', at(8)), false);
    assert.equal(await repo.decide('nope', 'in-force', 'someone', at(8)), false);
    assert.deepEqual(await repo.pending(), []);
    assert.deepEqual(ids(await repo.inForce()), ['p2', 'other']);
  });

  test(`${name}: a change that cannot be stored supersedes nothing (all or nothing)`, async (t) => {
    const repo = await make(t);
    await repo.insertChange(inForce('r1', 'UA-30', 0));
    await assert.rejects(repo.insertChange(inForce('r1', 'UA-30', 1, { level: 'emergency' })), 'ids are unique');
    assert.deepEqual(states(await repo.history('UA-30')), [['r1', 'in-force']]);
    assert.equal((await repo.getChange('r1'))!.level, 'heightened');
  });

  test(`${name}: changes of one region applied at once: one stays in force, the last applied`, async (t) => {
    const repo = await make(t);
    await repo.insertChange(inForce('first', 'UA-30', 0));
    await Promise.all(Array.from({ length: 12 }, (_, i) => repo.insertChange(inForce(`c${i}`, 'UA-30', 1, { level: i % 2 ? 'emergency' : 'everyday' }))));
    const now = (await repo.inForce()).filter((c) => c.regionCode === 'UA-30');
    assert.equal(now.length, 1, 'exactly one in force');
    const history = await repo.history('UA-30');
    assert.equal(history.length, 13);
    assert.equal(history[0].id, now[0].id, 'the one in force is the last applied');
    assert.equal(history.filter((c) => c.state === 'superseded').length, 12);
  });

  test(`${name}: decisions and changes of one region at once: each pending decided once, one in force`, async (t) => {
    const repo = await make(t);
    await repo.insertChange(inForce('first', 'UA-30', 0));
    for (let i = 0; i < 6; i++) await repo.insertChange(pendingChange(`p${i}`, 'UA-30', 1));
    const decisions = Array.from({ length: 6 }, (_, i) => [0, 1, 2].map((k) => repo.decide(`p${i}`, k === 0 && i % 2 ? 'rejected' : 'in-force', `approver${k}`, at(2)))).flat();
    const inserts = Array.from({ length: 4 }, (_, i) => repo.insertChange(inForce(`n${i}`, 'UA-30', 3)));
    const decided = await Promise.all(decisions);
    await Promise.all(inserts);
    for (let i = 0; i < 6; i++) assert.equal(decided.slice(i * 3, i * 3 + 3).filter(Boolean).length, 1, `p${i} decided exactly once`);
    assert.equal((await repo.inForce()).length, 1, 'exactly one in force');
    assert.deepEqual(await repo.pending(), []);
    const history = await repo.history('UA-30');
    assert.equal(history.length, 11);
    assert.ok(history.every((c) => c.state !== 'pending'));
  });
}
