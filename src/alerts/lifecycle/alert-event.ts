// The event every live channel carries (SSE data, bus messages, the basis of push and MQTT payloads).
// It is built once, when the alert is issued, and stored in the outbox, so every channel and every replay says the same.
import type { AlertRecord, AlertStage, CapMsgType, CapStatus, CapUrgency, CapSeverity, CapCertainty, EventType } from '../model.ts';
import type { RegionDirectory } from './ports.ts';

export interface AlertEventRegion {
  code: string;
  name: string;
  /** Seconds to reach shelter in this region; null when unknown. */
  warningTimeS: number | null;
}

export interface AlertEvent {
  /** Outbox sequence number: the SSE event id, increasing with every issued message. */
  seq: number;
  alertId: string;
  identifier: string;
  sender: string;
  sent: string;
  status: CapStatus;
  /** True for everything but status Actual: clients must show it as an exercise/test, never as a real alert. */
  exercise: boolean;
  msgType: CapMsgType;
  eventType: EventType | null;
  event: string;
  stage: AlertStage | null;
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
  headline: string | null;
  description: string | null;
  instruction: string | null;
  language: string;
  regions: AlertEventRegion[];
  onset: string | null;
  expires: string | null;
  /** Refuge ids of the alerts this one updates or cancels. */
  replaces: string[];
  /** True for the prepared false-alarm cancel. */
  falseAlarm: boolean;
  /** Detached Ed25519 signature (base64) over the CAP XML served at capUrl; null for unsigned imports. */
  signature: string | null;
  signatureKeyId: string | null;
  /** The server checked the signature against its published key before sending (clients should check themselves). */
  signatureVerified: boolean;
  capUrl: string;
}

/** Builds the event for an issued (or imported) record. `replaces` are Refuge ids. */
export function buildAlertEvent(
  record: AlertRecord,
  regions: RegionDirectory,
  replaces: string[],
  signatureVerified: boolean,
): Omit<AlertEvent, 'seq'> {
  const cap = record.cap;
  const info = cap.info[0];
  if (!info) throw new Error(`alert ${record.id}: no info block, nothing to deliver`);
  const codes = [...new Set(info.areas.flatMap((a) => a.regionCodes))];
  return {
    alertId: record.id,
    identifier: cap.identifier,
    sender: cap.sender,
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
    headline: info.headline,
    description: info.description,
    instruction: info.instruction,
    language: info.language,
    regions: codes.map((code) => {
      const r = regions.region(code);
      return { code, name: r?.name ?? code, warningTimeS: r?.warningTimeS ?? null };
    }),
    onset: info.onset,
    expires: info.expires,
    replaces,
    falseAlarm: record.falseAlarm === true,
    signature: record.signature,
    signatureKeyId: record.signatureKeyId ?? null,
    signatureVerified,
    capUrl: `/api/alerts/${record.id}.cap`,
  };
}

/** True when the event may no longer be delivered anywhere. */
export function isExpired(event: { expires: string | null }, nowMs: number): boolean {
  return event.expires !== null && Date.parse(event.expires) <= nowMs;
}
