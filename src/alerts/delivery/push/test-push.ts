// "Test my alerts": one message to one device through the real Web Push path, marked TEST so nobody mistakes it for
// an alert. It is no alert event: no outbox row, no push job, so it reaches no one else and is in no delivery figure.
import type { PushMessageOptions } from './push-sender.ts';

/** At most one test push per device endpoint in this interval (and a few per client address, see the route). */
export const TEST_PUSH_INTERVAL_MS = 60_000;

/** What the test notification carries; web/sw/sw.js shows it as a real alert is shown, marked TEST. */
export function testPushPayload(nonce: string, nowMs: number): string {
  return JSON.stringify({
    kind: 'test', id: `test-${nonce}`, nonce, status: 'Test', exercise: true, msgType: 'Alert',
    headline: 'TEST - Refuge alerts work on this device',
    instruction: 'This is only a test: there is no danger and nothing to do. A real alert arrives the same way.',
    sent: new Date(nowMs).toISOString(),
  });
}

/** Sent as urgently as a real alert (the point is to test that path), kept only briefly by the push service. */
export const TEST_PUSH_OPTIONS: PushMessageOptions = { ttl: 300, urgency: 'high', topic: 'refuge-test' };
