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
    language: event.language, headline: cut(event.headline, 200), instruction: cut(event.instruction, 400),
    regions: event.regions.map((r) => ({ code: r.code, name: cut(r.name, 60), warningTimeS: r.warningTimeS })),
    sent: event.sent, expires: event.expires, replaces: event.replaces,
    signature: event.signature, signatureKeyId: event.signatureKeyId, capUrl: event.capUrl,
    // The alert's other languages, so the notification can speak the phone's (the service worker picks one).
    ...(event.translations?.length ? { translations: event.translations.map((x) => ({ language: x.language, headline: cut(x.headline, 200), instruction: cut(x.instruction, 400) })) } : {}),
  };
  const shortTranslations = body.translations?.map((x) => ({ language: x.language, headline: x.headline }));
  const regionCodes = event.regions.map((r) => ({ code: r.code, warningTimeS: r.warningTimeS }));
  // Too big (very wide alerts, many languages): give up what the client can fetch with the full event, least needed
  // first: region names, the translations' instructions, the region list, and last the translated headlines.
  const tries = [
    body,
    { ...body, regions: regionCodes },
    { ...body, regions: regionCodes, ...(shortTranslations ? { translations: shortTranslations } : {}) },
    { ...body, regions: [], regionsTruncated: event.regions.length, ...(shortTranslations ? { translations: shortTranslations } : {}) },
    { ...body, regions: [], regionsTruncated: event.regions.length, translations: undefined },
  ];
  let json = '';
  for (const candidate of tries) {
    json = JSON.stringify(candidate);
    if (Buffer.byteLength(json) <= MAX_PUSH_PAYLOAD_BYTES) break;
  }
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
