// Assigning and releasing wardens over real HTTP: the warden list operators pick from, DELETE to release, and roles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers.ts';

test('operators list wardens, assign one, and release them with DELETE; others are refused', async (t) => {
  const s = await startTestServer(t);
  const id = (await s.ctx.registry.create({ name: 'Bunker W', lat: 55.68, lon: 12.57, capacity: 10 }, 'seed')).id;
  const op = s.tokens.operator;

  const list = await s.request('GET', '/api/wardens', { token: op });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.wardens, [{ name: 'warden', shelters: 0 }], 'only warden accounts are offered');
  for (const who of ['approver', 'warden'] as const) assert.equal((await s.request('GET', '/api/wardens', { token: s.tokens[who] })).status, 403, who);
  assert.equal((await s.request('GET', '/api/wardens')).status, 401);

  assert.equal((await s.request('POST', `/api/shelters/${id}/wardens`, { token: op, body: { user: 'warden' } })).status, 200);
  assert.deepEqual((await s.request('GET', '/api/wardens', { token: op })).body.wardens, [{ name: 'warden', shelters: 1 }]);
  assert.equal((await s.request('GET', '/api/wardens/me/shelters', { token: s.tokens.warden })).body.features.length, 1);

  // Only admins and operators release; a warden cannot release themselves or others.
  assert.equal((await s.request('DELETE', `/api/shelters/${id}/wardens/warden`, { token: s.tokens.warden })).status, 403);
  assert.equal((await s.request('DELETE', `/api/shelters/${id}/wardens/warden`, { token: s.tokens.approver })).status, 403);
  const released = await s.request('DELETE', `/api/shelters/${id}/wardens/warden`, { token: op });
  assert.equal(released.status, 200, released.text);
  assert.deepEqual(released.body.wardens, []);
  assert.deepEqual((await s.request('GET', `/api/shelters/${id}/wardens`, { token: op })).body.wardens, []);
  assert.equal((await s.request('GET', '/api/wardens/me/shelters', { token: s.tokens.warden })).body.features.length, 0);

  // Releasing someone not assigned, or on an unknown shelter, is a clear 404.
  const again = await s.request('DELETE', `/api/shelters/${id}/wardens/warden`, { token: op });
  assert.equal(again.status, 404);
  assert.match(JSON.stringify(again.body), /params\.name/);
  assert.equal((await s.request('DELETE', '/api/shelters/nope/wardens/warden', { token: s.tokens.admin })).status, 404);
});
