// `refuge import cap FILE`: records a CAP 1.1/1.2 message from another authority in the database. A running server
// on the same database delivers it from the outbox within a second (if it is public, actionable and unexpired);
// otherwise the next `refuge serve` does.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import type { CliGroups } from '../groups.ts';
import { DEFAULT_DB, fail } from '../groups.ts';

export function registerAlertCommands(cli: CliGroups): void {
  cli.import.command('cap')
    .description('import a CAP 1.1/1.2 message from another authority; delivered if public, actionable and not expired (an expired one is kept for the record)')
    .argument('<file>', 'CAP XML document (at most 256 KB; no DOCTYPE or entities)')
    .option('--db <path>', 'database file', DEFAULT_DB)
    .option('--json', 'print the result as one JSON object')
    .action(async (file: string, o: { db: string; json?: boolean }) => {
      // Loaded here: the XML schema engine takes a second to start, and other commands do not need it.
      const { openSqliteStore } = await import('../../store/sqlite/index.ts');
      const { SqliteRegionRepository } = await import('../../store/sqlite/regions.ts');
      const { SqliteAlertStore } = await import('../../store/sqlite/alerts-store.ts');
      const { RegionIndex } = await import('../../geo/index.ts');
      const { capToXml, CapError, createCapSigner, importCap, loadOrCreateSigningKey, signingKeyDirForDb } = await import('../../alerts/index.ts');
      const { AlertLifecycle, LifecycleError } = await import('../../alerts/lifecycle/index.ts');
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        fail(`${file}: ${(e as Error).message}`, 2);
      }
      let parsed;
      try {
        parsed = importCap(bytes);
      } catch (e) {
        if (e instanceof CapError) fail(`${file}: ${e.message}${e.element ? ` (element ${e.element})` : ''}`);
        throw e;
      }
      const store = openSqliteStore(o.db);
      try {
        const regions = new RegionIndex(new SqliteRegionRepository(store.db).all());
        const lifecycle = new AlertLifecycle({
          store: new SqliteAlertStore(store.db), regions: { region: (c) => regions.get(c) }, emitCap: capToXml,
          signer: createCapSigner(loadOrCreateSigningKey(signingKeyDirForDb(o.db))), sender: process.env.REFUGE_CAP_SENDER ?? 'alerts@refuge.local',
        });
        // Whoever can run the CLI on the database file has full access to it: recorded as an admin action.
        const actor = { name: `cli:${userInfo().username}`, role: 'admin' };
        const r = lifecycle.recordImported(actor, parsed.alert, bytes.toString('utf8'), `file ${basename(file)}`);
        const summary = { id: r.record.id, identifier: parsed.alert.identifier, sender: parsed.alert.sender, capVersion: parsed.version, delivered: r.delivered, notDeliveredBecause: r.reason, seq: r.seq };
        process.stdout.write(o.json ? `${JSON.stringify(summary)}\n` : `imported ${summary.identifier} from ${summary.sender} as ${summary.id} (CAP ${summary.capVersion}): ${r.delivered ? `queued for delivery as event ${r.seq}` : `kept for the record, not delivered: ${r.reason}`}\n`);
      } catch (e) {
        if (e instanceof LifecycleError) fail(`${file}: ${e.message}`);
        throw e;
      } finally {
        store.close();
      }
    });
}
