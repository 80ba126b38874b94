// The contract every AlertStore + OutboxStore implementation must meet (SQLite and PostgreSQL run it; alerts.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifecycleError } from '../../../src/alerts/lifecycle/errors.ts';
import { capTime } from '../../../src/alerts/lifecycle/draft-input.ts';
import type { AlertEvent } from '../../../src/alerts/lifecycle/alert-event.ts';
import type { IssueWrite } from '../../../src/alerts/lifecycle/ports.ts';
import {
  draft, importAlert, issueAlert, issued, issueWrite, matchCodes, MIN, preparedCancel, subscription, T0,
  type AlertStores, type MakeAlertStores,
} from './alerts.fixtures.ts';

const isConflict = (e: unknown) => e instanceof LifecycleError && e.kind === 'conflict';
const withSeq = (w: IssueWrite, seq: number): AlertEvent => ({ ...w.event!, seq });
const iso = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

export function alertStoreContract(name: string, make: MakeAlertStores): void {
  test(`${name}: a draft is stored and read back exactly`, async (t) => {
    const s = await make(t);
    const d = draft('a');
    await s.alerts.insertDraft(d);
    assert.deepEqual(await s.alerts.get('a'), d);
    assert.deepEqual(await s.alerts.getByIdentifier(d.cap.sender, d.cap.identifier), d);
    assert.equal(await s.alerts.get('missing'), null);
    assert.equal(await s.alerts.getByIdentifier('other@sender', d.cap.identifier), null);
    const cancel = preparedCancel(d);
    await s.alerts.insertDraft(cancel);
    assert.deepEqual(await s.alerts.get(cancel.id), cancel, 'falseAlarm and preparedFor come back');
    await assert.rejects(s.alerts.insertDraft({ ...draft('a2'), cap: d.cap }), 'sender + identifier is unique');
  });

  test(`${name}: withdraw rejects a draft once, and nothing else`, async (t) => {
    const s = await make(t);
    await s.alerts.insertDraft(draft('a'));
    assert.equal(await s.alerts.withdraw('a', 'olena', capTime(T0)), true);
    assert.equal((await s.alerts.get('a'))!.state, 'rejected');
    assert.equal(await s.alerts.withdraw('a', 'olena', capTime(T0)), false);
    await issueAlert(s, 'b');
    assert.equal(await s.alerts.withdraw('b', 'olena', capTime(T0)), false);
    assert.equal((await s.alerts.get('b'))!.state, 'issued');
    assert.equal(await s.alerts.withdraw('missing', 'olena', capTime(T0)), false);
  });

  test(`${name}: issue commits the record and its outbox row; a second approval conflicts`, async (t) => {
    const s = await make(t);
    const d = draft('a');
    await s.alerts.insertDraft(d);
    const r = issued(d);
    const w = issueWrite(r);
    const { seq } = await s.alerts.issue(w, 'draft');
    assert.equal(typeof seq, 'number');
    assert.deepEqual(await s.alerts.get('a'), r);
    assert.deepEqual(await s.alerts.eventFor('a'), withSeq(w, seq!));
    assert.deepEqual(await s.alerts.pendingOutbox(10), [{ seq, event: withSeq(w, seq!), createdAt: r.issuedAt }]);
    await assert.rejects(s.alerts.issue(issueWrite({ ...r, approvedBy: 'iryna' }), 'draft'), isConflict);
    assert.equal((await s.alerts.get('a'))!.approvedBy, 'mykola');
    assert.equal((await s.alerts.pendingOutbox(10)).length, 1);
  });

  test(`${name}: two approvals at once from two processes: one issues, the other conflicts`, async (t) => {
    const s = await make(t);
    const other = await s.another();
    for (const id of ['a', 'b', 'c']) {
      const d = draft(id);
      await s.alerts.insertDraft(d);
      const results = await Promise.allSettled([
        s.alerts.issue(issueWrite({ ...issued(d), approvedBy: 'mykola' }), 'draft'),
        other.alerts.issue(issueWrite({ ...issued(d), approvedBy: 'iryna' }), 'draft'),
      ]);
      const ok = results.filter((x) => x.status === 'fulfilled');
      assert.equal(ok.length, 1, `exactly one approval of ${id} wins`);
      assert.ok(isConflict((results.find((x) => x.status === 'rejected') as PromiseRejectedResult).reason));
      const winner = results[0].status === 'fulfilled' ? 'mykola' : 'iryna';
      assert.equal((await s.alerts.get(id))!.approvedBy, winner);
    }
    assert.equal((await s.alerts.pendingOutbox(10)).length, 3, 'one outbox row per alert');
  });

  test(`${name}: an Update replaces its alert and withdraws that alert's prepared cancel`, async (t) => {
    const s = await make(t);
    const a = draft('a');
    await s.alerts.insertDraft(a);
    const cancel = preparedCancel(a);
    await s.alerts.issue(issueWrite(issued(a), { cancel }), 'draft');
    assert.deepEqual(await s.alerts.preparedCancelFor('a'), cancel);
    const b = await issueAlert(s, 'b', { msgType: 'Update', references: ['a'], replaces: ['a'], at: 2 });
    assert.equal((await s.alerts.get('a'))!.replacedBy, 'b');
    assert.equal(await s.alerts.preparedCancelFor('a'), null);
    const withdrawn = (await s.alerts.get(cancel.id))!;
    assert.equal(withdrawn.state, 'rejected');
    assert.deepEqual((await s.alerts.listActive(capTime(T0 + 10 * MIN))).map((r) => r.id), ['b']);
    assert.equal((await s.alerts.eventFor('b'))!.thread, 'a');
    assert.equal(b.record.replacedBy, null);
  });

  test(`${name}: the prepared cancel issues with one approval and replaces its alert`, async (t) => {
    const s = await make(t);
    const a = draft('a');
    await s.alerts.insertDraft(a);
    const cancel = preparedCancel(a);
    await s.alerts.issue(issueWrite(issued(a), { cancel }), 'draft');
    const { seq } = await s.alerts.issue(issueWrite(issued(cancel, 3), { replaces: ['a'] }), 'draft');
    assert.equal((await s.alerts.get(cancel.id))!.state, 'issued', 'issuing the cancel does not withdraw itself');
    assert.equal((await s.alerts.get('a'))!.replacedBy, cancel.id);
    assert.deepEqual(await s.alerts.listActive(capTime(T0 + 10 * MIN)), [], 'a Cancel is never active');
    assert.deepEqual(await s.alerts.activeEvents(T0 + 10 * MIN), []);
    assert.equal((await s.alerts.eventFor(cancel.id))!.seq, seq);
  });

  test(`${name}: issue is all or nothing`, async (t) => {
    const s = await make(t);
    await issueAlert(s, 'a');
    await issueAlert(s, 'b', { msgType: 'Update', references: ['a'], replaces: ['a'], at: 2 });
    const c = draft('c', { msgType: 'Update', references: ['a'], at: 3 });
    await s.alerts.insertDraft(c);
    const cCancel = preparedCancel(c);
    // 'a' is already replaced: the conflict comes after the record was updated, and must undo it.
    await assert.rejects(s.alerts.issue(issueWrite(issued(c, 4), { replaces: ['a'], cancel: cCancel }), 'draft'), isConflict);
    assert.deepEqual(await s.alerts.get('c'), c);
    assert.equal(await s.alerts.get(cCancel.id), null);
    assert.equal((await s.alerts.get('a'))!.replacedBy, 'b');
    assert.equal((await s.alerts.pendingOutbox(10)).length, 2);
    // A failing import leaves no record behind either.
    const dup = draft('d');
    await s.alerts.insertDraft(dup);
    await assert.rejects(s.alerts.issue(issueWrite({ ...issued(dup), id: 'd2', state: 'imported' }, { replaces: ['a'] }), 'imported'));
    assert.equal(await s.alerts.get('d2'), null);
    assert.equal((await s.alerts.pendingOutbox(10)).length, 2);
  });

  test(`${name}: an alert issued without an event is stored but never delivered or active`, async (t) => {
    const s = await make(t);
    const d = draft('a');
    await s.alerts.insertDraft(d);
    assert.deepEqual(await s.alerts.issue(issueWrite(issued(d), { noEvent: true }), 'draft'), { seq: null });
    assert.equal((await s.alerts.get('a'))!.state, 'issued');
    assert.equal(await s.alerts.eventFor('a'), null);
    assert.deepEqual(await s.alerts.pendingOutbox(10), []);
    assert.deepEqual(await s.alerts.listActive(capTime(T0 + 5 * MIN)), []);
  });

  test(`${name}: an import is inserted and issued in one step`, async (t) => {
    const s = await make(t);
    const { record, seq } = await importAlert(s, 'x');
    assert.deepEqual(await s.alerts.getByIdentifier(record.cap.sender, record.cap.identifier), record);
    assert.equal((await s.alerts.eventFor('x'))!.seq, seq);
    assert.deepEqual((await s.alerts.listActive(capTime(T0 + 5 * MIN))).map((r) => r.id), ['x']);
    await assert.rejects(importAlert(s, 'x'), 'the same import twice');
  });

  test(`${name}: active alerts and events: issued or imported, not replaced, not expired, not a Cancel`, async (t) => {
    const s = await make(t);
    const a = await issueAlert(s, 'a', { at: 0, expiresIn: 30 });
    const b = await importAlert(s, 'b', { at: 2, expiresIn: 60 });
    await issueAlert(s, 'x', { at: 4, expiresIn: 10 });
    await s.alerts.insertDraft(draft('d', { at: 5 }));
    await issueAlert(s, 'f', { at: 6 });
    await issueAlert(s, 'g', { at: 7, msgType: 'Cancel', references: ['f'], replaces: ['f'] });
    const active = await s.alerts.listActive(capTime(T0 + 20 * MIN));
    assert.deepEqual(active, [(await s.alerts.get('b'))!, (await s.alerts.get('a'))!], 'newest issued first');
    assert.deepEqual(active.map((r) => r.id), ['b', 'a']);
    const events = await s.alerts.activeEvents(T0 + 20 * MIN);
    assert.deepEqual(events, [
      { seq: a.seq, event: (await s.alerts.eventFor('a'))!, createdAt: a.record.issuedAt },
      { seq: b.seq, event: (await s.alerts.eventFor('b'))!, createdAt: b.record.issuedAt },
    ]);
    assert.deepEqual((await s.alerts.listActive(capTime(T0 + 30 * MIN))).map((r) => r.id), ['b'], 'expiry is exclusive');
    assert.deepEqual((await s.alerts.activeEvents(T0 + 30 * MIN)).map((e) => e.seq), [b.seq]);
    assert.deepEqual(await s.alerts.listActive(capTime(T0 + 61 * MIN)), []);
  });

  test(`${name}: eventFor is the latest event of the alert`, async (t) => {
    const s = await make(t);
    const a = draft('a');
    await s.alerts.insertDraft(a);
    const w = issueWrite(issued(a));
    const { seq } = await s.alerts.issue(w, 'draft');
    assert.deepEqual(await s.alerts.eventFor('a'), withSeq(w, seq!));
    assert.equal(await s.alerts.eventFor('missing'), null);
  });

  test(`${name}: history: the chains in force since a time, newest chains first, events oldest first`, async (t) => {
    const s = await make(t);
    const far = 3 * 365 * 24 * 60; // minutes: expires long after any real clock running this test
    const a = await issueAlert(s, 'a', { at: 0, expiresIn: 30 });
    const c = await issueAlert(s, 'c', { at: 1, expiresIn: 30 });
    const d = await issueAlert(s, 'd', { at: 2, expiresIn: far });
    const b = await issueAlert(s, 'b', { at: 3, expiresIn: far, msgType: 'Update', references: ['a'], replaces: ['a'] });
    // An event stored before `thread` existed belongs to the chain of its own alert.
    const e = draft('e', { at: 4, expiresIn: 30 });
    await s.alerts.insertDraft(e);
    const we = issueWrite(issued(e, 5));
    delete (we.event as Partial<AlertEvent>).thread;
    const eSeq = (await s.alerts.issue(we, 'draft')).seq!;
    const ev = async (id: string) => (await s.alerts.eventFor(id))!;
    // Committed long before `since`: only chains whose messages have not expired by then count.
    const later = Date.now() + 3600_000;
    assert.deepEqual(await s.alerts.historyEvents(later, 10), [await ev('a'), await ev('d'), await ev('b')]);
    assert.deepEqual((await s.alerts.historyEvents(later, 1)).map((x) => x.seq), [d.seq], 'chain a starts before chain d');
    // Committed since then: every chain.
    assert.deepEqual((await s.alerts.historyEvents(0, 10)).map((x) => x.seq), [a.seq, c.seq, d.seq, b.seq, eSeq]);
    assert.deepEqual((await s.alerts.historyEvents(0, 2)).map((x) => x.seq), [d.seq, eSeq], 'the two chains that started last');
    assert.deepEqual((await s.alerts.historyEvents(0, 3)).map((x) => x.seq), [c.seq, d.seq, eSeq]);
    assert.equal((await s.alerts.historyEvents(0, 10))[4].thread, undefined);
  });

  test(`${name}: listRecent: every alert, newest first, ties in insertion order reversed`, async (t) => {
    const s = await make(t);
    for (const [id, at] of [['a', 0], ['b', 5], ['c', 5], ['d', 2]] as const) await s.alerts.insertDraft(draft(id, { at }));
    await s.alerts.withdraw('d', 'olena', capTime(T0));
    const recent = await s.alerts.listRecent(10);
    assert.deepEqual(recent.map((r) => r.id), ['c', 'b', 'd', 'a']);
    assert.deepEqual(recent[2], { ...draft('d', { at: 2 }), state: 'rejected' });
    assert.deepEqual((await s.alerts.listRecent(2)).map((r) => r.id), ['c', 'b']);
  });

  test(`${name}: outbox: pending, completed once, live events and replay after a seq`, async (t) => {
    const s = await make(t);
    const [s1, s2, s3, s4] = [
      (await importAlert(s, 'a1', { expiresIn: 30 })).seq, (await importAlert(s, 'a2', { expiresIn: 40 })).seq,
      (await importAlert(s, 'a3', { expiresIn: 5 })).seq, (await importAlert(s, 'a4', { expiresIn: 50 })).seq,
    ];
    assert.deepEqual((await s.alerts.pendingOutbox(2)).map((e) => e.seq), [s1, s2]);
    assert.deepEqual(await s.alerts.eventsAfter(0, 10), [], 'nothing published yet');
    assert.deepEqual(await s.alerts.completeOutbox(s1, 'published', iso(1), 'nats'), { completed: true, queued: 0 });
    assert.deepEqual(await s.alerts.completeOutbox(s1, 'published', iso(2), 'redis'), { completed: false, queued: 0 });
    await s.alerts.completeOutbox(s2, 'published', iso(1), 'redis');
    await s.alerts.completeOutbox(s3, 'expired', iso(6), 'nats');
    assert.deepEqual((await s.alerts.pendingOutbox(10)).map((e) => e.seq), [s4]);
    const [r1, r3] = await s.reach.recordsFor([s1, s3]);
    assert.deepEqual([r1.outcome, r1.via, r1.completedAt], ['published', 'nats', iso(1)], 'the first completion counts');
    assert.deepEqual([r3.outcome, r3.via, r3.completedAt], ['expired', null, iso(6)]);
    const entry = async (seq: number) => (await s.alerts.pendingOutbox(10)).find((e) => e.seq === seq) ?? (await s.alerts.eventsAfter(seq - 1, 1))[0];
    const e1 = await entry(s1);
    assert.equal(e1.event.seq, s1);
    assert.equal(e1.event.id, 'a1');
    assert.deepEqual(await s.alerts.liveEvents(T0 + 10 * MIN, 10), [e1, await entry(s2)]);
    assert.deepEqual((await s.alerts.liveEvents(T0 + 10 * MIN, 1)).map((e) => e.seq), [s2], 'the newest within the limit');
    assert.deepEqual((await s.alerts.liveEvents(T0 + 30 * MIN, 10)).map((e) => e.seq), [s2]);
    assert.deepEqual((await s.alerts.eventsAfter(0, 10)).map((e) => e.seq), [s1, s2]);
    assert.deepEqual((await s.alerts.eventsAfter(s1, 10)).map((e) => e.seq), [s2]);
    assert.deepEqual((await s.alerts.eventsAfter(0, 1)).map((e) => e.seq), [s1]);
    await s.alerts.completeOutbox(s4, 'published', iso(2), 'nats');
    assert.deepEqual((await s.alerts.eventsAfter(s2, 10)).map((e) => e.seq), [s4], 'an expired row is never replayed');
    assert.deepEqual(await s.alerts.eventsAfter(s4, 10), []);
  });

  test(`${name}: completing an outbox row queues its push jobs once, even when two processes complete it at once`, async (t) => {
    const s = await make(t);
    const other = await s.another();
    for (const [n, codes] of [['k1', ['UA-30-1']], ['k2', ['UA-30-2']], ['k3', ['UA-30']], ['sderot', ['IL-SDEROT']]] as const) {
      await s.push.upsertSubscription(subscription(n, [...codes]), matchCodes([...codes]), iso(0));
    }
    const fan = { regionCodes: matchCodes(['UA-30']), expiresMs: T0 + 30 * MIN, nowMs: T0 };
    let total = 0;
    for (let i = 0; i < 5; i++) {
      const { seq } = await importAlert(s, `a${i}`);
      const results = await Promise.all([
        s.alerts.completeOutbox(seq, 'published', iso(1), 'nats', fan),
        other.alerts.completeOutbox(seq, 'published', iso(1), 'redis', fan),
      ]);
      assert.deepEqual(results.map((r) => r.completed).sort(), [false, true], 'one of them completed it');
      assert.deepEqual(results.map((r) => r.queued).sort(), [0, 3], 'and only that one queued the three jobs');
      total += 3;
      assert.equal(await s.push.pendingPushJobs(), total);
      const [rec] = await s.reach.recordsFor([seq]);
      assert.equal(rec.push.targeted, 3);
      assert.equal(rec.push.pending, 3);
      assert.equal(rec.via, results[0].completed ? 'nats' : 'redis');
    }
    const { seq } = await importAlert(s, 'none');
    assert.deepEqual(await s.alerts.completeOutbox(seq, 'published', iso(1), 'nats', { ...fan, regionCodes: ['UA-99'] }), { completed: true, queued: 0 });
    assert.equal((await s.reach.recordsFor([seq]))[0].push.targeted, 0);
  });

  test(`${name}: seqs become visible in commit order while several processes issue at once`, async (t) => {
    const s = await make(t);
    await s.slowOutboxCommits?.();
    const writers = await Promise.all([1, 2, 3, 4].map(() => s.another()));
    const publishers = await Promise.all([1, 2].map(() => s.another()));
    const PER_WRITER = 50;
    let writing = true;
    let publishing = true;
    // Two outbox workers, as two server processes run them: completed rows become replayable (eventsAfter). Each also
    // checks the same promise on pendingOutbox: a page holds every committed, uncompleted row below its highest seq,
    // so a row below the highest seq it has seen that it has never seen is one that committed out of order.
    const late: number[] = [];
    const publish = async (p: AlertStores) => {
      const known = new Set<number>();
      let highest = 0;
      for (;;) {
        const finished = !writing;
        const rows = await p.alerts.pendingOutbox(100);
        for (const row of rows) {
          if (!known.has(row.seq) && row.seq < highest) late.push(row.seq);
          known.add(row.seq);
          highest = Math.max(highest, row.seq);
        }
        for (const row of rows) await p.alerts.completeOutbox(row.seq, 'published', iso(1), 'test');
        if (finished && rows.length === 0) return;
        if (rows.length === 0) await new Promise(setImmediate);
      }
    };
    // Clients replaying with Last-Event-ID: each asks for what is after the highest seq it has seen. Three of them, in
    // processes of their own, so a window where a higher seq is visible before a lower one is not missed by chance.
    const read = async (r: AlertStores) => {
      const seen: number[] = [];
      let last = 0;
      for (;;) {
        const finished = !publishing;
        const page = await r.alerts.eventsAfter(last, 1000);
        for (const e of page) {
          seen.push(e.seq);
          last = Math.max(last, e.seq);
        }
        if (finished && page.length === 0) return seen;
        if (page.length === 0) await new Promise(setImmediate);
      }
    };
    const readers = Promise.all([s, await s.another(), await s.another()].map(read));
    const publishing$ = Promise.all(publishers.map(publish)).finally(() => { publishing = false; });
    const issued = await Promise.all(writers.flatMap((w, wi) => Array.from({ length: PER_WRITER }, (_, i) => importAlert(w, `w${wi}-${i}`, { at: i % 20 }))))
      .finally(() => { writing = false; });
    await publishing$;
    const committed = issued.map((x) => x.seq).sort((x, y) => x - y);
    assert.equal(new Set(committed).size, committed.length);
    for (const seen of await readers) {
      const missed = committed.filter((x) => !seen.includes(x));
      assert.deepEqual(missed, [], `a reader missed ${missed.length} of ${committed.length} events (committed after a higher seq was read)`);
      assert.deepEqual(seen, committed, 'every committed seq exactly once, in order');
    }
    assert.deepEqual(late, [], 'an outbox worker saw rows commit below a seq it had already seen');
  });
}
