// What the lifecycle needs from the outside world. The SQLite store, the region index and the CAP/signing code
// implement these; the lifecycle itself imports no driver and no HTTP.
import type { AlertRecord, CapAlert } from '../model.ts';
import type { AlertEvent } from './alert-event.ts';

/** Someone acting on an alert, as the accounts module knows them. */
export interface Actor {
  name: string;
  role: string;
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
  insertDraft(record: AlertRecord): void;
  get(id: string): AlertRecord | null;
  getByIdentifier(sender: string, identifier: string): AlertRecord | null;
  /** Records the draft as rejected/withdrawn; false if it was no longer a draft. */
  withdraw(id: string, by: string, at: string): boolean;
  /**
   * Commits the issued alert and its outbox row atomically; returns the event's seq (null when no event).
   * Throws LifecycleError('conflict') when the record is no longer in the state the caller read (double approval).
   */
  issue(write: IssueWrite, expectedState: AlertRecord['state']): { seq: number | null };
  /** Issued or imported, not replaced, not expired at `now`, not a Cancel. */
  listActive(now: string): AlertRecord[];
  /** The prepared false-alarm cancel of an issued alert, if still a draft. */
  preparedCancelFor(id: string): AlertRecord | null;
}
