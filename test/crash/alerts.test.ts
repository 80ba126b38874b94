// SIGKILL from outside while alerts are being approved: every approval answered 200 is issued with its outbox row,
// signed, with its prepared false-alarm cancel; no draft is half issued; and after a restart on the same database
// every issued alert reaches a stream, once, in order, and its outbox row is completed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acknowledged, call, crashDb, loadThenKill, must, prepareStaff, stop } from './harness.ts';
import { draftBody, SseClient } from '../alerts-delivery/http-helpers.ts';

const REGION = 'UA-30-1';

test('SIGKILL during concurrent approvals: acknowledged alerts are issued and delivered after restart, none half issued', async (t) => {
  const db = await crashDb(t);
  const staff = await prepareStaff(db);
  const first = await db.serve();
  const drafts: string[] = [];
  for (let i = 0; i < 60; i += 10) {
    const made = await Promise.all(Array.from({ length: 10 }, (_, k) => must(first.url, 'POST', '/api/alerts', staff.operator, draftBody({ regions: [REGION], headline: `Alert ${i + k}: take cover` }))));
    drafts.push(...made.map((d) => d.id as string));
  }
  const { outcomes, unanswered } = await loadThenKill(first, drafts, (id) => call(first.url, 'POST', `/api/alerts/${id}/approve`, staff.approver, {}), { inFlight: 8, killAfter: 5 });
  const acks = acknowledged(outcomes);
  assert.ok(acks.length >= 5);
  assert.ok(unanswered > 0, 'the kill landed with approvals in flight');
  for (const o of outcomes) if (o.answer) assert.equal(o.answer.status, 200, `${o.key}: ${JSON.stringify(o.answer.body)}`);

  // In the database: an alert is issued exactly when it has its one outbox row, its signature and its prepared cancel.
  const rows = await db.rows<{ id: string; state: string; signature: string | null; outbox: number; cancels: number }>(`SELECT a.id, a.state, a.signature,
    CAST((SELECT COUNT(*) FROM alert_outbox o WHERE o.alert_id = a.id) AS INTEGER) AS outbox,
    CAST((SELECT COUNT(*) FROM alerts c WHERE c.prepared_for = a.id) AS INTEGER) AS cancels FROM alerts a WHERE a.prepared_for IS NULL`);
  assert.equal(rows.length, drafts.length);
  for (const r of rows) {
    if (r.state === 'issued') assert.deepEqual([r.outbox, r.cancels, typeof r.signature], [1, 1, 'string'], `issued ${r.id} is whole`);
    else assert.deepEqual([r.state, r.outbox, r.cancels], ['draft', 0, 0], `unapproved ${r.id} is untouched`);
  }
  const outbox = await db.rows<{ alert_id: string; seq: number; completed_at: string | null }>('SELECT alert_id, CAST(seq AS INTEGER) AS seq, completed_at FROM alert_outbox ORDER BY seq');
  const seqOf = new Map(outbox.map((o) => [o.alert_id, o.seq]));
  for (const a of acks) assert.equal(seqOf.get(a.key), a.body.seq, `acknowledged ${a.key} is committed with the seq it was given`);
  t.diagnostic(`${acks.length} acknowledged, ${outbox.length} issued, ${outbox.filter((o) => o.completed_at === null).length} not yet delivered at the kill, ${unanswered} cut off`);

  // Restarted: a client replaying from the start gets every issued alert once, in commit order.
  const second = await db.serve();
  const client = await SseClient.open(`${second.url}/api/alerts/stream?regions=${REGION}`, { 'last-event-id': '0' });
  t.after(() => client.close());
  await client.until((c) => c.events().length >= outbox.length);
  const seen = client.events().map((e) => ({ seq: Number(e.id), id: JSON.parse(e.data).id as string }));
  assert.deepEqual(seen, outbox.map((o) => ({ seq: o.seq, id: o.alert_id })));
  // A draft the kill cut off can still be approved; it comes after the others.
  const leftover = rows.find((r) => r.state === 'draft');
  if (leftover) {
    const ok = await call(second.url, 'POST', `/api/alerts/${leftover.id}/approve`, staff.approver, {});
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.ok(ok.body.seq > outbox[outbox.length - 1].seq);
    await client.until((c) => c.events().some((e) => Number(e.id) === ok.body.seq));
  }
  client.close();
  await stop(second);
  const pending = await db.rows('SELECT seq FROM alert_outbox WHERE completed_at IS NULL OR outcome <> ?', ['published']);
  assert.deepEqual(pending, [], 'every outbox row was published');
});
