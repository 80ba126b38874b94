// Issue 14: an operator with a jurisdiction drafts alerts and Updates only for regions inside it (a region is inside
// when it or a parent is listed); cancels are not limited; accounts without one are not limited. Real server, the
// store the suite selects (SQLite, or PostgreSQL with REFUGE_TEST_DATABASE_URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { draftBody, issueAlert, startAlertServer } from './http-helpers.ts';

test('a draft for regions outside the drafter\'s jurisdiction is refused (403 OUTSIDE_JURISDICTION naming them); inside, a sub-region, and no jurisdiction pass', async (t) => {
  const s = await startAlertServer(t);
  const { admin, operator, approver } = s.tokens;
  // Issued before the operator gets a jurisdiction: Sderot, which will be outside it.
  const sderot = await issueAlert(s, { regions: ['IL-SDEROT'] });

  const set = await s.request('POST', '/api/users/operator/jurisdiction', { token: admin, body: { jurisdiction: ['UA-30-1'] } });
  assert.equal(set.status, 200, set.text);

  const outside = await s.request('POST', '/api/alerts', { token: operator, body: draftBody({ regions: ['UA-30-1', 'UA-30-2', 'IL-SDEROT'] }) });
  assert.equal(outside.status, 403, outside.text);
  assert.equal(outside.body.code, 'OUTSIDE_JURISDICTION');
  assert.equal(outside.body.field, 'regions');
  assert.match(outside.body.detail, /UA-30-2, IL-SDEROT/);
  const parent = await s.request('POST', '/api/alerts', { token: operator, body: draftBody({ regions: ['UA-30'] }) });
  assert.equal(parent.status, 403, 'the parent of a region in the jurisdiction is not inside it');
  const update = await s.request('POST', '/api/alerts', { token: operator, body: draftBody({ msgType: 'Update', references: [sderot.id], regions: ['IL-SDEROT'] }) });
  assert.equal(update.status, 403, 'an Update outside the jurisdiction is refused too');
  assert.deepEqual((await s.request('GET', '/api/alerts?state=draft', { token: approver })).body.alerts, [], 'nothing was written');

  const inside = await s.request('POST', '/api/alerts', { token: operator, body: draftBody({ regions: ['UA-30-1'] }) });
  assert.equal(inside.status, 201, inside.text);
  // Ending an alert is not limited: the operator may start the cancel of Sderot's alert (a second person approves it).
  const cancel = await s.request('POST', `/api/alerts/${sderot.id}/cancel`, { token: operator, body: {} });
  assert.ok(cancel.status === 201 || cancel.status === 202, cancel.text);

  await s.request('POST', '/api/users/operator/jurisdiction', { token: admin, body: { jurisdiction: ['UA-30'] } });
  const child = await s.request('POST', '/api/alerts', { token: operator, body: draftBody({ regions: ['UA-30-2'] }) });
  assert.equal(child.status, 201, 'a sub-region of the jurisdiction is inside it');

  await s.request('POST', '/api/users/operator/jurisdiction', { token: admin, body: { jurisdiction: [] } });
  const anywhere = await s.request('POST', '/api/alerts', { token: operator, body: draftBody({ regions: ['IL-SDEROT'] }) });
  assert.equal(anywhere.status, 201, 'without a jurisdiction an operator is not limited');
});
