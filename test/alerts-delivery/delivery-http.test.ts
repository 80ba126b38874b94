// Delivery figures over HTTP, with two real servers sharing one SQLite file and joined by a real bus (Redis, or NATS),
// real SSE clients on both, and a local HTTPS push service that accepts one subscription and answers 410 for another.
// One operator drafts, a different approver approves; every figure is then checked from both servers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../../src/server/index.ts';
import { alertServices } from '../../src/server/capabilities/alerts-lifecycle.ts';
import { tempDir, TEST_DATABASE_URL } from '../helpers.ts';
import type { SqliteStore } from '../../src/store/sqlite/index.ts';
import type { PostgresStore } from '../../src/store/postgres/index.ts';
import { draftBody, issueAlert, SseClient, startAlertServer, reachable } from './http-helpers.ts';
import { browserSubscription, selfSignedCert, TestPushService } from './push-endpoint.ts';

const tls = selfSignedCert();


const ENV_KEYS = ['REFUGE_ALERT_BUS', 'REFUGE_ALERT_BUS_TOPIC', 'REFUGE_PUSH_ALLOW_PRIVATE', 'REFUGE_PUSH_CA_FILE', 'REFUGE_MQTT_URL', 'REFUGE_MQTT_PREFIX'] as const;

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('HTTP delivery figures: two servers on one database, SSE clients on both, push accepted and 410, every figure', async (t) => {
  if (!tls) return t.skip('openssl is not available to make the push service its certificate');
  const busUrl = (await reachable(6379)) ? 'redis://127.0.0.1:6379' : (await reachable(4222)) ? 'nats://127.0.0.1:4222' : null;
  if (!busUrl) return t.skip('neither Redis (6379) nor NATS (4222) is running: two processes need a bus (.ci/run starts both)');
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  t.after(() => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  const service = await TestPushService.start(tls);
  t.after(() => service.close());
  const caFile = join(tempDir(t), 'push-service.pem');
  writeFileSync(caFile, tls.cert);
  process.env.REFUGE_ALERT_BUS = busUrl;
  process.env.REFUGE_ALERT_BUS_TOPIC = `refuge-test-${randomBytes(6).toString('hex')}`; // other tests on the broker stay apart
  process.env.REFUGE_PUSH_ALLOW_PRIVATE = '1';
  process.env.REFUGE_PUSH_CA_FILE = caFile;
  // Sirens and displays: MQTT too when Mosquitto is running (a prefix of this test's own).
  const mqtt = await reachable(1883);
  if (mqtt) {
    process.env.REFUGE_MQTT_URL = 'mqtt://127.0.0.1:1883';
    process.env.REFUGE_MQTT_PREFIX = `refuge-test-${randomBytes(6).toString('hex')}`;
  } else {
    delete process.env.REFUGE_MQTT_URL;
    t.diagnostic('Mosquitto (1883) is not running: the MQTT figure is checked as not configured');
  }

  const a = await startAlertServer(t);
  // B on A's database: the same SQLite file, or (npm run test:pg) the same PostgreSQL schema and data directory.
  const b = await startServer(a.pgSchema
    ? { databaseUrl: TEST_DATABASE_URL!, pgSchema: a.pgSchema, dataDir: a.ctx.options.dataDir ?? undefined, insecureCookies: true }
    : { dbPath: a.ctx.options.location, insecureCookies: true });
  let bOpen = true;
  t.after(() => (bOpen ? b.close() : undefined));
  const get = (server: { url: string }, path: string, token?: string) =>
    fetch(server.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type') ?? '', body: await r.json() as any }));

  // Residents: two stream clients on server A, one on server B; two push subscriptions.
  const clients = [
    await SseClient.open(`${a.url}/api/alerts/stream?regions=UA-30-1`),
    await SseClient.open(`${a.url}/api/alerts/stream?all=1`),
    await SseClient.open(`${b.url}/api/alerts/stream?regions=UA-30`),
  ];
  const elsewhere = await SseClient.open(`${b.url}/api/alerts/stream?regions=IL-SDEROT`);
  t.after(() => { for (const c of [...clients, elsewhere]) c.close(); });
  for (const c of [...clients, elsewhere]) await c.until((x) => x.text.includes(': connected'));
  service.script.set('/push/gone', [410]);
  for (const name of ['ok', 'gone']) {
    const sub = await a.request('POST', '/api/push/subscribe', { body: { subscription: browserSubscription(`${service.origin}/push/${name}`), regions: ['UA-30-1'] } });
    assert.equal(sub.status, 201, sub.text);
  }

  const draft = await a.request('POST', '/api/alerts', { token: a.tokens.operator, body: draftBody() });
  assert.equal((await get(a, `/api/alerts/${draft.body.id}/delivery`, a.tokens.operator)).body.code, 'ALERT_NOT_DELIVERED', 'a draft has no figures');
  await a.request('POST', `/api/alerts/${draft.body.id}/cancel`, { token: a.tokens.operator });

  const issued = await issueAlert(a, { regions: ['UA-30'] });
  for (const c of clients) await c.until((x) => x.events().some((e) => e.id === String(issued.seq)));
  assert.equal(elsewhere.events().length, 0);

  const path = `/api/alerts/${issued.id}/delivery`;
  // B writes its reach every ~2 s; A answers with its own count live plus B's row.
  const fromA = await until('figures on A', () => get(a, path, a.tokens.operator), (r) => r.status === 200 && r.body.stream.reached === 3 && r.body.push.pending === 0
    && r.body.push.accepted + r.body.push.gone === 2 && (!mqtt || r.body.bus.mqtt.publishedAt !== null));
  const f = fromA.body;
  assert.equal(f.alertId, issued.id);
  assert.equal(f.seq, issued.seq);
  assert.equal(f.expired, false);
  assert.deepEqual(f.stream.processes, 2, 'both servers report');
  assert.deepEqual([f.stream.silentProcesses, f.stream.silentReached], [0, 0]);
  assert.deepEqual(f.push, { ...f.push, targeted: 2, accepted: 1, pending: 0, retrying: 0, failed: 0, expired: 0, gone: 1 });
  assert.deepEqual(service.received.map((r) => r.path).sort(), ['/push/gone', '/push/ok'], 'each subscription got one attempt, from one of the two servers');
  assert.equal(await alertServices(a.ctx).pushStore.countSubscriptions(), 1, 'the 410 subscription is removed');
  assert.equal(f.bus.state, 'published');
  assert.equal(f.bus.via, busUrl.split(':')[0]);
  if (mqtt) {
    assert.equal(f.bus.mqtt.configured, true);
    assert.ok(Date.parse(f.bus.mqtt.publishedAt) >= Date.parse(f.bus.publishedAt), 'MQTT takes it from the bus');
  } else {
    assert.deepEqual(f.bus.mqtt, { configured: false, publishedAt: null });
  }
  // Timing, from the commit of the issue, in order.
  const committed = Date.parse(f.timing.committedAt);
  // issuedAt is CAP's `sent`, in whole seconds (up to 999 ms before the instant), and signing comes before the commit:
  // the commit follows within that second plus the work of issuing (a loaded CI machine takes its time).
  assert.ok(committed >= Date.parse(f.issuedAt) && committed - Date.parse(f.issuedAt) < 5000, `committed ${f.timing.committedAt}, issued ${f.issuedAt}`);
  assert.equal(Date.parse(f.bus.publishedAt) - committed, f.timing.toBusMs);
  assert.equal(Date.parse(f.stream.firstAt) - committed, f.timing.toStreamMs);
  assert.equal(Date.parse(f.push.firstAcceptedAt) - committed, f.timing.toFirstPushMs);
  assert.equal(f.push.firstAcceptedAt, f.push.lastAcceptedAt, 'one push accepted');
  assert.ok(f.timing.toBusMs <= f.timing.toStreamMs, 'on the bus before on a stream');
  for (const k of ['toBusMs', 'toStreamMs', 'toFirstPushMs', 'toLastPushMs']) assert.ok(Number.isInteger(f.timing[k]) && f.timing[k] >= 0 && f.timing[k] < 15_000, `${k}: ${f.timing[k]}`);

  // The other server gives the same figures (its own count live, A's from the table).
  const fromB = await until('figures on B', () => get(b, path, a.tokens.approver), (r) => r.status === 200 && r.body.stream.reached === 3);
  assert.deepEqual({ ...fromB.body.push }, f.push);
  assert.equal(fromB.body.stream.processes, 2);
  assert.equal(fromB.body.bus.publishedAt, f.bus.publishedAt);

  // The staff list carries the same object; the public one carries none.
  const staff = await get(a, '/api/alerts', a.tokens.approver);
  const row = staff.body.alerts.find((x: { id: string }) => x.id === issued.id);
  assert.deepEqual(row.delivery.push, f.push);
  assert.equal(row.delivery.stream.reached, 3);
  assert.equal((await get(a, '/api/alerts')).body.alerts.find((x: { id: string }) => x.id === issued.id).delivery, undefined);

  // Staff only; unknown alerts are a problem document.
  assert.equal((await get(a, path)).status, 401);
  assert.equal((await get(a, path, a.tokens.warden)).status, 403);
  const unknown = await get(a, '/api/alerts/no-such-alert/delivery', a.tokens.operator);
  assert.equal(unknown.status, 404);
  assert.match(unknown.type, /application\/problem\+json/);
  assert.equal(unknown.body.code, 'ALERT_NOT_FOUND');
  assert.equal(unknown.body.field, 'id');
  const spec = await get(a, '/openapi.json');
  assert.ok(spec.body.paths['/api/alerts/{id}/delivery'].get.responses['200'].content['application/json'].schema.properties.push, 'documented in OpenAPI');

  // Server B stops cleanly: its last figures are written on the way out, final, and keep counting.
  await b.close();
  bOpen = false;
  // Per-process rows: no port reads them one by one, so the test asks the database itself (either kind).
  const one = async (sql: string, params: unknown[]): Promise<unknown> => {
    let i = 0;
    if (a.pgSchema) return Object.values((await (a.ctx.store as PostgresStore).pool.query(sql.replace(/\?/g, () => `$${++i}`), params)).rows[0])[0];
    return (a.ctx.store as SqliteStore).db.prepare(sql).pluck().get(...params);
  };
  const rows = Number(await one('SELECT count(*) FROM alert_reach WHERE seq = ?', [issued.seq]));
  assert.equal(rows, 2);
  assert.equal((await get(a, path, a.tokens.operator)).body.stream.reached, 3);
  const final = await one('SELECT final FROM alert_reach WHERE seq = ? AND process_id != ?', [issued.seq, a.ctx.alertDelivery!.processId]);
  assert.ok(final === 1 || final === true, `B wrote its row as final (${String(final)})`);
});
