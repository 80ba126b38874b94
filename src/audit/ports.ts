// The audit log as the domain sees it. Entries are written by the stores themselves (database triggers, in the
// transaction of each change), so there is no append here: the port reads the log and keeps the signed heads.
import type { EntryContent } from './chain.ts';

export interface AuditEntry extends EntryContent {
  /** The hash of the entry before (GENESIS_HASH for the first). */
  prevHash: string;
  hash: string;
}

/** A signature over the chain's head at one moment: rewriting the log up to `seq` would need the signing key. */
export interface AuditSeal {
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  /** Ed25519 over sealMessage(seq, hash, at), base64. */
  signature: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

export interface AuditStore {
  /** The last entry's seq and hash; null while the log is empty. */
  head(): Promise<AuditHead | null>;
  /** Entries after `afterSeq` in seq order, at most `limit`. */
  entries(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /** Entries about one row (table and key), newest first, at most `limit`, older than `beforeSeq` when given. */
  entriesFor(table: string, key: string, limit: number, beforeSeq?: number): Promise<AuditEntry[]>;
  /** Every seal, by seq. */
  seals(): Promise<AuditSeal[]>;
  latestSeal(): Promise<AuditSeal | null>;
  /** Stores a seal; false when the same head was sealed already (by another process). */
  addSeal(seal: AuditSeal): Promise<boolean>;
}
