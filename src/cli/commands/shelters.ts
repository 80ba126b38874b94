import { writeFileSync, renameSync, statSync, accessSync, constants } from 'node:fs';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { CliGroups } from '../groups.ts';
import { fail, openCliServices } from '../groups.ts';
import type { StoreFlags } from '../../app/compose.ts';
import type { ImportSummary } from '../../registry/import/index.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

function printReport(s: ImportSummary, out: NodeJS.WritableStream): void {
  for (const w of s.warnings) out.write(`warning: ${w}\n`);
  for (const p of s.problems) out.write(`${s.file}: ${p.where}: ${p.field}: ${p.reason}\n`);
}

export function registerShelterCommands(cli: CliGroups): void {
  cli.import.command('shelters')
    .description('import a shelter registry (CSV or GeoJSON); re-importing a source updates its records in place')
    .argument('<file>', 'CSV or GeoJSON file')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--source <name>', 'name of the dataset (records are keyed by source and their id in it); default: the file name')
    .option('--map <column=field>', 'read COLUMN as FIELD (repeatable; FIELD "-" ignores the column)', collect, [])
    .option('--attribution <text>', 'attribution shown with the data')
    .option('--licence <text>', 'licence of the data')
    .option('--coordinates <reading>', 'auto (detect swapped latitude/longitude), as-labelled or swapped', 'auto')
    .option('--dry-run', 'check and report, write nothing')
    .option('--skip-invalid', 'import the good rows and report the bad ones (default: reject the whole file)')
    .option('--json', 'print the summary as one JSON object on stdout')
    .action(async (file: string, o: StoreFlags & { source?: string; map: string[]; attribution?: string; licence?: string; dryRun?: boolean; skipInvalid?: boolean; json?: boolean; coordinates: string }) => {
      if (!['auto', 'as-labelled', 'swapped'].includes(o.coordinates)) fail(`--coordinates must be auto, as-labelled or swapped, not ${o.coordinates}`);
      // The file is streamed (read twice, never held whole); check now that it can be read at all.
      try {
        if (statSync(file).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
        accessSync(file, constants.R_OK);
      } catch (e) { fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
      const map: Record<string, string> = {};
      for (const m of o.map) {
        const i = m.lastIndexOf('=');
        if (i <= 0) fail(`--map ${m}: expected COLUMN=FIELD`);
        map[m.slice(0, i)] = m.slice(i + 1);
      }
      const { importShelters, ImportRejected, summaryLine } = await import('../../registry/import/index.ts');
      const source = o.source ?? basename(file).replace(/\.[^.]+$/, '').replace(/[^\w.:-]/g, '-').slice(0, 64);
      const svc = await openCliServices(o);
      let bar: cliProgress.SingleBar | null = null;
      try {
        const summary = await importShelters(svc.registry, { path: file }, file, {
          source, map, coordinates: o.coordinates as 'auto', attribution: o.attribution, licence: o.licence, dryRun: o.dryRun, skipInvalid: o.skipInvalid, actor: 'cli',
          onProgress: process.stderr.isTTY && !o.json ? (done, total) => {
            if (total < 2000) return;
            if (!bar) { bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'importing [{bar}] {percentage}% {value}/{total}' }, cliProgress.Presets.shades_classic); bar.start(total, 0); }
            if (done % 500 === 0 || done === total) bar.update(done);
          } : undefined,
        });
        (bar as cliProgress.SingleBar | null)?.stop();
        if (o.json) process.stdout.write(JSON.stringify(summary) + '\n');
        else { printReport(summary, process.stderr); process.stdout.write(summaryLine(summary) + '\n'); }
      } catch (e) {
        (bar as cliProgress.SingleBar | null)?.stop();
        if (e instanceof ImportRejected) {
          if (o.json) process.stdout.write(JSON.stringify({ ...e.summary, error: e.message }) + '\n');
          else printReport(e.summary, process.stderr);
          fail(e.message);
        }
        fail((e as Error).message);
      } finally {
        await svc.close();
      }
    });

  cli.export.command('shelters')
    .description('export the registry; the output imports back unchanged')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--format <format>', 'geojson or csv', 'geojson')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--include-decommissioned', 'also export decommissioned shelters')
    .action(async (o: StoreFlags & { format: string; out?: string; includeDecommissioned?: boolean }) => {
      if (o.format !== 'geojson' && o.format !== 'csv') fail(`--format must be geojson or csv, not ${o.format}`);
      const { sheltersToCsv, sheltersToExportGeoJson } = await import('../../registry/index.ts');
      const svc = await openCliServices(o);
      let items;
      try {
        items = svc.registry.query({ includeDecommissioned: o.includeDecommissioned }).items;
      } finally {
        await svc.close();
      }
      const text = o.format === 'csv' ? sheltersToCsv(items) : JSON.stringify(sheltersToExportGeoJson(items), null, 1) + '\n';
      if (o.out) {
        writeFileSync(o.out + '.tmp', text); // never leave a half-written export behind
        renameSync(o.out + '.tmp', o.out);
      } else process.stdout.write(text);
    });
}
