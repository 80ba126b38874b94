// `refuge import units FILE`, `refuge export units` and `refuge units report`: civil-defence units and members as
// CSV (one row per member; the export imports back unchanged), and the readiness report (certificates expiring,
// units missing a required role).
import { readFileSync, writeFileSync } from 'node:fs';
import type { CliGroups } from '../groups.ts';
import { fail, openCliServices } from '../groups.ts';
import type { StoreFlags } from '../../app/compose.ts';

async function open(o: StoreFlags) {
  const { UnitService } = await import('../../units/index.ts');
  const { loadRegionIndex } = await import('../../app/compose.ts');
  const svc = await openCliServices(o, { loadRegistry: false });
  try {
    const regions = await loadRegionIndex(svc.store);
    const service = new UnitService(svc.store.units, () => regions, async (name) => (await svc.store.accounts.findUser(name)) !== null);
    return { svc, service };
  } catch (e) {
    await svc.close();
    throw e;
  }
}

export function registerUnitCommands(cli: CliGroups): void {
  cli.import.command('units')
    .description('import civil-defence units and members from CSV (one row per member; columns as `refuge export units` writes them). ' +
      'Any bad row rejects the whole file with every problem (line, column, reason); re-importing updates units and members by id.')
    .argument('<file>', 'CSV file')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--dry-run', 'check and report, write nothing')
    .option('--json', 'print the summary as one JSON object on stdout')
    .action(async (file: string, o: StoreFlags & { dryRun?: boolean; json?: boolean }) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const { parseUnitsCsv, UnitCsvRejected } = await import('../../units/index.ts');
      const { svc, service } = await open(o);
      try {
        const existing = { units: new Map((await service.list()).map((u) => [u.id, u])), members: new Map((await service.members()).map((m) => [m.id, m])) };
        const parsed = await parseUnitsCsv(bytes, service, 'cli', existing);
        const outcome = o.dryRun ? null : await service.importParsed(parsed);
        const summary = { file, units: parsed.units.length, members: parsed.members.length, dryRun: Boolean(o.dryRun), ...(outcome ?? {}) };
        if (o.json) process.stdout.write(JSON.stringify(summary) + '\n');
        else process.stdout.write(`${o.dryRun ? 'checked' : 'imported'} ${parsed.units.length} units and ${parsed.members.length} members from ${file}` +
          (outcome ? ` (${outcome.unitsInserted} new units, ${outcome.unitsUpdated} updated; ${outcome.membersInserted} new members, ${outcome.membersUpdated} updated)` : ' (nothing written)') + '\n');
      } catch (e) {
        if (e instanceof UnitCsvRejected) {
          if (o.json) process.stdout.write(JSON.stringify({ file, error: e.message, problems: e.problems }) + '\n');
          else for (const p of e.problems) process.stderr.write(`${file}: line ${p.line}: ${p.column || '(file)'}: ${p.reason}\n`);
          await svc.close();
          fail(e.message);
        }
        await svc.close();
        fail((e as Error).message);
      }
      await svc.close();
    });

  cli.export.command('units')
    .description('export units and members as CSV (one row per member); the output imports back unchanged')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (o: StoreFlags & { out?: string }) => {
      const { unitsToCsv } = await import('../../units/index.ts');
      const { svc, service } = await open(o);
      let csv;
      try {
        csv = unitsToCsv(await service.list(), await service.members());
      } finally {
        await svc.close();
      }
      if (o.out) writeFileSync(o.out, csv);
      else process.stdout.write(csv);
    });

  cli.program.command('units')
    .description('civil-defence units: `refuge units report` lists certificates expiring within N days and units missing a required role')
    .command('report')
    .description('certificates expired or expiring within --days days, and units missing a required role among members available now')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--days <n>', 'look this many days ahead', '30')
    .option('--json', 'print one JSON object')
    .action(async (o: StoreFlags & { days: string; json?: boolean }) => {
      const days = Number(o.days);
      if (!Number.isInteger(days) || days < 0) fail(`--days must be a whole number of days, not ${o.days}`);
      const { svc, service } = await open(o);
      let certificates, missing;
      try {
        certificates = await service.expiringCertificates(days);
        missing = await service.missingRoles();
      } finally {
        await svc.close();
      }
      if (o.json) {
        process.stdout.write(JSON.stringify({ days, certificates, missingRoles: missing }) + '\n');
        return;
      }
      process.stdout.write(`certificates expired or expiring within ${days} days: ${certificates.length}\n`);
      for (const c of certificates) process.stdout.write(`  ${c.expires}${c.expired ? ' (expired)' : ''}  ${c.certificate}  ${c.memberName}, ${c.unitName}\n`);
      process.stdout.write(`units missing a required role: ${missing.length}\n`);
      for (const m of missing) process.stdout.write(`  ${m.unitName}: ${m.missing.join(', ')}\n`);
    });
}
