// Resident reports over real HTTP: public filing, staff-only queue, role checks, problem documents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../index.ts';

let server: RunningServer;
let dir: string;
let shelterId: string;
const tokens: Record<string, string> = {};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'refuge-reports-http-'));
  server = await startServer({ dbPath: join(dir, 'r.db'), port: 0 });
  shelterId = (await server.ctx.registry.create({ name: 'Metro shelter', lat: 55.68, lon: 12.58, capacity: 300, status: 'open' }, 'seed')).id;
  for (const [name, role] of [['op', 'operator'], ['ap', 'approver'], ['wa', 'warden']] as const) {
    await server.ctx.accounts.createUser(name, role, `${name}-password-123`);
    tokens[name] = await server.ctx.accounts.createApiToken(name);
  }
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, who?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (who) headers.authorization = `Bearer ${tokens[who]}`;
  const res = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, any> };
}

test('anyone can report; staff see it in the queue; a warden confirms and the shelter becomes locked', async () => {
  const filed = await call('POST', '/api/reports', { shelterId, kind: 'locked', note: 'chain on the door' });
  assert.equal(filed.status, 201);
  assert.equal(filed.body.report.state, 'open');
  assert.equal('reporterKey' in filed.body.report, false);
  const again = await call('POST', '/api/reports', { shelterId, kind: 'locked' });
  assert.equal(again.status, 200);
  assert.equal(again.body.created, false);

  assert.equal((await call('GET', '/api/reports')).status, 401);
  const queue = await call('GET', '/api/reports', undefined, 'ap');
  assert.equal(queue.status, 200);
  assert.equal(queue.body.queue[0].shelterId, shelterId);
  assert.equal(queue.body.queue[0].reports[0].note, 'chain on the door');

  assert.equal((await call('POST', `/api/reports/${filed.body.report.id}/confirm`, {}, 'ap')).status, 403, 'approvers do not edit the registry');
  const notHis = await call('POST', `/api/reports/${filed.body.report.id}/confirm`, {}, 'wa');
  assert.equal(notHis.status, 403, 'a warden decides only for the shelters assigned to them');
  assert.equal(notHis.body.code, 'NOT_YOUR_SHELTER');
  await server.ctx.registry.setWarden(shelterId, 'wa', true, 'op');
  const confirmed = await call('POST', `/api/reports/${filed.body.report.id}/confirm`, {}, 'wa');
  assert.equal(confirmed.status, 200);
  assert.equal(confirmed.body.shelter.status, 'locked');
  assert.equal(server.ctx.registry.get(shelterId)?.status, 'locked');
  const shelter = await (await fetch(`${server.url}/api/shelters/${shelterId}`)).json() as { properties: { status: string; statusSetBy: string } };
  assert.equal(shelter.properties.status, 'locked');
  assert.equal(shelter.properties.statusSetBy, 'wa');

  const twice = await call('POST', `/api/reports/${filed.body.report.id}/confirm`, {}, 'wa');
  assert.equal(twice.status, 409);
  assert.match(twice.type, /application\/problem\+json/);
});

test('a dismissed report leaves the shelter alone', async () => {
  const filed = await call('POST', '/api/reports', { shelterId, kind: 'missing' });
  const before = server.ctx.registry.get(shelterId)!.version;
  const dismissed = await call('POST', `/api/reports/${filed.body.report.id}/dismiss`, {}, 'op');
  assert.equal(dismissed.status, 200);
  assert.equal(dismissed.body.report.state, 'dismissed');
  assert.equal(server.ctx.registry.get(shelterId)!.version, before);
});

test('bad reports are problem documents naming the field', async () => {
  const noKind = await call('POST', '/api/reports', { shelterId });
  assert.equal(noKind.status, 400);
  assert.match(noKind.type, /application\/problem\+json/);
  assert.equal(noKind.body.field, 'body.kind');
  const badKind = await call('POST', '/api/reports', { shelterId, kind: 'haunted' });
  assert.equal(badKind.status, 400);
  const unknown = await call('POST', '/api/reports', { shelterId: 'no-such-shelter', kind: 'closed' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.field, 'body.shelterId');
  const missing = await call('POST', '/api/reports/nope/dismiss', {}, 'op');
  assert.equal(missing.status, 404);
});
