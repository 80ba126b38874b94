import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCapXml, verifyCap, parseCapDocument } from '../../src/alerts/index.ts';
import { alertServices } from '../../src/server/capabilities/alerts-lifecycle.ts';
import { SHARED } from '../helpers.ts';
import { draftBody, expiresIn, issueAlert, SseClient, startAlertServer } from './http-helpers.ts';
import { browserSubscription } from './push-endpoint.ts';

test('HTTP: draft (201 + id), two-person approval, active list, signed CAP document, Atom index', async (t) => {
  const server = await startAlertServer(t);
  const { tokens } = server;
  const anon = await server.request('POST', '/api/alerts', { body: draftBody() });
  assert.equal(anon.status, 401);
  const warden = await server.request('POST', '/api/alerts', { token: tokens.warden, body: draftBody() });
  assert.equal(warden.status, 403);
  const bad = await server.request('POST', '/api/alerts', { token: tokens.operator, body: draftBody({ regions: ['UA-30', 'XX-1'] }) });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'regions[1]');
  assert.match(bad.headers.get('content-type')!, /problem\+json/);

  const draft = await server.request('POST', '/api/alerts', { token: tokens.operator, body: draftBody() });
  assert.equal(draft.status, 201);
  assert.equal(typeof draft.body.id, 'string');
  assert.equal(draft.body.state, 'draft');
  const id = draft.body.id as string;
  assert.equal((await server.request('GET', `/api/alerts/${id}`)).status, 404, 'drafts are not public');
  assert.equal((await server.request('GET', `/api/alerts/${id}`, { token: tokens.approver })).body.state, 'draft');
  assert.equal((await server.request('GET', '/api/alerts?state=draft', { token: tokens.approver })).body.alerts.length, 1);
  assert.equal((await server.request('GET', '/api/alerts?state=draft')).status, 401);

  assert.equal((await server.request('POST', `/api/alerts/${id}/approve`, { token: tokens.operator2, body: {} })).status, 403, 'operators cannot approve');
  const selfDraft = await server.request('POST', '/api/alerts', { token: tokens.approver, body: draftBody() });
  const self = await server.request('POST', `/api/alerts/${selfDraft.body.id}/approve`, { token: tokens.approver, body: {} });
  assert.equal(self.status, 403);
  assert.equal(self.body.code, 'TWO_PERSON_RULE');

  const ok = await server.request('POST', `/api/alerts/${id}/approve`, { token: tokens.approver, body: {} });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.state, 'issued');
  assert.equal(ok.body.issued, true);
  assert.equal(typeof ok.body.seq, 'number');
  assert.equal((await server.request('POST', `/api/alerts/${id}/approve`, { token: tokens.approver2, body: {} })).status, 409);

  const active = await server.request('GET', '/api/alerts?regions=UA-30-1');
  assert.deepEqual(active.body.alerts.map((a: { id: string }) => a.id), [id], 'an oblast alert is active for its raion');
  assert.equal((await server.request('GET', '/api/alerts?regions=IL-SDEROT')).body.alerts.length, 0);
  assert.equal((await server.request('GET', '/api/alerts?lat=50.5&lon=30.5')).body.alerts.length, 1);
  const pub = await server.request('GET', `/api/alerts/${id}`);
  assert.equal(pub.body.createdBy, null, 'operator names are not public');
  assert.equal(pub.body.event.seq, ok.body.seq);

  const cap = await server.request('GET', `/api/alerts/${id}.cap`);
  assert.equal(cap.status, 200);
  assert.match(cap.headers.get('content-type')!, /application\/cap\+xml/);
  validateCapXml(cap.text);
  const doc = parseCapDocument(cap.text);
  assert.equal(doc.hasSignatureElement, true);
  const key = alertServices(server.ctx).signingKey.publicKey;
  assert.equal(verifyCap(cap.text, null, key).valid, true);
  assert.equal(verifyCap(cap.text.replace('Missile attack: take cover now', 'All fine, stay home'), null, key).valid, false, 'tampering breaks the signature');

  const feed = await server.request('GET', '/api/alerts/feed.atom');
  assert.equal(feed.status, 200);
  assert.match(feed.text, new RegExp(`/api/alerts/${id}\\.cap`));
});

test('HTTP: cancel — false alarm with one approval, ordinary cancel needs a second person, drafts are withdrawn', async (t) => {
  const server = await startAlertServer(t);
  const { tokens } = server;
  const a = await issueAlert(server);
  const queue = await server.request('GET', '/api/alerts?state=draft', { token: tokens.approver });
  assert.equal(queue.body.alerts.length, 0, 'the prepared cancel is not in the approval queue');
  const fa = await server.request('POST', `/api/alerts/${a.id}/cancel`, { token: tokens.approver, body: { falseAlarm: true } });
  assert.equal(fa.status, 200);
  assert.equal(fa.body.msgType, 'Cancel');
  assert.equal(fa.body.state, 'issued');
  assert.equal(fa.body.id, a.preparedCancelId);
  assert.equal((await server.request('GET', '/api/alerts')).body.alerts.length, 0);

  const b = await issueAlert(server);
  const c = await server.request('POST', `/api/alerts/${b.id}/cancel`, { token: tokens.operator, body: { reason: 'Threat over' } });
  assert.equal(c.status, 201);
  assert.equal(c.body.needsApproval, true);
  assert.equal((await server.request('GET', '/api/alerts')).body.alerts.length, 1, 'still active until approved');
  assert.equal((await server.request('POST', `/api/alerts/${c.body.id}/approve`, { token: tokens.operator, body: {} })).status, 403);
  assert.equal((await server.request('POST', `/api/alerts/${c.body.id}/approve`, { token: tokens.approver, body: {} })).status, 200);
  assert.equal((await server.request('GET', '/api/alerts')).body.alerts.length, 0);

  const d = await server.request('POST', '/api/alerts', { token: tokens.operator, body: draftBody() });
  const w = await server.request('POST', `/api/alerts/${d.body.id}/cancel`, { token: tokens.operator });
  assert.equal(w.status, 200);
  assert.equal(w.body.state, 'rejected');
});

test('HTTP SSE: events for the regions asked, and a reconnect with Last-Event-ID replays exactly what was missed, once', async (t) => {
  const server = await startAlertServer(t);
  assert.equal((await server.request('GET', '/api/alerts/stream')).status, 400);
  const first = await SseClient.open(`${server.url}/api/alerts/stream?regions=UA-30-1`);
  t.after(() => first.close());
  assert.equal(first.status, 200);
  assert.match(first.headers!.get('content-type')!, /text\/event-stream/);
  await first.until((c) => c.text.includes(': connected'));
  const a1 = await issueAlert(server, { regions: ['UA-30-1'] });
  await first.until((c) => c.events().length === 1);
  assert.equal(first.events()[0].id, String(a1.seq));
  assert.equal(JSON.parse(first.events()[0].data).id, a1.id);
  first.close();

  const a2 = await issueAlert(server, { regions: ['UA-30-2'], headline: 'Elsewhere' });
  const a3 = await issueAlert(server, { regions: ['UA-30'], headline: 'Whole oblast' });
  const a4 = await issueAlert(server, { regions: ['UA-30-1'], headline: 'Here again' });
  // The worker runs right after each commit; make sure all were published before reconnecting.
  await alertServices(server.ctx).worker.kick();

  const back = await SseClient.open(`${server.url}/api/alerts/stream?regions=UA-30-1`, { 'last-event-id': String(a1.seq) });
  t.after(() => back.close());
  await back.until((c) => c.events().length >= 2);
  const a5 = await issueAlert(server, { regions: ['UA-30-1'], headline: 'Live after replay' });
  await back.until((c) => c.events().length >= 3);
  assert.deepEqual(back.events().map((e) => Number(e.id)), [a3.seq, a4.seq, a5.seq], `not a2 (${a2.seq}, elsewhere), nothing twice`);
  // Staff see how many stream clients each alert reached; the public list carries no such figures.
  const staffList = await server.request('GET', '/api/alerts', { token: server.tokens.operator });
  const a5row = staffList.body.alerts.find((a: { id: string }) => a.id === a5.id);
  assert.equal(a5row.delivery.seq, a5.seq);
  assert.equal(a5row.delivery.stream.reached, 1);
  assert.deepEqual([a5row.delivery.push.targeted, a5row.delivery.push.accepted], [0, 0]);
  const a4row = staffList.body.alerts.find((a: { id: string }) => a.id === a4.id);
  assert.equal(a4row.delivery.stream.reached, 1, 'a4 reached the reconnected client by replay');
  assert.equal((await server.request('GET', '/api/alerts')).body.alerts[0].delivery, undefined);

  // ?lat=&lon= resolves the regions at the point; ?all=1 is everything (operator console, broadcasters).
  const point = await SseClient.open(`${server.url}/api/alerts/stream?lat=50.5&lon=31.5&lastEventId=0`);
  t.after(() => point.close());
  await point.until((c) => c.events().length >= 2);
  assert.deepEqual(point.events().map((e) => Number(e.id)), [a2.seq, a3.seq], 'Brovary raion and its oblast');
});

test('HTTP import: shared CAP samples import; DOCTYPE/XXE, schema violations and oversized documents are refused', async (t) => {
  const server = await startAlertServer(t);
  const post = (body: string | Buffer, token = server.tokens.approver) =>
    server.request('POST', '/api/alerts/import', { token, raw: body, headers: { 'content-type': 'application/xml' } });
  const sample = readFileSync(join(SHARED, 'cap', 'samples', 'thunderstorm.cap'));
  assert.equal((await post(sample, server.tokens.operator)).status, 403);
  const ok = await post(sample);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.state, 'imported');
  assert.equal(ok.body.delivered, false, 'the sample expired long ago: kept for the record, never delivered');
  assert.match(ok.body.notDeliveredBecause, /expired/);
  assert.equal((await post(sample)).status, 409, 'the same message twice');
  const xxe = await post(readFileSync(join(SHARED, 'cap', 'samples', 'xee.cap')));
  assert.equal(xxe.status, 400);
  assert.match(xxe.body.code, /CAP_(DOCTYPE|ENTITY)/);
  const invalid = await post(readFileSync(join(SHARED, 'cap', 'samples', 'invalid.cap')));
  assert.ok(invalid.status === 422 || invalid.status === 400, invalid.text);
  assert.ok(invalid.body.field, 'names the element');
  const big = await post(Buffer.concat([sample, Buffer.alloc(300 * 1024, ' ')]));
  assert.equal(big.status, 413);
});

test('HTTP push: the VAPID key is published and subscriptions are stored per region', async (t) => {
  const server = await startAlertServer(t);
  const key = await server.request('GET', '/api/push/vapid-public-key');
  assert.equal(key.status, 200);
  assert.equal(Buffer.from(key.body.publicKey, 'base64url').length, 65);
  const sub = browserSubscription('https://push.example.test/abc');
  const ok = await server.request('POST', '/api/push/subscribe', { body: { subscription: sub, lat: 50.5, lon: 30.5 } });
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual(ok.body.regions.sort(), ['UA-30', 'UA-30-1']);
  const nowhere = await server.request('POST', '/api/push/subscribe', { body: { subscription: sub, lat: 0, lon: 0 } });
  assert.equal(nowhere.status, 400);
  const badKey = await server.request('POST', '/api/push/subscribe', { body: { subscription: { ...sub, keys: { p256dh: 'x', auth: 'y' } }, regions: ['UA-30'] } });
  assert.equal(badKey.status, 400);
  assert.equal(badKey.body.field, 'subscription.keys.p256dh');
  for (const endpoint of ['https://127.0.0.1:8443/x', 'https://localhost/x', 'https://10.1.2.3/x', 'https://[::1]/x', 'https://169.254.169.254/latest']) {
    const internal = await server.request('POST', '/api/push/subscribe', { body: { subscription: browserSubscription(endpoint), regions: ['UA-30'] } });
    assert.equal(internal.status, 400, endpoint);
    assert.equal(internal.body.field, 'subscription.endpoint');
  }
  assert.equal(await alertServices(server.ctx).pushStore.countSubscriptions(), 1);
  assert.ok(expiresIn(1));
});
