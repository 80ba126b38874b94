// Bulk shelter import into PostgreSQL against the anchor SQLite: N shelters (default 200,000) of one source, prepared
// by the importer from a generated CSV, then ShelterRegistry.importFromSource (the registry's merge, the repository's
// upsertFromSource) into each store: a first import, then a re-import with 10% of the capacities changed.
// Goal (issue): PostgreSQL within 2x of SQLite. PostgreSQL: REFUGE_BENCH_PG (default the local test database), in a
// schema of its own dropped afterwards.
// Run: node --import tsx bench/shelters-import-pg.ts [--n 200000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { prepareImportFrom, type ImportRecord } from '../src/registry/import/index.ts';
import { ShelterRegistry } from '../src/registry/registry.ts';
import type { ShelterRepository } from '../src/registry/ports.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';

const flag = process.argv.indexOf('--n');
const N = flag >= 0 ? Number(process.argv[flag + 1]) : 200_000;
const PG_URL = process.env.REFUGE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const SOURCE = { name: 'bench', attribution: 'Bench data', licence: 'CC0' };

/** The records the importer makes of a municipal CSV; `changed` shifts the capacity of every 10th row. */
async function records(changed: boolean): Promise<ImportRecord[]> {
  const lines = ['id;navn;plasser;breddegrad;laengdegrad;adresse;type'];
  for (let i = 0; i < N; i++) {
    const capacity = (i % 900) + 20 + (changed && i % 10 === 0 ? 5 : 0);
    lines.push(`${i};Beskyttelsesrum ${i};${capacity};${(55.6 + (i % 997) / 10000).toFixed(6)};${(12.5 + Math.floor(i / 997) / 10000).toFixed(6)};Gade ${i % 300}, København;Kælder`);
  }
  const prepared = await prepareImportFrom(Buffer.from(lines.join('\n')), 'bench.csv');
  if (prepared.problems.length || prepared.records.length !== N) throw new Error(`bench CSV: ${prepared.problems.length} problems, ${prepared.records.length} records`);
  return prepared.records;
}

async function timed(repo: ShelterRepository, items: ImportRecord[]): Promise<{ ms: number; inserted: number; updated: number; unchanged: number }> {
  const registry = new ShelterRegistry(repo);
  const t0 = process.hrtime.bigint();
  const r = await registry.importFromSource(SOURCE, items, 'bench');
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, inserted: r.inserted.length, updated: r.updated.length, unchanged: r.unchanged };
}

const first = await records(false);
const again = await records(true);

const dir = mkdtempSync(join(tmpdir(), 'refuge-bench-'));
const sqlite = openSqliteStore(join(dir, 'bench.db'));
const schema = `refuge_bench_${process.pid}`;
const pgStore = await openPostgresStore(PG_URL, schema);
const rows: Array<[string, Awaited<ReturnType<typeof timed>>, Awaited<ReturnType<typeof timed>>]> = [];
let pgVersion = '';
try {
  pgVersion = (await pgStore.pool.query('SHOW server_version')).rows[0].server_version;
  for (const [label, items] of [['first import', first], ['re-import, 10% changed', again]] as const) {
    const s = await timed(sqlite.shelters, items);
    const p = await timed(pgStore.shelters, items);
    if (s.inserted !== p.inserted || s.updated !== p.updated || s.unchanged !== p.unchanged) throw new Error(`stores disagree: ${JSON.stringify([s, p])}`);
    rows.push([label, s, p]);
  }
  const count = Number((await pgStore.pool.query('SELECT count(*) FROM shelters')).rows[0].count);
  if (count !== N) throw new Error(`PostgreSQL holds ${count} shelters, expected ${N}`);
} finally {
  await pgStore.pool.query(`DROP SCHEMA ${schema} CASCADE`);
  await pgStore.close();
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, PostgreSQL ${pgVersion} (local), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${N.toLocaleString('en')} shelters, one source`);
console.log('| import | inserted / updated / unchanged | SQLite (anchor) | PostgreSQL | PostgreSQL / SQLite |');
console.log('|---|---|---|---|---|');
for (const [label, s, p] of rows) {
  console.log(`| ${label} | ${s.inserted} / ${s.updated} / ${s.unchanged} | ${s.ms.toFixed(0)} ms | ${p.ms.toFixed(0)} ms | ${(p.ms / s.ms).toFixed(2)}x |`);
}
const worst = Math.max(...rows.map(([, s, p]) => p.ms / s.ms));
console.log(worst <= 2 ? `goal met: PostgreSQL within 2x of SQLite (worst ${worst.toFixed(2)}x)` : `GOAL MISSED: PostgreSQL up to ${worst.toFixed(2)}x the SQLite time (goal 2x)`);
