// The alert shapes the API sends and the web app reads: the live event and who may draft and approve.
// Pure types and constant arrays (no node: imports), so Node and the browser build can both import this file.
import type { Role } from '../accounts/roles.ts';
import type { AlertTrust, CapInfo, CapMsgType, CapStatus } from '../alerts/model.ts';

/** Roles that may draft (any drafter still needs a second person to approve). */
export const DRAFT_ROLES = ['operator', 'approver', 'admin'] as const satisfies readonly Role[];
/** Roles that may approve someone else's draft and send a prepared false-alarm cancel. */
export const APPROVE_ROLES = ['approver', 'admin'] as const satisfies readonly Role[];

export interface AlertEventRegion {
  code: string;
  name: string;
  /** Seconds to reach shelter in this region; null when unknown. */
  warningTimeS: number | null;
}

/** One more language of an alert event. */
export interface AlertEventTranslation {
  /** RFC 3066 tag as in the CAP <language>, e.g. "uk" or "ar-SY". */
  language: string;
  headline: string | null;
  description: string | null;
  instruction: string | null;
}

/**
 * The block of an alert to show someone whose interface language is `lang`: an exact tag match, else the same
 * primary language ("ar" for "ar-SY"), else the main text. Pure, for the server and the browser.
 */
export function textFor<T extends { language: string; headline: string | null; description: string | null; instruction: string | null }>(
  main: T, translations: readonly AlertEventTranslation[] | undefined, lang: string,
): AlertEventTranslation {
  const want = lang.toLowerCase();
  const primary = want.split('-')[0];
  const all: AlertEventTranslation[] = [
    { language: main.language, headline: main.headline, description: main.description, instruction: main.instruction },
    ...(translations ?? []),
  ];
  return all.find((t) => t.language.toLowerCase() === want)
    ?? all.find((t) => t.language.toLowerCase().split('-')[0] === primary)
    ?? all[0]!;
}

/** Languages written right to left (their text needs dir="rtl" so punctuation lands on the right side). */
export function isRtlLanguage(lang: string): boolean {
  return ['ar', 'he', 'fa', 'ur', 'yi', 'ps', 'ckb', 'dv', 'sd', 'ug', 'iw'].includes(lang.toLowerCase().split('-')[0]!);
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
  /**
   * The same message in other languages (CAP's further <info> blocks, one per language other than `language`), with
   * the Exercise/Test mark applied as to the main text. Clients show the one in the reader's language, else the main
   * text. Absent when the message has one language, and from events stored before it was introduced.
   */
  translations?: AlertEventTranslation[];
}
