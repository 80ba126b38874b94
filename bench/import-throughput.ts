// Import throughput: a generated 200,000-row CSV through `refuge import shelters` (a real process), against the
// floor of inserting the same rows straight into SQLite with better-sqlite3 in one transaction.
// Run: node --import tsx bench/import-throughput.ts [rows]
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';

const ROWS = Number(process.argv[2] ?? 200_000);
const dir = mkdtempSync(join(tmpdir(), 'refuge-bench-'));
const csv = join(dir, 'big.csv');
const lines = ['id;navn;plasser;breddegrad;laengdegrad;adresse;type'];
for (let i = 0; i < ROWS; i++) {
  lines.push(`${i};Beskyttelsesrum ${i};"${(i % 900) + 20}.0";${(55.6 + (i % 997) / 10000).toFixed(6).replace('.', ',')};${(12.5 + Math.floor(i / 997) / 10000).toFixed(6).replace('.', ',')};Gade ${i % 300}, København;Kælder`);
}
writeFileSync(csv, lines.join('\n'));

const t0 = process.hrtime.bigint();
const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'bin/refuge.js', 'import', 'shelters', csv, '--db', join(dir, 'a.db'), '--source', 'bench', '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
const refugeMs = Number(process.hrtime.bigint() - t0) / 1e6;
if (r.status !== 0) throw new Error(r.stderr);
const peakKb = Number(r.stderr.trim().split('\n').pop());
const summary = JSON.parse(r.stdout);

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

console.log(`rows: ${ROWS}, imported: ${summary.imported}`);
console.log(`refuge import (whole process: start, parse, map, validate, upsert with history): ${refugeMs.toFixed(0)} ms = ${Math.round(ROWS / (refugeMs / 1000)).toLocaleString('en')} rows/s, peak RSS ${(peakKb / 1024).toFixed(0)} MB`);
console.log(`floor (raw INSERT of pre-parsed rows, one transaction): ${floorMs.toFixed(0)} ms = ${Math.round(ROWS / (floorMs / 1000)).toLocaleString('en')} rows/s`);
console.log(`ratio refuge/floor: ${(refugeMs / floorMs).toFixed(1)}x`);
rmSync(dir, { recursive: true, force: true });
