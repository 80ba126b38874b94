// Live delivery end to end, over real HTTP: members get a call-up on their SSE stream (durable ids, Last-Event-ID
// replay without loss or duplicates) and by Web Push to a real local HTTPS push service (payload decrypted as a
// browser would); a member's answer changes the operator's live counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSubscription, localPushService, selfSignedCert } from '../alerts-delivery/push-endpoint.ts';
import { SseClient } from '../alerts-delivery/http-helpers.ts';
import { inMinutes, post, seedUnits, startUnitsServer } from './helpers.ts';

const tls = selfSignedCert();

test('a call-up reaches members by SSE and Web Push, and their answers update the operator live', async (t) => {
  if (!tls) return t.skip('openssl is not available to make a test certificate');
  const push = await localPushService(tls);
  t.after(() => push.close());
  const server = await startUnitsServer(t);
  const ids = await seedUnits(server);
  const streams: SseClient[] = [];
  t.after(() => streams.forEach((s) => s.close()));
  const open = async (path: string, headers: Record<string, string> = {}) => {
    const c = await SseClient.open(server.url + path, headers);
    streams.push(c);
    return c;
  };

  // Olena (the warden account) receives call-ups on this device by push, and follows her stream.
  const device = browserSubscription(`${push.service.origin}/push/olena`);
  const sub = await server.request('POST', '/api/callups/push', { token: server.tokens.warden, body: { subscription: { endpoint: device.endpoint, keys: device.keys } } });
  assert.equal(sub.status, 201, sub.text);
  const olena = await open('/api/callups/stream', { authorization: `Bearer ${server.tokens.warden}` });
  assert.equal(olena.status, 200);
  assert.match(olena.headers?.get('content-type') ?? '', /text\/event-stream/);

  const created = await post(server, '/api/callups', { units: [ids.bucha, ids.brovary], message: 'Collapse at school 5', reportTo: 'Depot 1', deadline: inMinutes(90), exercise: true });
  const id = created.id as string;
  await olena.until((c) => c.events().some((e) => e.event === 'callup'));
  const notice = olena.events().find((e) => e.event === 'callup')!;
  const data = JSON.parse(notice.data);
  assert.deepEqual([data.callupId, data.memberId, data.message, data.exercise, data.unitName], [id, ids.olena, 'Collapse at school 5', true, 'Bucha rescue']);
  assert.match(notice.id ?? '', /^\d+$/);

  // Web Push: encrypted for the device, with a TTL until the deadline; an exercise does not wake phones as urgent.
  while (push.service.received.length === 0) await new Promise((r) => setTimeout(r, 20));
  await server.ctx.units!.push!.idle();
  assert.deepEqual(push.service.received.map((r) => r.path), ['/push/olena']);
  const received = push.service.received[0];
  const payload = JSON.parse(device.decrypt(received.body));
  assert.deepEqual([payload.type, payload.callupId, payload.memberId, payload.exercise, payload.message], ['callup', id, ids.olena, true, 'Collapse at school 5']);
  // What the service worker shows: the exercise status marks the title.
  assert.deepEqual([payload.status, payload.title, payload.body], ['Exercise', 'Call-up: Bucha rescue', 'Collapse at school 5 Report to: Depot 1.']);
  assert.equal(received.headers.urgency, 'normal');
  assert.ok(Number(received.headers.ttl) > 60 && Number(received.headers.ttl) <= 90 * 60);
  assert.match(String(received.headers.authorization), /^vapid t=/);

  // Petro follows through his personal link; it shows only his own call-up.
  const petroToken = created.links.find((l: { name: string }) => l.name === 'Petro').token as string;
  const petro = await open(`/api/callups/stream?token=${petroToken}`);
  await petro.until((c) => c.events().some((e) => e.event === 'callup'));
  assert.deepEqual(petro.events().map((e) => JSON.parse(e.data).memberId), [ids.petro]);
  assert.equal((await SseClient.open(`${server.url}/api/callups/stream?token=${'x'.repeat(43)}`)).status, 403, 'a guessed token opens nothing');

  // The operator's live view: a state frame at once, then one after each answer.
  const operator = await open(`/api/callups/${id}/stream`, { authorization: `Bearer ${server.tokens.operator}` });
  const states = () => operator.events().filter((e) => e.event === 'state').map((e) => JSON.parse(e.data));
  await operator.until(() => states().length >= 1);
  assert.deepEqual(states()[0].counts, { coming: 0, unavailable: 0, pending: 3 });
  assert.equal(states()[0].exercise, true);
  const answer = await server.request('POST', `/api/callups/${id}/answers`, { token: server.tokens.warden, body: { answer: 'coming', etaMinutes: 10 } });
  assert.equal(answer.status, 200, answer.text);
  await operator.until(() => states().some((s) => s.counts.coming === 1));
  await server.request('POST', `/api/callups/${id}/answers`, { body: { answer: 'unavailable', reason: 'night shift', token: petroToken } });
  await operator.until(() => states().some((s) => s.counts.unavailable === 1 && s.counts.coming === 1 && s.counts.pending === 1));
  const answerFrames = operator.events().filter((e) => e.event === 'answer').map((e) => JSON.parse(e.data));
  assert.deepEqual(answerFrames.map((a) => [a.memberId, a.answer, a.via]), [[ids.olena, 'coming', 'account'], [ids.petro, 'unavailable', 'link']]);
  assert.equal((await SseClient.open(`${server.url}/api/callups/${id}/stream`, { authorization: `Bearer ${server.tokens.warden}` })).status, 403, 'members do not see the whole call-up');

  // Olena's own answer also reached her stream. She drops off; meanwhile an operator records a changed answer for her
  // and a new call-up goes out. Reconnecting with Last-Event-ID gives exactly those two, once each.
  await olena.until((c) => c.events().some((e) => e.event === 'answer'));
  const seen = olena.events();
  const lastId = seen[seen.length - 1].id!;
  olena.close();
  await server.request('POST', `/api/callups/${id}/answers`, { token: server.tokens.operator, body: { member: ids.olena, answer: 'unavailable', reason: 'car broke down' } });
  const second = await post(server, '/api/callups', { units: [ids.bucha], message: 'Second call-up', deadline: inMinutes(30) });
  const back = await open('/api/callups/stream', { authorization: `Bearer ${server.tokens.warden}`, 'last-event-id': lastId });
  await back.until((c) => c.events().length >= 2);
  await post(server, `/api/callups/${second.id}/cancel`, { reason: 'handled' });
  await back.until((c) => c.events().some((e) => e.event === 'callup-ended'));
  const replayed = back.events();
  assert.deepEqual(replayed.map((e) => [e.event, JSON.parse(e.data).callupId]), [['answer', id], ['callup', second.id], ['callup-ended', second.id]]);
  assert.ok(replayed.every((e) => Number(e.id) > Number(lastId)), 'nothing already seen comes again');
  assert.equal(new Set(replayed.map((e) => e.id)).size, replayed.length, 'no duplicates');
  assert.equal(JSON.parse(replayed[0].data).reason, 'car broke down');

  // The second call-up went by push too (not an exercise: high urgency), then its cancellation under the same topic.
  await server.ctx.units!.push!.idle();
  const [call, cancel] = push.service.received.slice(-2);
  assert.equal(JSON.parse(device.decrypt(call.body)).callupId, second.id);
  assert.equal(call.headers.urgency, 'high');
  const cancelled = JSON.parse(device.decrypt(cancel.body));
  assert.deepEqual([cancelled.type, cancelled.callupId, cancelled.state, cancelled.title], ['callup-ended', second.id, 'cancelled', 'Call-up cancelled']);
  assert.equal(cancel.headers.topic, call.headers.topic, 'a cancellation replaces an undelivered call-up');
});

test('many answers while an operator reconnects: every event exactly once across the two connections', async (t) => {
  const server = await startUnitsServer(t);
  const ids = await seedUnits(server);
  const created = await post(server, '/api/callups', { units: [ids.bucha, ids.brovary], message: 'Storm' });
  const id = created.id as string;
  const first = await SseClient.open(`${server.url}/api/callups/${id}/stream`, { authorization: `Bearer ${server.tokens.operator}` });
  t.after(() => first.close());
  const members = [ids.olena, ids.petro, ids.iryna];
  const send = (i: number) => server.request('POST', `/api/callups/${id}/answers`, { token: server.tokens.operator, body: { member: members[i % 3], answer: i % 2 ? 'coming' : 'unavailable', etaMinutes: i % 2 ? i : null } });
  for (let i = 0; i < 10; i++) await send(i);
  await first.until((c) => c.events().filter((e) => e.event === 'answer').length === 10);
  const before = first.events().filter((e) => e.event === 'answer');
  first.close();
  // Answers keep coming while the operator reconnects from the last id seen.
  const during = Promise.all(Array.from({ length: 10 }, (_, i) => send(10 + i)));
  const second = await SseClient.open(`${server.url}/api/callups/${id}/stream`, { authorization: `Bearer ${server.tokens.operator}`, 'last-event-id': before[before.length - 1].id! });
  t.after(() => second.close());
  await during;
  await second.until((c) => c.events().filter((e) => e.event === 'answer').length >= 10);
  const after = second.events().filter((e) => e.event === 'answer');
  const all = [...before, ...after].map((e) => Number(e.id));
  assert.equal(all.length, 20);
  assert.deepEqual(all, [...all].sort((a, b) => a - b), 'in order');
  assert.equal(new Set(all).size, 20, 'none twice');
  const log = (await server.request('GET', `/api/callups/${id}/answers`, { token: server.tokens.operator })).body.answers;
  assert.equal(log.length, 20);
});
