// The audit log of one record, for the console: what each change did to which fields, newest first. A route would
// answer GET /api/audit/:table/:key with it (staff only); see docs/audit.md.
import { auditedTable } from './coverage.ts';
import type { AuditStore } from './ports.ts';

export interface RecordChange {
  seq: number;
  at: string;
  op: string;
  /** Fields that differ between before and after (all fields of an insert or a delete). */
  changes: Record<string, { old: unknown; new: unknown }>;
}

export class AuditLogError extends Error {
  constructor(message: string, readonly field: string) { super(message); }
}

const parse = (text: string | null): Record<string, unknown> | null => (text === null ? null : JSON.parse(text) as Record<string, unknown>);

/** Same value on both sides? (JSON values compare by their JSON form.) */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export async function recordLog(store: AuditStore, table: string, key: string, opts: { limit?: number; beforeSeq?: number } = {}): Promise<RecordChange[]> {
  if (!auditedTable(table)) throw new AuditLogError(`${table} is not an audited table`, 'table');
  if (!key || key.length > 1000) throw new AuditLogError('key must be 1 to 1000 characters', 'key');
  const limit = opts.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new AuditLogError('limit must be an integer from 1 to 1000', 'limit');
  const entries = await store.entriesFor(table, key, limit, opts.beforeSeq);
  return entries.map((e) => {
    const before = parse(e.before) ?? {};
    const after = parse(e.after) ?? {};
    const changes: RecordChange['changes'] = {};
    for (const f of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const o = f in before ? before[f] : null;
      const n = f in after ? after[f] : null;
      if (e.op !== 'update' || !same(o, n)) changes[f] = { old: o, new: n };
    }
    return { seq: e.seq, at: e.at, op: e.op, changes };
  });
}
