// A server that still loads what it serves says so: /healthz is 503 and /readyz names what it waits for; without a
// built web app, / explains how to build it instead of a bare 404.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestServer, tempDir } from '../helpers.ts';

test('/healthz answers 503 until what the server waits for is loaded; /readyz names it', async (t) => {
  const s = await startTestServer(t, { waitFor: ['demo data'] });
  for (const path of ['/healthz', '/readyz']) {
    const r = await s.request('GET', path);
    assert.equal(r.status, 503, path);
    assert.deepEqual(r.body.waitingFor, ['demo data']);
    assert.equal(r.body.status, 'starting');
    assert.ok(Number(r.headers.get('retry-after')) > 0);
  }
  s.ctx.readiness.done('demo data');
  const ok = await s.request('GET', '/healthz');
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.waitingFor, []);
  assert.equal((await s.request('GET', '/readyz')).status, 200);
});

test('without a built web app, / says how to build it (503, plain text) and the API still works', async (t) => {
  const s = await startTestServer(t, { webRoot: join(tempDir(t), 'no-dist') });
  const r = await s.request('GET', '/');
  assert.equal(r.status, 503);
  assert.match(r.text, /web app has not been built/);
  assert.match(r.text, /npm run build:web/);
  assert.equal((await s.request('GET', '/api/shelters')).status, 200);
});
