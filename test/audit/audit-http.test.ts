// Staff read the audit log of one record over HTTP (issue 15, "Staff can read the audit log for a record"): each
// change with the fields it changed, newest first; wardens and the public cannot; bad tables are named. Runs on
// PostgreSQL too (npm run test:pg).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers.ts';

test('GET /api/audit/shelters/:id: the shelter\'s changes, newest first, with old and new values', async (t) => {
  const s = await startTestServer(t);
  const op = s.tokens.operator;
  const created = await s.request('POST', '/api/shelters', { token: op, body: { name: 'Rådhuskælderen', lat: 55.6761, lon: 12.5683, capacity: 300, kind: 'basement' } });
  assert.equal(created.status, 201, created.text);
  const id = created.body.id as string;
  const patched = await s.request('PATCH', `/api/shelters/${id}`, { token: op, body: { capacity: 280 }, headers: { 'if-match': '"1"' } });
  assert.equal(patched.status, 200, patched.text);

  const log = await s.request('GET', `/api/audit/shelters/${encodeURIComponent(id)}`, { token: s.tokens.approver });
  assert.equal(log.status, 200, log.text);
  const entries = log.body.entries as Array<{ seq: number; op: string; changes: Record<string, { old: unknown; new: unknown }> }>;
  assert.ok(entries.length >= 2, JSON.stringify(entries).slice(0, 300));
  assert.ok(entries[0].seq > entries[entries.length - 1].seq, 'newest first');
  const capacityChange = entries.find((e) => e.changes.capacity && e.changes.capacity.new === 280);
  assert.ok(capacityChange, 'the capacity edit is there');
  assert.equal(capacityChange!.changes.capacity.old, 300);
  assert.equal(entries[entries.length - 1].op.toLowerCase().startsWith('i'), true, 'the oldest is the insert');

  const one = await s.request('GET', `/api/audit/shelters/${encodeURIComponent(id)}?limit=1`, { token: op });
  assert.equal(one.body.entries.length, 1);
  const older = await s.request('GET', `/api/audit/shelters/${encodeURIComponent(id)}?before=${one.body.entries[0].seq}`, { token: op });
  assert.ok(older.body.entries.every((e: { seq: number }) => e.seq < one.body.entries[0].seq));

  assert.equal((await s.request('GET', `/api/audit/shelters/${encodeURIComponent(id)}`)).status, 401);
  assert.equal((await s.request('GET', `/api/audit/shelters/${encodeURIComponent(id)}`, { token: s.tokens.warden })).status, 403);
  const bad = await s.request('GET', '/api/audit/no_such_table/x', { token: op });
  assert.equal(bad.status, 400, bad.text);
  assert.match(bad.body.detail, /not an audited table/);
});
