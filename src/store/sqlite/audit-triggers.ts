// The SQLite side of the audit log: the hash functions every connection needs before it writes an audited table, and
// the triggers that append an entry to audit_log in the transaction of each change. SQLite has one writer at a time,
// so a trigger can read the head and append after it. The triggers list each table's columns, so they are
// generated from src/audit/coverage.ts and the live schema at every open, and replaced when a column was added.
import type Database from 'better-sqlite3';
import { AUDITED_TABLES, GENESIS_HASH, SECRET_CHANGED_MARK, SECRET_MARK, entryHash, textDigest, type AuditedTable } from '../../audit/index.ts';

type Db = Database.Database;

/** refuge_audit_hash(prev, seq, at, tbl, op, key, before, after) and refuge_sha256(text): see src/audit/chain.ts. */
export function registerAuditFunctions(db: Db): void {
  db.function('refuge_audit_hash', { deterministic: true }, (prev: unknown, seq: unknown, at: unknown, table: unknown, op: unknown, key: unknown, before: unknown, after: unknown) =>
    entryHash(String(prev), {
      seq: Number(seq), at: String(at), table: String(table), op: String(op), key: String(key),
      before: before === null ? null : String(before), after: after === null ? null : String(after),
    }));
  db.function('refuge_sha256', { deterministic: true }, (text: unknown) => (text === null ? null : textDigest(String(text))));
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The JSON of the row as the log keeps it: secrets as a mark, large values as their digest. */
function rowJson(t: AuditedTable, columns: string[], ref: 'NEW' | 'OLD', other: 'NEW' | 'OLD' | null): string {
  const parts = columns.map((c) => {
    const v = `${ref}.${q(c)}`;
    let expr = v;
    if (t.secret?.includes(c)) {
      const changed = other ? `WHEN ${other}.${q(c)} IS NOT ${v} THEN ${lit(SECRET_CHANGED_MARK)} ` : '';
      expr = `CASE WHEN ${v} IS NULL THEN NULL ${changed}ELSE ${lit(SECRET_MARK)} END`;
    } else if (t.digest?.includes(c)) {
      expr = `CASE WHEN ${v} IS NULL THEN NULL ELSE 'sha256:' || refuge_sha256(${v}) END`;
    }
    return `${lit(c)}, ${expr}`;
  });
  return `json_object(${parts.join(', ')})`;
}

function keyExpr(t: AuditedTable, ref: 'NEW' | 'OLD'): string {
  return t.key.map((k) => `coalesce(CAST(${ref}.${q(k)} AS TEXT), '')`).join(` || '/' || `);
}

/** One trigger: append (seq = head + 1, prev_hash = head's hash) with the hash computed over the entry. */
function triggerSql(t: AuditedTable, columns: string[], op: 'insert' | 'update' | 'delete'): string {
  const event = op.toUpperCase();
  const ref = op === 'delete' ? 'OLD' : 'NEW';
  const before = op === 'insert' ? 'NULL' : rowJson(t, columns, 'OLD', null);
  const after = op === 'delete' ? 'NULL' : rowJson(t, columns, 'NEW', op === 'update' ? 'OLD' : null);
  // An update that changes no logged column (only ignored bookkeeping, or nothing) writes no entry.
  const when = op === 'update' ? ` WHEN ${columns.map((c) => `OLD.${q(c)} IS NOT NEW.${q(c)}`).join(' OR ')}` : '';
  // OFFSET 0 keeps the subquery from being flattened, so the row JSON is built once, not once per use.
  return `CREATE TRIGGER ${q(`audit_${t.table}_${op}`)} AFTER ${event} ON ${q(t.table)}${when}
BEGIN
  INSERT INTO audit_log (seq, at, tbl, op, key, before, after, prev_hash, hash)
  SELECT s, a, ${lit(t.table)}, ${lit(op)}, k, b, j, p, refuge_audit_hash(p, s, a, ${lit(t.table)}, ${lit(op)}, k, b, j)
  FROM (SELECT coalesce((SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1), 0) + 1 AS s,
               coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ${lit(GENESIS_HASH)}) AS p,
               strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS a, ${keyExpr(t, ref)} AS k, ${before} AS b, ${after} AS j
        LIMIT 1 OFFSET 0);
END`;
}

/** The log is append-only: an UPDATE or DELETE on it fails (tampering needs the triggers dropped first). */
const GUARDS: Record<string, string> = {
  audit_log_no_update: `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
  audit_log_no_delete: `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
};

/** Every audit trigger the schema should have now, by name. */
export function desiredAuditTriggers(db: Db): Map<string, { table: string; sql: string }> {
  const out = new Map<string, { table: string; sql: string }>();
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
  if (!exists.get('audit_log')) return out;
  for (const [name, sql] of Object.entries(GUARDS)) out.set(name, { table: 'audit_log', sql });
  for (const t of AUDITED_TABLES) {
    if (!exists.get(t.table)) continue;
    const columns = (db.prepare(`PRAGMA table_info(${q(t.table)})`).all() as Array<{ name: string }>)
      .map((c) => c.name).filter((c) => !t.ignore?.includes(c));
    for (const op of ['insert', 'update', 'delete'] as const) out.set(`audit_${t.table}_${op}`, { table: t.table, sql: triggerSql(t, columns, op) });
  }
  return out;
}

/**
 * Creates the audit triggers that are missing and replaces those whose table changed since (compared by their SQL,
 * which SQLite keeps as written). One writer at a time does it; an unchanged schema costs a read of sqlite_master.
 */
export function installAuditTriggers(db: Db): string[] {
  const installed = () => new Map((db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'audit\\_%' ESCAPE '\\')").all() as Array<{ name: string; sql: string }>).map((r) => [r.name, r.sql]));
  // Missing or different, and those of tables no longer audited.
  const stale = (have: Map<string, string>, want: Map<string, { sql: string }>) => [
    ...[...want].filter(([name, w]) => have.get(name) !== w.sql).map(([name]) => name),
    ...[...have.keys()].filter((name) => !want.has(name)),
  ];
  if (!stale(installed(), desiredAuditTriggers(db)).length) return [];
  let changed: string[] = [];
  db.transaction(() => {
    const want = desiredAuditTriggers(db); // again, inside the write lock: another process may have done it
    changed = stale(installed(), want);
    for (const name of changed) {
      db.exec(`DROP TRIGGER IF EXISTS ${q(name)}`);
      const w = want.get(name);
      if (w) db.exec(w.sql);
    }
  }).immediate();
  return changed;
}
