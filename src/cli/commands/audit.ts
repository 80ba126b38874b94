// `refuge audit verify|export|record`: checks the tamper-evident audit log (src/audit), writes it out as JSON lines
// for an outside archive, and shows what happened to one record. An SQLite file is read through a read-only
// connection (verifying a backup does not change it); PostgreSQL is opened as every command opens it.
import { existsSync, readFileSync, renameSync, createWriteStream, createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { KeyObject } from 'node:crypto';
import type { CliGroups } from '../groups.ts';
import { DEFAULT_DB, fail } from '../groups.ts';
import type { StoreFlags } from '../../app/compose.ts';
import type { AuditEntry, AuditSeal, AuditStore, AuditVerifyReport } from '../../audit/index.ts';

/** Exit codes scripts rely on (issue 15): 0 intact, 1 not intact (the first bad entry named), 2 could not check. */
const BROKEN = 1;
const CANNOT = 2;

interface AuditFlags extends StoreFlags { key?: string[]; json?: boolean }

const collect = (v: string, prev: string[]) => [...prev, v];

/** The audit log of the database the flags name, and where its signing key would be. */
async function openAudit(o: StoreFlags): Promise<{ audit: AuditStore; keyDir: string; close(): Promise<void> }> {
  const { loadSettings } = await import('../../app/config.ts');
  const { storeLocation } = await import('../../app/compose.ts');
  const { dataPaths } = await import('../../app/paths.ts');
  const { isPostgresUrl, openAuditLog, redactUrl } = await import('../../store/open-store.ts');
  let settings;
  let location: string;
  try {
    settings = loadSettings();
    location = storeLocation(o, settings, DEFAULT_DB);
  } catch (e) {
    fail((e as Error).message, CANNOT);
  }
  const keyDir = dataPaths(location, o.dataDir ?? settings.dataDir).signingKeyDir;
  const path = location.startsWith('file:') ? new URL(location).pathname : location;
  if (!isPostgresUrl(location) && !existsSync(path)) fail(`${path}: no such database file`, CANNOT);
  let log;
  try {
    log = await openAuditLog(location, { schema: settings.pgSchema ?? undefined });
  } catch (e) {
    fail(`cannot open ${redactUrl(location)}: ${(e as Error).message}`, CANNOT);
  }
  if (!log) fail(`${path} has no audit log yet (a database from before it; the next \`refuge serve\` adds it)`, CANNOT);
  return { ...log, keyDir };
}

/** Public keys to check seals with: --key files, else the installation's own signing key. */
async function sealKeys(files: string[], keyDir: string): Promise<Map<string, KeyObject>> {
  const { keyIdOf, loadPublicKey, publicKeyFromPem } = await import('../../alerts/signing/index.ts');
  const keys = new Map<string, KeyObject>();
  for (const file of files) {
    let pem: string;
    try { pem = readFileSync(file, 'utf8'); } catch (e) { fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, CANNOT); }
    try {
      const key = publicKeyFromPem(pem, file);
      keys.set(keyIdOf(key), key);
    } catch (e) { fail((e as Error).message, CANNOT); }
  }
  if (!files.length && keyDir) {
    try {
      const own = loadPublicKey(keyDir);
      if (own) keys.set(keyIdOf(own), own);
    } catch { /* an unreadable key is reported as seals not checked */ }
  }
  return keys;
}

function printReport(r: AuditVerifyReport, json: boolean | undefined): void {
  if (json) process.stdout.write(`${JSON.stringify(r)}\n`);
  for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
  if (!r.ok) {
    const bad = r.firstBad!;
    process.stderr.write(`refuge: audit log NOT intact: first bad entry ${bad.seq} (${bad.kind}): ${bad.message}\n`);
    process.exitCode = BROKEN;
    return;
  }
  if (json) return;
  const head = r.head ? `, head entry ${r.head.seq} (${r.head.hash.slice(0, 16)}…)` : '';
  const seal = r.lastSeal ? `; last seal covers entry ${r.lastSeal.seq} (${r.lastSeal.at})` : '';
  process.stdout.write(`audit log intact: ${r.entries} entries${head}; ${r.seals} seals, ${r.sealsChecked} signatures checked${seal}\n`);
}

/** An exported file (JSON lines, as `audit export` writes them) as pages of entries, and its seals. */
async function readExport(file: string): Promise<{ pages: AsyncIterable<AuditEntry[]>; seals: AuditSeal[] }> {
  if (!existsSync(file)) fail(`${file}: no such file`, CANNOT);
  const entries: AuditEntry[] = [];
  const seals: AuditSeal[] = [];
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    n++;
    if (!line.trim()) continue;
    let v: Record<string, unknown>;
    try { v = JSON.parse(line); } catch { fail(`${file}:${n}: not JSON`, CANNOT); }
    const { type, ...rest } = v;
    if (type === 'seal') seals.push(rest as unknown as AuditSeal);
    else if (type === 'entry') entries.push(rest as unknown as AuditEntry);
    else fail(`${file}:${n}: "type" must be "entry" or "seal"`, CANNOT);
  }
  entries.sort((a, b) => a.seq - b.seq);
  return { pages: (async function* () { yield entries; })(), seals };
}

export function registerAuditCommands(cli: CliGroups): void {
  const audit = cli.program.command('audit').description('the tamper-evident audit log of every change (docs/audit.md)');

  audit.command('verify')
    .description('check the audit log: exit 0 when intact, 1 naming the first bad entry (edited, removed, inserted, reordered, or a seal that does not match), 2 when it could not be checked')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--file <jsonl>', 'check an export (`refuge audit export`) instead of a database')
    .option('--key <public.pem>', 'public key to check the seals with (repeatable; default: the installation\'s signing key)', collect, [])
    .option('--json', 'print the report as one JSON object')
    .action(async (o: AuditFlags & { file?: string }) => {
      const { verifyAuditChain, verifyAuditStore } = await import('../../audit/index.ts');
      if (o.file) {
        const { pages, seals } = await readExport(o.file);
        printReport(await verifyAuditChain(pages, seals, { keys: await sealKeys(o.key ?? [], '') }), o.json);
        return;
      }
      const { audit: log, keyDir, close } = await openAudit(o);
      try {
        printReport(await verifyAuditStore(log, { keys: await sealKeys(o.key ?? [], keyDir) }), o.json);
      } catch (e) {
        fail(`could not read the audit log: ${(e as Error).message}`, CANNOT);
      } finally {
        await close();
      }
    });

  audit.command('export')
    .description('write the audit log as JSON lines for an outside archive: {"type":"entry",...} per entry in order, then {"type":"seal",...}; `audit verify --file` checks it')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--out <file>', 'write to FILE (replaced whole, never half-written) instead of standard output')
    .option('--after <seq>', 'only entries after this one (to append to an archive)', '0')
    .action(async (o: StoreFlags & { out?: string; after: string }) => {
      const after = Number(o.after);
      if (!Number.isInteger(after) || after < 0) fail(`--after must be an entry number (0 or more), not ${o.after}`);
      const { storePages } = await import('../../audit/index.ts');
      const { audit: log, close } = await openAudit(o);
      const tmp = o.out ? `${o.out}.tmp-${process.pid}` : null;
      const out = tmp ? createWriteStream(tmp) : process.stdout;
      const write = (line: string) => new Promise<void>((resolve, reject) => {
        if (out.write(line)) resolve();
        else out.once('drain', resolve).once('error', reject);
      });
      let entries = 0;
      try {
        let last = after;
        for await (const page of storePages(log, after)) {
          for (const e of page) { await write(`${JSON.stringify({ type: 'entry', ...e })}\n`); entries++; last = e.seq; }
        }
        for (const s of await log.seals()) if (s.seq > after && s.seq <= last) await write(`${JSON.stringify({ type: 'seal', ...s })}\n`);
      } finally {
        await close();
      }
      if (tmp) {
        await new Promise<void>((resolve, reject) => (out as NodeJS.WritableStream & { close(cb: (e?: Error) => void): void }).close((e) => (e ? reject(e) : resolve())));
        renameSync(tmp, o.out!);
        process.stderr.write(`${entries} entries written to ${o.out}\n`);
      }
    });

  audit.command('record')
    .description('what happened to one record: the audit entries of TABLE and KEY (e.g. shelters S-12), newest first')
    .argument('<table>', 'an audited table (docs/audit.md)')
    .argument('<key>', "the record's key (composite keys joined with '/')")
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--limit <n>', 'at most N entries', '50')
    .option('--json', 'one JSON object per line')
    .action(async (table: string, key: string, o: StoreFlags & { limit: string; json?: boolean }) => {
      const { recordLog, AuditLogError } = await import('../../audit/index.ts');
      const { audit: log, close } = await openAudit(o);
      try {
        for (const c of await recordLog(log, table, key, { limit: Number(o.limit) })) {
          if (o.json) { process.stdout.write(`${JSON.stringify(c)}\n`); continue; }
          const fields = Object.entries(c.changes).map(([f, v]) => (c.op === 'update' ? `${f}: ${JSON.stringify(v.old)} -> ${JSON.stringify(v.new)}` : f));
          process.stdout.write(`${c.seq}  ${c.at}  ${c.op}  ${c.op === 'update' ? fields.join('; ') : `(${fields.length} fields)`}\n`);
        }
      } catch (e) {
        fail(e instanceof AuditLogError ? `--${e.field}: ${e.message}` : (e as Error).message);
      } finally {
        await close();
      }
    });
}
