// The event every live channel carries (SSE data, bus messages, the basis of push and MQTT payloads).
// It is built once, when the alert is issued, and stored in the outbox, so every channel and every replay says the same.
import type { AlertEvent, AlertEventTranslation } from '../../api/alerts.ts';
import type { AlertRecord } from '../model.ts';
import { markText } from './draft-input.ts';
import type { RegionDirectory } from './ports.ts';

// The event's shape is part of the API the web app reads: it lives in src/api, defined once.
export type { AlertEvent, AlertEventRegion, AlertEventTranslation } from '../../api/alerts.ts';

/** Builds the event for an issued (or imported) record. `replaces` are Refuge ids. */
export function buildAlertEvent(
  record: AlertRecord,
  regions: RegionDirectory,
  replaces: string[],
  verified: boolean,
  thread: string = record.id,
): Omit<AlertEvent, 'seq'> {
  const cap = record.cap;
  const info = cap.info[0];
  if (!info) throw new Error(`alert ${record.id}: no info block, nothing to deliver`);
  const codes = [...new Set(info.areas.flatMap((a) => a.regionCodes))];
  const own = record.origin === null;
  // Further <info> blocks in other languages are the same message translated (the first block per language counts;
  // a further block in the main language, e.g. for another area, is not a translation).
  const seen = new Set([info.language.toLowerCase()]);
  const translations: AlertEventTranslation[] = [];
  for (const other of cap.info.slice(1)) {
    const lang = other.language.toLowerCase();
    if (seen.has(lang)) continue;
    seen.add(lang);
    translations.push({
      language: other.language,
      headline: markText(cap.status, other.headline),
      description: other.description,
      instruction: markText(cap.status, other.instruction),
    });
  }
  return {
    id: record.id,
    identifier: cap.identifier,
    sender: cap.sender,
    senderName: record.authorityName || info.senderName || cap.sender,
    foreign: !own,
    trust: record.trust ?? (own ? 'own' : 'unverified'),
    sent: cap.sent,
    status: cap.status,
    exercise: cap.status !== 'Actual',
    msgType: cap.msgType,
    eventType: info.eventType,
    event: info.event,
    stage: info.stage,
    urgency: info.urgency,
    severity: info.severity,
    certainty: info.certainty,
    // Imported Exercise/Test messages may lack the mark in their text; every channel carries it.
    headline: markText(cap.status, info.headline),
    description: info.description,
    instruction: markText(cap.status, info.instruction),
    language: info.language,
    regions: codes.map((code) => {
      const r = regions.region(code);
      return { code, name: r?.name ?? code, warningTimeS: r?.warningTimeS ?? null };
    }),
    areas: info.areas.map((a) => ({ areaDesc: a.areaDesc, regionCodes: a.regionCodes })),
    onset: info.onset,
    expires: info.expires,
    replaces,
    thread,
    references: cap.references,
    falseAlarm: record.falseAlarm === true,
    signature: record.signature,
    signatureKeyId: record.signatureKeyId ?? null,
    verified,
    capUrl: `/api/alerts/${record.id}.cap`,
    // Only when there are any: a one-language event keeps the shape (and canonical form) it always had.
    ...(translations.length > 0 ? { translations } : {}),
  };
}

/** True when the event may no longer be delivered anywhere. */
export function isExpired(event: { expires: string | null }, nowMs: number): boolean {
  return event.expires !== null && Date.parse(event.expires) <= nowMs;
}
