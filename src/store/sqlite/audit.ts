// SQLite implementation of the audit port: reads of audit_log (written by the triggers of audit-triggers.ts) and the
// seals of its head.
import type { Db } from './db.ts';
import type { AuditEntry, AuditHead, AuditSeal, AuditStore } from '../../audit/ports.ts';

interface EntryRow { seq: number; at: string; tbl: string; op: string; key: string; before: string | null; after: string | null; prev_hash: string; hash: string }
interface SealRow { seq: number; hash: string; at: string; key_id: string; signature: string }

const entry = (r: EntryRow): AuditEntry => ({ seq: r.seq, at: r.at, table: r.tbl, op: r.op, key: r.key, before: r.before, after: r.after, prevHash: r.prev_hash, hash: r.hash });
const seal = (r: SealRow): AuditSeal => ({ seq: r.seq, hash: r.hash, at: r.at, keyId: r.key_id, signature: r.signature });

export class SqliteAuditStore implements AuditStore {
  constructor(private readonly db: Db) {}

  async head(): Promise<AuditHead | null> {
    return (this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as AuditHead | undefined) ?? null;
  }

  async entries(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    return (this.db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as EntryRow[]).map(entry);
  }

  async entriesFor(table: string, key: string, limit: number, beforeSeq?: number): Promise<AuditEntry[]> {
    return (this.db.prepare('SELECT * FROM audit_log WHERE tbl = ? AND key = ? AND seq < ? ORDER BY seq DESC LIMIT ?')
      .all(table, key, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit) as EntryRow[]).map(entry);
  }

  async seals(): Promise<AuditSeal[]> {
    return (this.db.prepare('SELECT * FROM audit_seals ORDER BY seq').all() as SealRow[]).map(seal);
  }

  async latestSeal(): Promise<AuditSeal | null> {
    const r = this.db.prepare('SELECT * FROM audit_seals ORDER BY seq DESC LIMIT 1').get() as SealRow | undefined;
    return r ? seal(r) : null;
  }

  async addSeal(s: AuditSeal): Promise<boolean> {
    return this.db.prepare('INSERT INTO audit_seals (seq, hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING')
      .run(s.seq, s.hash, s.at, s.keyId, s.signature).changes === 1;
  }
}

/**
 * The audit log of a database file through a read-only connection of its own: checking a backup or a live file
 * neither migrates nor changes it. Null when the file has no audit log yet (made before it).
 */
export async function openSqliteAuditReadOnly(path: string): Promise<{ audit: AuditStore; close(): Promise<void> } | null> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path, { readonly: true, fileMustExist: true });
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get()) {
    db.close();
    return null;
  }
  return { audit: new SqliteAuditStore(db), close: async () => { db.close(); } };
}
