// `refuge db copy`: moves a whole installation from its SQLite file into PostgreSQL (issue 10). Every table of the
// SQLite schema, in foreign-key order, values converted by the TARGET's column types, batched, in one transaction on
// the target that ends only after the row counts of both sides were compared; then the files beside the database
// (signing key, walking graph) go to the target's data directory.
//
// Only SQLite -> PostgreSQL: PostgreSQL -> SQLite would need the reverse of every conversion (arrays, identities,
// per-parent ord columns) and nobody needs it to run a country.
import Database from 'better-sqlite3';
import type pg from 'pg';
import { copyFileSync, chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { openDatabase } from './sqlite/db.ts';
import { isPostgresUrl, openStore, redactUrl } from './open-store.ts';
import type { PostgresStore } from './postgres/index.ts';
import type { DataPaths } from '../app/paths.ts';

/** A refusal or a failed check: the CLI prints the message as one line, nothing was committed. */
export class CopyError extends Error {}

export interface CopyOptions {
  /** The SQLite file. */
  from: string;
  /** postgres://… */
  to: string;
  /** Target schema (default public). */
  schema?: string;
  /** Empty a non-empty target first (in the same transaction). */
  force?: boolean;
  /** Rows per INSERT (default: as many as fit 30,000 parameters, at most 1,000). */
  batchRows?: number;
  /**
   * Bytes of values per INSERT (default 8 MB): a batch ends before a row that would pass it, so 1,000 shelter photos of
   * up to 2 MB each never make one 2 GB statement. A single row larger than this goes alone.
   */
  batchBytes?: number;
}

export const DEFAULT_BATCH_BYTES = 8 * 1024 * 1024;

export interface TableCount {
  table: string;
  source: number;
  target: number;
  /** INSERT statements the rows took, and the largest one's values in bytes (about: strings by their length). */
  inserts: number;
  largestInsertBytes: number;
}

export interface CopyReport {
  source: string;
  target: string;
  schema: string;
  /** Copied tables in the order they were written, with both sides' counts (equal, or the copy would have failed). */
  tables: TableCount[];
  /** Tables only PostgreSQL has, and what was done with them. */
  targetOnly: Array<{ table: string; action: string; rows: number }>;
  /** Tables that had rows and were emptied (--force). */
  emptied: string[];
}

/** SQLite's own tables and the migration log (each side keeps its own). */
const NOT_COPIED = new Set(['schema_migrations']);

/**
 * PostgreSQL columns SQLite does not have, computed from the SQLite row: `ord` is the 0-based position within the
 * parent, the order SQLite gives by rowid (see src/store/postgres/planning.ts, which writes them the same way).
 */
const DERIVED_COLUMNS: Record<string, Record<string, string>> = {
  population_cells: { ord: 'ROW_NUMBER() OVER (PARTITION BY import_id ORDER BY id) - 1' },
  plan_assignments: { ord: 'ROW_NUMBER() OVER (PARTITION BY plan_id ORDER BY rowid) - 1' },
};
/** SQLite columns PostgreSQL has no place for, with why. */
const DROPPED_COLUMNS: Record<string, Record<string, string>> = {
  population_cells: { id: 'replaced by ord' },
};

/**
 * Lock tables PostgreSQL keeps beside the data (rows to `SELECT … FOR UPDATE` across processes): rebuilt from the
 * copied rows, so every existing depot+item and region has its row before the first write.
 */
const DERIVED_TABLES: Record<string, string> = {
  stock_positions: `INSERT INTO stock_positions (depot_id, item_id)
    SELECT depot_id, item_id FROM stock_movements UNION SELECT depot_id, item_id FROM stock_movement_lines
    UNION SELECT depot_id, item_id FROM stock_balances ON CONFLICT DO NOTHING`,
  regime_regions: 'INSERT INTO regime_regions (region_code) SELECT DISTINCT region_code FROM regime_changes ON CONFLICT DO NOTHING',
};

interface TargetColumn { name: string; type: string; dataType: string; nullable: boolean; hasDefault: boolean; identity: boolean; generated: boolean }
interface SourceColumn { name: string; integerKey: boolean }
interface Plan {
  table: string;
  /** Target column, the SQLite expression giving it, and how to convert the value. */
  columns: Array<{ target: TargetColumn; expr: string; fromKey: boolean }>;
  withoutRowid: boolean;
  /** Columns referencing this same table: written after every row is in (a row may name a later one). */
  selfRefs: Set<string>;
  primaryKey: string[];
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function copyDatabase(opts: CopyOptions): Promise<CopyReport> {
  if (!isPostgresUrl(opts.to)) throw new CopyError('--to must be a postgres:// URL (only SQLite -> PostgreSQL is supported)');
  if (isPostgresUrl(opts.from)) throw new CopyError('--from must be an SQLite file (copying out of PostgreSQL is not supported: use pg_dump)');
  const path = opts.from.startsWith('file:') ? new URL(opts.from).pathname : opts.from;
  if (!existsSync(path)) throw new CopyError(`${path}: no such database file`);
  // Bring the file to this version's schema first (what `refuge serve` would do), so both sides have the same shape;
  // then read it through a read-only connection of its own, in one transaction: a consistent snapshot even while a
  // server still writes to it.
  openDatabase(path).close();
  const store = await openStore(opts.to, { schema: opts.schema }) as PostgresStore;
  const src = new Database(path, { readonly: true, fileMustExist: true });
  const report: CopyReport = { source: path, target: redactUrl(opts.to), schema: store.schema, tables: [], targetOnly: [], emptied: [] };
  try {
    src.exec('BEGIN');
    const c = await store.pool.connect();
    try {
      await c.query('BEGIN');
      try {
        await copyAll(src, c, store.schema, opts, report);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      }
    } finally {
      c.release();
      try { src.exec('COMMIT'); } catch { /* read-only: nothing to keep */ }
    }
  } finally {
    src.close();
    await store.close();
  }
  return report;
}

async function copyAll(src: Database.Database, c: pg.PoolClient, schema: string, opts: CopyOptions, report: CopyReport): Promise<void> {
  const target = await targetTables(c, schema);
  const source = sourceTables(src);

  const onlySqlite = [...source.keys()].filter((t) => !target.has(t));
  if (onlySqlite.length) throw new CopyError(`tables only in SQLite, PostgreSQL has no place for them: ${onlySqlite.join(', ')} (is this build's PostgreSQL migration missing?)`);

  const plans = new Map<string, Plan>();
  const problems: string[] = [];
  for (const [table, s] of source) plans.set(table, planTable(table, s, target.get(table)!, problems));
  if (problems.length) throw new CopyError(`the two schemas differ: ${problems.join('; ')}`);

  const fks = await foreignKeys(c, schema);
  for (const [table, plan] of plans) {
    for (const fk of fks.filter((f) => f.table === table && f.references === table)) for (const col of fk.columns) plan.selfRefs.add(col);
    plan.primaryKey = await primaryKey(c, schema, table);
    if (plan.selfRefs.size && !plan.primaryKey.length) throw new CopyError(`${table} references itself but has no primary key to update by`);
  }
  const order = foreignKeyOrder([...plans.keys()], fks);
  const extra = [...target.keys()].filter((t) => !source.has(t) && !NOT_COPIED.has(t)).sort();

  // Stop triggers for the copy (held to commit, as the lock ALTER TABLE takes): the change-feed notices would be one
  // per shelter, and the stock ledger's triggers refuse the balance rows and any emptying. The balances come from
  // SQLite, where the ledger's own trigger kept them; they are checked against the ledger below.
  const all = [...order, ...extra];
  for (const t of all) await c.query(`ALTER TABLE ${q(t)} DISABLE TRIGGER USER`);

  const nonEmpty: Array<[string, number]> = [];
  for (const t of all) {
    const n = await count(c, t);
    if (n > 0) nonEmpty.push([t, n]);
  }
  if (nonEmpty.length && !opts.force) {
    throw new CopyError(`the target schema ${schema} is not empty (${nonEmpty.map(([t, n]) => `${t}: ${n}`).join(', ')}); give --force to replace its data`);
  }
  if (nonEmpty.length) {
    await c.query(`TRUNCATE ${all.map(q).join(', ')}`);
    report.emptied = nonEmpty.map(([t]) => t);
  }

  const sqliteSeq = new Map<string, number>();
  if (src.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get()) {
    for (const r of src.prepare('SELECT name, seq FROM sqlite_sequence').all() as Array<{ name: string; seq: number }>) sqliteSeq.set(r.name, r.seq);
  }
  const sourceCounts = new Map(order.map((t) => [t, (src.prepare(`SELECT count(*) AS n FROM ${q(t)}`).get() as { n: number }).n]));

  const written = new Map<string, { inserts: number; largestInsertBytes: number }>();
  for (const t of order) {
    written.set(t, await copyTable(src, c, plans.get(t)!, opts.batchRows, opts.batchBytes ?? DEFAULT_BATCH_BYTES));
    await resetSequences(c, schema, plans.get(t)!, sqliteSeq.get(t) ?? 0);
  }

  for (const t of extra) {
    const rebuild = DERIVED_TABLES[t];
    if (rebuild) await c.query(rebuild);
    report.targetOnly.push({ table: t, action: rebuild ? 'rebuilt from the copied rows' : 'only in PostgreSQL: left empty', rows: await count(c, t) });
  }

  for (const t of order) report.tables.push({ table: t, source: sourceCounts.get(t)!, target: await count(c, t), inserts: 0, largestInsertBytes: 0, ...written.get(t) });
  const differ = report.tables.filter((r) => r.source !== r.target);
  if (differ.length) {
    const e = new CopyError(`row counts differ: ${differ.map((r) => `${r.table} (sqlite ${r.source}, postgres ${r.target})`).join(', ')}; nothing was committed`);
    (e as CopyError & { report: CopyReport }).report = report;
    throw e;
  }
  if (target.has('stock_balances') && target.has('stock_movement_lines')) {
    const bad = (await c.query(`SELECT count(*)::int AS n FROM (
        SELECT depot_id, item_id, lot, sum(delta) AS q FROM stock_movement_lines GROUP BY 1, 2, 3) l
      FULL JOIN stock_balances b USING (depot_id, item_id, lot) WHERE COALESCE(b.quantity, 0) <> COALESCE(l.q, 0)`)).rows[0].n;
    if (bad) throw new CopyError(`stock_balances disagree with the ledger (stock_movement_lines) in ${bad} rows in the SQLite file itself; nothing was committed`);
  }

  for (const t of all) await c.query(`ALTER TABLE ${q(t)} ENABLE TRIGGER USER`);
  // Processes already running on this schema reload what the disabled triggers did not announce.
  const channel = `refuge_changes_${schema}`.slice(0, 63);
  for (const what of ['shelters', 'wardens', 'regions']) await c.query('SELECT pg_notify($1, $2)', [channel, `${schema} ${what}`]);
}

function sourceTables(src: Database.Database): Map<string, { columns: SourceColumn[]; withoutRowid: boolean }> {
  const out = new Map<string, { columns: SourceColumn[]; withoutRowid: boolean }>();
  const tables = src.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as Array<{ name: string; sql: string }>;
  for (const { name, sql } of tables) {
    if (NOT_COPIED.has(name)) continue;
    const info = src.prepare(`PRAGMA table_info(${q(name)})`).all() as Array<{ name: string; type: string; pk: number }>;
    const pks = info.filter((c) => c.pk > 0);
    out.set(name, {
      columns: info.map((c) => ({ name: c.name, integerKey: pks.length === 1 && c.pk === 1 && c.type.toUpperCase() === 'INTEGER' })),
      withoutRowid: /\)\s*WITHOUT\s+ROWID\s*;?\s*$/i.test(sql),
    });
  }
  return out;
}

async function targetTables(c: pg.PoolClient, schema: string): Promise<Map<string, TargetColumn[]>> {
  const rows = (await c.query(`SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable, c.column_default,
      c.is_identity, c.is_generated
    FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
    WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`, [schema])).rows;
  const out = new Map<string, TargetColumn[]>();
  for (const r of rows) {
    const type = r.data_type === 'ARRAY' ? `${r.udt_name.slice(1)}[]` : r.data_type === 'USER-DEFINED' ? r.udt_name : r.data_type;
    if (!out.has(r.table_name)) out.set(r.table_name, []);
    out.get(r.table_name)!.push({
      name: r.column_name, type, dataType: r.data_type, nullable: r.is_nullable === 'YES', hasDefault: r.column_default !== null,
      identity: r.is_identity === 'YES', generated: r.is_generated === 'ALWAYS',
    });
  }
  return out;
}

function planTable(table: string, s: { columns: SourceColumn[]; withoutRowid: boolean }, target: TargetColumn[], problems: string[]): Plan {
  const byName = new Map(s.columns.map((c) => [c.name, c]));
  const used = new Set<string>();
  const columns: Plan['columns'] = [];
  for (const t of target) {
    if (t.generated) continue; // PostgreSQL computes it (the PostGIS geom columns)
    const same = byName.get(t.name);
    const derived = DERIVED_COLUMNS[table]?.[t.name];
    if (same) {
      used.add(t.name);
      columns.push({ target: t, expr: q(t.name), fromKey: same.integerKey });
    } else if (derived) {
      columns.push({ target: t, expr: derived, fromKey: false });
    } else if (t.identity && !s.withoutRowid) {
      // pos / seq / ord: PostgreSQL's stand-in for SQLite's rowid (insertion order), so keep the rowid itself.
      columns.push({ target: t, expr: 'rowid', fromKey: false });
    } else if (!t.nullable && !t.hasDefault) {
      problems.push(`${table}.${t.name} is only in PostgreSQL and has no value to take`);
    }
  }
  for (const c of s.columns) {
    if (!used.has(c.name) && !DROPPED_COLUMNS[table]?.[c.name]) problems.push(`${table}.${c.name} is only in SQLite`);
  }
  return { table, columns, withoutRowid: s.withoutRowid, selfRefs: new Set(), primaryKey: [] };
}

interface ForeignKey { table: string; references: string; columns: string[] }

async function foreignKeys(c: pg.PoolClient, schema: string): Promise<ForeignKey[]> {
  const rows = (await c.query(`SELECT cl.relname AS table, rf.relname AS references,
      array(SELECT a.attname FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k) AS columns
    FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_class rf ON rf.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE con.contype = 'f' AND n.nspname = $1`, [schema])).rows;
  return rows.map((r) => ({ table: r.table, references: r.references, columns: r.columns }));
}

async function primaryKey(c: pg.PoolClient, schema: string, table: string): Promise<string[]> {
  return (await c.query(`SELECT a.attname FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = cl.relnamespace CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY k(attnum, i)
      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
    WHERE con.contype = 'p' AND n.nspname = $1 AND cl.relname = $2 ORDER BY k.i`, [schema, table])).rows.map((r) => r.attname);
}

/** Referenced tables first; names in alphabetical order among equals so the order is the same every run. */
export function foreignKeyOrder(tables: string[], fks: ForeignKey[]): string[] {
  const set = new Set(tables);
  const deps = new Map(tables.map((t) => [t, new Set(fks.filter((f) => f.table === t && f.references !== t && set.has(f.references)).map((f) => f.references))]));
  const done: string[] = [];
  const placed = new Set<string>();
  while (done.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...deps.get(t)!].every((d) => placed.has(d))).sort();
    if (!ready.length) throw new CopyError(`foreign keys form a cycle among ${tables.filter((t) => !placed.has(t)).join(', ')}`);
    for (const t of ready) { placed.add(t); done.push(t); }
  }
  return done;
}

async function count(c: pg.PoolClient, table: string): Promise<number> {
  return (await c.query(`SELECT count(*)::int AS n FROM ${q(table)}`)).rows[0].n;
}

/** The SQLite value as the target column's type wants it. */
function convert(v: unknown, col: TargetColumn, table: string): unknown {
  if (v === null || v === undefined) return null;
  switch (col.dataType) {
    case 'boolean':
      if (typeof v === 'number' || typeof v === 'bigint') return v !== 0 && v !== 0n;
      if (typeof v === 'string') return v === '1' || v.toLowerCase() === 'true';
      return Boolean(v);
    case 'ARRAY': {
      // SQLite keeps lists as JSON text (users.pending_by)
      const parsed = typeof v === 'string' ? JSON.parse(v) : v;
      if (!Array.isArray(parsed)) throw new CopyError(`${table}.${col.name}: ${JSON.stringify(v)} is not a JSON array`);
      return parsed;
    }
    case 'json': case 'jsonb': case 'text': case 'character varying':
      return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : v;
    default:
      return typeof v === 'bigint' ? v.toString() : v;
  }
}

/** About how many bytes a value takes in a statement (strings by length: counting UTF-8 would cost more than it tells). */
function valueBytes(v: unknown): number {
  if (v === null || v === undefined) return 1;
  if (typeof v === 'string') return v.length;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return v.byteLength;
  if (typeof v === 'object') return JSON.stringify(v).length;
  return 8;
}

async function copyTable(src: Database.Database, c: pg.PoolClient, plan: Plan, batchRows: number | undefined, batchBytes: number): Promise<{ inserts: number; largestInsertBytes: number }> {
  const { table, columns } = plan;
  const figures = { inserts: 0, largestInsertBytes: 0 };
  if (!columns.length) return figures;
  const order = plan.withoutRowid ? '' : ' ORDER BY rowid';
  const stmt = src.prepare(`SELECT ${columns.map((col, i) => `${col.expr} AS c${i}`).join(', ')} FROM ${q(table)}${order}`).raw(true);
  const identity = columns.some((col) => col.target.identity);
  const per = Math.max(1, Math.min(batchRows ?? 1000, Math.floor(30000 / columns.length)));
  const head = `INSERT INTO ${q(table)} (${columns.map((col) => q(col.target.name)).join(', ')})${identity ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES `;
  const casts = columns.map((col) => col.target.type);
  const selfIdx = columns.map((col, i) => (plan.selfRefs.has(col.target.name) ? i : -1)).filter((i) => i >= 0);
  const keyIdx = plan.primaryKey.map((k) => columns.findIndex((col) => col.target.name === k));
  if (selfIdx.length && keyIdx.includes(-1)) throw new CopyError(`${table}: its primary key is not among the copied columns`);
  const later: unknown[][] = []; // [pk…, self-ref values…] of rows that reference a row of their own table

  let batch: unknown[][] = [];
  let bytes = 0;
  const flush = async () => {
    if (!batch.length) return;
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((v, i) => { params.push(v); return `$${params.length}::${casts[i]}`; }).join(', ')})`);
    await c.query(head + tuples.join(', '), params);
    figures.inserts++;
    figures.largestInsertBytes = Math.max(figures.largestInsertBytes, bytes);
    batch = [];
    bytes = 0;
  };
  // better-sqlite3's iterator holds the connection; nothing else reads SQLite until it is done.
  for (const raw of stmt.iterate() as Iterable<unknown[]>) {
    const row = raw.map((v, i) => convert(v, columns[i].target, table));
    if (selfIdx.some((i) => row[i] !== null)) {
      later.push([...keyIdx.map((i) => row[i]), ...selfIdx.map((i) => row[i])]);
      for (const i of selfIdx) row[i] = null;
    }
    let rowBytes = 0;
    for (const v of row) rowBytes += valueBytes(v);
    // Rows (parameters) or bytes, whichever fills first: PostgreSQL holds the whole statement and its values in memory.
    if (batch.length > 0 && bytes + rowBytes > batchBytes) await flush();
    batch.push(row);
    bytes += rowBytes;
    if (batch.length >= per) await flush();
  }
  await flush();

  // Second pass: the references to rows of the same table, now that every row is in.
  const setCols = selfIdx.map((i) => columns[i].target);
  const keyCols = keyIdx.map((i) => columns[i].target);
  const width = keyCols.length + setCols.length;
  for (let at = 0; at < later.length; at += Math.floor(30000 / width)) {
    const part = later.slice(at, at + Math.floor(30000 / width));
    const params: unknown[] = [];
    const all = [...keyCols, ...setCols];
    const tuples = part.map((r) => `(${r.map((v, i) => { params.push(v); return `$${params.length}::${all[i].type}`; }).join(', ')})`);
    const names = all.map((_, i) => `v${i}`);
    await c.query(`UPDATE ${q(table)} t SET ${setCols.map((col, j) => `${q(col.name)} = v.v${keyCols.length + j}`).join(', ')}
      FROM (VALUES ${tuples.join(', ')}) AS v(${names.join(', ')})
      WHERE ${keyCols.map((col, i) => `t.${q(col.name)} = v.v${i}`).join(' AND ')}`, params);
  }
  return figures;
}

/** Next values after the copied ones (never below SQLite's AUTOINCREMENT mark: SSE ids must not be reused). */
async function resetSequences(c: pg.PoolClient, schema: string, plan: Plan, autoincrement: number): Promise<void> {
  for (const col of plan.columns) {
    const seq = (await c.query('SELECT pg_get_serial_sequence($1, $2) AS s', [`${q(schema)}.${q(plan.table)}`, col.target.name])).rows[0].s as string | null;
    if (!seq) continue;
    const max = Number((await c.query(`SELECT COALESCE(max(${q(col.target.name)}), 0)::bigint::text AS m FROM ${q(plan.table)}`)).rows[0].m);
    const next = Math.max(max, col.fromKey ? autoincrement : 0) + 1;
    await c.query('SELECT setval($1, $2, false)', [seq, next]);
  }
}

// ---- the files beside the database ----

export interface FileCopy { what: string; from: string; to: string; action: 'copied' | 'already there' | 'none at the source' | 'replaced' }

const sameFile = (a: string, b: string) => existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));

/** What copyDataFiles would refuse to overwrite without --force (checked before the database is touched). */
export function dataFileConflicts(from: DataPaths, to: DataPaths): string[] {
  const out: string[] = [];
  const key = 'cap-signing-key.pem';
  if (from.signingKeyDir !== to.signingKeyDir && existsSync(`${from.signingKeyDir}/${key}`) && existsSync(`${to.signingKeyDir}/${key}`)
    && !sameFile(`${from.signingKeyDir}/${key}`, `${to.signingKeyDir}/${key}`)) out.push(`${to.signingKeyDir} holds a different signing key`);
  if (from.networkFile !== to.networkFile && existsSync(from.networkFile) && existsSync(to.networkFile) && !sameFile(from.networkFile, to.networkFile)) {
    out.push(`${to.networkFile} is a different walking graph`);
  }
  return out;
}

/**
 * Copies the signing key directory and the walking graph into the target's places. A different key or graph already
 * there is moved aside (never deleted: alerts signed with a key still verify against its public half).
 */
export function copyDataFiles(from: DataPaths, to: DataPaths, stamp = new Date().toISOString().replace(/[:.]/g, '-')): FileCopy[] {
  const out: FileCopy[] = [];
  const keySrc = from.signingKeyDir;
  const keyDst = to.signingKeyDir;
  if (!existsSync(keySrc) || !readdirSync(keySrc).length) {
    out.push({ what: 'signing key', from: keySrc, to: keyDst, action: 'none at the source' });
  } else if (keySrc === keyDst || readdirSync(keySrc).every((f) => sameFile(`${keySrc}/${f}`, `${keyDst}/${f}`))) {
    out.push({ what: 'signing key', from: keySrc, to: keyDst, action: 'already there' });
  } else {
    let action: FileCopy['action'] = 'copied';
    if (existsSync(keyDst) && readdirSync(keyDst).length) {
      renameSync(keyDst, `${keyDst}.replaced-${stamp}`);
      action = 'replaced';
    }
    mkdirSync(dirname(keyDst), { recursive: true });
    cpSync(keySrc, keyDst, { recursive: true });
    chmodSync(keyDst, 0o700);
    for (const f of readdirSync(keyDst)) if (!f.endsWith('.pub.pem')) chmodSync(`${keyDst}/${f}`, 0o600);
    out.push({ what: 'signing key', from: keySrc, to: keyDst, action });
  }
  const netSrc = from.networkFile;
  const netDst = to.networkFile;
  if (!existsSync(netSrc)) {
    out.push({ what: 'walking graph', from: netSrc, to: netDst, action: 'none at the source' });
  } else if (netSrc === netDst || (existsSync(netDst) && statSync(netSrc).size === statSync(netDst).size && sameFile(netSrc, netDst))) {
    out.push({ what: 'walking graph', from: netSrc, to: netDst, action: 'already there' });
  } else {
    const action: FileCopy['action'] = existsSync(netDst) ? 'replaced' : 'copied';
    if (action === 'replaced') renameSync(netDst, `${netDst}.replaced-${stamp}`);
    mkdirSync(dirname(netDst), { recursive: true });
    copyFileSync(netSrc, netDst);
    out.push({ what: 'walking graph', from: netSrc, to: netDst, action });
  }
  return out;
}
