// The push egress guard: private and reserved addresses are refused at connect time, whatever the name said when
// the subscription was stored. Real DNS resolution of names that resolve locally, and a real HTTPS request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import { guardedLookup, privateAddressReason } from '../../src/adapters/web-push/egress-guard.ts';

test('private, loopback, link-local, CGNAT, multicast and mapped addresses are refused; public ones pass', () => {
  for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fd00::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::192.168.0.1']) {
    assert.ok(privateAddressReason(ip), `${ip} is refused`);
  }
  for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '142.250.74.110', '2a00:1450:4001:82a::200a', '::ffff:8.8.4.4']) {
    assert.equal(privateAddressReason(ip), null, `${ip} passes`);
  }
});

test('a host name that resolves to loopback is refused when connecting, with the name and address in the error', async () => {
  const lookup = guardedLookup(false);
  const err = await new Promise<Error | null>((resolve) => lookup('localhost', { all: false }, (e) => resolve(e)));
  assert.ok(err);
  assert.match(err!.message, /push endpoint host localhost resolves to a refused address: (127\.0\.0\.1|::1) is a private or reserved address/);
  // Through an HTTPS agent, as the push sender uses it: the request fails before any byte is sent.
  const agent = new Agent({ lookup: guardedLookup(false) as never });
  const failed = await new Promise<Error>((resolve) => {
    const req = request('https://localhost:9/', { agent }, () => resolve(new Error('connected')));
    req.on('error', resolve);
    req.end();
  });
  agent.destroy();
  assert.equal((failed as { code?: string }).code, 'EREFUGE_PRIVATE_ADDRESS');
});

test('allowPrivate (local testing) resolves loopback as usual, one address or all', async () => {
  const lookup = guardedLookup(true);
  const one = await new Promise<[Error | null, unknown]>((resolve) => lookup('localhost', { all: false }, (e, a) => resolve([e, a])));
  assert.equal(one[0], null);
  assert.match(String(one[1]), /^(127\.0\.0\.1|::1)$/);
  const all = await new Promise<[Error | null, unknown]>((resolve) => lookup('localhost', { all: true }, (e, a) => resolve([e, a])));
  assert.ok(Array.isArray(all[1]) && all[1].length >= 1);
});

test('the push sender with the server\'s agent: a push service on a private address gets nothing; allowed for local testing, it is delivered', async (t) => {
  const { selfSignedCert, TestPushService, browserSubscription } = await import('../alerts-delivery/push-endpoint.ts');
  const { WebPushSender, createPushAgent, generateVapidKeys } = await import('../../src/adapters/web-push/index.ts');
  const tls = selfSignedCert();
  if (!tls) return t.skip('openssl is needed to make a test certificate');
  const service = await TestPushService.start(tls);
  t.after(() => service.close());
  const vapid = { ...generateVapidKeys(), subject: 'mailto:alerts@refuge.test' };
  // The endpoint names a host ("localhost") that resolves to loopback: the name passes a literal check, the address does not.
  const browser = browserSubscription(service.origin.replace('127.0.0.1', 'localhost') + '/push/a');
  const sub = { endpoint: browser.endpoint, keys: browser.keys, regions: ['T-1'] };
  const msg = { ttl: 60, urgency: 'high' as const, topic: 'refuge-test' };

  const guarded = createPushAgent({ ca: tls.cert });
  t.after(() => guarded.destroy());
  const refused = await new WebPushSender(vapid, { agent: guarded }).send(sub, '{"test":1}', msg).then(() => null, (e: Error & { code?: string }) => e);
  assert.equal(refused?.code, 'EREFUGE_PRIVATE_ADDRESS', String(refused));
  assert.equal(service.received.length, 0, 'nothing reached the private address');

  const open = createPushAgent({ ca: tls.cert, allowPrivate: true });
  t.after(() => open.destroy());
  assert.equal(await new WebPushSender(vapid, { agent: open }).send(sub, '{"test":1}', msg), 201);
  assert.equal(service.received.length, 1);
  assert.equal(JSON.parse(browser.decrypt(service.received[0].body)).test, 1);
});
