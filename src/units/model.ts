// Civil-defence units, their members, call-ups with the members' answers, and readiness regimes per region.
// Plain data: no HTTP, no database driver.

export const UNIT_TYPES = ['rescue', 'first-aid', 'evacuation', 'shelter-service', 'firefighting', 'decontamination', 'communications', 'other'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

/** Roles commonly held in a unit; any other short lower-case word is accepted too. */
export const COMMON_MEMBER_ROLES = ['leader', 'deputy', 'member', 'driver', 'medic'] as const;
export const DEFAULT_REQUIRED_ROLES = ['leader'];

export const AVAILABILITY = ['available', 'on-leave', 'unavailable'] as const;
export type Availability = (typeof AVAILABILITY)[number];

export interface Base {
  lat: number;
  lon: number;
  address: string | null;
}

export interface Unit {
  id: string;
  name: string;
  type: UnitType;
  /** Home region code; region-wide call-ups reach units of the region and of its sub-regions. */
  regionCode: string | null;
  base: Base | null;
  /** Roles a unit must have among those coming (reported as missing otherwise). */
  requiredRoles: string[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface Certificate {
  name: string;
  /** Date (YYYY-MM-DD) the certificate expires; null = does not expire. */
  expires: string | null;
}

export interface Member {
  id: string;
  unitId: string;
  name: string;
  role: string;
  phone: string | null;
  email: string | null;
  /** The Refuge account (user name) the member answers with in the console; null = answers by personal link. */
  userName: string | null;
  skills: string[];
  certificates: Certificate[];
  availability: Availability;
  /** For on-leave: the date (YYYY-MM-DD) the leave ends. */
  availableFrom: string | null;
  createdAt: string;
  updatedAt: string;
}

export const CALLUP_STATES = ['open', 'cancelled', 'closed'] as const;
export type CallUpState = (typeof CALLUP_STATES)[number];

export interface CallUp {
  id: string;
  unitIds: string[];
  /** Set when the call-up was for every unit of a region (and its sub-regions). */
  regionCode: string | null;
  message: string;
  reportTo: string | null;
  deadline: string | null;
  exercise: boolean;
  state: CallUpState;
  createdAt: string;
  createdBy: string;
  endedAt: string | null;
  endedBy: string | null;
  endReason: string | null;
}

export const ANSWERS = ['coming', 'unavailable'] as const;
export type AnswerKind = (typeof ANSWERS)[number];

/** How an answer was given: by the member signed in, through their personal link, or recorded by an operator. */
export type AnswerVia = 'account' | 'link' | 'operator';

export interface Recipient {
  callupId: string;
  memberId: string;
  unitId: string;
  /** sha256 (hex) of the member's personal link token for this call-up; the token itself is never stored. */
  tokenHash: string | null;
  answer: AnswerKind | null;
  etaMinutes: number | null;
  reason: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
  answeredVia: AnswerVia | null;
}

export interface AnswerRecord {
  callupId: string;
  memberId: string;
  answer: AnswerKind;
  etaMinutes: number | null;
  reason: string | null;
  at: string;
  by: string;
  via: AnswerVia;
}

/** What the live streams carry. `memberId` set: meant for that member; every event names its call-up. */
export type UnitEventKind = 'callup' | 'answer' | 'callup-ended';

export interface UnitEventInput {
  kind: UnitEventKind;
  callupId: string;
  memberId: string | null;
  data: Record<string, unknown>;
}

export interface UnitEvent extends UnitEventInput {
  /** Durable, increasing: the SSE id (Last-Event-ID replays from it). */
  seq: number;
  at: string;
}

export const REGIME_LEVELS = ['everyday', 'heightened', 'emergency', 'martial-law'] as const;
export type RegimeLevel = (typeof REGIME_LEVELS)[number];

export const REGIME_DEFAULT_NAMES: Record<RegimeLevel, string> = {
  everyday: 'Everyday', heightened: 'Heightened readiness', emergency: 'Emergency', 'martial-law': 'Martial law',
};

export type RegimeChangeState = 'pending' | 'in-force' | 'rejected' | 'superseded';

export interface RegimeChange {
  id: string;
  regionCode: string;
  level: RegimeLevel;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  /** pending: waits for a second person; in-force: the region's own setting now; superseded: replaced by a later one. */
  state: RegimeChangeState;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface EffectiveRegime {
  regionCode: string;
  regionName: string;
  parentCode: string | null;
  level: RegimeLevel;
  name: string;
  /** The region whose setting applies (this one, or the nearest ancestor); null = never set anywhere above. */
  setIn: string | null;
  inherited: boolean;
  change: RegimeChange | null;
  pending: RegimeChange | null;
}

export const LIMITS = { name: 200, message: 2000, reason: 500, text: 200, skills: 50, certificates: 50, etaMinutes: 7 * 24 * 60 };
