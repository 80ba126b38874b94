// What the lifecycle needs from the outside world. The SQLite store, the region index and the CAP/signing code
// implement these; the lifecycle itself imports no driver and no HTTP.
import type { AlertRecord, CapAlert } from '../model.ts';
import type { AlertEvent } from './alert-event.ts';

/** Someone acting on an alert, as the accounts module knows them. */
export interface Actor {
  name: string;
  role: string;
  /** Region codes the account answers for (issue 14); empty or absent: not restricted. */
  jurisdiction?: readonly string[];
}

/** A region as the lifecycle needs it: warning time for the event, parent for matching oblast-wide alerts. */
export interface RegionInfo {
  code: string;
  name: string;
  /** Seconds from the warning to reach shelter; null when the region has none. */
  warningTimeS: number | null;
  parentCode: string | null;
}

export interface RegionDirectory {
  region(code: string): RegionInfo | undefined;
}

/** Turns a CAP alert into the exact XML that is signed and served (module src/alerts/cap). */
export type CapEmitter = (cap: CapAlert) => string;

/** Signs emitted CAP XML (module src/alerts/signing): detached Ed25519 over its canonical form. */
export interface CapSigner {
  sign(capXml: string): { signature: string; keyId: string };
}

/** One row of the delivery outbox: an event with the sequence number that is also its SSE id. */
export interface OutboxEntry {
  seq: number;
  event: AlertEvent;
  createdAt: string;
}

/** What `issue` writes in ONE transaction: the alert becomes issued and its event enters the outbox. */
export interface IssueWrite {
  record: AlertRecord;
  /** The delivery event, without its seq (assigned by the store). Null: stored for the record, never delivered. */
  event: Omit<AlertEvent, 'seq'> | null;
  /** Alerts this one replaces (Update/Cancel): marked replaced in the same transaction. */
  replaces: string[];
  /** A false-alarm cancel prepared alongside, ready to go with one approval. */
  preparedCancel: AlertRecord | null;
}

export interface AlertStore {
  insertDraft(record: AlertRecord): Promise<void>;
  get(id: string): Promise<AlertRecord | null>;
  getByIdentifier(sender: string, identifier: string): Promise<AlertRecord | null>;
  /** Records the draft as rejected/withdrawn; false if it was no longer a draft. */
  withdraw(id: string, by: string, at: string): Promise<boolean>;
  /**
   * Commits the issued alert and its outbox row atomically; returns the event's seq (null when no event).
   * Seqs are in commit order: a reader that has seen seq N never later sees a new row below N (SSE replay with
   * Last-Event-ID relies on it), even when several processes issue at once.
   * Throws LifecycleError('conflict') when the record is no longer in the state the caller read (double approval).
   */
  issue(write: IssueWrite, expectedState: AlertRecord['state']): Promise<{ seq: number | null }>;
  /** Issued or imported, not replaced, not expired at `now`, not a Cancel. */
  listActive(now: string): Promise<AlertRecord[]>;
  /** The prepared false-alarm cancel of an issued alert, if still a draft. */
  preparedCancelFor(id: string): Promise<AlertRecord | null>;
  /** The delivered event of every active alert (see listActive), oldest first: what GET /api/alerts serves. */
  activeEvents(nowMs: number): Promise<OutboxEntry[]>;
  /** The latest event delivered for an alert, if any. */
  eventFor(alertId: string): Promise<AlertEvent | null>;
  /**
   * Every delivered event of the alert chains (thread) that may have been in force at or after `sinceMs`: a message
   * committed since then, or one without expiry or expiring since then. At most `maxChains` chains, the newest first;
   * events oldest first.
   */
  historyEvents(sinceMs: number, maxChains: number): Promise<AlertEvent[]>;
  /** Every alert in any state, newest first (operator console). */
  listRecent(limit: number): Promise<AlertRecord[]>;
}

/** An authority whose CAP messages go live on import when their XML signature verifies against its key. */
export interface TrustedAuthority {
  /** CAP <sender> exactly as the authority writes it (compared without regard to case). */
  sender: string;
  /** Name residents see on its alerts. */
  name: string;
  /** Its Ed25519 public key (SPKI PEM). */
  publicKeyPem: string;
  keyId: string;
  addedBy: string;
  addedAt: string;
}

/** The configured trusted authorities (src/store/sqlite/alerts-trust-store.ts; managed with `refuge alerts trust`). */
export interface TrustedAuthorityStore {
  /** The authority whose sender matches (without regard to case or surrounding space), or null. */
  find(sender: string): Promise<TrustedAuthority | null>;
  list(): Promise<TrustedAuthority[]>;
  /** Adds or replaces (same sender) an authority. */
  put(authority: TrustedAuthority): Promise<void>;
  remove(sender: string): Promise<boolean>;
}

/** What the import knows about who sent a message: trusted only with a verified signature of a configured authority. */
export interface ImportTrustAssessment {
  trusted: boolean;
  /** The configured authority for the message's sender, whether or not its signature held. */
  authority: TrustedAuthority | null;
  /** Why it is not trusted; null when trusted. */
  reason: string | null;
  /**
   * The sender is a configured trusted authority and the message carries a signature that does not verify (another
   * key, changed after signing, a broken signature): evidence of forgery or tampering, so the import is refused.
   * Absent or false for an unsigned message, which is merely unverified.
   */
  signatureInvalid?: boolean;
}

/** Decides whether an imported CAP document comes from a trusted authority (src/alerts/signing/trust.ts). */
export type ImportTrustCheck = (cap: CapAlert, capXml: string) => Promise<ImportTrustAssessment>;
