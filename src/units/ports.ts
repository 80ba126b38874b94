// What the units capability needs from a store, from the regions and from a push service. Every method is async and
// owns its transaction; no driver type crosses these ports, so a PostgreSQL store can implement them too.
import type {
  AnswerRecord, CallUp, CallUpState, Member, RegimeChange, RegimeChangeState, Recipient, Unit, UnitEvent, UnitEventInput,
} from './model.ts';

export interface UnitImportOutcome {
  unitsInserted: number;
  unitsUpdated: number;
  membersInserted: number;
  membersUpdated: number;
}

export interface UnitRepository {
  insertUnit(unit: Unit): Promise<void>;
  /** Replaces the unit's fields; false when there is no such unit. */
  updateUnit(unit: Unit): Promise<boolean>;
  getUnit(id: string): Promise<Unit | null>;
  listUnits(): Promise<Unit[]>;
  insertMember(member: Member): Promise<void>;
  /** Replaces the member's fields; false when there is no such member. */
  updateMember(member: Member): Promise<boolean>;
  getMember(id: string): Promise<Member | null>;
  /** Members of one unit, or of every unit, in the order added. */
  listMembers(unitId?: string): Promise<Member[]>;
  membersOfUser(userName: string): Promise<Member[]>;
  /** Inserts or replaces units and members by id, all in one transaction: all or nothing. */
  importUnits(units: Unit[], members: Member[]): Promise<UnitImportOutcome>;
}

export interface AnswerUpdate {
  answer: Recipient['answer'] & string;
  etaMinutes: number | null;
  reason: string | null;
  at: string;
  by: string;
  via: NonNullable<Recipient['answeredVia']>;
}

export interface PushSubscriptionData {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface CallUpRepository {
  /** Stores the call-up, its recipients and their events in one transaction; returns the events with their seq. */
  createCallUp(callup: CallUp, recipients: Recipient[], events: UnitEventInput[]): Promise<UnitEvent[]>;
  getCallUp(id: string): Promise<CallUp | null>;
  /** Newest first. */
  listCallUps(limit: number): Promise<CallUp[]>;
  recipients(callupId: string): Promise<Recipient[]>;
  recipient(callupId: string, memberId: string): Promise<Recipient | null>;
  recipientByTokenHash(tokenHash: string): Promise<Recipient | null>;
  /** Call-ups (newest first) that reached any of these members. */
  callUpsOfMembers(memberIds: string[], limit: number): Promise<CallUp[]>;
  /**
   * Records an answer, its log entry and its event in one transaction, only while the call-up is still open;
   * returns the event, or null when the call-up was no longer open.
   */
  recordAnswer(callupId: string, memberId: string, update: AnswerUpdate, event: UnitEventInput): Promise<UnitEvent | null>;
  answerLog(callupId: string): Promise<AnswerRecord[]>;
  /** Ends an open call-up with its events in one transaction; null when it was no longer open. */
  endCallUp(id: string, state: Exclude<CallUpState, 'open'>, by: string, at: string, reason: string | null, events: UnitEventInput[]): Promise<UnitEvent[] | null>;
  /** Replaces personal link token hashes (memberId -> hash) of a call-up in one transaction. */
  setTokenHashes(callupId: string, hashes: Map<string, string>): Promise<void>;
  /** Events after `afterSeq`, in seq order, restricted to these members (null = any) and this call-up (null = any). */
  eventsAfter(afterSeq: number, filter: { memberIds: string[] | null; callupId: string | null }, limit: number): Promise<UnitEvent[]>;
  /** The highest event seq stored (0 when none): where a process starts following the log. */
  lastEventSeq(): Promise<number>;
  addPushSubscription(memberId: string, sub: PushSubscriptionData, at: string): Promise<void>;
  pushSubscriptions(memberIds: string[]): Promise<Array<PushSubscriptionData & { memberId: string }>>;
  removePushSubscription(endpoint: string): Promise<void>;
  markPushed(callupId: string, memberId: string, at: string, accepted: number): Promise<void>;
}

export interface RegimeRepository {
  /** Stores a change; when it is in force, the region's previous in-force change becomes superseded (one transaction). */
  insertChange(change: RegimeChange): Promise<void>;
  getChange(id: string): Promise<RegimeChange | null>;
  /** Decides a pending change (in-force supersedes the previous one); false when it was no longer pending. */
  decide(id: string, state: Extract<RegimeChangeState, 'in-force' | 'rejected'>, by: string, at: string): Promise<boolean>;
  /** Every change of a region, newest first. */
  history(regionCode: string): Promise<RegimeChange[]>;
  /** The in-force change of every region that has one. */
  inForce(): Promise<RegimeChange[]>;
  pending(): Promise<RegimeChange[]>;
}

/** The regions as the units capability sees them: codes with parents. */
export interface RegionTree {
  get(code: string): { code: string; name: string; parentCode: string | null } | undefined;
  list(): ReadonlyArray<{ code: string; name: string; parentCode: string | null }>;
}

/** Sends one Web Push message; resolves with the status, rejects with `{ statusCode }` when the service refused. */
export interface CallUpPushSender {
  send(sub: PushSubscriptionData, payload: string, options: { ttl: number; urgency: 'normal' | 'high'; topic: string }): Promise<number>;
}
