// Two admins (or two processes) creating the same account at once: one gets it, the others are told the name is
// taken (409 USER_EXISTS), never a 500 from the database's unique key. Runs on PostgreSQL too (npm run test:pg),
// where the requests really do race inside the database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers.ts';

test('concurrent creations of one account name: one 201, the rest 409 USER_EXISTS', async (t) => {
  const s = await startTestServer(t);
  const answers = await Promise.all(Array.from({ length: 8 }, (_, i) =>
    s.request('POST', '/api/users', { token: s.tokens.admin, body: { name: 'twin', role: 'warden', password: `twin-password-long-${i}` } })));
  const statuses = answers.map((a) => a.status).sort();
  assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409], answers.map((a) => a.text).join('\n'));
  for (const a of answers.filter((x) => x.status === 409)) assert.equal(a.body.code, 'USER_EXISTS');
  const users = await s.request('GET', '/api/users', { token: s.tokens.admin });
  assert.equal(users.body.filter((u: { name: string }) => u.name === 'twin').length, 1);
});
