// Readiness regimes over HTTP: who, when and why; sub-regions inherit unless set; history; two-person approval for
// the levels configured to need it; display names configurable, identifiers fixed; role checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setEnv } from '../alerts-delivery/push-endpoint.ts';
import { startUnitsServer } from './helpers.ts';

test('sub-regions inherit the nearest setting; history keeps who, when and why', async (t) => {
  const server = await startUnitsServer(t);
  const get = async (code: string) => (await server.request('GET', `/api/regimes/${code}`)).body;
  assert.deepEqual([(await get('UA-30-1')).level, (await get('UA-30-1')).setIn], ['everyday', null]);

  const set = await server.request('PUT', '/api/regimes/UA-30', { token: server.tokens.operator, body: { level: 'heightened', reason: 'massing troops' } });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.body.change.state, 'in-force');
  const raion = await get('UA-30-1');
  assert.deepEqual([raion.level, raion.setIn, raion.inherited, raion.name], ['heightened', 'UA-30', true, 'Heightened readiness']);
  assert.equal((await get('IL-SDEROT')).level, 'everyday', 'other regions are untouched');

  await server.request('PUT', '/api/regimes/UA-30-2', { token: server.tokens.admin, body: { level: 'emergency', reason: 'dam breach' } });
  assert.deepEqual([(await get('UA-30-2')).level, (await get('UA-30-2')).inherited], ['emergency', false], 'a sub-region set itself keeps its own');
  await server.request('PUT', '/api/regimes/UA-30', { token: server.tokens.operator, body: { level: 'everyday', reason: 'stood down' } });
  assert.equal((await get('UA-30-1')).level, 'everyday');
  assert.equal((await get('UA-30-2')).level, 'emergency');

  const history = await server.request('GET', '/api/regimes/UA-30/history', { token: server.tokens.approver });
  assert.deepEqual(history.body.history.map((c: { level: string; state: string; requestedBy: string; reason: string }) => [c.level, c.state, c.requestedBy, c.reason]), [
    ['everyday', 'in-force', 'operator', 'stood down'], ['heightened', 'superseded', 'operator', 'massing troops'],
  ]);
  assert.ok(history.body.history.every((c: { requestedAt: string }) => !Number.isNaN(Date.parse(c.requestedAt))));
  const publicHistory = await server.request('GET', '/api/regimes/UA-30/history');
  assert.equal(publicHistory.status, 200);
  assert.equal(publicHistory.body.history[0].requestedBy, '', 'the public sees the change, not the staff account');
  const all = await server.request('GET', '/api/regimes');
  assert.deepEqual(all.body.regions.map((r: { regionCode: string; level: string }) => [r.regionCode, r.level]).sort(), [['IL-SDEROT', 'everyday'], ['UA-30', 'everyday'], ['UA-30-1', 'everyday'], ['UA-30-2', 'emergency']]);

  // Role checks and bad input.
  for (const who of ['warden', 'approver', null] as const) {
    const r = await server.request('PUT', '/api/regimes/UA-30', { token: who ? server.tokens[who] : undefined, body: { level: 'emergency', reason: 'x' } });
    assert.equal(r.status, who ? 403 : 401);
  }
  const badLevel = await server.request('PUT', '/api/regimes/UA-30', { token: server.tokens.operator, body: { level: 'panic', reason: 'x' } });
  assert.deepEqual([badLevel.status, badLevel.body.field], [400, 'body.level']);
  const noReason = await server.request('PUT', '/api/regimes/UA-30', { token: server.tokens.operator, body: { level: 'emergency' } });
  assert.deepEqual([noReason.status, noReason.body.field], [400, 'body.reason']);
  const unknown = await server.request('PUT', '/api/regimes/NOWHERE', { token: server.tokens.operator, body: { level: 'emergency', reason: 'x' } });
  assert.deepEqual([unknown.status, unknown.body.field], [404, 'params.regionCode']);
  assert.equal((await get('UA-30')).level, 'everyday', 'refused changes changed nothing');
});

test('levels configured for two-person approval wait for a different approver; names are configurable', async (t) => {
  const restore = setEnv({ REFUGE_REGIME_APPROVAL: 'martial-law,emergency', REFUGE_REGIME_NAMES: 'martial-law=Воєнний стан' });
  t.after(restore);
  const server = await startUnitsServer(t);
  const levels = (await server.request('GET', '/api/regimes/levels')).body.levels;
  assert.deepEqual(levels.map((l: { level: string; approvalRequired: boolean }) => [l.level, l.approvalRequired]), [['everyday', false], ['heightened', false], ['emergency', true], ['martial-law', true]]);
  assert.equal(levels[3].name, 'Воєнний стан');

  const asked = await server.request('PUT', '/api/regimes/UA-30', { token: server.tokens.operator, body: { level: 'martial-law', reason: 'invasion' } });
  assert.equal(asked.status, 202, asked.text);
  assert.equal(asked.body.change.state, 'pending');
  assert.equal(asked.body.effective.level, 'everyday', 'not in force before approval');
  assert.equal(asked.body.effective.pending.id, asked.body.change.id);
  const changeId = asked.body.change.id as string;
  const pending = await server.request('GET', '/api/regimes/pending', { token: server.tokens.approver });
  assert.deepEqual(pending.body.changes.map((c: { id: string }) => c.id), [changeId]);

  assert.equal((await server.request('POST', `/api/regimes/changes/${changeId}/approve`, { token: server.tokens.operator, body: {} })).status, 403, 'operators do not approve');
  assert.equal((await server.request('POST', `/api/regimes/changes/${changeId}/approve`, { token: server.tokens.warden, body: {} })).status, 403);
  const ok = await server.request('POST', `/api/regimes/changes/${changeId}/approve`, { token: server.tokens.approver, body: {} });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual([ok.body.change.state, ok.body.change.decidedBy, ok.body.effective.level, ok.body.effective.name], ['in-force', 'approver', 'martial-law', 'Воєнний стан']);
  assert.equal((await server.request('GET', '/api/regimes/UA-30-1')).body.level, 'martial-law', 'inherited once approved');
  assert.equal((await server.request('POST', `/api/regimes/changes/${changeId}/reject`, { token: server.tokens.approver2, body: {} })).status, 409, 'decided once');

  // An admin who asked cannot approve their own change; a rejected one never takes force.
  const own = await server.request('PUT', '/api/regimes/UA-30-2', { token: server.tokens.admin, body: { level: 'emergency', reason: 'flood' } });
  const self = await server.request('POST', `/api/regimes/changes/${own.body.change.id}/approve`, { token: server.tokens.admin, body: {} });
  assert.deepEqual([self.status, self.body.code], [403, 'SAME_PERSON']);
  const rejected = await server.request('POST', `/api/regimes/changes/${own.body.change.id}/reject`, { token: server.tokens.approver, body: {} });
  assert.equal(rejected.body.change.state, 'rejected');
  assert.equal((await server.request('GET', '/api/regimes/UA-30-2')).body.level, 'martial-law', 'still inherited from UA-30');
  // Levels without approval take force at once.
  const quick = await server.request('PUT', '/api/regimes/UA-30-2', { token: server.tokens.operator, body: { level: 'heightened', reason: 'lower here' } });
  assert.equal(quick.status, 200);
  const history = (await server.request('GET', '/api/regimes/UA-30-2/history', { token: server.tokens.operator })).body.history;
  assert.deepEqual(history.map((c: { level: string; state: string; decidedBy: string | null }) => [c.level, c.state, c.decidedBy]), [['heightened', 'in-force', 'operator'], ['emergency', 'rejected', 'approver']]);
});
