// The alert as Refuge keeps it: CAP 1.2 semantics, plus the workflow state around it.

export const CAP_STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export type CapStatus = (typeof CAP_STATUSES)[number];

export const CAP_MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export type CapMsgType = (typeof CAP_MSG_TYPES)[number];

export const CAP_SCOPES = ['Public', 'Restricted', 'Private'] as const;
export type CapScope = (typeof CAP_SCOPES)[number];

export const CAP_CATEGORIES = ['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'] as const;
export type CapCategory = (typeof CAP_CATEGORIES)[number];

export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export type CapUrgency = (typeof CAP_URGENCIES)[number];

export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export type CapSeverity = (typeof CAP_SEVERITIES)[number];

export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;
export type CapCertainty = (typeof CAP_CERTAINTIES)[number];

/** Refuge's event types; each maps to a CAP category and an eventCode. */
export const EVENT_TYPES = ['air-raid', 'missile', 'drone', 'artillery', 'chemical', 'radiological', 'urban-fighting', 'other'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Stage of the threat: pre-alert (get ready), alert (take cover now), all-clear (leave shelter). */
export const ALERT_STAGES = ['pre-alert', 'alert', 'all-clear'] as const;
export type AlertStage = (typeof ALERT_STAGES)[number];

export interface CapArea {
  areaDesc: string;
  /** Region codes (Refuge regions), carried in CAP as <geocode><valueName>refuge-region</valueName>. */
  regionCodes: string[];
  /** Rings as [lat, lon] pairs, closed (CAP's "lat,lon lat,lon ..." polygon). */
  polygons: Array<Array<[number, number]>>;
}

export interface CapInfo {
  language: string;
  category: CapCategory[];
  event: string;
  eventType: EventType | null;
  stage: AlertStage | null;
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
  headline: string | null;
  description: string | null;
  instruction: string | null;
  onset: string | null;
  expires: string | null;
  senderName: string | null;
  web: string | null;
  areas: CapArea[];
}

/** A CAP message in Refuge's terms (one <alert>). Times are ISO 8601 with offset. */
export interface CapAlert {
  identifier: string;
  sender: string;
  sent: string;
  status: CapStatus;
  msgType: CapMsgType;
  scope: CapScope;
  note: string | null;
  /** CAP references: "sender,identifier,sent" triples. */
  references: string[];
  info: CapInfo[];
}

/** Workflow around a message: drafted by an operator, approved by a different approver, then issued. */
export const ALERT_STATES = ['draft', 'approved', 'issued', 'rejected', 'imported'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface AlertRecord {
  id: string;
  cap: CapAlert;
  state: AlertState;
  createdBy: string | null;
  createdAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  issuedAt: string | null;
  /** Ed25519 signature (base64) over the canonical CAP XML, set when issued. */
  signature: string | null;
  /** The exact CAP XML that was signed and delivered. */
  capXml: string | null;
  /** For imported messages: where from. */
  origin: string | null;
  /** Lifecycle extras (src/alerts/lifecycle). The false-alarm Cancel prepared when an alert is issued; sent with one approval. */
  falseAlarm?: boolean;
  /** For a prepared false-alarm cancel: the Refuge id of the alert it cancels. */
  preparedFor?: string | null;
  /** Refuge id of the later Update/Cancel that replaced this alert. */
  replacedBy?: string | null;
  /** Id of the key that made `signature`. */
  signatureKeyId?: string | null;
  /**
   * Why residents may believe who speaks (see docs/alerts.md, "Imports and trust"): `own` (issued by Refuge under the
   * two-person rule), `signed` (imported from a configured trusted authority whose signature verified), `reviewed`
   * (imported, approved by a second staff member), `unverified` (imported Exercise/Test, or kept for the record).
   * Null on drafts and on records stored before trust was recorded.
   */
  trust?: AlertTrust | null;
  /** Display name of the authority that speaks: ours, a trusted authority's configured name, or the message's own. */
  authorityName?: string | null;
}

export const ALERT_TRUSTS = ['own', 'signed', 'reviewed', 'unverified'] as const;
export type AlertTrust = (typeof ALERT_TRUSTS)[number];
