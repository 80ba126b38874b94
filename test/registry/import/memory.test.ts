// A big registry imports in bounded memory: `refuge import shelters` on a generated 200,000-row CSV (17 MB, the shape
// of bench/import-throughput.ts) as a real process, then again with 10% of the capacities changed, each process's peak
// resident memory measured by /usr/bin/time. On SQLite, or on PostgreSQL with REFUGE_TEST_DATABASE_URL.
//
// First import, 560 MB (since compose.ts loads the key alone: 421 MB on SQLite, 2026-12-06). Before streaming (file read, decoded, parsed and prepared whole) it peaked at 565-573 MB, with
// streaming at 443-462 MB (2026-12). Since the audit log it peaks at 480-610 MB on SQLite (2026-12-06: 484, 485, 500,
// 570 MB), and the extra ~150 MB is not the import's: src/app/compose.ts imports the signing key loader through
// src/alerts/signing/index.ts, which loads libxml2-wasm (RSS at start 74 -> 230 MB, start 0.3 -> 1.9 s; loading
// keys.ts alone leaves it at 81 MB, measured). Of the rest: live heap at most ~160 MB (the file's records ~58 MB,
// the registry's copy of the new shelters ~80 MB), SQLite's 64 MB page cache, V8's slack. The audit triggers' own
// memory is small: the same import with them dropped peaked at 537-564 MB. On PostgreSQL the import held every new
// row's COPY values and history at once and peaked at 817 MB; batches of 5,000 brought it to 455-547 MB (10,000: 616 MB, 20,000: 650 MB).
//
// Re-import, 1,050 MB. It peaked at 1,214 MB on SQLite: the repository read the source's 200,000 rows into a map (an
// object of 33 properties each, ~400 MB) next to the registry's own copy and the file's records; a lookup per item
// instead, and the registry read row by row, brought it to 771-898 MB. On PostgreSQL 799 -> 633 MB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, tempDir, testStoreOptions } from '../../helpers.ts';
import { writeBigRegistryCsv } from '../../../bench/big-registry-csv.ts';

const ROWS = 200_000;
const FIRST_BOUND_MB = 560;
const REIMPORT_BOUND_MB = 1050;

const writeCsv = (file: string, changed: boolean) => writeBigRegistryCsv(file, ROWS, changed);

test(`a ${ROWS.toLocaleString('en')}-row CSV imports under ${FIRST_BOUND_MB} MB and re-imports under ${REIMPORT_BOUND_MB} MB peak RSS`, { timeout: 900_000 }, async (t) => {
  const dir = tempDir(t);
  const store = testStoreOptions(dir);
  t.after(() => store.drop());
  const o = store.options;
  const args = o.databaseUrl ? ['--database-url', o.databaseUrl] : ['--db', o.dbPath!];
  const env = o.pgSchema ? { ...process.env, REFUGE_PG_SCHEMA: o.pgSchema } : process.env;
  const importPeak = (csv: string) => {
    const r = spawnSync('/usr/bin/time', ['-f', 'peak-kb %M', process.execPath, join(ROOT, 'bin', 'refuge.js'), 'import', 'shelters', csv, ...args, '--source', 'big', '--json'], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.equal(r.status, 0, r.stderr);
    const m = /peak-kb (\d+)\s*$/.exec(r.stderr);
    assert.ok(m, `no peak memory figure from /usr/bin/time in: ${r.stderr}`);
    return { summary: JSON.parse(r.stdout) as { imported: number; updated: number; unchanged: number; rows: number }, peakMb: Number(m[1]) / 1024 };
  };
  const first = join(dir, 'big.csv');
  const again = join(dir, 'big-changed.csv');
  writeCsv(first, false);
  writeCsv(again, true);

  const a = importPeak(first);
  assert.equal(a.summary.rows, ROWS);
  assert.equal(a.summary.imported, ROWS);
  t.diagnostic(`first import: peak RSS ${a.peakMb.toFixed(0)} MB for ${ROWS} rows (${o.databaseUrl ? 'PostgreSQL' : 'SQLite'})`);
  assert.ok(a.peakMb < FIRST_BOUND_MB, `first import: peak RSS ${a.peakMb.toFixed(0)} MB, bound ${FIRST_BOUND_MB} MB`);

  const b = importPeak(again);
  assert.deepEqual([b.summary.imported, b.summary.updated, b.summary.unchanged], [0, ROWS / 10, ROWS - ROWS / 10]);
  t.diagnostic(`re-import, 10% changed: peak RSS ${b.peakMb.toFixed(0)} MB`);
  assert.ok(b.peakMb < REIMPORT_BOUND_MB, `re-import: peak RSS ${b.peakMb.toFixed(0)} MB, bound ${REIMPORT_BOUND_MB} MB`);
});
