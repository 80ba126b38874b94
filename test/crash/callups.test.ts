// SIGKILL from outside while call-ups are being issued: every acknowledged call-up is there with every member it
// called and the personal links it handed out still work after a restart; no call-up is left with only some members.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acknowledged, call, crashDb, loadThenKill, must, prepareStaff, stop } from './harness.ts';

const MEMBERS_PER_UNIT = 40;

test('SIGKILL during concurrent call-ups: each has all its member rows or none, acknowledged ones survive', async (t) => {
  const db = await crashDb(t);
  const staff = await prepareStaff(db);
  const first = await db.serve();
  const units: string[] = [];
  for (const [name, region] of [['Bucha rescue', 'UA-30-1'], ['Brovary first aid', 'UA-30-2']]) {
    const unit = (await must(first.url, 'POST', '/api/units', staff.operator, { name, type: 'rescue', region })).id as string;
    units.push(unit);
    for (let i = 0; i < MEMBERS_PER_UNIT; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, k) => must(first.url, 'POST', `/api/units/${unit}/members`, staff.operator,
        { name: `${name} member ${i + k}`, role: k === 0 ? 'leader' : 'rescuer', contact: { phone: `+380 44 ${1000 + i + k}` } })));
    }
  }
  const members = 2 * MEMBERS_PER_UNIT;
  const deadline = new Date(Date.now() + 60 * 60_000).toISOString();
  // The message names the operation, so call-ups in the database can be matched to the answers.
  const ops = Array.from({ length: 300 }, (_, i) => i);
  const { outcomes, unanswered } = await loadThenKill(first, ops,
    (i) => call(first.url, 'POST', '/api/callups', staff.operator, { units, message: `callup-${i}: report to the depot`, deadline }), { inFlight: 8, killAfter: 8 });
  const acks = acknowledged(outcomes);
  t.diagnostic(`${acks.length} acknowledged, ${unanswered} cut off by the kill`);
  assert.ok(acks.length >= 8);
  assert.ok(unanswered > 0, 'the kill landed with call-ups in flight');
  for (const o of outcomes) if (o.answer) assert.equal(o.answer.status, 201, `callup-${o.key}: ${JSON.stringify(o.answer.body)}`);
  for (const a of acks) assert.equal(a.body.recipients, members);

  // All or none: every call-up in the database has a recipient row for every member it called.
  const stored = await db.rows<{ id: string; message: string; recipients: number }>(`SELECT c.id, c.message,
    CAST((SELECT COUNT(*) FROM callup_recipients r WHERE r.callup_id = c.id) AS INTEGER) AS recipients FROM callups c`);
  for (const c of stored) assert.equal(c.recipients, members, `${c.message}: ${c.recipients} of ${members} members`);
  const byMessage = new Map(stored.map((c) => [c.message, c.id]));
  assert.equal(byMessage.size, stored.length, 'no call-up recorded twice');
  for (const a of acks) assert.equal(byMessage.get(`callup-${a.key}: report to the depot`), a.body.id, `acknowledged callup-${a.key} is stored`);
  t.diagnostic(`${stored.length - acks.length} call-ups committed without an answer reaching the client`);

  // After a restart: each acknowledged call-up answers with all its members pending, and a personal link it handed
  // out records an answer.
  const second = await db.serve();
  for (const a of acks) {
    const state = await must(second.url, 'GET', `/api/callups/${a.body.id}`, staff.operator);
    assert.deepEqual(state.counts, { coming: 0, unavailable: 0, pending: members });
  }
  const link = acks[0].body.links[0] as { token: string };
  const answer = await call(second.url, 'POST', `/api/callups/${acks[0].body.id}/answers`, undefined, { answer: 'coming', etaMinutes: 15, token: link.token });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal((await must(second.url, 'GET', `/api/callups/${acks[0].body.id}`, staff.operator)).counts.coming, 1);
  const again = await call(second.url, 'POST', '/api/callups', staff.operator, { units, message: 'after the restart', deadline });
  assert.equal(again.status, 201);
  assert.equal(again.body.recipients, members);
  await stop(second);
});
