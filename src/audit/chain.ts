// The hash chain of the audit log, in the one form both stores compute (SQLite through a function registered on the
// connection that calls entryHash; PostgreSQL in SQL, src/store/postgres/migrations/100_audit.sql) and that verify
// recomputes. Version 1:
//   digest = sha256hex(utf8(canonical(seq, at, table, op, key, before, after)))
//   hash   = sha256hex(prev_hash || digest)          (both 64 lower-case hex characters)
// canonical() writes each field as "<bytes>:<text>" (null as "-"), joined by "\n": no two entries share a form,
// whatever their text holds. The first entry's prev_hash is GENESIS_HASH.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditOp = 'insert' | 'update' | 'delete';

/** What is hashed of an entry (the stored text, exactly: the row JSON is kept as written). */
export interface EntryContent {
  seq: number;
  at: string;
  table: string;
  op: string;
  key: string;
  /** The row before the change, as JSON text; null for an insert. */
  before: string | null;
  /** The row after the change, as JSON text; null for a delete. */
  after: string | null;
}

const field = (v: string | null): string => (v === null ? '-' : `${Buffer.byteLength(v, 'utf8')}:${v}`);

export function canonicalEntry(e: EntryContent): string {
  return [String(e.seq), e.at, e.table, e.op, e.key, e.before, e.after].map(field).join('\n');
}

const sha256hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

export function entryDigest(e: EntryContent): string {
  return sha256hex(canonicalEntry(e));
}

export function entryHash(prevHash: string, e: EntryContent): string {
  return sha256hex(prevHash + entryDigest(e));
}

/** sha256 hex of a text (the digest the log keeps of large values). */
export function textDigest(text: string): string {
  return sha256hex(text);
}
