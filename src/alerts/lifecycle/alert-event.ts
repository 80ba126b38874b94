// The event every live channel carries (SSE data, bus messages, the basis of push and MQTT payloads).
// It is built once, when the alert is issued, and stored in the outbox, so every channel and every replay says the same.
import type { AlertRecord, AlertTrust, CapInfo, CapMsgType, CapStatus } from '../model.ts';
import { markText } from './draft-input.ts';
import type { RegionDirectory } from './ports.ts';

export interface AlertEventRegion {
  code: string;
  name: string;
  /** Seconds to reach shelter in this region; null when unknown. */
  warningTimeS: number | null;
}

/** The info fields every channel repeats as they are in the CAP message. */
type InfoFields = Pick<CapInfo, 'eventType' | 'event' | 'stage' | 'urgency' | 'severity' | 'certainty' | 'headline' | 'description' | 'instruction' | 'language' | 'onset' | 'expires'>;

export interface AlertEvent extends InfoFields {
  /** Outbox sequence number: the SSE event id, increasing with every issued message. */
  seq: number;
  /** Refuge id of the alert (GET /api/alerts/:id). Not the SSE id, which is `seq`. */
  id: string;
  identifier: string;
  sender: string;
  /**
   * Who speaks, as residents must be told: Refuge's configured name for its own alerts, a trusted authority's
   * configured name, or (reviewed/unverified imports) the name the message gives, else its sender. Absent from
   * events stored before it was introduced.
   */
  senderName?: string;
  /** True when the alert comes from another authority (imported), not from this Refuge: show it as such. */
  foreign?: boolean;
  /** own | signed (trusted authority, signature verified) | reviewed (imported, approved by a second person) | unverified. */
  trust?: AlertTrust;
  sent: string;
  status: CapStatus;
  /** True for everything but status Actual: clients must show it as an exercise/test, never as a real alert. */
  exercise: boolean;
  msgType: CapMsgType;
  regions: AlertEventRegion[];
  /** CAP-shaped areas (areaDesc and region codes), for clients that read CAP fields. */
  areas: Array<{ areaDesc: string; regionCodes: string[] }>;
  /** Refuge ids of the alerts this one updates or cancels. */
  replaces: string[];
  /** The Refuge id of the first alert of the chain this one belongs to (its own id for a new alert): every Update and
   * Cancel of one alert shares it, however deep (a Cancel of an Update of an alert has the alert's id). Absent from
   * events stored before it was introduced. */
  thread?: string;
  /** The same as CAP references: "sender,identifier,sent" triples. */
  references: string[];
  /** True for the prepared false-alarm cancel. */
  falseAlarm: boolean;
  /** Detached Ed25519 signature (base64) over the CAP XML served at capUrl; null for unsigned imports. */
  signature: string | null;
  signatureKeyId: string | null;
  /** The server checked the signature against its published key before sending (clients should check themselves). */
  verified: boolean;
  capUrl: string;
}

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
  };
}

/** True when the event may no longer be delivered anywhere. */
export function isExpired(event: { expires: string | null }, nowMs: number): boolean {
  return event.expires !== null && Date.parse(event.expires) <= nowMs;
}
