// `refuge db copy`: moves an installation from its SQLite file to PostgreSQL (src/store/copy.ts does the work; this
// file reads the flags and prints what was done).
import type { CliGroups } from '../groups.ts';
import { fail } from '../groups.ts';
import { loadSettings } from '../../app/config.ts';
import { dataPaths } from '../../app/paths.ts';
import { CopyError, copyDatabase, copyDataFiles, dataFileConflicts, type CopyReport } from '../../store/copy.ts';

interface CopyFlags { from: string; to: string; schema?: string; force?: boolean; dataDir?: string; fromDataDir?: string }

function countTable(r: CopyReport): string {
  const w = Math.max(5, ...r.tables.map((t) => t.table.length), ...r.targetOnly.map((t) => t.table.length));
  const line = (a: string, b: string, c: string, d = '') => `${a.padEnd(w)}  ${b.padStart(9)}  ${c.padStart(9)}${d ? `  ${d}` : ''}\n`;
  let out = line('table', 'sqlite', 'postgres');
  for (const t of r.tables) out += line(t.table, String(t.source), String(t.target), t.source === t.target ? '' : 'DIFFERS');
  for (const t of r.targetOnly) out += line(t.table, '-', String(t.rows), t.action);
  return out;
}

export function registerDbCommands(cli: CliGroups): void {
  const db = cli.program.command('db').description('whole-database operations');
  db.command('copy')
    .description('copy a whole installation from an SQLite file into PostgreSQL, with its signing key and walking graph, and verify row counts')
    .requiredOption('--from <file>', 'the SQLite database file')
    .requiredOption('--to <url>', 'the PostgreSQL database, postgres://…')
    .option('--schema <name>', 'PostgreSQL schema to copy into (default: REFUGE_PG_SCHEMA, else public)')
    .option('--data-dir <dir>', 'where the PostgreSQL installation keeps its signing key and walking graph (default: REFUGE_DATA_DIR, else ./refuge-data)')
    .option('--from-data-dir <dir>', 'the SQLite installation\'s data directory, if it used one (default: beside the --from file)')
    .option('--force', 'replace the data of a target that is not empty (and a different signing key or graph, moved aside)')
    .action(async (o: CopyFlags) => {
      let settings;
      try { settings = loadSettings(); } catch (e) { fail((e as Error).message); }
      const schema = o.schema ?? settings.pgSchema ?? 'public';
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) fail(`--schema must be a lower-case SQL name (got ${schema})`);
      const fromPaths = dataPaths(o.from, o.fromDataDir ?? null);
      const toPaths = dataPaths(o.to, o.dataDir ?? settings.dataDir);
      const conflicts = dataFileConflicts(fromPaths, toPaths);
      if (conflicts.length && !o.force) fail(`${conflicts.join('; ')}: give --force to replace (the old one is kept beside it)`);
      let report: CopyReport;
      try {
        report = await copyDatabase({ from: o.from, to: o.to, schema, force: o.force });
      } catch (e) {
        const partial = (e as { report?: CopyReport }).report;
        if (partial) process.stdout.write(countTable(partial));
        fail(e instanceof CopyError ? e.message : `copy failed, nothing was committed: ${(e as Error).message}`);
      }
      // The files before any output, so a closed pipe (| head) cannot leave them behind.
      let files;
      try {
        files = copyDataFiles(fromPaths, toPaths);
      } catch (e) {
        fail(`the database was copied and committed, but copying the files beside it failed: ${(e as Error).message}`);
      }
      process.stdout.write(`copied ${report.source} to ${report.target} (schema ${report.schema})\n`);
      if (report.emptied.length) process.stdout.write(`emptied first (--force): ${report.emptied.join(', ')}\n`);
      process.stdout.write(countTable(report));
      for (const f of files) process.stdout.write(`${f.what}: ${f.action} (${f.from} -> ${f.to})\n`);
    });
}
