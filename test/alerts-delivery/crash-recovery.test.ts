// A real `refuge serve` process, SIGKILLed from outside right after it answered that an alert is issued, delivers
// the alert when it is started again: the outbox row survives the crash. The process publishes through Redis behind
// a proxy that stalls just before the approval, so at the kill the alert is certainly committed and not yet
// delivered (no crash hook inside the server). Runs on PostgreSQL too when REFUGE_TEST_DATABASE_URL is set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, crashDb, kill, prepareStaff, stop } from '../crash/harness.ts';
import { StallProxy } from '../crash/stall-proxy.ts';
import { draftBody, SseClient } from './http-helpers.ts';

const REDIS = new URL(process.env.REFUGE_TEST_REDIS ?? 'redis://127.0.0.1:6379');

test('SIGKILL right after an alert is committed: it is delivered after restart', async (t) => {
  const proxy = await StallProxy.start(REDIS.hostname, Number(REDIS.port || 6379));
  if (!proxy) {
    t.skip(`Redis is not reachable at ${REDIS.host}: the test needs a bus it can stall`);
    return;
  }
  t.after(() => proxy.close());
  const db = await crashDb(t);
  const staff = await prepareStaff(db);

  const first = await db.serve({ REFUGE_ALERT_BUS: `redis://127.0.0.1:${proxy.port}`, REFUGE_ALERT_BUS_TOPIC: `refuge:test:crash:${process.pid}:${Date.now()}` });
  const draft = await call(first.url, 'POST', '/api/alerts', staff.operator, draftBody({ regions: ['UA-30-1'] }));
  assert.equal(draft.status, 201);
  const id = draft.body.id as string;
  proxy.stall();
  const approval = await call(first.url, 'POST', `/api/alerts/${id}/approve`, staff.approver, {});
  assert.equal(approval.status, 200, JSON.stringify(approval.body));
  await kill(first);

  // Committed (the operator was told "issued", so it must be), not delivered (the bus never answered).
  const [row] = await db.rows<{ state: string; seq: number; completed_at: string | null }>(
    'SELECT a.state, CAST(o.seq AS INTEGER) AS seq, o.completed_at FROM alerts a JOIN alert_outbox o ON o.alert_id = a.id WHERE a.id = ?', [id]);
  assert.equal(row.state, 'issued');
  assert.equal(row.seq, approval.body.seq);
  assert.equal(row.completed_at, null, 'the kill came before delivery');

  const second = await db.serve();
  const client = await SseClient.open(`${second.url}/api/alerts/stream?regions=UA-30-1`, { 'last-event-id': '0' });
  t.after(() => client.close());
  await client.until((c) => c.events().length >= 1);
  const events = client.events();
  assert.equal(events.length, 1);
  assert.equal(Number(events[0].id), row.seq);
  assert.equal(JSON.parse(events[0].data).id, id);
  const active = await call(second.url, 'GET', '/api/alerts?regions=UA-30-1');
  assert.deepEqual(active.body.alerts.map((a: { id: string }) => a.id), [id]);
  client.close();
  await stop(second);
  const [done] = await db.rows<{ outcome: string }>('SELECT outcome FROM alert_outbox WHERE alert_id = ?', [id]);
  assert.equal(done.outcome, 'published');
});
