// CLI commands of the stock capability: CSV import of the catalogue and of a depot's opening balances (all or
// nothing, every problem as FILE:LINE: COLUMN: REASON), and CSV export of the catalogue and of the reports.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import type { CliGroups } from '../groups.ts';
import { fail, openCliServices } from '../groups.ts';
import type { StoreFlags } from '../../app/compose.ts';

async function openStock(o: StoreFlags) {
  const { StockService, StockReports } = await import('../../stock/index.ts');
  const svc = await openCliServices(o, { loadRegistry: false });
  const service = new StockService(svc.store.stock);
  return { svc, service, reports: new StockReports(service.repo, () => service.today()) };
}

function readFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

async function reportFailure(e: unknown, file: string): Promise<never> {
  const { StockImportRejected, StockError, ImportFileError } = await import('../../stock/index.ts');
  if (e instanceof StockImportRejected) {
    for (const p of e.problems) process.stderr.write(`${file}:${p.line}: ${p.column}: ${p.reason}\n`);
    fail(e.message);
  }
  if (e instanceof StockError || e instanceof ImportFileError) fail((e as Error).message);
  throw e;
}

function write(out: string | undefined, text: string): void {
  if (!out) { process.stdout.write(text); return; }
  writeFileSync(out + '.tmp', text); // never leave a half-written export behind
  renameSync(out + '.tmp', out);
}

export function registerStockCommands(cli: CliGroups): void {
  cli.import.command('stock-catalogue')
    .description('import the item catalogue from CSV (code,name,category,unit,decimals,tracks_lots); rows with a known code update that item; any bad row refuses the whole file')
    .argument('<file>', 'CSV file')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .action(async (file: string, o: StoreFlags) => {
      const bytes = readFile(file);
      const { importCatalogue } = await import('../../stock/index.ts');
      const { svc, service } = await openStock(o);
      try {
        const r = await importCatalogue(service, bytes, file, 'cli');
        process.stdout.write(`${file}: ${r.inserted} items added, ${r.updated} updated\n`);
      } catch (e) {
        await reportFailure(e, file);
      } finally {
        await svc.close();
      }
    });

  cli.import.command('stock-balances')
    .description("import a depot's opening balances from CSV (item,quantity,lot,expires,minimum) as receipts; any bad row refuses the whole file")
    .argument('<file>', 'CSV file')
    .requiredOption('--depot <id>', 'the depot the balances are in')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .action(async (file: string, o: StoreFlags & { depot: string }) => {
      const bytes = readFile(file);
      const { importOpeningBalances } = await import('../../stock/index.ts');
      const { svc, service } = await openStock(o);
      try {
        const r = await importOpeningBalances(service, bytes, file, o.depot, 'cli');
        process.stdout.write(`${file}: ${r.movements} opening balances received, ${r.minimums} minimum levels set\n`);
      } catch (e) {
        await reportFailure(e, file);
      } finally {
        await svc.close();
      }
    });

  cli.export.command('stock-catalogue')
    .description('export the item catalogue as CSV (imports back unchanged)')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (o: StoreFlags & { out?: string }) => {
      const { catalogueToCsv } = await import('../../stock/index.ts');
      const { svc, service } = await openStock(o);
      let text;
      try {
        text = catalogueToCsv(await service.repo.listItems());
      } finally {
        await svc.close();
      }
      write(o.out, text);
    });

  cli.export.command('stock-balances')
    .description("export a depot's balances per lot and its minimums in the opening-balance columns (imports back with import stock-balances)")
    .requiredOption('--depot <id>', 'the depot')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (o: StoreFlags & { depot: string; out?: string }) => {
      const { openingBalancesToCsv, StockError } = await import('../../stock/index.ts');
      const { svc, service } = await openStock(o);
      try {
        write(o.out, await openingBalancesToCsv(service, o.depot));
      } catch (e) {
        if (e instanceof StockError) fail(e.message);
        throw e;
      } finally {
        await svc.close();
      }
    });

  cli.export.command('stock-report')
    .description('export a stock report as CSV: balances, below-minimum, expiring, issued, stock-card')
    .argument('<report>', 'balances | below-minimum | expiring | issued | stock-card')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--depot <id>', 'one depot (stock-card: required)')
    .option('--item <id>', 'the item (stock-card)')
    .option('--days <n>', 'expiring: within this many days', '30')
    .option('--unit <id>', 'issued: to this unit')
    .option('--shelter <id>', 'issued: to this shelter')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (report: string, o: StoreFlags & { depot?: string; item?: string; days: string; unit?: string; shelter?: string; out?: string }) => {
      const { reportToCsv, StockError } = await import('../../stock/index.ts');
      const { svc, reports } = await openStock(o);
      try {
        let r;
        switch (report) {
          case 'balances': r = await reports.balances(o.depot); break;
          case 'below-minimum': r = await reports.belowMinimum(o.depot); break;
          case 'expiring': r = await reports.expiring(Number(o.days), o.depot); break;
          case 'issued': r = await reports.issued({ unitId: o.unit, shelterId: o.shelter }); break;
          case 'stock-card':
            if (!o.depot || !o.item) fail('stock-card needs --depot and --item');
            r = await reports.stockCard(o.depot, o.item);
            break;
          default: fail(`unknown report ${report}: balances, below-minimum, expiring, issued or stock-card`);
        }
        write(o.out, reportToCsv(r as never));
      } catch (e) {
        if (e instanceof StockError) fail(e.message);
        throw e;
      } finally {
        await svc.close();
      }
    });
}
