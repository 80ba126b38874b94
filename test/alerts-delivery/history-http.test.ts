// GET /api/alerts/history over real HTTP: every state an alert chain ends in, the region and since filters,
// bad parameters, and nothing staff-only in the answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAlertServer, issueAlert, draftBody, expiresIn } from './http-helpers.ts';
import type { TestServer } from '../helpers.ts';

interface Entry {
  id: string; latestId: string; state: string; active: boolean; headline: string | null; event: string; senderName: string; foreign: boolean;
  regions: Array<{ code: string; name: string }>; sent: string; expires: string | null; endedAt: string | null; durationS: number; exercise: boolean; messages: number;
}

async function history(server: TestServer, query = ''): Promise<{ status: number; body: { since: string; region: string | null; truncated: boolean; alerts: Entry[] }; text: string }> {
  // No token: the history is public.
  const res = await server.request('GET', `/api/alerts/history${query}`);
  return res as never;
}

async function approve(server: TestServer, id: string) {
  const ok = await server.request('POST', `/api/alerts/${id}/approve`, { token: server.tokens.approver, body: {} });
  assert.equal(ok.status, 200, ok.text);
  return ok.body as { id: string };
}

test('public alert history: issued, updated, cancelled, false alarm, expired, exercise; filters; bad parameters', async (t) => {
  const server = await startAlertServer(t);
  const startedAt = Date.now();

  // Expired: a short-lived alert, issued first so its expiry passes while the others are issued.
  const expiring = await issueAlert(server, { headline: 'Short alert', regions: ['IL-SDEROT'], expires: expiresIn(0.15) });

  const plain = await issueAlert(server, { headline: 'Plain alert', regions: ['UA-30-1'] });

  const original = await issueAlert(server, { headline: 'Before update', regions: ['UA-30-2'] });
  const update = await server.request('POST', '/api/alerts', { token: server.tokens.operator, body: draftBody({ msgType: 'Update', references: [original.id], headline: 'After update', regions: ['UA-30-2', 'IL-SDEROT'] }) });
  assert.equal(update.status, 201, update.text);
  await approve(server, update.body.id);

  const cancelled = await issueAlert(server, { headline: 'To be cancelled', regions: ['UA-30'] });
  const cancelDraft = await server.request('POST', `/api/alerts/${cancelled.id}/cancel`, { token: server.tokens.operator, body: { reason: 'threat over' } });
  assert.equal(cancelDraft.status, 201, cancelDraft.text);
  await approve(server, cancelDraft.body.id);

  const falseAlarm = await issueAlert(server, { headline: 'Mistaken alert', regions: ['UA-30-1'] });
  const fa = await server.request('POST', `/api/alerts/${falseAlarm.id}/cancel`, { token: server.tokens.approver, body: { falseAlarm: true } });
  assert.equal(fa.status, 200, fa.text);

  const exercise = await issueAlert(server, { status: 'Exercise', headline: 'Drill', regions: ['IL-SDEROT'] });

  // Wait (bounded by the test's timeout, no timing asserted) until the short alert has expired.
  let all = await history(server);
  while (all.body.alerts.find((a) => a.id === expiring.id)?.state !== 'expired') {
    await new Promise((r) => setTimeout(r, 250));
    all = await history(server);
  }
  assert.equal(all.status, 200, all.text);
  const by = new Map(all.body.alerts.map((a) => [a.id, a]));
  assert.equal(all.body.alerts.length, 6, 'one entry per chain: the Update and the Cancels are not separate entries');

  const e = by.get(expiring.id)!;
  assert.equal(e.active, false);
  assert.equal(e.endedAt, new Date(Date.parse(e.expires!)).toISOString());

  const p = by.get(plain.id)!;
  assert.deepEqual([p.state, p.active, p.endedAt, p.headline, p.latestId, p.messages], ['issued', true, null, 'Plain alert', plain.id, 1]);
  assert.deepEqual(p.regions, [{ code: 'UA-30-1', name: 'Bucha raion' }]);
  assert.equal(p.exercise, false);
  assert.equal(p.foreign, false);
  assert.ok(p.senderName.length > 0);
  assert.ok(p.expires && Date.parse(p.expires) > Date.now());

  const u = by.get(original.id)!;
  assert.deepEqual([u.state, u.active, u.headline, u.latestId, u.messages], ['updated', true, 'After update', update.body.id, 2]);
  assert.deepEqual(u.regions.map((r) => r.code), ['UA-30-2', 'IL-SDEROT']);

  const c = by.get(cancelled.id)!;
  assert.deepEqual([c.state, c.active, c.headline, c.latestId], ['cancelled', false, 'To be cancelled', cancelDraft.body.id]);
  assert.ok(c.endedAt && Date.parse(c.endedAt) >= Date.parse(c.sent));
  assert.equal(c.durationS, Math.round((Date.parse(c.endedAt) - Date.parse(c.sent)) / 1000));

  const f = by.get(falseAlarm.id)!;
  assert.deepEqual([f.state, f.active, f.latestId], ['false-alarm', false, falseAlarm.preparedCancelId]);
  assert.ok(f.endedAt);

  const x = by.get(exercise.id)!;
  assert.equal(x.exercise, true);
  assert.equal(x.state, 'issued');
  assert.match(x.headline ?? '', /Drill/);

  // Newest first.
  const sents = all.body.alerts.map((a) => Date.parse(a.sent));
  assert.deepEqual(sents, [...sents].sort((a, b) => b - a));

  // Nothing staff-only: no drafter or approver, by key or by name (the test users are named after their roles).
  assert.doesNotMatch(all.text, /createdBy|approvedBy|"origin"|\bapprover\b|\boperator\b/);

  // Region: a parent matches its sub-regions; a sub-region does not list its siblings' alerts.
  const oblast = await history(server, '?region=UA-30');
  assert.equal(oblast.status, 200, oblast.text);
  assert.equal(oblast.body.region, 'UA-30');
  assert.deepEqual(new Set(oblast.body.alerts.map((a) => a.id)), new Set([plain.id, original.id, cancelled.id, falseAlarm.id]));
  const bucha = await history(server, '?region=UA-30-1');
  assert.deepEqual(new Set(bucha.body.alerts.map((a) => a.id)), new Set([plain.id, falseAlarm.id]));
  const sderot = await history(server, '?region=IL-SDEROT');
  assert.deepEqual(new Set(sderot.body.alerts.map((a) => a.id)), new Set([expiring.id, original.id, exercise.id]));

  // Since: alerts that ended before it are left out; those still in force stay; the default is 7 days ago.
  assert.ok(Math.abs(Date.parse(all.body.since) - (startedAt - 7 * 86_400_000)) < 600_000);
  const ended = all.body.alerts.filter((a) => a.endedAt !== null).map((a) => Date.parse(a.endedAt!));
  const after = new Date(Math.max(...ended) + 1).toISOString();
  const later = await history(server, `?since=${encodeURIComponent(after)}`);
  assert.equal(later.status, 200, later.text);
  assert.deepEqual(new Set(later.body.alerts.map((a) => a.id)), new Set([plain.id, original.id, exercise.id]));
  const dateOnly = await history(server, '?since=2000-01-01');
  assert.equal(dateOnly.body.alerts.length, 6);

  // Limit: bounded, newest first, and says when there is more.
  const two = await history(server, '?limit=2');
  assert.deepEqual(two.body.alerts.map((a) => a.id), all.body.alerts.slice(0, 2).map((a) => a.id));
  assert.equal(two.body.truncated, true);
  assert.equal(all.body.truncated, false);

  // Bad parameters: 400 naming the field.
  for (const [query, field] of [
    ['?since=yesterday', 'since'], ['?since=2026-13-45T99:00:00Z', 'since'], ['?since=', 'since'],
    ['?region=NOWHERE', 'region'], ['?limit=0', 'querystring.limit'], ['?limit=100000', 'querystring.limit'], ['?sinse=2026-01-01', 'querystring.sinse'],
  ] as const) {
    const bad = await server.request('GET', `/api/alerts/history${query}`);
    assert.equal(bad.status, 400, `${query}: ${bad.text}`);
    assert.ok((bad.body.errors as Array<{ field: string }>).some((er) => er.field === field), `${query} names ${field}: ${bad.text}`);
  }
});
