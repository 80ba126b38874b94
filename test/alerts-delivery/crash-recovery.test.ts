// A real `refuge serve` process, killed with SIGKILL right after an alert is committed (before any delivery),
// delivers the alert when it is started again: the outbox row survives the crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { Accounts } from '../../src/accounts/index.ts';
import { ROOT, tempDir } from '../helpers.ts';
import { testRegions } from '../alerts-lifecycle/helpers.ts';
import { draftBody, SseClient } from './http-helpers.ts';

function serve(dbPath: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; exited: Promise<NodeJS.Signals | number | null> }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'refuge.js'), 'serve', '--db', dbPath, '--port', '0'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving .* on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1], exited });
    });
    child.on('exit', (code, signal) => reject(new Error(`refuge serve exited (${signal ?? code}) before listening:\n${out}\n${err}`)));
  });
}

test('SIGKILL right after an alert is committed: it is delivered after restart', async (t) => {
  const dir = tempDir(t);
  const dbPath = join(dir, 'refuge.db');
  // Accounts and regions, prepared the way `refuge admin` and `refuge import regions` would.
  const store = openSqliteStore(dbPath);
  const accounts = new Accounts(store.accounts);
  await accounts.createUser('olena', 'operator', 'olena-password-long');
  await accounts.createUser('mykola', 'approver', 'mykola-password-long');
  const operator = await accounts.createApiToken('olena');
  const approver = await accounts.createApiToken('mykola');
  await store.regions.replaceSource('test', [...testRegions().list()]);
  await store.close();

  const first = await serve(dbPath, { REFUGE_TEST_CRASH_AFTER_COMMIT: '1' });
  t.after(() => first.child.kill('SIGKILL'));
  const post = (url: string, path: string, token: string, body: unknown) =>
    fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const draft = await post(first.url, '/api/alerts', operator, draftBody({ regions: ['UA-30-1'] }));
  assert.equal(draft.status, 201);
  const { id } = (await draft.json()) as { id: string };
  const approval = await post(first.url, `/api/alerts/${id}/approve`, approver, {}).then((r) => r.status, (e: Error) => e);
  assert.ok(approval instanceof Error, `the operator is not told "issued" by a process that died (got ${approval})`);
  assert.equal(await first.exited, 'SIGKILL');

  // Committed, not delivered.
  const after = openSqliteStore(dbPath);
  const row = after.db.prepare('SELECT a.state, o.seq, o.completed_at FROM alerts a JOIN alert_outbox o ON o.alert_id = a.id WHERE a.id = ?').get(id) as { state: string; seq: number; completed_at: string | null };
  await after.close();
  assert.equal(row.state, 'issued');
  assert.equal(row.completed_at, null, 'the crash came before delivery');

  const second = await serve(dbPath);
  t.after(() => second.child.kill('SIGKILL'));
  const client = await SseClient.open(`${second.url}/api/alerts/stream?regions=UA-30-1`, { 'last-event-id': '0' });
  t.after(() => client.close());
  await client.until((c) => c.events().length >= 1);
  const events = client.events();
  assert.equal(events.length, 1);
  assert.equal(Number(events[0].id), row.seq);
  assert.equal(JSON.parse(events[0].data).id, id);
  const active = (await (await fetch(`${second.url}/api/alerts?regions=UA-30-1`)).json()) as { alerts: Array<{ id: string }> };
  assert.deepEqual(active.alerts.map((a) => a.id), [id]);
  client.close();
  second.child.kill('SIGTERM');
  await second.exited;
  const final = openSqliteStore(dbPath);
  const done = final.db.prepare('SELECT completed_at, outcome FROM alert_outbox WHERE seq = ?').get(row.seq) as { completed_at: string | null; outcome: string };
  await final.close();
  assert.equal(done.outcome, 'published');
});
