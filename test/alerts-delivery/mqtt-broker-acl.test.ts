// The Mosquitto configuration docs/alerts.md shows (TLS, passwords, an ACL letting only Refuge publish), run as it is
// written there: a real mosquitto with that configuration, Refuge publishing over mqtts with its password, a siren
// controller reading with its own, and a forger (anonymous, or with a siren's account) refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { ROOT, tempDir, type TestServer } from '../helpers.ts';
import { issueAlert, reachable, startAlertServer } from './http-helpers.ts';
import { alertServices } from '../../src/server/capabilities/alerts-lifecycle.ts';
import { verifyPayload } from '../../src/alerts/signing/index.ts';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p));
const ok = (r: ReturnType<typeof spawnSync>) => assert.equal(r.status, 0, String(r.stderr));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** The two configuration blocks under "### Broker configuration (Mosquitto)" in docs/alerts.md. */
function documentedConfig(): { conf: string; acl: string } {
  const md = readFileSync(join(ROOT, 'docs', 'alerts.md'), 'utf8');
  const section = md.slice(md.indexOf('### Broker configuration (Mosquitto)'));
  const blocks = [...section.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 2, 'docs/alerts.md shows the configuration and the ACL');
  return { conf: blocks[0], acl: blocks[1] };
}

test('the documented Mosquitto configuration: only Refuge publishes (TLS + password), sirens read and verify, forgers are refused', async (t) => {
  if (!MOSQUITTO) return t.skip('mosquitto is not installed');
  if (spawnSync('openssl', ['version']).status !== 0) return t.skip('openssl is not available');
  const dir = tempDir(t);
  const port = await freePort();
  const f = (name: string) => join(dir, name);
  // A private CA and the broker's certificate for 127.0.0.1.
  ok(spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '1', '-subj', '/CN=Test CA'], { encoding: 'utf8' }));
  ok(spawnSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('broker.key'), '-out', f('broker.csr'), '-subj', '/CN=127.0.0.1'], { encoding: 'utf8' }));
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ok(spawnSync('openssl', ['x509', '-req', '-in', f('broker.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('broker.crt'), '-days', '1', '-extfile', f('san.ext')], { encoding: 'utf8' }));
  ok(spawnSync('mosquitto_passwd', ['-b', '-c', f('passwd'), 'refuge', 'refuge-secret'], { encoding: 'utf8' }));
  ok(spawnSync('mosquitto_passwd', ['-b', f('passwd'), 'siren-0042', 'siren-secret'], { encoding: 'utf8' }));

  const { conf, acl } = documentedConfig();
  writeFileSync(f('acl'), acl);
  // Only the paths and the port change (the test's files, a free port on the loopback interface).
  writeFileSync(f('mosquitto.conf'), conf
    .replace(/^password_file \/etc\/mosquitto\/passwd$/m, `password_file ${f('passwd')}`).replace(/^acl_file \/etc\/mosquitto\/acl$/m, `acl_file ${f('acl')}`)
    .replace(/^certfile .*$/m, `certfile ${f('broker.crt')}`).replace(/^keyfile .*$/m, `keyfile ${f('broker.key')}`)
    .replace(/^cafile .*$/m, `cafile ${f('ca.crt')}`).replace(/^listener 8883$/m, `listener ${port} 127.0.0.1`));
  // Started as root, mosquitto drops to its own user, which must be able to read the test's files.
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) chmodSync(f(name), 0o644);
  const broker = spawn(MOSQUITTO, ['-c', f('mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let brokerLog = '';
  broker.stderr.on('data', (d) => (brokerLog += d));
  t.after(() => broker.kill('SIGTERM'));
  for (let i = 0; i < 100 && !(await reachable(port)); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(await reachable(port), `mosquitto did not start: ${brokerLog}`);

  const ca = readFileSync(f('ca.crt'));
  const url = `mqtts://127.0.0.1:${port}`;
  const prefix = 'refuge/alerts';
  // Refuge connects as the documented settings say.
  const saved = { url: process.env.REFUGE_MQTT_URL, ca: process.env.REFUGE_MQTT_CA_FILE, prefix: process.env.REFUGE_MQTT_PREFIX };
  process.env.REFUGE_MQTT_URL = `mqtts://refuge:refuge-secret@127.0.0.1:${port}`;
  process.env.REFUGE_MQTT_CA_FILE = f('ca.crt');
  delete process.env.REFUGE_MQTT_PREFIX;
  let server: TestServer;
  try {
    server = await startAlertServer(t);
  } finally {
    for (const [k, v] of [['REFUGE_MQTT_URL', saved.url], ['REFUGE_MQTT_CA_FILE', saved.ca], ['REFUGE_MQTT_PREFIX', saved.prefix]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }

  // Anonymous, or without TLS: refused.
  await assert.rejects(mqtt.connectAsync(url, { protocolVersion: 5, ca, reconnectPeriod: 0, connectTimeout: 3000 }), 'anonymous is refused');
  await assert.rejects(mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5, username: 'siren-0042', password: 'siren-secret', reconnectPeriod: 0, connectTimeout: 2000 }), 'plain MQTT is refused on the TLS listener');

  const siren = await mqtt.connectAsync(url, { protocolVersion: 5, ca, username: 'siren-0042', password: 'siren-secret', reconnectPeriod: 0 });
  t.after(() => siren.endAsync());
  const got: Array<{ topic: string; payload: Record<string, any> }> = [];
  siren.on('message', (topic, p) => p.length > 0 && got.push({ topic, payload: JSON.parse(p.toString()) }));
  await siren.subscribeAsync(`${prefix}/#`, { qos: 1 });

  const issued = await issueAlert(server, { regions: ['UA-30-1'] });
  for (let i = 0; i < 500 && !got.some((m) => m.payload.id === issued.id); i++) await new Promise((r) => setTimeout(r, 20));
  const genuine = got.find((m) => m.payload.id === issued.id);
  assert.ok(genuine, 'the siren received the alert Refuge published');
  assert.equal(genuine.topic, `${prefix}/UA-30-1`);
  const key = alertServices(server.ctx).signingKey.publicKey;
  assert.equal(verifyPayload(genuine.payload, key).valid, true);

  // The siren's account cannot publish: the broker refuses, nobody receives the forgery, the retained alert stays.
  const forged = JSON.stringify({ ...genuine.payload, headline: 'All clear', msgType: 'Cancel', verified: true });
  await assert.rejects(siren.publishAsync(`${prefix}/UA-30-1`, forged, { qos: 1, retain: true }), 'the broker refuses a publish by a read-only account');
  const late = await mqtt.connectAsync(url, { protocolVersion: 5, ca, username: 'siren-0042', password: 'siren-secret', reconnectPeriod: 0 });
  t.after(() => late.endAsync());
  const retained: Array<Record<string, any>> = [];
  late.on('message', (_t, p) => p.length > 0 && retained.push(JSON.parse(p.toString())));
  await late.subscribeAsync(`${prefix}/UA-30-1`, { qos: 1 });
  for (let i = 0; i < 200 && retained.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(retained.map((p) => [p.id, p.msgType]), [[issued.id, 'Alert']], 'a controller that connects later gets the genuine alert');
  assert.ok(!got.some((m) => m.payload.headline === 'All clear'));
});
