// `refuge backup FILE`: a consistent copy of the embedded SQLite database, taken while the server keeps serving
// (src/store/sqlite/backup.ts). It never overwrites a file. PostgreSQL is backed up with pg_dump: the command says
// how (docs/audit.md, "Backups") and exits 2.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliGroups } from '../groups.ts';
import { DEFAULT_DB, fail } from '../groups.ts';
import type { StoreFlags } from '../../app/compose.ts';

/** Exit code when this command is not the tool for the job (PostgreSQL): distinct from a failure (1). */
const NOT_HERE = 2;

export function registerBackupCommand(cli: CliGroups): void {
  cli.program.command('backup')
    .description('write a consistent copy of the SQLite database to FILE while the server runs (never overwrites); for PostgreSQL use pg_dump')
    .argument('<file>', 'the backup file to create')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .action(async (file: string, o: StoreFlags) => {
      const { loadSettings } = await import('../../app/config.ts');
      const { storeLocation } = await import('../../app/compose.ts');
      const { dataPaths } = await import('../../app/paths.ts');
      const { backupEmbedded, isPostgresUrl, redactUrl } = await import('../../store/open-store.ts');
      let location: string;
      let settings;
      try {
        settings = loadSettings();
        location = storeLocation(o, settings, DEFAULT_DB);
      } catch (e) {
        fail((e as Error).message);
      }
      if (isPostgresUrl(location)) {
        const schema = settings.pgSchema ?? 'public';
        fail(`PostgreSQL is backed up with pg_dump, not by refuge: pg_dump --format=custom --schema=${schema} --file=${file} '${redactUrl(location)}'` +
          ' (restore with pg_restore --dbname=URL FILE; see docs/audit.md), and keep a copy of the data directory\'s signing key', NOT_HERE);
      }
      const source = location.startsWith('file:') ? new URL(location).pathname : location;
      const target = resolve(file);
      if (!existsSync(dirname(target))) fail(`${dirname(target)}: no such directory`);
      if (resolve(source) === target) fail('the backup must be another file than the database');
      const started = new Date().toISOString();
      let refused: string | null;
      try {
        refused = await backupEmbedded(source, target);
      } catch (e) {
        fail(`backup failed, nothing written: ${(e as Error).message}`);
      }
      if (refused) fail(refused.replace(target, file));
      const mb = (statSync(target).size / 1e6).toFixed(1);
      process.stdout.write(`backup of ${source} written to ${file} (${mb} MB, as of ${started})\n`);
      const keys = dataPaths(location, o.dataDir ?? settings.dataDir).signingKeyDir;
      process.stdout.write(`not in it: the signing key in ${keys} (keep a copy of it apart from the backups) and the walking graph\n`);
    });
}
