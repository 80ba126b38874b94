// The shelter API over real HTTP on port 0 with a real SQLite file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers.ts';

const base = { name: 'Rådhuskælderen', lat: 55.6761, lon: 12.5683, capacity: 300, kind: 'basement', stepFree: true, amenities: { water: true } };

test('create, read, patch with If-Match, stale 409 changes nothing, history, decommission', async (t) => {
  const s = await startTestServer(t);
  const op = s.tokens.operator;
  const created = await s.request('POST', '/api/shelters', { token: op, body: base });
  assert.equal(created.status, 201, created.text);
  const id = created.body.id;
  assert.equal(created.headers.get('etag'), '"1"');
  assert.equal(created.body.properties.capacity, 300);
  assert.deepEqual(created.body.geometry.coordinates, [12.5683, 55.6761]);

  const patched = await s.request('PATCH', `/api/shelters/${id}`, { token: op, body: { capacity: 280 }, headers: { 'if-match': '"1"' } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.body.properties.version, 2);

  const stale = await s.request('PATCH', `/api/shelters/${id}`, { token: op, body: { capacity: 10 }, headers: { 'if-match': '"1"' } });
  assert.equal(stale.status, 409);
  assert.equal(stale.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(stale.body.code, 'VERSION_CONFLICT');
  const after = await s.request('GET', `/api/shelters/${id}`);
  assert.equal(after.body.properties.capacity, 280, 'a stale change is not applied');
  assert.equal(after.headers.get('etag'), '"2"');

  const noIfMatch = await s.request('PATCH', `/api/shelters/${id}`, { token: op, body: { capacity: 10 } });
  assert.equal(noIfMatch.status, 428);

  const notAssigned = await s.request('POST', `/api/shelters/${id}/status`, { token: s.tokens.warden, body: { status: 'full' } });
  assert.equal(notAssigned.status, 403, 'a warden tends only the shelters assigned to them');
  assert.equal(notAssigned.body.code, 'NOT_YOUR_SHELTER');
  const notWarden = await s.request('POST', `/api/shelters/${id}/wardens`, { token: op, body: { user: 'approver' } });
  assert.equal(notWarden.status, 400);
  const assign = await s.request('POST', `/api/shelters/${id}/wardens`, { token: op, body: { user: 'warden' } });
  assert.deepEqual(assign.body.wardens, ['warden']);
  const mine = await s.request('GET', '/api/wardens/me/shelters', { token: s.tokens.warden });
  assert.deepEqual(mine.body.features.map((f: any) => f.id), [id]);
  const status = await s.request('POST', `/api/shelters/${id}/status`, { token: s.tokens.warden, body: { status: 'full' } });
  assert.equal(status.status, 200, status.text);
  assert.equal(status.body.properties.statusSetBy, 'warden');

  const history = await s.request('GET', `/api/shelters/${id}/history`, { token: op });
  assert.equal(history.status, 200);
  assert.deepEqual(history.body.map((h: any) => [h.version, h.action, h.actor]), [[1, 'create', 'operator'], [2, 'update', 'operator'], [3, 'status', 'warden']]);
  assert.deepEqual(history.body[1].changes.capacity, { old: 300, new: 280 });

  const gone = await s.request('DELETE', `/api/shelters/${id}`, { token: op });
  assert.equal(gone.status, 200);
  assert.ok(gone.body.properties.decommissionedAt);
  const list = await s.request('GET', '/api/shelters');
  assert.equal(list.body.features.length, 0, 'decommissioned shelters are not listed');
  const withOld = await s.request('GET', '/api/shelters?includeDecommissioned=true');
  assert.equal(withOld.body.features.length, 1, 'but never deleted');
});

test('problem documents name the field that is wrong', async (t) => {
  const s = await startTestServer(t);
  const bad = await s.request('POST', '/api/shelters', { token: s.tokens.operator, body: { ...base, capacity: -3 } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'body.capacity');
  const missing = await s.request('POST', '/api/shelters', { token: s.tokens.operator, body: { name: 'x', lat: 1 } });
  assert.equal(missing.body.field, 'body.lon');
  const unknown = await s.request('POST', '/api/shelters', { token: s.tokens.operator, body: { ...base, colour: 'red' } });
  assert.equal(unknown.body.field, 'body.colour');
  const badKind = await s.request('GET', '/api/shelters?status=melted');
  assert.equal(badKind.status, 400);
  assert.equal(badKind.body.field, 'querystring.status');
  const notJson = await s.request('POST', '/api/shelters', { token: s.tokens.operator, raw: '{"name":', headers: { 'content-type': 'application/json' } });
  assert.equal(notJson.status, 400);
  assert.equal(notJson.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  const none = await s.request('GET', '/api/shelters/nope');
  assert.equal(none.status, 404);
  assert.equal(none.body.code, 'SHELTER_NOT_FOUND');
});

test('list filters: bbox, status, minCapacity, stepFree, kind, paging', async (t) => {
  const s = await startTestServer(t);
  const mk = async (over: object) => (await s.request('POST', '/api/shelters', { token: s.tokens.operator, body: { ...base, ...over } })).body.id;
  await mk({ name: 'a', lat: 55.60, lon: 12.50, capacity: 50, stepFree: false, kind: 'basement', status: 'open' });
  await mk({ name: 'b', lat: 55.70, lon: 12.60, capacity: 500, stepFree: true, kind: 'metro-station', status: 'full' });
  await mk({ name: 'c', lat: 31.77, lon: 35.21, capacity: 80, stepFree: true, kind: 'purpose-built', status: 'open' });
  const names = async (q: string) => (await s.request('GET', '/api/shelters' + q)).body.features.map((f: any) => f.properties.name).sort();
  assert.deepEqual(await names('?bbox=12,55,13,56'), ['a', 'b']);
  assert.deepEqual(await names('?status=open'), ['a', 'c']);
  assert.deepEqual(await names('?minCapacity=80'), ['b', 'c']);
  assert.deepEqual(await names('?stepFree=true'), ['b', 'c']);
  assert.deepEqual(await names('?kind=metro-station,basement'), ['a', 'b']);
  assert.deepEqual(await names('?bbox=12,55,13,56&stepFree=true'), ['b']);
  const page1 = await s.request('GET', '/api/shelters?limit=2');
  assert.equal(page1.body.numberMatched, 3);
  assert.equal(page1.body.numberReturned, 2);
  const page2 = await s.request('GET', page1.body.links[0].href);
  assert.equal(page2.body.numberReturned, 1);
  const all = new Set([...page1.body.features, ...page2.body.features].map((f: any) => f.id));
  assert.equal(all.size, 3);
  const badBox = await s.request('GET', '/api/shelters?bbox=13,55,12,56');
  assert.equal(badBox.status, 400);
  assert.equal(badBox.body.field, 'querystring.bbox');
});

test('every mutating route declares its roles, and they are enforced', async (t) => {
  const s = await startTestServer(t);
  const routes: Array<{ method: string; url: string; roles: readonly string[] }> = [];
  const id = (await s.request('POST', '/api/shelters', { token: s.tokens.operator, body: base })).body.id;
  const recorded = s.app.refugeRoutes;
  assert.ok(Array.isArray(recorded) && recorded.length > 10, 'the server records its routes');
  for (const r of recorded) {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)) continue;
    assert.ok(r.roles && r.roles.length > 0, `${r.method} ${r.url} declares roles`);
    routes.push({ method: r.method, url: r.url, roles: r.roles! });
  }
  for (const r of routes) {
    if (r.roles.includes('public')) continue;
    const url = r.url.replace(/:id\b/g, id).replace(/:[a-zA-Z]+/g, 'x');
    const anon = await s.request(r.method, url, { body: {} });
    assert.equal(anon.status, 401, `${r.method} ${r.url} without credentials`);
    const outsider = (['warden', 'approver', 'operator', 'admin'] as const).find((role) => !r.roles.includes(role));
    if (outsider) {
      const res = await s.request(r.method, url, { token: s.tokens[outsider], body: {} });
      assert.equal(res.status, 403, `${r.method} ${r.url} as ${outsider}`);
    }
  }
});

test('a route without a role declaration stops the server from starting', async (t) => {
  const { buildServer } = await import('../../src/server/app.ts');
  const s = await startTestServer(t);
  await assert.rejects(buildServer(s.ctx, { capabilities: [{ name: 'careless', async routes(app) { app.post('/api/oops', async () => 'x'); } }] }), /does not declare config.roles/);
});

test('sessions: login sets an HttpOnly SameSite cookie; bad passwords are refused; cross-site use is refused', async (t) => {
  const s = await startTestServer(t);
  const bad = await s.request('POST', '/api/auth/login', { body: { name: 'operator', password: 'wrong-password-xx' } });
  assert.equal(bad.status, 401);
  const ok = await s.request('POST', '/api/auth/login', { body: { name: 'operator', password: 'operator-password-long' } });
  assert.equal(ok.status, 200);
  const cookie = ok.headers.get('set-cookie')!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const session = cookie.split(';')[0];
  const me = await s.request('GET', '/api/auth/me', { headers: { cookie: session } });
  assert.equal(me.body.user.role, 'operator');
  const created = await s.request('POST', '/api/shelters', { body: base, headers: { cookie: session } });
  assert.equal(created.status, 201);
  const cross = await s.request('POST', '/api/shelters', { body: base, headers: { cookie: session, origin: 'https://evil.example' } });
  assert.equal(cross.status, 403);
  await s.request('POST', '/api/auth/logout', { headers: { cookie: session } });
  const after = await s.request('GET', '/api/auth/me', { headers: { cookie: session } });
  assert.equal(after.body.user, null);
});

test('password guessing is throttled after five failures', async (t) => {
  const s = await startTestServer(t);
  const tries = [];
  for (let i = 0; i < 6; i++) tries.push((await s.request('POST', '/api/auth/login', { body: { name: 'admin', password: `guess-number-${i}` } })).status);
  assert.deepEqual(tries, [401, 401, 401, 401, 401, 429]);
  const right = await s.request('POST', '/api/auth/login', { body: { name: 'admin', password: 'admin-password-long' } });
  assert.equal(right.status, 429, 'even the right password waits out the lock');
  assert.ok(right.body.retryAfter >= 1);
});

test('import over HTTP: a bad file is rejected whole with a report; skipInvalid imports the rest', async (t) => {
  const s = await startTestServer(t);
  const csv = 'id,name,capacity,lat,lon\n1,Good,100,31.77,35.21\n2,Bad,lots,31.78,35.22\n';
  const rejected = await s.request('POST', '/api/shelters/import?source=test', { token: s.tokens.operator, raw: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(rejected.status, 422);
  assert.equal(rejected.body.errors[0].field, 'capacity');
  assert.match(rejected.body.errors[0].reason, /line 3/);
  assert.equal((await s.request('GET', '/api/shelters')).body.features.length, 0, 'nothing was written');
  const skipped = await s.request('POST', '/api/shelters/import?source=test&skipInvalid=true', { token: s.tokens.operator, raw: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(skipped.status, 201);
  assert.equal(skipped.body.imported, 1);
  assert.equal(skipped.body.rejected, 1);
});

test('operations: healthz, metrics, OpenAPI 3.1 and docs', async (t) => {
  const s = await startTestServer(t);
  assert.equal((await s.request('GET', '/healthz')).body.status, 'ok');
  await s.request('GET', '/api/shelters');
  const metrics = await s.request('GET', '/metrics');
  assert.match(metrics.text, /refuge_http_requests_total\{method="GET",route="\/api\/shelters",status="200"\} 1/);
  const doc = await s.request('GET', '/openapi.json');
  assert.equal(doc.body.openapi, '3.1.0');
  assert.ok(doc.body.paths['/api/shelters'].get);
  assert.deepEqual(doc.body.paths['/api/shelters'].post['x-roles'], ['admin', 'operator']);
  const docs = await fetch(s.url + '/docs/');
  assert.equal(docs.status, 200);
});
