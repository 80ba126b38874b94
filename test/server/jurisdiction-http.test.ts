// Issue 14: an account's jurisdiction over HTTP and from the shell, on a real server (SQLite, or PostgreSQL with
// REFUGE_TEST_DATABASE_URL): set by an admin only, unknown region codes refused naming the field, returned by
// /api/auth/me and the users list, written to the account log; `refuge admin create-user --jurisdiction` and
// `refuge admin set-jurisdiction` against the same store. Real data: the Ukrainian oblasts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SHARED, cliStore, startTestServer } from '../helpers.ts';
import { parseRegionsGeoJson } from '../../src/geo/index.ts';
import { reloadRegions } from '../../src/server/capabilities/regions.ts';

const OBLASTS = parseRegionsGeoJson(readFileSync(join(SHARED, 'ukraine-oblasts', 'ua_oblasts_simplified.geojson'), 'utf8'), {}, 'ua').regions;
const BIN = join(ROOT, 'bin', 'refuge.js');

test('an admin sets a jurisdiction over HTTP; unknown codes and other roles are refused; /api/auth/me returns it', async (t) => {
  const s = await startTestServer(t);
  await reloadRegions(s.ctx, 'ua', OBLASTS);
  const { admin, operator } = s.tokens;

  // Created with one, sorted and without repeats.
  const made = await s.request('POST', '/api/users', { token: admin, body: { name: 'oksana', role: 'operator', password: 'oksana-first-password', jurisdiction: ['UA-46', 'UA-07', 'UA-46'] } });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual(made.body.jurisdiction, ['UA-07', 'UA-46']);

  // A code that is no region: 400 naming the field and the code; nothing created.
  const unknown = await s.request('POST', '/api/users', { token: admin, body: { name: 'petro', role: 'operator', password: 'petro-first-password', jurisdiction: ['UA-46', 'UA-99'] } });
  assert.equal(unknown.status, 400, unknown.text);
  assert.equal(unknown.body.code, 'INVALID_USER');
  assert.equal(unknown.body.field, 'jurisdiction');
  assert.match(unknown.body.detail, /"UA-99"/);
  assert.equal((await s.request('GET', '/api/users', { token: admin })).body.some((u: { name: string }) => u.name === 'petro'), false);
  const notCodes = await s.request('POST', '/api/users', { token: admin, body: { name: 'petro', role: 'operator', password: 'petro-first-password', jurisdiction: [{ code: 'UA-46' }] } });
  assert.equal(notCodes.status, 400);
  assert.match(notCodes.body.field, /jurisdiction/);

  // Changed by an admin, refused for anyone else, and unchanged by a refused change.
  const set = await s.request('POST', '/api/users/operator/jurisdiction', { token: admin, body: { jurisdiction: ['UA-30'] } });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual(set.body.jurisdiction, ['UA-30']);
  const self = await s.request('POST', '/api/users/operator/jurisdiction', { token: operator, body: { jurisdiction: ['UA-30', 'UA-46'] } });
  assert.equal(self.status, 403);
  const bad = await s.request('POST', '/api/users/operator/jurisdiction', { token: admin, body: { jurisdiction: ['Kyiv'] } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'jurisdiction');
  const empty = await s.request('POST', '/api/users/operator/jurisdiction', { token: admin, body: { jurisdiction: [''] } });
  assert.equal(empty.status, 400);
  const nobody = await s.request('POST', '/api/users/nobody/jurisdiction', { token: admin, body: { jurisdiction: [] } });
  assert.equal(nobody.status, 404);

  const me = await s.request('GET', '/api/auth/me', { token: operator });
  assert.deepEqual(me.body.user, { id: me.body.user.id, name: 'operator', role: 'operator', jurisdiction: ['UA-30'] });
  assert.deepEqual((await s.request('GET', '/api/auth/me', { token: admin })).body.user.jurisdiction, [], 'none: an empty list');
  const listed = (await s.request('GET', '/api/users', { token: admin })).body.find((u: { name: string }) => u.name === 'operator');
  assert.deepEqual(listed.jurisdiction, ['UA-30']);

  const events = (await s.request('GET', '/api/account-events?user=operator', { token: admin })).body.events;
  assert.equal(events[0].action, 'user.jurisdiction-changed');
  assert.deepEqual(events[0].detail, { from: [], to: ['UA-30'] });
  assert.equal(events[0].actor, 'admin');

  // Taken away with an empty list.
  assert.deepEqual((await s.request('POST', '/api/users/operator/jurisdiction', { token: admin, body: { jurisdiction: [] } })).body.jurisdiction, []);

  // The regions API carries each oblast's names in other languages.
  const lviv = (await s.request('GET', '/api/regions', { token: admin })).body.regions.find((r: { code: string }) => r.code === 'UA-46');
  assert.deepEqual(lviv.names, { en: 'Lviv Oblast', uk: 'Львівська область' });
});

test('refuge admin create-user --jurisdiction and set-jurisdiction on the server\'s store', async (t) => {
  const s = await startTestServer(t);
  await reloadRegions(s.ctx, 'ua', OBLASTS);
  const { args, env } = cliStore(s);
  const run = (a: string[], input?: string) => spawnSync(process.execPath, [BIN, 'admin', ...a, ...args], { encoding: 'utf8', cwd: ROOT, env, input });

  const made = run(['create-user', '--name', 'taras', '--role', 'operator', '--password-stdin', '--jurisdiction', 'UA-46, UA-07'], 'taras-long-password\n');
  assert.equal(made.status, 0, made.stderr);
  assert.match(made.stdout, /created operator taras with jurisdiction UA-07,UA-46/);
  assert.deepEqual((await s.ctx.accounts.getUser('taras')).jurisdiction, ['UA-07', 'UA-46']);

  const wrong = run(['create-user', '--name', 'ivan', '--role', 'operator', '--password-stdin', '--jurisdiction', 'UA-46,XX-1'], 'ivan-long-password-1\n');
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /jurisdiction: no region with code "XX-1"/);
  assert.equal(wrong.stderr.trim().split('\n').length, 1, wrong.stderr);
  await assert.rejects(s.ctx.accounts.getUser('ivan'));

  const changed = run(['set-jurisdiction', '--name', 'taras', '--jurisdiction', 'UA-30']);
  assert.equal(changed.status, 0, changed.stderr);
  assert.match(changed.stdout, /taras is responsible for UA-30/);
  assert.deepEqual((await s.ctx.accounts.getUser('taras')).jurisdiction, ['UA-30']);
  assert.match(run(['list-users']).stdout, /^taras\toperator\t\S+\tactive\tUA-30$/m);
  const ev = (await s.ctx.accounts.events({ subject: 'taras' }))[0];
  assert.equal(ev.via, 'cli');
  assert.equal(ev.action, 'user.jurisdiction-changed');

  const both = run(['set-jurisdiction', '--name', 'taras', '--jurisdiction', 'UA-30', '--none']);
  assert.equal(both.status, 1);
  assert.match(both.stderr, /either --jurisdiction .* or --none/);
  const none = run(['set-jurisdiction', '--name', 'taras', '--none']);
  assert.equal(none.status, 0, none.stderr);
  assert.match(none.stdout, /taras has no jurisdiction/);
  assert.deepEqual((await s.ctx.accounts.getUser('taras')).jurisdiction, []);
});
