// Issue 10's evidence: PostgreSQL, NATS and real `refuge serve` processes sharing one schema and one data directory.
// An alert issued through one process reaches the SSE clients of all of them exactly once and in id order; a client
// whose process is SIGKILLed reconnects to another with Last-Event-ID and misses nothing and sees nothing twice; a
// status change through one process reaches another's nearest-shelter search within 2 s; alerts issued concurrently
// through two processes arrive once each, in order, and replay from the middle gives exactly the rest; PostgreSQL
// connections cut under a process are replaced by themselves, and while the database is away an alert is refused
// with a clear error, never reported as issued.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SseClient } from '../alerts-delivery/http-helpers.ts';
import { browserSubscription, selfSignedCert, TestPushService } from '../alerts-delivery/push-endpoint.ts';
import { call, cluster, issue, PgProxy, REGION, until, type Served } from './cluster.ts';

const ids = (c: SseClient) => c.events().map((e) => Number(e.id));

async function stream(p: Served, lastEventId?: number): Promise<SseClient> {
  const c = await SseClient.open(`${p.url}/api/alerts/stream?regions=${REGION}`, lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) });
  assert.equal(c.status, 200, `stream on ${p.name}`);
  return c;
}

function strictlyIncreasing(list: number[], what: string): void {
  for (let i = 1; i < list.length; i++) assert.ok(list[i] > list[i - 1], `${what}: ids out of order or repeated: ${list.join(',')}`);
}

/** Nearest shelters (ids) as GET /api/nearest on `p` answers them. */
async function nearest(p: Served): Promise<string[]> {
  const r = await call(p.url, 'GET', '/api/nearest?lat=55.6761&lon=12.5683&k=2');
  assert.equal(r.status, 200, r.text);
  return (r.body.results as Array<{ id: string }>).map((x) => x.id);
}

test('two processes on PostgreSQL + NATS: alerts once everywhere, failover with Last-Event-ID, changes followed', { timeout: 600_000 }, async (t) => {
  // A local HTTPS push service both processes may reach (loopback allowed, its certificate trusted).
  const tls = selfSignedCert();
  assert.ok(tls, 'openssl makes the push service its certificate');
  const push = await TestPushService.start(tls);
  t.after(() => push.close());
  const caDir = mkdtempSync(join(tmpdir(), 'refuge-mp-ca-'));
  t.after(() => rmSync(caDir, { recursive: true, force: true }));
  writeFileSync(join(caDir, 'push.pem'), tls.cert);
  const c = await cluster(t, { REFUGE_PUSH_ALLOW_PRIVATE: '1', REFUGE_PUSH_CA_FILE: join(caDir, 'push.pem') });
  // A reaches PostgreSQL through a proxy the test can cut; B directly.
  const proxy = await PgProxy.start();
  t.after(() => proxy.down());
  let a = await c.serve('A', { databaseUrl: proxy.url });
  const b = await c.serve('B');
  const clients: SseClient[] = [];
  t.after(() => clients.forEach((x) => x.close()));
  const open = async (p: Served, last?: number) => {
    const s = await stream(p, last);
    clients.push(s);
    return s;
  };

  await t.test('(a) an alert issued through A reaches a client of A and a client of B exactly once', async () => {
    const onA = await open(a);
    const onB = await open(b);
    const first = await issue(c, a);
    for (const s of [onA, onB]) await s.until((x) => ids(x).includes(first.seq));
    await new Promise((r) => setTimeout(r, 300)); // room for a duplicate (both processes' outbox workers publish)
    assert.deepEqual(ids(onA), [first.seq]);
    assert.deepEqual(ids(onB), [first.seq]);
    assert.equal(JSON.parse(onB.events()[0].data).id, first.id);
  });

  let lastSeen = 0;
  await t.test('(b) A is SIGKILLed; its client reconnects to B with Last-Event-ID: nothing missed, nothing twice', async () => {
    const onA = clients[0];
    const onB = clients[1];
    const before = ids(onA);
    const last = before[before.length - 1];
    a.child.kill('SIGKILL');
    assert.equal(await a.exited, 'SIGKILL');
    await onA.until((x) => x.closed).catch(() => {});
    // While A is dead: one alert before the client is back, one after (replay, then live).
    const missed = await issue(c, b);
    const moved = await open(b, last);
    const live = await issue(c, b);
    await moved.until((x) => ids(x).includes(live.seq));
    await onB.until((x) => ids(x).includes(live.seq));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(ids(moved), [missed.seq, live.seq], 'the moved client: exactly what it missed, then live, once each');
    assert.deepEqual([...before, ...ids(moved)], ids(onB), 'across both streams the moved client saw what B\'s own client saw');
    strictlyIncreasing(ids(onB), 'B');
    lastSeen = live.seq;
  });

  await t.test('(c) A restarted: a status change through B reaches A\'s nearest-shelter search within 2 s', async () => {
    a = await c.serve('A2', { databaseUrl: proxy.url });
    assert.equal((await nearest(a))[0], c.shelters.near);
    const set = await call(b.url, 'POST', `/api/shelters/${c.shelters.near}/status`, c.tokens.operator, { status: 'closed' });
    assert.equal(set.status, 200, set.text);
    const started = Date.now();
    await until('A no longer offers the closed shelter', async () => !(await nearest(a)).includes(c.shelters.near), 2000);
    t.diagnostic(`status change through B seen by A after ${Date.now() - started} ms`);
    // A restarted process replays from the outbox too: a client of A2 with the last id it had gets nothing old.
    const back = await open(a, lastSeen);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(ids(back), []);
  });

  await t.test('(d) 10 alerts through A and 10 through B at once: once each, in id order, everywhere; replay from the middle', async () => {
    const onA = await open(a, lastSeen);
    const onB = await open(b, lastSeen);
    const issued = await Promise.all(Array.from({ length: 20 }, (_, i) => issue(c, i % 2 ? a : b, i % 2 ? a : b, `Alert ${i}`)));
    const seqs = issued.map((x) => x.seq).sort((x, y) => x - y);
    assert.equal(new Set(seqs).size, 20);
    for (const s of [onA, onB]) await s.until((x) => seqs.every((q) => ids(x).includes(q)));
    await new Promise((r) => setTimeout(r, 500));
    for (const [name, s] of [['A', onA], ['B', onB]] as const) {
      assert.deepEqual(ids(s), seqs, `client of ${name}: each of the 20 once, in id order`);
    }
    const middle = seqs[9];
    for (const p of [a, b]) {
      const again = await open(p, middle);
      await again.until((x) => ids(x).includes(seqs[19]));
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(ids(again), seqs.slice(10), `replay on ${p.name} from the middle`);
    }
    lastSeen = seqs[19];
  });

  await t.test('(e) Web Push: with two processes sending, each alert is pushed to a subscription once', async () => {
    const sub = browserSubscription(`${push.origin}/push/resident`);
    const r = await call(b.url, 'POST', '/api/push/subscribe', undefined, { subscription: { endpoint: sub.endpoint, keys: sub.keys }, regions: [REGION] });
    assert.equal(r.status, 201, r.text);
    const onB = await open(b, lastSeen);
    const issued = await Promise.all(Array.from({ length: 6 }, (_, i) => issue(c, i % 2 ? a : b, i % 2 ? a : b, `Push ${i}`)));
    await until('six pushes', () => push.received.length >= 6, 15_000);
    await onB.until((x) => issued.every((q) => ids(x).includes(q.seq)));
    await new Promise((r) => setTimeout(r, 2500)); // both dispatchers poll: room for a second send
    const got = push.received.map((x) => JSON.parse(sub.decrypt(x.body)).id as string).sort();
    assert.deepEqual(got, issued.map((x) => x.id).sort(), 'each alert pushed exactly once');
    lastSeen = Math.max(...issued.map((x) => x.seq));
  });

  await t.test('A\'s PostgreSQL connections are terminated: it reconnects by itself and keeps serving', async () => {
    const ports = proxy.upstreamPorts();
    assert.ok(ports.length > 0, 'A holds connections through the proxy');
    const killed = await c.admin.query('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE client_port = ANY($1::int[])', [ports]);
    assert.ok(killed.rows[0].n > 0);
    // Queries go through fresh connections...
    const onB = await open(b, lastSeen);
    const next = await until('an alert issued through A again', () => issue(c, a).catch(() => null), 10_000);
    await onB.until((x) => ids(x).includes(next.seq));
    // ...and the change feed listens again (a status change through B reaches A).
    await call(b.url, 'POST', `/api/shelters/${c.shelters.near}/status`, c.tokens.operator, { status: 'open' });
    await until('A offers the reopened shelter', async () => (await nearest(a))[0] === c.shelters.near, 5000);
    lastSeen = next.seq;
  });

  await t.test('while PostgreSQL is away, issuing through A fails with a clear error; A comes back by itself', async () => {
    const draft = await call(a.url, 'POST', '/api/alerts', c.tokens.operator, {
      status: 'Actual', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
      headline: 'Drafted before the outage', description: 'd', instruction: 'i', regions: [REGION], expires: new Date(Date.now() + 30 * 60_000).toISOString(),
    });
    assert.equal(draft.status, 201, draft.text);
    await proxy.down();
    const approve = await call(a.url, 'POST', `/api/alerts/${draft.body.id}/approve`, c.tokens.approver, {});
    assert.ok(approve.status >= 500, `an alert while the database is away is refused, not issued: ${approve.status} ${approve.text}`);
    assert.ok(approve.body && typeof approve.body.title === 'string', `a problem document: ${approve.text}`);
    t.diagnostic(`approve while the database is away: ${approve.status} ${approve.body.code ?? ''} ${approve.body.title}`);
    // Residents still get the nearest shelter from memory.
    const near = await call(a.url, 'GET', '/api/nearest?lat=55.6761&lon=12.5683&k=2');
    t.diagnostic(`nearest while the database is away: ${near.status}`);
    const snapshot = await call(a.url, 'GET', '/api/shelters/snapshot');
    t.diagnostic(`snapshot while the database is away: ${snapshot.status}`);
    // Nothing was committed: the draft is still a draft, approvable once the database is back.
    await proxy.up();
    const later = await until('approval through A once the database is back', async () => {
      const r = await call(a.url, 'POST', `/api/alerts/${draft.body.id}/approve`, c.tokens.approver, {});
      return r.status === 200 ? r.body as { seq: number } : null;
    }, 15_000);
    assert.ok(later.seq > lastSeen);
    lastSeen = later.seq;
  });

  await t.test('a process SIGKILLed right after committing an alert: another process delivers it, once', async () => {
    const doomed = await c.serve('C');
    const onA = await open(a, lastSeen);
    const onB = await open(b, lastSeen);
    const draft = await call(doomed.url, 'POST', '/api/alerts', c.tokens.operator, {
      status: 'Actual', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
      headline: 'Committed, then the process died', description: 'd', instruction: 'i', regions: [REGION], expires: new Date(Date.now() + 30 * 60_000).toISOString(),
    });
    assert.equal(draft.status, 201, draft.text);
    // Killed from outside the moment the approval is acknowledged: C may or may not have delivered it by then.
    const ok = await call(doomed.url, 'POST', `/api/alerts/${draft.body.id}/approve`, c.tokens.approver, {});
    assert.equal(ok.status, 200, ok.text);
    doomed.child.kill('SIGKILL');
    assert.equal(await doomed.exited, 'SIGKILL');
    const row = await c.admin.query(`SELECT seq FROM ${c.schema}.alert_outbox WHERE alert_id = $1`, [draft.body.id]);
    assert.equal(row.rowCount, 1, 'committed before the crash');
    const seq = row.rows[0].seq as number;
    for (const s of [onA, onB]) await s.until((x) => ids(x).includes(seq));
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(ids(onA), [seq]);
    assert.deepEqual(ids(onB), [seq]);
  });

  await t.test('while PostgreSQL is away, residents still get the map and the nearest shelter from memory', async () => {
    // A has answered both before (report counts and attribution read once), as a running server has.
    assert.equal((await call(a.url, 'GET', '/api/nearest?lat=55.6761&lon=12.5683&k=2')).status, 200);
    assert.equal((await call(a.url, 'GET', '/api/shelters/snapshot')).status, 200);
    await proxy.down();
    try {
      const near = await call(a.url, 'GET', '/api/nearest?lat=55.6761&lon=12.5683&k=2');
      assert.equal(near.status, 200, `nearest: ${near.text}`);
      assert.deepEqual(new Set((near.body.results as Array<{ id: string }>).map((r) => r.id)), new Set([c.shelters.near, c.shelters.far]));
      assert.equal(near.body.reportsStale, true, 'the answer says its open-report counts are the last known');
      const snapshot = await call(a.url, 'GET', '/api/shelters/snapshot');
      assert.equal(snapshot.status, 200, `snapshot: ${snapshot.text}`);
      assert.equal(snapshot.body.features.length, 2);
    } finally {
      await proxy.up();
    }
    const after = await until('nearest on A without the stale mark once the database is back', async () => {
      const r = await call(a.url, 'GET', '/api/nearest?lat=55.6761&lon=12.5683&k=2');
      return r.status === 200 && r.body.reportsStale === undefined ? r : null;
    }, 15_000);
    assert.equal(after.body.results.length, 2);
  });
});
