// The contract every ReachStore implementation must meet (SQLite and PostgreSQL run it; reach.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeliveryRecord } from '../../../src/alerts/delivery/figures.ts';
import { importAlert, issueAlert, MIN, T0, type MakeAlertStores } from './alerts.fixtures.ts';

export function reachStoreContract(name: string, make: MakeAlertStores): void {
  test(`${name}: a fresh event's figures`, async (t) => {
    const s = await make(t);
    const before = Date.now();
    const { record, seq } = await issueAlert(s, 'a', { expiresIn: 30 });
    const r = await s.reach.recordForAlert('a');
    assert.ok(r && r.committedMs !== null && r.committedMs >= before && r.committedMs <= Date.now(), 'committed when issued, in ms');
    const expected: DeliveryRecord = {
      seq, alertId: 'a', issuedAt: record.issuedAt!, committedMs: r.committedMs, expiresMs: T0 + 30 * MIN, outcome: null, completedAt: null, via: null,
      mqttPublishedMs: null, push: { targeted: 0, accepted: 0, failed: 0, expired: 0, gone: 0, pending: 0, retrying: 0, firstMs: null, lastMs: null }, reach: [],
    };
    assert.deepEqual(r, expected);
    assert.deepEqual(await s.reach.recordsFor([seq]), [expected]);
    assert.equal(await s.reach.recordForAlert('missing'), null);
  });

  test(`${name}: recordForAlert is the latest event of the alert; recordsFor keeps the order given`, async (t) => {
    const s = await make(t);
    const a = await importAlert(s, 'a');
    const b = await importAlert(s, 'b');
    const c = await issueAlert(s, 'c', { msgType: 'Update', references: ['a'], replaces: ['a'] });
    assert.equal((await s.reach.recordForAlert('a'))!.seq, a.seq);
    assert.equal((await s.reach.recordForAlert('c'))!.seq, c.seq);
    assert.deepEqual((await s.reach.recordsFor([c.seq, 999, a.seq, b.seq])).map((r) => [r.seq, r.alertId]), [[c.seq, 'c'], [a.seq, 'a'], [b.seq, 'b']]);
    assert.deepEqual(await s.reach.recordsFor([]), []);
    assert.deepEqual(await s.reach.recordsFor([999]), []);
  });

  test(`${name}: reach rows per process are upserted and read back per event`, async (t) => {
    const s = await make(t);
    const other = await s.another();
    const a = await importAlert(s, 'a');
    const b = await importAlert(s, 'b');
    await s.reach.recordReach('web-2', [{ seq: a.seq, reached: 3, firstMs: T0 + 100 }, { seq: b.seq, reached: 0, firstMs: null }], T0 + 2000);
    await other.reach.recordReach('web-1', [{ seq: a.seq, reached: 5, firstMs: T0 + 50, final: true }], T0 + 2500);
    assert.deepEqual((await s.reach.recordForAlert('a'))!.reach, [
      { processId: 'web-1', reached: 5, firstMs: T0 + 50, updatedMs: T0 + 2500, final: true },
      { processId: 'web-2', reached: 3, firstMs: T0 + 100, updatedMs: T0 + 2000, final: false },
    ]);
    await s.reach.recordReach('web-2', [{ seq: a.seq, reached: 7, firstMs: T0 + 100, final: true }], T0 + 4000);
    await s.reach.recordReach('web-2', [], T0 + 5000);
    const [ra, rb] = await s.reach.recordsFor([a.seq, b.seq]);
    assert.deepEqual(ra.reach[1], { processId: 'web-2', reached: 7, firstMs: T0 + 100, updatedMs: T0 + 4000, final: true });
    assert.equal(ra.reach.length, 2);
    assert.deepEqual(rb.reach, [{ processId: 'web-2', reached: 0, firstMs: null, updatedMs: T0 + 2000, final: false }]);
    await s.reach.recordReach('web-3', [{ seq: b.seq, reached: 1, firstMs: T0 + 10 }, { seq: b.seq, reached: 2, firstMs: T0 + 10 }], T0 + 6000);
    assert.deepEqual((await s.reach.recordForAlert('b'))!.reach.map((x) => [x.processId, x.reached]), [['web-2', 0], ['web-3', 2]], 'the last row given for a seq wins');
  });

  test(`${name}: MQTT: the first publication counts`, async (t) => {
    const s = await make(t);
    const other = await s.another();
    const a = await importAlert(s, 'a');
    await s.reach.markMqttPublished(a.seq, T0 + 700);
    await other.reach.markMqttPublished(a.seq, T0 + 900);
    await s.reach.markMqttPublished(999, T0 + 900);
    assert.equal((await s.reach.recordForAlert('a'))!.mqttPublishedMs, T0 + 700);
  });

  test(`${name}: figures follow the outbox and the push queue`, async (t) => {
    const s = await make(t);
    const { seq } = await importAlert(s, 'a', { expiresIn: 45 });
    await s.push.upsertSubscription({ endpoint: 'https://push.example/a', keys: { p256dh: 'p', auth: 'x' }, regions: ['UA-30'] }, ['UA-30'], new Date(T0).toISOString());
    const at = new Date(T0 + 1000).toISOString();
    await s.alerts.completeOutbox(seq, 'published', at, 'nats', { regionCodes: ['UA-30'], expiresMs: T0 + 45 * MIN, nowMs: T0 + 1000 });
    await s.push.retryPushJob(seq, 'https://push.example/a', T0 + 5000, 'HTTP 503');
    const r = (await s.reach.recordsFor([seq]))[0];
    assert.deepEqual([r.outcome, r.completedAt, r.via, r.expiresMs], ['published', at, 'nats', T0 + 45 * MIN]);
    assert.deepEqual(r.push, { targeted: 1, accepted: 0, failed: 0, expired: 0, gone: 0, pending: 1, retrying: 1, firstMs: null, lastMs: null });
  });
}
