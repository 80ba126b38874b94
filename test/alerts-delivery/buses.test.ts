// The NATS and Redis buses against the real local servers, and the MQTT publisher against Mosquitto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { NatsBus } from '../../src/adapters/alert-bus/nats-bus.ts';
import { RedisBus } from '../../src/adapters/alert-bus/redis-bus.ts';
import { MqttPublisher } from '../../src/adapters/alert-bus/mqtt-publisher.ts';
import { SseHub, type AlertBus } from '../../src/alerts/delivery/index.ts';
import type { AlertEvent } from '../../src/alerts/lifecycle/index.ts';
import { regionDirectory, testRegions } from '../alerts-lifecycle/helpers.ts';
import { MemorySink } from './sse-parse.ts';
import { reachable } from './http-helpers.ts';


let counter = 0;
function event(seq: number, regions: string[], expiresInMs = 60_000): AlertEvent {
  return {
    seq, id: `bus-test-${process.pid}-${++counter}`, identifier: `bus-test-${counter}`, sender: 'alerts@refuge.test', sent: new Date().toISOString(),
    status: 'Exercise', exercise: true, msgType: 'Alert', eventType: 'drone', event: 'Hostile drone', stage: 'alert',
    urgency: 'Immediate', severity: 'Severe', certainty: 'Observed', headline: 'EXERCISE - drone', description: null, instruction: null,
    language: 'en', regions: regions.map((code) => ({ code, name: code, warningTimeS: 60 })), areas: [{ areaDesc: regions.join(', '), regionCodes: regions }],
    onset: null, expires: new Date(Date.now() + expiresInMs).toISOString(), replaces: [], references: [], falseAlarm: false,
    signature: null, signatureKeyId: null, verified: false, capUrl: '/api/alerts/x.cap',
  };
}

/** Two processes' worth of buses on one broker: what one publishes, the other's hub delivers, once. */
async function crossBus(publisher: AlertBus, subscriber: AlertBus) {
  const hub = new SseHub({ regions: regionDirectory(testRegions()) });
  const got: AlertEvent[] = [];
  const unsub = await subscriber.subscribe((e) => {
    got.push(e);
    hub.accept(e);
  });
  const sink = new MemorySink();
  hub.connect(sink, ['UA-30-1'], null);
  const base = Date.now() * 10; // unique seqs per run: other runs may share the broker
  await publisher.publish(event(base + 1, ['UA-30']));
  await publisher.publish(event(base + 2, ['IL-SDEROT']));
  await publisher.publish(event(base + 1, ['UA-30'])); // a re-publish after a crash
  for (let i = 0; i < 200 && got.filter((e) => e.seq >= base).length < 3; i++) await new Promise((r) => setTimeout(r, 10));
  hub.close();
  await unsub();
  return { mine: got.filter((e) => e.seq >= base), frames: sink.events(), base };
}

test('NATS bus carries events between processes; the hub drops the duplicate', async (t) => {
  if (!(await reachable(4222))) return t.skip('NATS is not reachable on 127.0.0.1:4222');
  const a = await NatsBus.connect('nats://127.0.0.1:4222', `refuge.test.${process.pid}`);
  const b = await NatsBus.connect('nats://127.0.0.1:4222', `refuge.test.${process.pid}`);
  try {
    const { mine, frames, base } = await crossBus(a, b);
    assert.equal(mine.length, 3, 'at-least-once: the broker delivers all three');
    assert.deepEqual(frames.map((f) => Number(f.id)), [base + 1], 'the client gets its region\'s event once');
  } finally {
    await a.close();
    await b.close();
    await NatsBus.deleteStream('nats://127.0.0.1:4222', `refuge.test.${process.pid}`); // the JetStream stream of this test's subject
  }
});

test('Redis bus carries events between processes; the hub drops the duplicate', async (t) => {
  if (!(await reachable(6379))) return t.skip('Redis is not reachable on 127.0.0.1:6379');
  const a = await RedisBus.connect('redis://127.0.0.1:6379', `refuge:test:${process.pid}`);
  const b = await RedisBus.connect('redis://127.0.0.1:6379', `refuge:test:${process.pid}`);
  try {
    const { mine, frames, base } = await crossBus(a, b);
    assert.equal(mine.length, 3);
    assert.deepEqual(frames.map((f) => Number(f.id)), [base + 1]);
  } finally {
    await a.close();
    await b.close();
  }
});

test('MQTT: one retained topic per region with an expiry; expired events are not published', async (t) => {
  if (!(await reachable(1883))) return t.skip('MQTT broker is not reachable on 127.0.0.1:1883');
  const prefix = `refuge-test/${process.pid}-${Date.now()}`;
  const pub = await MqttPublisher.connect('mqtt://127.0.0.1:1883', prefix);
  const siren = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
  try {
    const e = event(1, ['UA-30-1', 'UA-30-2']);
    await pub.publish(e);
    await pub.publish(event(2, ['UA-30-1'], -1000)); // already expired
    // A siren controller that connects afterwards still gets the state: the message is retained.
    const received: Array<{ topic: string; payload: AlertEvent; expiry: number | undefined; retain: boolean }> = [];
    siren.on('message', (topic, payload, packet) => payload.length > 0 && received.push({ topic, payload: JSON.parse(payload.toString()), expiry: packet.properties?.messageExpiryInterval, retain: packet.retain }));
    await siren.subscribeAsync(`${prefix}/#`, { qos: 1 });
    for (let i = 0; i < 200 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(received.map((r) => r.topic).sort(), [`${prefix}/UA-30-1`, `${prefix}/UA-30-2`]);
    assert.ok(received.every((r) => r.retain && r.payload.id === e.id));
    assert.ok(received.every((r) => typeof r.expiry === 'number' && r.expiry > 0 && r.expiry <= 60), 'expires with the alert');
    assert.equal(pub.stats.skippedExpired, 1);
  } finally {
    // Clear the retained test messages.
    for (const code of ['UA-30-1', 'UA-30-2']) await siren.publishAsync(`${prefix}/${code}`, '', { retain: true, qos: 1 });
    await siren.endAsync();
    await pub.close();
  }
});
