import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCapXml, parseCap } from '../../src/alerts/cap/index.ts';
import { LifecycleError } from '../../src/alerts/lifecycle/index.ts';
import { approver, approver2, missileDraft, operator, operator2, testEnv, warden } from './helpers.ts';

const errorOf = async (fn: () => Promise<unknown>): Promise<LifecycleError> => {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof LifecycleError, `expected LifecycleError, got ${e}`);
    return e;
  }
  assert.fail('expected an error');
};

test('an operator drafts, a different approver approves, and only then is the alert issued with an outbox row', async () => {
  const env = testEnv();
  try {
    const draft = await env.lifecycle.draft(operator, missileDraft());
    assert.equal(draft.state, 'draft');
    assert.equal(draft.createdBy, 'olena');
    assert.equal((await env.store.pendingOutbox(10)).length, 0, 'a draft is never delivered');
    assert.deepEqual(await env.lifecycle.active(), [], 'a draft is not an active alert');

    const issued = await env.lifecycle.approve(approver, draft.id);
    assert.equal(issued.record.state, 'issued');
    assert.equal(issued.record.approvedBy, 'mykola');
    assert.ok(issued.seq !== null);
    assert.deepEqual(env.committed, [issued.seq], 'the worker is woken only after the commit');
    // Committed: a fresh connection to the same file sees the alert and its outbox row.
    const pending = await env.store.pendingOutbox(10);
    assert.equal(pending.length, 1);
    assert.equal(pending[0].seq, issued.seq);
    assert.equal(pending[0].event.id, draft.id);
    assert.equal(pending[0].event.status, 'Actual');
    assert.equal(pending[0].event.exercise, false);
    assert.deepEqual(pending[0].event.regions, [{ code: 'UA-30', name: 'Kyiv oblast', warningTimeS: 120 }]);
    assert.equal(pending[0].event.verified, true);

    // The stored CAP XML is schema-valid, signed, and says what the operator drafted.
    const stored = (await env.store.get(draft.id))!;
    assert.ok(stored.capXml && stored.signature);
    validateCapXml(stored.capXml);
    const cap = parseCap(stored.capXml);
    assert.equal(cap.status, 'Actual');
    assert.equal(cap.info[0].eventType, 'missile');
    assert.deepEqual(cap.info[0].areas[0].regionCodes, ['UA-30']);
    assert.equal((await env.lifecycle.active()).length, 1);
  } finally {
    env.close();
  }
});

test('two-person rule: the drafter cannot approve their own alert, nor can an operator or a warden approve', async () => {
  const env = testEnv();
  try {
    const byApprover = await env.lifecycle.draft(approver, missileDraft());
    const self = await errorOf(() => env.lifecycle.approve(approver, byApprover.id));
    assert.equal(self.kind, 'forbidden');
    assert.equal(self.field, 'two-person-rule');

    const draft = await env.lifecycle.draft(operator, missileDraft());
    assert.equal((await errorOf(() => env.lifecycle.approve(operator2, draft.id))).kind, 'forbidden');
    assert.equal((await errorOf(() => env.lifecycle.approve(warden, draft.id))).kind, 'forbidden');
    assert.equal((await errorOf(() => env.lifecycle.draft(warden, missileDraft()))).kind, 'forbidden');
    assert.equal((await env.store.pendingOutbox(10)).length, 0, 'nothing went out');

    // A different approver may approve the approver's draft; approving twice is a conflict, not a second alert.
    await env.lifecycle.approve(approver2, byApprover.id);
    assert.equal((await errorOf(() => env.lifecycle.approve(approver, byApprover.id))).kind, 'conflict');
    assert.equal((await env.store.pendingOutbox(10)).length, 1);
  } finally {
    env.close();
  }
});

test('bad drafts are refused with the field named', async () => {
  const env = testEnv();
  try {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ status: 'Actuall' }, 'status'],
      [{ status: 'Draft' }, 'status'],
      [{ event: 'earthquake' }, 'event'],
      [{ regions: [] }, 'regions'],
      [{ regions: ['UA-99'] }, 'regions[0]'],
      [{ expires: '2026-03-01T09:00:00Z' }, 'expires'],
      [{ expires: 'tomorrow' }, 'expires'],
      [{ headline: '' }, 'headline'],
      [{ msgType: 'Update' }, 'references'],
      [{ urgency: 'Now' }, 'urgency'],
    ];
    for (const [override, field] of cases) {
      const err = await errorOf(() => env.lifecycle.draft(operator, missileDraft(override)));
      assert.equal(err.kind, 'invalid', JSON.stringify(override));
      assert.equal(err.field, field, JSON.stringify(override));
      assert.match(err.message, new RegExp(field.replace(/[[\]]/g, '\\$&')));
    }
  } finally {
    env.close();
  }
});

test('Exercise and Test alerts are marked in every text and can never replace or become an Actual alert', async () => {
  const env = testEnv();
  try {
    const ex = await env.lifecycle.draft(operator, missileDraft({ status: 'Exercise' }));
    const issued = await env.lifecycle.approve(approver, ex.id);
    const event = (await env.store.pendingOutbox(10))[0].event;
    assert.equal(event.status, 'Exercise');
    assert.equal(event.exercise, true);
    assert.match(event.headline!, /^EXERCISE - /);
    assert.match(event.instruction!, /^EXERCISE - /);
    const cap = parseCap(issued.record.capXml!);
    assert.equal(cap.status, 'Exercise');
    assert.match(cap.note!, /EXERCISE/);

    // An Actual update of the exercise is refused, and so is an Exercise update of a real alert.
    const err = await errorOf(() => env.lifecycle.draft(operator, missileDraft({ msgType: 'Update', references: [ex.id] })));
    assert.equal(err.field, 'status');
    const real = await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft())).id);
    assert.equal((await errorOf(() => env.lifecycle.draft(operator, missileDraft({ status: 'Test', msgType: 'Update', references: [real.record.id] })))).field, 'status');

    // The false-alarm cancel of an exercise is an exercise too.
    const cancel = await env.lifecycle.cancel(approver2, ex.id);
    assert.ok('seq' in cancel);
    assert.equal(cancel.record.cap.status, 'Exercise');
    assert.match(cancel.record.cap.info[0].headline!, /^EXERCISE - FALSE ALARM/);
  } finally {
    env.close();
  }
});

test('an Update references what it replaces, which then leaves the active list', async () => {
  const env = testEnv();
  try {
    const first = await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft())).id);
    env.clock.now += 60_000;
    const upd = await env.lifecycle.draft(operator, missileDraft({ msgType: 'Update', references: [first.record.id], regions: ['UA-30-1', 'UA-30-2'], headline: 'Missile threat narrowed to two raions' }));
    assert.equal(upd.cap.references.length, 1);
    const issued = await env.lifecycle.approve(approver, upd.id);
    const cap = parseCap(issued.record.capXml!);
    assert.equal(cap.msgType, 'Update');
    assert.deepEqual(cap.references, [`alerts@refuge.test,${first.record.id},${first.record.cap.sent}`]);
    assert.equal((await env.store.get(first.record.id))!.replacedBy, upd.id);
    assert.deepEqual((await env.lifecycle.active()).map((r) => r.id), [upd.id]);
    const events = (await env.store.pendingOutbox(10)).map((e) => e.event);
    assert.deepEqual(events[1].replaces, [first.record.id]);
    // The replaced alert can no longer be cancelled or updated; its prepared cancel was withdrawn.
    assert.equal((await errorOf(() => env.lifecycle.cancel(approver, first.record.id))).kind, 'conflict');
    assert.equal(await env.store.preparedCancelFor(first.record.id), null);
    // An Update without its own expiry keeps the expiry of what it replaces.
    const { expires: _omit, ...noExpiry } = missileDraft({ msgType: 'Update', references: [upd.id] }, env.clock.now);
    const upd2 = await env.lifecycle.draft(operator, noExpiry);
    assert.equal(upd2.cap.info[0].expires, issued.record.cap.info[0].expires);
  } finally {
    env.close();
  }
});

test('a prepared false-alarm cancel goes out with one approval and references the alert', async () => {
  const env = testEnv();
  try {
    const issued = await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft())).id);
    assert.ok(issued.preparedCancelId);
    const prepared = (await env.store.get(issued.preparedCancelId!))!;
    assert.equal(prepared.state, 'draft');
    assert.equal(prepared.falseAlarm, true);
    assert.equal((await env.store.pendingOutbox(10)).length, 1, 'the prepared cancel is not sent by itself');

    // It is not approvable from a queue; an operator may not send it; the very approver who issued the alert may, alone.
    assert.equal((await errorOf(() => env.lifecycle.approve(approver2, prepared.id))).kind, 'conflict');
    assert.equal((await errorOf(() => env.lifecycle.cancel(operator, issued.record.id))).kind, 'forbidden');
    env.clock.now += 5_000;
    const cancel = await env.lifecycle.cancel(approver, issued.record.id);
    assert.ok('seq' in cancel && cancel.seq !== null);
    assert.equal(cancel.record.id, issued.preparedCancelId);
    const cap = parseCap(cancel.record.capXml!);
    assert.equal(cap.msgType, 'Cancel');
    assert.deepEqual(cap.references, [`alerts@refuge.test,${issued.record.id},${issued.record.cap.sent}`]);
    const events = (await env.store.pendingOutbox(10)).map((e) => e.event);
    assert.equal(events[1].msgType, 'Cancel');
    assert.equal(events[1].falseAlarm, true);
    assert.deepEqual(events[1].replaces, [issued.record.id]);
    assert.deepEqual(await env.lifecycle.active(), [], 'nothing is active after the cancel');
    assert.equal((await errorOf(() => env.lifecycle.cancel(approver, issued.record.id))).kind, 'conflict', 'cannot cancel twice');
  } finally {
    env.close();
  }
});

test('a draft can be withdrawn; an expired draft cannot be issued; expired alerts are not active', async () => {
  const env = testEnv();
  try {
    const d = await env.lifecycle.draft(operator, missileDraft());
    const w = await env.lifecycle.cancel(operator, d.id);
    assert.ok('withdrawn' in w && w.withdrawn.state === 'rejected');
    assert.equal((await errorOf(() => env.lifecycle.approve(approver, d.id))).kind, 'conflict');

    const late = await env.lifecycle.draft(operator, missileDraft());
    env.clock.now += 31 * 60_000;
    const err = await errorOf(() => env.lifecycle.approve(approver, late.id));
    assert.equal(err.field, 'expires');
    assert.equal((await env.store.pendingOutbox(10)).length, 0);

    const live = await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft({}, env.clock.now), )).id);
    assert.equal((await env.lifecycle.active()).length, 1);
    env.clock.now += 31 * 60_000;
    assert.equal((await env.lifecycle.active()).length, 0, `alert ${live.record.id} expired`);
  } finally {
    env.close();
  }
});

test('an ordinary Cancel is drafted and needs a second person; it then ends the alert', async () => {
  const env = testEnv();
  try {
    const issued = await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft())).id);
    const cancel = await env.lifecycle.draftCancel(operator, issued.record.id, 'The threat has passed.');
    assert.equal(cancel.state, 'draft');
    assert.equal(cancel.cap.msgType, 'Cancel');
    assert.equal((await env.lifecycle.active()).length, 1, 'a cancel draft changes nothing yet');
    assert.equal((await errorOf(() => env.lifecycle.approve(operator, cancel.id))).kind, 'forbidden');
    const done = await env.lifecycle.approve(approver2, cancel.id);
    assert.equal(parseCap(done.record.capXml!).msgType, 'Cancel');
    assert.deepEqual(await env.lifecycle.active(), []);
    assert.equal(done.preparedCancelId, null, 'a Cancel gets no prepared cancel of its own');
  } finally {
    env.close();
  }
});

test('imported messages: untrusted Actual ones wait for a second person; Exercise ones and non-live ones do not; an Update from the same sender replaces its alert', async () => {
  const env = testEnv();
  try {
    const nowMs = env.clock.now;
    const own = (await env.lifecycle.draft(operator, missileDraft())).cap; // a well-formed CAP alert to start from
    const base = { ...own, info: [{ ...own.info[0], senderName: 'Neighbour oblast' }] };
    const foreign = (identifier: string, over: Partial<typeof base> = {}) => ({
      ...base, identifier, sender: 'ops@neighbour.example', sent: new Date(nowMs).toISOString(), references: [], ...over,
    });
    const first = foreign('n-1');
    const a = await env.lifecycle.recordImported(approver, first, '<alert/>', 'test');
    assert.deepEqual([a.delivered, a.pendingApproval, a.record.state], [false, true, 'draft'], 'an untrusted Actual import is a pending import');
    assert.match(a.reason!, /waiting for an approver other than mykola/);
    assert.equal((await env.store.pendingOutbox(10)).length, 0, 'nothing delivered');
    assert.equal((await errorOf(() => env.lifecycle.approve(approver, a.record.id))).field, 'two-person-rule', 'the importer cannot approve it');
    const aOk = await env.lifecycle.approve(approver2, a.record.id);
    assert.equal(aOk.record.state, 'imported');
    assert.equal(aOk.record.trust, 'reviewed');
    assert.equal(aOk.record.approvedBy, 'iryna');
    assert.equal(aOk.record.capXml, '<alert/>', 'delivered as the other authority\'s message, not re-signed as ours');

    const upd = foreign('n-2', { msgType: 'Update', references: [`ops@neighbour.example,n-1,${first.sent}`] });
    const b = await env.lifecycle.recordImported(approver, upd, '<alert/>', 'test');
    assert.equal(b.pendingApproval, true);
    const bOk = await env.lifecycle.approve(approver2, b.record.id);
    assert.equal((await env.store.get(a.record.id))!.replacedBy, bOk.record.id);
    assert.deepEqual((await env.lifecycle.active()).map((r) => r.id), [bOk.record.id]);
    const events = (await env.store.pendingOutbox(10)).map((e) => e.event);
    assert.deepEqual(events[1].replaces, [a.record.id]);
    assert.deepEqual([events[1].verified, events[1].foreign, events[1].trust, events[1].senderName], [false, true, 'reviewed', 'Neighbour oblast']);

    // An Exercise keeps its marking and needs no second person: it can never sound as real.
    const drill = await env.lifecycle.recordImported(approver, foreign('n-5', { status: 'Exercise' }), '<alert/>', 'test');
    assert.equal(drill.delivered, true);
    const drillEvent = (await env.store.pendingOutbox(10)).map((e) => e.event).find((e) => e.id === drill.record.id)!;
    assert.equal(drillEvent.exercise, true);
    assert.match(drillEvent.headline!, /^EXERCISE - /);

    const system = await env.lifecycle.recordImported(approver, foreign('n-3', { status: 'System' }), '<alert/>', 'test');
    assert.equal(system.delivered, false);
    assert.match(system.reason!, /System/);
    const old = await env.lifecycle.recordImported(approver, foreign('n-4', { info: [{ ...base.info[0], expires: new Date(nowMs - 1000).toISOString() }] }), '<alert/>', 'test');
    assert.equal(old.delivered, false);
    assert.match(old.reason!, /expired/);
    assert.equal((await env.store.pendingOutbox(10)).length, 3, 'only the three live messages entered the outbox');
    await assert.rejects(() => env.lifecycle.recordImported(approver, foreign('n-1'), '<alert/>', 'test'), /already imported/);
    await assert.rejects(() => env.lifecycle.recordImported(operator, foreign('n-9'), '<alert/>', 'test'), /may not import/);
    // Refuge's staff can end another authority's alert: one approver for a false alarm, with our own signed Cancel.
    const cancel = await env.lifecycle.cancel(approver, bOk.record.id);
    assert.ok('seq' in cancel && cancel.seq !== null);
    assert.equal(cancel.record.cap.sender, 'alerts@refuge.test');
    assert.deepEqual(cancel.record.cap.references, [`ops@neighbour.example,n-2,${upd.sent}`]);
    assert.equal(parseCap(cancel.record.capXml!).msgType, 'Cancel');
    assert.ok(!(await env.lifecycle.active()).some((r) => r.id === bOk.record.id), 'it left the active list');
  } finally {
    env.close();
  }
});

test('imports: our own sender or name, a reference to another sender\'s alert, a <sent> in the future and an <expires> beyond 48 hours are refused', async () => {
  const env = testEnv();
  try {
    const nowMs = env.clock.now;
    const ours = await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft())).id);
    const own = ours.record.cap;
    const base = { ...own, identifier: 'x-1', sender: 'someone@else.example', info: [{ ...own.info[0], senderName: 'Else' }] };
    assert.equal((await errorOf(() => env.lifecycle.recordImported(approver, { ...base, sender: 'alerts@refuge.test' }, '<alert/>', 't'))).code, 'IMPORT_SENDER_RESERVED');
    assert.equal((await errorOf(() => env.lifecycle.recordImported(approver, { ...base, sender: 'ALERTS@refuge.test' }, '<alert/>', 't'))).field, 'sender');
    assert.equal((await errorOf(() => env.lifecycle.recordImported(approver, { ...base, info: [{ ...base.info[0], senderName: 'refuge test authority' }] }, '<alert/>', 't'))).field, 'senderName');
    const foreignCancel = { ...base, msgType: 'Cancel' as const, references: [`${own.sender},${own.identifier},${own.sent}`] };
    const refused = await errorOf(() => env.lifecycle.recordImported(approver, foreignCancel, '<alert/>', 't'));
    assert.deepEqual([refused.kind, refused.field, refused.code], ['conflict', 'references', 'IMPORT_FOREIGN_REFERENCE']);
    assert.deepEqual((await env.lifecycle.active()).map((r) => r.id), [ours.record.id], 'our alert is still active');
    const future = await errorOf(() => env.lifecycle.recordImported(approver, { ...base, sent: new Date(nowMs + 6 * 60_000).toISOString() }, '<alert/>', 't'));
    assert.deepEqual([future.kind, future.field], ['invalid', 'sent']);
    assert.equal((await env.lifecycle.recordImported(approver, { ...base, identifier: 'x-skew', sent: new Date(nowMs + 4 * 60_000).toISOString() }, '<alert/>', 't')).pendingApproval, true, 'within the clock skew');
    const far = await errorOf(() => env.lifecycle.recordImported(approver, { ...base, info: [{ ...base.info[0], expires: '2099-01-01T00:00:00-00:00' }] }, '<alert/>', 't'));
    assert.deepEqual([far.kind, far.field], ['invalid', 'expires']);
    assert.equal(await env.store.getByIdentifier('someone@else.example', 'x-1'), null, 'nothing was stored');
  } finally {
    env.close();
  }
});

test('a draft text CAP cannot carry (a control character, a lone surrogate) is refused when drafting, naming the field', async () => {
  const env = testEnv();
  try {
    for (const [field, value] of [['headline', 'Missile\u0007 attack'], ['headline', 'Missile \uD83D attack'], ['instruction', 'Go\u0000 now'], ['description', '\uDC00']] as const) {
      const e = await errorOf(() => env.lifecycle.draft(operator, missileDraft({ [field]: value })));
      assert.deepEqual([e.kind, e.field], ['invalid', field], `${field}: ${JSON.stringify(value)}`);
      assert.match(e.message, /cannot carry/);
    }
    // Emoji (a proper surrogate pair), tabs and line ends are fine.
    const ok = await env.lifecycle.draft(operator, missileDraft({ headline: 'Missile attack \u{1F6A8}', description: 'Line one\nLine two\tTabbed' }));
    assert.equal((await env.lifecycle.approve(approver, ok.id)).record.state, 'issued');
  } finally {
    env.close();
  }
});

test('every message of one alert carries its thread: an Update of an Update and its false-alarm cancel have the first alert\'s id', async () => {
  const env = testEnv();
  try {
    const first = await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft())).id);
    env.clock.now += 60_000;
    const upd = await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft({ msgType: 'Update', references: [first.record.id], headline: 'Narrowed' }))).id);
    env.clock.now += 60_000;
    const upd2 = await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft({ msgType: 'Update', references: [upd.record.id], headline: 'Narrowed again' }))).id);
    env.clock.now += 5_000;
    const cancel = await env.lifecycle.cancel(approver, upd2.record.id);
    assert.ok('seq' in cancel && cancel.seq !== null);
    const other = await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft({ headline: 'Another alert' }))).id);
    const events = (await env.store.pendingOutbox(10)).map((e) => e.event);
    assert.deepEqual(events.map((e) => [e.msgType, e.thread]), [
      ['Alert', first.record.id], ['Update', first.record.id], ['Update', first.record.id], ['Cancel', first.record.id], ['Alert', other.record.id],
    ]);
    assert.deepEqual(events[3].replaces, [upd2.record.id], 'the cancel still replaces what it cancels');
  } finally {
    env.close();
  }
});

test('observers hear of every draft that waits and every decision, after the commit; one that throws or rejects fails nothing and is logged', async () => {
  const logged: string[] = [];
  const env = testEnv({ log: (msg) => logged.push(msg) });
  try {
    const heard: Array<{ kind: string; id: string; state: string; createdBy: string | null; by: string; stored: string | null }> = [];
    // What the observer reads from the store at the moment it is called: the change is already committed.
    env.lifecycle.observe(async (e) => {
      const h = { ...e, stored: null as string | null };
      heard.push(h);
      h.stored = (await env.store.get(e.id))?.state ?? null;
    });
    env.lifecycle.observe(() => { throw new Error('a broken observer'); });
    env.lifecycle.observe(() => Promise.reject(new Error('a rejecting observer')));
    const stillStored = async (id: string) => (await env.store.get(id))?.state;

    const d1 = await env.lifecycle.draft(operator, missileDraft());
    assert.equal(await stillStored(d1.id), 'draft', 'the draft is committed although observers failed');
    const issued = await env.lifecycle.approve(approver, d1.id);
    const d2 = await env.lifecycle.draft(operator2, missileDraft());
    await env.lifecycle.cancel(operator2, d2.id);
    const cancelDraft = await env.lifecycle.draftCancel(operator, d1.id, 'the threat is over');
    const own = d1.cap;
    const pending = await env.lifecycle.recordImported(approver, { ...own, identifier: 'n-obs', sender: 'ops@neighbour.example', references: [], info: [{ ...own.info[0], senderName: 'Neighbour' }] }, '<alert/>', 'test');
    assert.equal(pending.pendingApproval, true);
    await new Promise((r) => setImmediate(r)); // the rejection is logged once it settles

    assert.deepEqual(heard.map((e) => [e.kind, e.id, e.state, e.createdBy, e.by]), [
      ['drafted', d1.id, 'draft', 'olena', 'olena'],
      ['decided', d1.id, 'issued', 'olena', 'mykola'],
      ['drafted', d2.id, 'draft', 'taras', 'taras'],
      ['decided', d2.id, 'rejected', 'taras', 'taras'],
      ['drafted', cancelDraft.id, 'draft', 'olena', 'olena'],
      ['drafted', pending.record.id, 'draft', 'mykola', 'mykola'],
    ]);
    assert.deepEqual(heard.map((e) => e.stored), heard.map((e) => e.state), 'each change was committed when its observers heard of it');
    assert.ok(issued.seq !== null);
    assert.equal(logged.filter((m) => /an observer of .* failed/.test(m)).length, 2 * heard.length, 'each failure logged, none raised');
  } finally {
    env.close();
  }
});
