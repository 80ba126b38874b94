// An event the bus never brought to this process (another process published it while our bus connection was
// down, or between loading the outbox and subscribing at start) must still reach this process's stream clients:
// live clients late rather than never, and a client replaying with Last-Event-ID in its place in the replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { issueAlert, SseClient } from '../alerts-delivery/http-helpers.ts';
import { startTestServer } from '../helpers.ts';
import { testRegions } from '../alerts-lifecycle/helpers.ts';
import { alertServices } from '../../src/server/capabilities/alerts-lifecycle.ts';
import { reloadRegions } from '../../src/server/capabilities/regions.ts';

test('an alert the bus did not bring here reaches live and replaying stream clients from the outbox', { timeout: 30_000 }, async (t) => {
  const s = await startTestServer(t);
  await reloadRegions(s.ctx, 'test', [...testRegions().list()]);
  const first = await issueAlert(s, { regions: ['UA-30'] });
  const live = await SseClient.open(`${s.url}/api/alerts/stream?regions=UA-30`, { 'last-event-id': String(first.seq) });
  t.after(() => live.close());

  // This process stops hearing the bus; the alert is committed and published (for the other processes) all the same.
  const services = alertServices(s.ctx);
  await services.unsubscribeBus();
  const missed = await issueAlert(s, { regions: ['UA-30'], headline: 'Published while this process was not listening' });
  await services.worker.kick();
  const row = await services.outbox.eventsAfter(first.seq, 10);
  assert.deepEqual(row.map((r) => r.seq), [missed.seq], 'published: it is in the outbox as sent');

  const replay = await SseClient.open(`${s.url}/api/alerts/stream?regions=UA-30`, { 'last-event-id': String(first.seq) });
  t.after(() => replay.close());
  for (const c of [replay, live]) await c.until((x) => x.events().some((e) => Number(e.id) === missed.seq));
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(replay.events().map((e) => Number(e.id)), [missed.seq]);
  assert.deepEqual(live.events().map((e) => Number(e.id)), [missed.seq]);
});
