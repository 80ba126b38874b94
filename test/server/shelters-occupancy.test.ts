// POST /api/shelters/:id/occupancy over real HTTP on port 0 with a real SQLite file: roles and the warden's own
// shelters, If-Match, warnings about capacity, problem documents naming the field, and the GeoJSON carrying it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers.ts';

async function withShelter(t: Parameters<typeof startTestServer>[0]): Promise<{ s: TestServer; id: string }> {
  const s = await startTestServer(t);
  const created = await s.request('POST', '/api/shelters', { token: s.tokens.operator, body: { name: 'Kongens Nytorv', lat: 55.6805, lon: 12.5857, capacity: 100, status: 'open' } });
  assert.equal(created.status, 201, created.text);
  return { s, id: created.body.id };
}

test('a warden reports the count for their own shelter only; the answer carries it with the ETag', async (t) => {
  const { s, id } = await withShelter(t);
  const notYours = await s.request('POST', `/api/shelters/${id}/occupancy`, { token: s.tokens.warden, body: { occupancy: 12 } });
  assert.equal(notYours.status, 403);
  assert.equal(notYours.body.code, 'NOT_YOUR_SHELTER');
  const approver = await s.request('POST', `/api/shelters/${id}/occupancy`, { token: s.tokens.approver, body: { occupancy: 12 } });
  assert.equal(approver.status, 403);
  assert.equal(approver.body.code, 'ROLE_NOT_ALLOWED');
  const anon = await s.request('POST', `/api/shelters/${id}/occupancy`, { body: { occupancy: 12 } });
  assert.equal(anon.status, 401);
  assert.equal(s.ctx.registry.get(id)!.occupancy, null, 'refused reports changed nothing');

  await s.request('POST', `/api/shelters/${id}/wardens`, { token: s.tokens.operator, body: { user: 'warden' } });
  const ok = await s.request('POST', `/api/shelters/${id}/occupancy`, { token: s.tokens.warden, body: { occupancy: 12 } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.type, 'Feature');
  assert.equal(ok.body.properties.occupancy, 12);
  assert.equal(ok.body.properties.occupancyBy, 'warden');
  assert.ok(Date.now() - Date.parse(ok.body.properties.occupancyAt) < 60_000);
  assert.equal(ok.body.properties.status, 'open', 'the status is left alone');
  assert.deepEqual(ok.body.warnings, []);
  assert.equal(ok.headers.get('etag'), `"${ok.body.properties.version}"`);

  // The map and the details carry it (the web decides when it is stale from occupancyAt).
  const one = await s.request('GET', `/api/shelters/${id}`);
  assert.deepEqual([one.body.properties.occupancy, one.body.properties.occupancyAt], [12, ok.body.properties.occupancyAt]);
  const list = await s.request('GET', '/api/shelters');
  assert.deepEqual([list.body.features[0].properties.occupancy, list.body.features[0].properties.occupancyAt], [12, ok.body.properties.occupancyAt]);
  const mine = await s.request('GET', '/api/wardens/me/shelters', { token: s.tokens.warden });
  assert.equal(mine.body.features[0].properties.occupancy, 12);

  const history = await s.request('GET', `/api/shelters/${id}/history`, { token: s.tokens.operator });
  const last = history.body.at(-1);
  assert.deepEqual([last.action, last.actor, last.changes.occupancy], ['occupancy', 'warden', { old: null, new: 12 }]);
});

test('over capacity is accepted and the answer says so; at capacity the status is not changed but the answer offers it', async (t) => {
  const { s, id } = await withShelter(t);
  const op = s.tokens.operator;
  const at = await s.request('POST', `/api/shelters/${id}/occupancy`, { token: op, body: { occupancy: 100 } });
  assert.equal(at.status, 200, at.text);
  assert.equal(at.body.properties.status, 'open');
  assert.deepEqual(at.body.warnings.map((w: any) => [w.code, w.field]), [['AT_CAPACITY', 'occupancy']]);
  const over = await s.request('POST', `/api/shelters/${id}/occupancy`, { token: op, body: { occupancy: 130 } });
  assert.equal(over.status, 200);
  assert.equal(over.body.properties.occupancy, 130);
  assert.deepEqual(over.body.warnings.map((w: any) => w.code), ['OVER_CAPACITY', 'AT_CAPACITY']);
  const full = await s.request('POST', `/api/shelters/${id}/occupancy`, { token: op, body: { occupancy: 130, status: 'full' } });
  assert.equal(full.body.properties.status, 'full');
  assert.equal(full.body.properties.statusSetBy, 'operator');
  assert.deepEqual(full.body.warnings.map((w: any) => w.code), ['OVER_CAPACITY']);
});

test('If-Match is optional; a stale one gets 409 and changes nothing', async (t) => {
  const { s, id } = await withShelter(t);
  const op = s.tokens.operator;
  const first = await s.request('POST', `/api/shelters/${id}/occupancy`, { token: op, body: { occupancy: 5 }, headers: { 'if-match': '"1"' } });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.headers.get('etag'), '"2"');
  const stale = await s.request('POST', `/api/shelters/${id}/occupancy`, { token: op, body: { occupancy: 9 }, headers: { 'if-match': '"1"' } });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.code, 'VERSION_CONFLICT');
  assert.equal(s.ctx.registry.get(id)!.occupancy, 5);
  const bad = await s.request('POST', `/api/shelters/${id}/occupancy`, { token: op, body: { occupancy: 9 }, headers: { 'if-match': 'yesterday' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'If-Match');
});

test('bad reports are problem documents that name the field', async (t) => {
  const { s, id } = await withShelter(t);
  const op = s.tokens.operator;
  for (const [body, field] of [
    [{ occupancy: -1 }, 'body.occupancy'], [{ occupancy: 1.5 }, 'body.occupancy'], [{ occupancy: '12' }, 'body.occupancy'], [{ occupancy: true }, 'body.occupancy'],
    [{}, 'body.occupancy'], [{ occupancy: 3, status: 'locked' }, 'body.status'], [{ occupancy: 3, note: 'x' }, 'body.note'],
  ] as const) {
    const res = await s.request('POST', `/api/shelters/${id}/occupancy`, { token: op, body });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(res.body.code, 'INVALID_REQUEST');
    assert.equal(res.body.field, field, JSON.stringify(body));
  }
  assert.equal(s.ctx.registry.get(id)!.occupancy, null);
  const none = await s.request('POST', '/api/shelters/nope/occupancy', { token: op, body: { occupancy: 1 } });
  assert.equal(none.status, 404);
  assert.equal(none.body.code, 'SHELTER_NOT_FOUND');
  await s.request('DELETE', `/api/shelters/${id}`, { token: op });
  const gone = await s.request('POST', `/api/shelters/${id}/occupancy`, { token: op, body: { occupancy: 1 } });
  assert.equal(gone.status, 409);
  assert.equal(gone.body.code, 'DECOMMISSIONED');
});

test('OpenAPI documents the route, its roles and the occupancy fields; PATCH cannot set occupancy', async (t) => {
  const { s, id } = await withShelter(t);
  const doc = (await s.request('GET', '/openapi.json')).body;
  const op = doc.paths['/api/shelters/{id}/occupancy'].post;
  assert.deepEqual(op['x-roles'], ['admin', 'operator', 'warden']);
  const body = op.requestBody.content['application/json'].schema;
  assert.deepEqual(body.required, ['occupancy']);
  assert.deepEqual(body.properties.status.enum, ['open', 'full']);
  assert.ok(JSON.stringify(doc).includes('occupancyAt'));
  const patch = await s.request('PATCH', `/api/shelters/${id}`, { token: s.tokens.operator, body: { occupancy: 4 }, headers: { 'if-match': '"1"' } });
  assert.equal(patch.status, 400);
  assert.equal(patch.body.field, 'body.occupancy');
});
