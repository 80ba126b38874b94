// Web Push: notifications prepared per second (RFC 8291 encryption + VAPID header) and sent per second against a
// local HTTPS push endpoint (self-signed certificate made here).
//
//   node --import tsx bench/alerts-push.ts [--seconds 3] [--send 2000]
//
// Anchor: web-push's own path, which signs a fresh VAPID JWT (ECDSA P-256) for every message; Refuge's PushSender
// caches the header per push-service origin. Printed: both rates and their ratio.
import { parseArgs } from 'node:util';
import webpush from 'web-push';
import { WebPushSender as PushSender } from '../src/adapters/web-push/index.ts';
import { pushOptions, pushPayload } from '../src/alerts/delivery/push/push-message.ts';
import type { AlertEvent } from '../src/alerts/lifecycle/index.ts';
import { browserSubscription, selfSignedCert, TestPushService } from '../test/alerts-delivery/push-endpoint.ts';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, send: { type: 'string', default: '2000' } } });
const seconds = Number(args.seconds);

const event: AlertEvent = {
  seq: 1, id: '7f0c2b8e-4d0a-4c47-9a55-5b1d0f1e2a33', identifier: '7f0c2b8e-4d0a-4c47-9a55-5b1d0f1e2a33', sender: 'alerts@refuge.local',
  sent: new Date().toISOString(), status: 'Actual', exercise: false, msgType: 'Alert', eventType: 'missile', event: 'Missile attack', stage: 'alert',
  urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed', headline: 'Missile attack: take cover now', description: 'Missiles launched.',
  instruction: 'Go to the nearest shelter now and stay there for 10 minutes.', language: 'en',
  regions: [{ code: '5000742', name: 'תל אביב - מרכז העיר', warningTimeS: 90 }], areas: [{ areaDesc: 'תל אביב - מרכז העיר', regionCodes: ['5000742'] }],
  onset: null, expires: new Date(Date.now() + 600_000).toISOString(), replaces: [], references: [], falseAlarm: false,
  signature: 'x'.repeat(88), signatureKeyId: '2FxTZPqeQFyAQOTv', verified: true, capUrl: '/api/alerts/7f0c2b8e-4d0a-4c47-9a55-5b1d0f1e2a33.cap',
};

function rate(label: string, fn: () => void): number {
  for (let i = 0; i < 50; i++) fn(); // warm-up
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 20; i++) fn();
    n += 20;
  }
  const perS = n / ((performance.now() - start) / 1000);
  console.log(`${label}: ${Math.round(perS)} notifications/s`);
  return perS;
}

const tls = selfSignedCert();
if (!tls) throw new Error('openssl is needed to make the test certificate');
const service = await TestPushService.start(tls);
try {
  const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:bench@refuge.local' };
  const subs = Array.from({ length: 64 }, (_, i) => ({ ...browserSubscription(`${service.origin}/push/${i}`), regions: [] as string[] }));
  const payload = pushPayload(event);
  const opts = pushOptions(event, Date.now());
  console.log(`payload ${Buffer.byteLength(payload)} bytes; TTL ${opts.ttl} s, Urgency ${opts.urgency}, Topic ${opts.topic}`);

  const sender = new PushSender(vapid, { agent: service.agent });
  let i = 0;
  const cached = rate('prepare, VAPID header cached (Refuge PushSender)', () => {
    sender.prepare(subs[i++ % subs.length], payload, opts);
  });
  const uncached = rate('prepare, VAPID JWT signed per message (web-push default; anchor)', () => {
    webpush.generateRequestDetails(subs[i++ % subs.length], payload, { vapidDetails: vapid, TTL: opts.ttl, urgency: opts.urgency, topic: opts.topic });
  });
  console.log(`ratio cached / per-message signing: ${(cached / uncached).toFixed(2)}x`);

  // Sending over HTTPS with keep-alive to the local endpoint, 32 in flight.
  const total = Number(args.send);
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const k = next++;
      await sender.send(subs[k % subs.length], payload, opts);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  const sendRate = total / ((performance.now() - t0) / 1000);
  console.log(`send to local HTTPS endpoint (keep-alive, 32 in flight): ${Math.round(sendRate)} notifications/s (${service.received.length} received)`);
  const got = service.received[0];
  const plain = subs[0].decrypt(got.body);
  if (JSON.parse(plain).id !== event.id) throw new Error('decrypted payload does not match');
  console.log(`VAPID signatures made during the run: ${sender.stats.vapidSigned}; cached uses: ${sender.stats.vapidCached}`);
} finally {
  await service.close();
}
