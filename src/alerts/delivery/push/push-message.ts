// What a push message carries and how the push service should treat it, derived from the alert event.
import { createHash } from 'node:crypto';
import type { AlertEvent } from '../ports.ts';
import type { PushMessageOptions } from './push-sender.ts';

/** Push services accept about 4 KB of encrypted payload; keep well under it. */
export const MAX_PUSH_PAYLOAD_BYTES = 3000;

/** A compact copy of the event for the service worker; the full event and CAP are one fetch away (capUrl). */
export function pushPayload(event: AlertEvent): string {
  const cut = (s: string | null, n: number) => (s && s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const body = {
    seq: event.seq, id: event.id, identifier: event.identifier, status: event.status, exercise: event.exercise, msgType: event.msgType,
    // Who speaks: the service worker names another authority in the notification.
    sender: event.sender, senderName: cut(event.senderName ?? event.sender, 100), foreign: event.foreign === true, trust: event.trust ?? null,
    eventType: event.eventType, event: cut(event.event, 100), stage: event.stage, falseAlarm: event.falseAlarm,
    urgency: event.urgency, severity: event.severity, certainty: event.certainty,
    headline: cut(event.headline, 200), instruction: cut(event.instruction, 400),
    regions: event.regions.map((r) => ({ code: r.code, name: cut(r.name, 60), warningTimeS: r.warningTimeS })),
    sent: event.sent, expires: event.expires, replaces: event.replaces,
    signature: event.signature, signatureKeyId: event.signatureKeyId, capUrl: event.capUrl,
  };
  let json = JSON.stringify(body);
  // Very wide alerts: drop region names, then the region list (the client can fetch the full event).
  if (Buffer.byteLength(json) > MAX_PUSH_PAYLOAD_BYTES) json = JSON.stringify({ ...body, regions: event.regions.map((r) => ({ code: r.code, warningTimeS: r.warningTimeS })) });
  if (Buffer.byteLength(json) > MAX_PUSH_PAYLOAD_BYTES) json = JSON.stringify({ ...body, regions: [], regionsTruncated: event.regions.length });
  return json;
}

/**
 * TTL: until the alert expires (a late "take cover" is worse than none). Urgency: high for real alerts so phones
 * wake at once. Topic: one per alert thread, so an Update or Cancel replaces a still-queued original.
 */
export function pushOptions(event: AlertEvent, nowMs: number): PushMessageOptions {
  const ttl = event.expires ? Math.max(0, Math.floor((Date.parse(event.expires) - nowMs) / 1000)) : 3600;
  const urgency = event.exercise ? 'normal' : event.stage === 'all-clear' || event.msgType === 'Cancel' ? 'normal' : 'high';
  // Events stored before `thread` existed fall back to what they replace.
  const thread = event.thread ?? event.replaces[0] ?? event.id;
  const topic = createHash('sha256').update(thread).digest('base64url').slice(0, 32);
  return { ttl, urgency, topic };
}
