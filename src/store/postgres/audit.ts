// PostgreSQL implementation of the audit port: reads of audit_log (written at each commit by the triggers of
// migration 100_audit.sql) and the seals of its head.
import type pg from 'pg';
import type { AuditEntry, AuditHead, AuditSeal, AuditStore } from '../../audit/ports.ts';

interface EntryRow { seq: string; at: string; tbl: string; op: string; key: string; before: string | null; after: string | null; prev_hash: string; hash: string }
interface SealRow { seq: string; hash: string; at: string; key_id: string; signature: string }

const entry = (r: EntryRow): AuditEntry => ({ seq: Number(r.seq), at: r.at, table: r.tbl, op: r.op, key: r.key, before: r.before, after: r.after, prevHash: r.prev_hash, hash: r.hash });
const seal = (r: SealRow): AuditSeal => ({ seq: Number(r.seq), hash: r.hash, at: r.at, keyId: r.key_id, signature: r.signature });

export class PostgresAuditStore implements AuditStore {
  constructor(private readonly pool: pg.Pool) {}

  async head(): Promise<AuditHead | null> {
    const r = (await this.pool.query('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')).rows[0];
    return r ? { seq: Number(r.seq), hash: r.hash } : null;
  }

  async entries(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    return (await this.pool.query('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit])).rows.map(entry);
  }

  async entriesFor(table: string, key: string, limit: number, beforeSeq?: number): Promise<AuditEntry[]> {
    return (await this.pool.query('SELECT * FROM audit_log WHERE tbl = $1 AND key = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4',
      [table, key, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit])).rows.map(entry);
  }

  async seals(): Promise<AuditSeal[]> {
    return (await this.pool.query('SELECT * FROM audit_seals ORDER BY seq')).rows.map(seal);
  }

  async latestSeal(): Promise<AuditSeal | null> {
    const r = (await this.pool.query('SELECT * FROM audit_seals ORDER BY seq DESC LIMIT 1')).rows[0];
    return r ? seal(r) : null;
  }

  async addSeal(s: AuditSeal): Promise<boolean> {
    const r = await this.pool.query('INSERT INTO audit_seals (seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING',
      [s.seq, s.hash, s.at, s.keyId, s.signature]);
    return r.rowCount === 1;
  }
}
