// Import throughput and peak memory: a generated 200,000-row CSV through `refuge import shelters` (a real process,
// peak RSS from /usr/bin/time), a first import and a re-import with 10% of the capacities changed, into SQLite and
// (with --pg) into PostgreSQL in a schema of its own, dropped afterwards; against the floor of inserting the same rows
// straight into SQLite with better-sqlite3 in one transaction.
// Run: node --import tsx bench/import-throughput.ts [rows] [--pg [URL]] [--repeat N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import pg from 'pg';
import { writeBigRegistryCsv } from './big-registry-csv.ts';

const args = process.argv.slice(2);
const ROWS = /^\d+$/.test(args[0] ?? '') ? Number(args[0]) : 200_000;
const pgFlag = args.indexOf('--pg');
const PG_URL = pgFlag < 0 ? null : (args[pgFlag + 1] && !args[pgFlag + 1].startsWith('--') ? args[pgFlag + 1] : process.env.REFUGE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test');
const repeatFlag = args.indexOf('--repeat');
const REPEAT = repeatFlag >= 0 ? Number(args[repeatFlag + 1]) : 1;
const dir = mkdtempSync(join(tmpdir(), 'refuge-bench-'));

const writeCsv = (file: string, changed: boolean) => writeBigRegistryCsv(file, ROWS, changed);
const first = join(dir, 'big.csv');
const again = join(dir, 'big-changed.csv');
writeCsv(first, false);
writeCsv(again, true);

interface Run { ms: number; peakMb: number; cpuS: number; summary: { imported: number; updated: number; unchanged: number } }

/** One `refuge import shelters` process under /usr/bin/time: wall time, peak RSS, CPU (user + sys). */
function importOnce(csv: string, store: string[], env: NodeJS.ProcessEnv): Run {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, 'bin/refuge.js', 'import', 'shelters', csv, ...store, '--source', 'bench', '--json'], { encoding: 'utf8', maxBuffer: 1 << 26, env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(r.stderr);
  const [kb, user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { ms, peakMb: kb / 1024, cpuS: user + sys, summary: JSON.parse(r.stdout) };
}

const results: Array<{ store: string; pass: string; run: Run }> = [];
for (let n = 0; n < REPEAT; n++) {
  const db = join(dir, `a${n}.db`);
  for (const [pass, csv] of [['first import', first], ['re-import, 10% changed', again]] as const) {
    results.push({ store: 'SQLite', pass, run: importOnce(csv, ['--db', db], process.env) });
  }
  if (PG_URL) {
    const schema = `refuge_bench_import_${process.pid}_${n}`;
    try {
      for (const [pass, csv] of [['first import', first], ['re-import, 10% changed', again]] as const) {
        results.push({ store: 'PostgreSQL', pass, run: importOnce(csv, ['--database-url', PG_URL], { ...process.env, REFUGE_PG_SCHEMA: schema }) });
      }
    } finally {
      const c = new pg.Client(PG_URL);
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  }
}

// Floor: the same rows, already parsed, inserted in one transaction with no checks, history or mapping.
const db = new Database(join(dir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE s (id TEXT PRIMARY KEY, name TEXT, capacity INTEGER, lat REAL, lon REAL, address TEXT, kind TEXT)');
const ins = db.prepare('INSERT INTO s VALUES (?, ?, ?, ?, ?, ?, ?)');
const t1 = process.hrtime.bigint();
db.transaction(() => {
  for (let i = 0; i < ROWS; i++) ins.run(String(i), `Beskyttelsesrum ${i}`, (i % 900) + 20, 55.6 + (i % 997) / 10000, 12.5 + Math.floor(i / 997) / 10000, `Gade ${i % 300}, København`, 'basement');
})();
const floorMs = Number(process.hrtime.bigint() - t1) / 1e6;
db.close();
rmSync(dir, { recursive: true, force: true });

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${ROWS.toLocaleString('en')} rows, ${REPEAT} run(s)`);
console.log('| store | import | imported / updated / unchanged | wall | rows/s | CPU user+sys | peak RSS |');
console.log('|---|---|---|---|---|---|---|');
for (const { store, pass, run } of results) {
  const s = run.summary;
  console.log(`| ${store} | ${pass} | ${s.imported} / ${s.updated} / ${s.unchanged} | ${(run.ms / 1000).toFixed(1)} s | ${Math.round(ROWS / (run.ms / 1000)).toLocaleString('en')} | ${run.cpuS.toFixed(1)} s | ${run.peakMb.toFixed(0)} MB |`);
}
if (REPEAT > 1) {
  for (const store of new Set(results.map((r) => r.store))) {
    for (const pass of new Set(results.map((r) => r.pass))) {
      const runs = results.filter((r) => r.store === store && r.pass === pass).map((r) => r.run);
      const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
      const range = (xs: number[], unit: string, d = 0) => `${med(xs).toFixed(d)} ${unit} (${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)})`;
      console.log(`median (range), ${store}, ${pass}: wall ${range(runs.map((r) => r.ms / 1000), 's', 1)}, peak RSS ${range(runs.map((r) => r.peakMb), 'MB')}`);
    }
  }
}
const firstSqlite = results.find((r) => r.store === 'SQLite' && r.pass === 'first import')!.run;
console.log(`floor (raw INSERT of pre-parsed rows, one transaction): ${floorMs.toFixed(0)} ms = ${Math.round(ROWS / (floorMs / 1000)).toLocaleString('en')} rows/s`);
console.log(`ratio refuge (first import, SQLite) / floor: ${(firstSqlite.ms / floorMs).toFixed(1)}x`);
