// Issue 14: approvals push and the "test my alerts" push, over real HTTP against a local push service (HTTPS on
// loopback, RFC 8291 decrypted here as a browser would). Runs on SQLite, and on PostgreSQL with REFUGE_TEST_DATABASE_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAlertServer, draftBody, SseClient } from './http-helpers.ts';
import { browserSubscription, localPushService, selfSignedCert } from './push-endpoint.ts';
import { ROOT, TEST_DATABASE_URL, cliStore, tempDir, type TestServer } from '../helpers.ts';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { capToXml } from '../../src/alerts/index.ts';
import { alertServices } from '../../src/server/capabilities/alerts-lifecycle.ts';
import { startServer, type StartOptions } from '../../src/server/index.ts';
import { reloadRegions } from '../../src/server/capabilities/regions.ts';
import { testRegions } from '../alerts-lifecycle/helpers.ts';

const tls = selfSignedCert();

async function withPush(t: { after: (fn: () => Promise<void> | void) => void; skip: (m: string) => void }) {
  const push = await localPushService(tls!);
  t.after(() => push.close());
  const server: TestServer = await startAlertServer(t);
  return { push, server };
}

/** Waits until `cond` holds; the guard only turns "never" into a failure that says what was seen. */
async function until(cond: () => boolean | Promise<boolean>, what: () => string, guardMs = 30_000): Promise<void> {
  const end = Date.now() + guardMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`did not happen: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('POST /api/push/test sends that one device a TEST notification through Web Push, once a minute, never to anyone else', async (t) => {
  if (!tls) return t.skip('openssl is not available to make a test certificate');
  const { push, server } = await withPush(t);
  const service = push.service;
  const mine = browserSubscription(`${service.origin}/push/mine`);
  const other = browserSubscription(`${service.origin}/push/other`);
  for (const s of [mine, other]) {
    const r = await server.request('POST', '/api/push/subscribe', { body: { subscription: { endpoint: s.endpoint, keys: s.keys }, regions: ['UA-30-1'] } });
    assert.equal(r.status, 201, r.text);
  }

  // An endpoint nobody registered: a clear 404 naming the field, and nothing sent.
  const unknown = await server.request('POST', '/api/push/test', { body: { endpoint: `${service.origin}/push/stranger` } });
  assert.equal(unknown.status, 404, unknown.text);
  assert.equal(unknown.body.code, 'NOT_FOUND');
  assert.match(unknown.body.detail, /not subscribed/);
  assert.equal(service.received.length, 0);

  const ok = await server.request('POST', '/api/push/test', { body: { endpoint: mine.endpoint, nonce: 'n1' } });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual([ok.body.sent, ok.body.nonce, ok.body.pushStatus], [true, 'n1', 201]);
  assert.deepEqual(service.received.map((r) => r.path), ['/push/mine'], 'exactly that endpoint, no other subscriber');
  const got = service.received[0];
  assert.equal(got.headers['content-encoding'], 'aes128gcm');
  assert.match(String(got.headers.authorization), /^vapid t=.+, k=.+$/);
  const payload = JSON.parse(mine.decrypt(got.body));
  assert.equal(payload.kind, 'test');
  assert.equal(payload.status, 'Test');
  assert.equal(payload.exercise, true);
  assert.equal(payload.nonce, 'n1');
  assert.match(payload.headline, /^TEST - /);

  // The same device again at once: refused, with when to try again; nothing sent.
  const again = await server.request('POST', '/api/push/test', { body: { endpoint: mine.endpoint } });
  assert.equal(again.status, 429, again.text);
  assert.equal(again.body.code, 'RATE_LIMITED');
  assert.match(again.body.detail, /this device/i);
  assert.ok(Number(again.headers.get('retry-after')) > 0);
  assert.equal(service.received.length, 1);

  // Per address: this minute's three requests are spent (unknown, sent, refused); a fourth is refused whatever the
  // endpoint, even one that was never tested.
  const fourth = await server.request('POST', '/api/push/test', { body: { endpoint: other.endpoint } });
  assert.equal(fourth.status, 429, fourth.text);
  assert.match(fourth.body.detail, /address/);
  assert.deepEqual(service.received.map((r) => r.path), ['/push/mine']);

  // Never counted as delivery of a real alert: no alert has push figures, no job was queued.
  assert.equal(await server.ctx.store.push.pendingPushJobs(), 0);
  const list = await server.request('GET', '/api/alerts?state=any', { token: server.tokens.operator });
  assert.equal(list.body.alerts.length, 0, 'a test push makes no alert');
});

test('a device whose push service says it is gone: the test says so and the subscription is forgotten', async (t) => {
  if (!tls) return t.skip('openssl is not available to make a test certificate');
  const { push, server } = await withPush(t);
  const gone = browserSubscription(`${push.service.origin}/push/gone`);
  push.service.script.set('/push/gone', [410]);
  // Bad input: a clear 400 naming the field.
  const bad = await server.request('POST', '/api/push/test', { body: {} });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /endpoint/);
  assert.equal((await server.request('POST', '/api/push/subscribe', { body: { subscription: { endpoint: gone.endpoint, keys: gone.keys }, regions: ['UA-30-1'] } })).status, 201);
  const r = await server.request('POST', '/api/push/test', { body: { endpoint: gone.endpoint } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.sent, r.body.gone, r.body.pushStatus], [false, true, 410]);
  assert.match(r.body.reason, /subscribe again/);
  assert.equal(await server.ctx.store.push.countSubscriptions(), 0);
});

test('a draft notifies the approvers\' devices, not the drafter\'s; the payload holds no draft text', async (t) => {
  if (!tls) return t.skip('openssl is not available to make a test certificate');
  const { push, server } = await withPush(t);
  const service = push.service;
  const devices = {
    approver: browserSubscription(`${service.origin}/push/approver`),
    approver2: browserSubscription(`${service.origin}/push/approver2`),
    admin: browserSubscription(`${service.origin}/push/admin`),
  };
  for (const [who, s] of Object.entries(devices)) {
    const r = await server.request('POST', '/api/staff/push/subscribe', { token: server.tokens[who as 'approver'], body: { subscription: { endpoint: s.endpoint, keys: s.keys } } });
    assert.equal(r.status, 201, r.text);
  }
  // Operators cannot approve: no approval notifications for them.
  const op = await server.request('POST', '/api/staff/push/subscribe', { token: server.tokens.operator, body: { subscription: { endpoint: `${service.origin}/push/op`, keys: devices.admin.keys } } });
  assert.equal(op.status, 403);
  const badKeys = await server.request('POST', '/api/staff/push/subscribe', { token: server.tokens.approver, body: { subscription: { endpoint: `${service.origin}/push/x`, keys: { p256dh: 'short', auth: 'x' } } } });
  assert.equal(badKeys.status, 400);
  assert.match(badKeys.text, /p256dh/);
  const mine = await server.request('GET', '/api/staff/push', { token: server.tokens.approver });
  assert.deepEqual(mine.body.endpoints, [devices.approver.endpoint]);

  // approver drafts: approver2 and admin are told, approver is not.
  const draft = await server.request('POST', '/api/alerts', { token: server.tokens.approver, body: draftBody({ headline: 'Secret draft headline' }) });
  assert.equal(draft.status, 201, draft.text);
  await until(() => service.received.length >= 2, () => JSON.stringify(service.received.map((r) => r.path)));
  assert.deepEqual(service.received.map((r) => r.path).sort(), ['/push/admin', '/push/approver2']);
  for (const r of service.received) {
    const who = r.path.split('/').pop() as keyof typeof devices;
    const text = devices[who].decrypt(r.body);
    assert.deepEqual(JSON.parse(text), { kind: 'approval', url: '/console.html#/approvals' });
    assert.doesNotMatch(text, /Secret|approver/);
  }

  // An operator's draft reaches all three; a device that stopped gets nothing more.
  const stop = await server.request('POST', '/api/staff/push/unsubscribe', { token: server.tokens.admin, body: { endpoint: devices.admin.endpoint } });
  assert.deepEqual(stop.body, { removed: true });
  service.received.length = 0;
  assert.equal((await server.request('POST', '/api/alerts', { token: server.tokens.operator, body: draftBody() })).status, 201);
  await until(() => service.received.length >= 2, () => JSON.stringify(service.received.map((r) => r.path)));
  assert.deepEqual(service.received.map((r) => r.path).sort(), ['/push/approver', '/push/approver2']);
});

test('a push service that fails never fails the draft', async (t) => {
  if (!tls) return t.skip('openssl is not available to make a test certificate');
  const { push, server } = await withPush(t);
  const s = browserSubscription(`${push.service.origin}/push/broken`);
  push.service.script.set('/push/broken', [500]);
  assert.equal((await server.request('POST', '/api/staff/push/subscribe', { token: server.tokens.approver, body: { subscription: { endpoint: s.endpoint, keys: s.keys } } })).status, 201);
  const draft = await server.request('POST', '/api/alerts', { token: server.tokens.operator, body: draftBody() });
  assert.equal(draft.status, 201, draft.text);
  await until(() => push.service.received.length >= 1, () => 'no attempt');
  const again = await server.request('POST', '/api/alerts', { token: server.tokens.operator, body: draftBody() });
  assert.equal(again.status, 201, 'the failed push changed nothing for drafting');
});

test('the approvals count: JSON and a live stream, all waiting drafts and those each approver may approve', async (t) => {
  const server = await startAlertServer(t);
  const count = async (who: 'approver' | 'approver2') => (await server.request('GET', '/api/staff/approvals', { token: server.tokens[who] })).body as { waiting: number; forYou: number };
  assert.deepEqual(await count('approver'), { waiting: 0, forYou: 0 });
  assert.equal((await server.request('GET', '/api/staff/approvals', { token: server.tokens.operator })).status, 403, 'operators do not approve');

  const stream = await SseClient.open(`${server.url}/api/staff/approvals/stream`, { authorization: `Bearer ${server.tokens.approver2}` });
  assert.equal(stream.status, 200);
  const last = () => {
    const evs = stream.events().filter((e) => e.event === 'approvals');
    return evs.length ? JSON.stringify(JSON.parse(evs[evs.length - 1].data)) : null;
  };
  await stream.until(() => last() === '{"waiting":0,"forYou":0}');
  const a = await server.request('POST', '/api/alerts', { token: server.tokens.operator, body: draftBody() });
  await stream.until(() => last() === '{"waiting":1,"forYou":1}');
  // approver2's own draft waits, but not for approver2.
  await server.request('POST', '/api/alerts', { token: server.tokens.approver2, body: draftBody() });
  await stream.until(() => last() === '{"waiting":2,"forYou":1}');
  assert.deepEqual(await count('approver'), { waiting: 2, forYou: 2 });
  // Approved: one fewer.
  const ok = await server.request('POST', `/api/alerts/${a.body.id}/approve`, { token: server.tokens.approver2, body: {} });
  assert.equal(ok.status, 200, ok.text);
  await stream.until(() => last() === '{"waiting":1,"forYou":0}');
  stream.close();
});

test('a draft made through another server process shows in the stream of this one', async (t) => {
  const server = await startAlertServer(t);
  const stream = await SseClient.open(`${server.url}/api/staff/approvals/stream`, { authorization: `Bearer ${server.tokens.approver}` });
  const last = () => stream.events().filter((e) => e.event === 'approvals').map((e) => JSON.parse(e.data).waiting as number).pop();
  await stream.until(() => last() === 0);
  // Another process on the same database: a draft written there reaches this process only through the store.
  const other = await startServer({ ...(server.pgSchema ? { databaseUrl: TEST_DATABASE_URL!, pgSchema: server.pgSchema } : { dbPath: server.ctx.options.location }), insecureCookies: true } as StartOptions);
  t.after(() => other.close());
  await reloadRegions(other.ctx, 'test', [...testRegions().list()]);
  const token = await other.ctx.accounts.createApiToken('operator');
  const res = await fetch(`${other.url}/api/alerts`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(draftBody()) });
  assert.equal(res.status, 201, await res.text());
  await stream.until(() => last() === 1);
  stream.close();
});

test('a pending import made by the CLI (no route, another process) notifies the approvers once, even with two servers reading the store', async (t) => {
  if (!tls) return t.skip('openssl is not available to make a test certificate');
  const { push, server } = await withPush(t);
  const service = push.service;
  const devices = { approver: browserSubscription(`${service.origin}/push/approver`), approver2: browserSubscription(`${service.origin}/push/approver2`) };
  for (const [who, s] of Object.entries(devices)) {
    const r = await server.request('POST', '/api/staff/push/subscribe', { token: server.tokens[who as 'approver'], body: { subscription: { endpoint: s.endpoint, keys: s.keys } } });
    assert.equal(r.status, 201, r.text);
  }
  // A second server on the same store: it reads the waiting drafts too, and must not push the same draft again.
  const other = await startServer({ ...(server.pgSchema ? { databaseUrl: TEST_DATABASE_URL!, pgSchema: server.pgSchema } : { dbPath: server.ctx.options.location }), insecureCookies: true } as StartOptions);
  t.after(() => other.close());

  // An untrusted Actual message imported on the host: it waits for approval, made by neither server.
  const now = Date.now();
  const file = join(tempDir(t), 'untrusted.cap');
  writeFileSync(file, capToXml({
    identifier: `ext-${now}`, sender: 'ops@neighbour.example', sent: new Date(now - 1000).toISOString(), status: 'Actual', msgType: 'Alert',
    scope: 'Public', note: null, references: [],
    info: [{
      language: 'uk', category: ['Security'], event: 'Air raid', eventType: 'air-raid', stage: 'alert', urgency: 'Immediate', severity: 'Extreme',
      certainty: 'Observed', headline: 'Повітряна тривога', description: null, instruction: 'Пройдіть в укриття', onset: null,
      expires: new Date(now + 20 * 60_000).toISOString(), senderName: null, web: null,
      areas: [{ areaDesc: 'Kyiv oblast', regionCodes: ['UA-30'], polygons: [] }],
    }],
  }));
  const where = cliStore(server);
  const cli = await promisify(execFile)(process.execPath, [join(ROOT, 'bin', 'refuge.js'), 'import', 'cap', file, '--json', ...where.args], { env: where.env });
  assert.equal(JSON.parse(cli.stdout).pendingApproval, true, cli.stdout);

  // Both approvers' devices get the notice (the importer is cli:<user>, not one of them), with no draft text.
  await until(() => service.received.length >= 2, () => JSON.stringify(service.received.map((r) => r.path)));
  // Both servers have read the draft since (a read awaited here runs after any read in progress): one told, one
  // found it claimed, and still exactly one notice per device.
  const notices = [alertServices(server.ctx).approvalNotices, alertServices(other.ctx).approvalNotices];
  for (const n of notices) await n.poll();
  assert.deepEqual(service.received.map((r) => r.path).sort(), ['/push/approver', '/push/approver2']);
  for (const r of service.received) {
    const text = devices[r.path.split('/').pop() as keyof typeof devices].decrypt(r.body);
    assert.deepEqual(JSON.parse(text), { kind: 'approval', url: '/console.html#/approvals' });
  }
  assert.equal(notices[0].stats.notified + notices[1].stats.notified, 1, 'one process told the approvers');
  assert.equal(notices[0].stats.claimedElsewhere + notices[1].stats.claimedElsewhere, 1, 'the other found the draft claimed');
});

test('a draft written by another process is pushed when new; one first seen long after it was made (a server starting) is left to the badge', async (t) => {
  if (!tls) return t.skip('openssl is not available to make a test certificate');
  const { push, server } = await withPush(t);
  const service = push.service;
  const device = browserSubscription(`${service.origin}/push/approver2`);
  assert.equal((await server.request('POST', '/api/staff/push/subscribe', { token: server.tokens.approver2, body: { subscription: { endpoint: device.endpoint, keys: device.keys } } })).status, 201);
  const made = await server.request('POST', '/api/alerts', { token: server.tokens.operator, body: draftBody() });
  await until(() => service.received.length >= 1, () => 'the first draft\'s notice');
  const notices = alertServices(server.ctx).approvalNotices;
  const template = (await server.ctx.store.alerts.get(made.body.id))!;
  // Written straight to the store, as another process's lifecycle would: this process's lifecycle never saw them.
  const old = { ...template, id: `old-${Date.now()}`, cap: { ...template.cap, identifier: `old-${Date.now()}` }, createdAt: new Date(Date.now() - 11 * 60_000).toISOString() };
  await server.ctx.store.alerts.insertDraft(old);
  await notices.poll();
  assert.equal(notices.stats.tooOld, 1, 'the old draft was seen and left to the badge');
  assert.equal(service.received.length, 1, 'no push for it');
  const fresh = { ...template, id: `new-${Date.now()}`, cap: { ...template.cap, identifier: `new-${Date.now()}` }, createdAt: new Date().toISOString() };
  await server.ctx.store.alerts.insertDraft(fresh);
  await notices.poll();
  assert.equal(service.received.length, 2, 'the new one is pushed');
  await notices.poll();
  assert.equal(service.received.length, 2, 'once');
});

/**
 * Counts the calls of `method` on the real store object the server uses (wrapped in place: the capability holds this
 * very object, so every read in the process goes through the count).
 */
function countCalls<T extends object>(obj: T, method: keyof T & string): { calls: number } {
  const counter = { calls: 0 };
  const real = (obj[method] as (...a: unknown[]) => unknown).bind(obj);
  (obj as Record<string, unknown>)[method] = (...args: unknown[]) => {
    counter.calls++;
    return real(...args);
  };
  return counter;
}

test('one read of the waiting drafts per pass feeds both the badge and the notices; with neither in need, none', async (t) => {
  if (!tls) return t.skip('openssl is not available to make a test certificate');
  const { push, server } = await withPush(t);
  const reads = countCalls(server.ctx.store.approvalsPush, 'waitingDrafts');
  const notices = alertServices(server.ctx).approvalNotices;
  const source = notices.source;
  /** Waits for `n` more passes of the source (timer or kick), whatever their timing. */
  const passes = async (n: number) => {
    const target = source.stats.passes + n;
    await until(() => source.stats.passes >= target, () => `passes ${source.stats.passes} < ${target}`);
  };

  // Nobody follows the badge and no approver has a device: passes go on, the drafts are not read.
  const draft = await server.request('POST', '/api/alerts', { token: server.tokens.operator, body: draftBody() });
  assert.equal(draft.status, 201, draft.text);
  await notices.poll(); // also asks the store afresh whether an approver has a device
  await passes(3);
  assert.equal(reads.calls, 0, 'no read with no consumer');
  assert.equal(source.stats.reads, 0);

  // A console follows the badge and an approver has a device: both served, by one read per pass.
  const device = browserSubscription(`${push.service.origin}/push/approver2`);
  assert.equal((await server.request('POST', '/api/staff/push/subscribe', { token: server.tokens.approver2, body: { subscription: { endpoint: device.endpoint, keys: device.keys } } })).status, 201);
  const stream = await SseClient.open(`${server.url}/api/staff/approvals/stream`, { authorization: `Bearer ${server.tokens.approver}` });
  const last = () => stream.events().filter((e) => e.event === 'approvals').map((e) => JSON.parse(e.data).waiting as number).pop();
  await stream.until(() => last() === 1);
  // Another process's draft (written straight to the store): the badge shows it and the device is told of it.
  const template = (await server.ctx.store.alerts.get(draft.body.id))!;
  await server.ctx.store.alerts.insertDraft({ ...template, id: `elsewhere-${Date.now()}`, cap: { ...template.cap, identifier: `elsewhere-${Date.now()}` }, createdAt: new Date().toISOString() });
  await stream.until(() => last() === 2);
  await until(() => push.service.received.length >= 1, () => 'the notice of the other process\'s draft');
  await passes(2);
  await notices.poll();
  stream.close();
  const watchReads = source.stats.reads;
  assert.ok(watchReads >= 3, `reads went on (${watchReads})`);
  assert.equal(reads.calls, source.stats.reads, 'every store read is the source\'s');
  assert.equal(notices.stats.polls, source.stats.reads, 'the notices were handed every read, and read nothing themselves');
  assert.deepEqual(push.service.received.map((r) => r.path), ['/push/approver2'], 'one notice, for the draft made elsewhere');

  // The device goes and the console closes: reads stop again.
  assert.deepEqual((await server.request('POST', '/api/staff/push/unsubscribe', { token: server.tokens.approver2, body: { endpoint: device.endpoint } })).body, { removed: true });
  await notices.poll();
  // Once the server has seen the console go, a pass finds nobody in need (and drops its last read).
  await until(async () => (await source.kick(), source.latest === null), () => 'a pass with no consumer');
  const before = reads.calls;
  await passes(3);
  assert.equal(reads.calls, before, 'no read once neither needs the drafts');
});
