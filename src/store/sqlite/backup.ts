// An online backup of the embedded database: VACUUM INTO from a read-only connection reads one snapshot while the
// server goes on writing (WAL), and never migrates or changes the source. The copy is made under a temporary name,
// synced, and linked into place only if the target does not exist, so a backup never overwrites a file and a
// killed backup leaves no half-written one under the target's name.
import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync } from 'node:fs';

export class BackupRefused extends Error {}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** Puts `tmp` at `target` unless something is there already (atomically where the file system has hard links). */
function placeWithoutOverwrite(tmp: string, target: string): void {
  try {
    linkSync(tmp, target);
    unlinkSync(tmp);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' || existsSync(target)) {
      unlinkSync(tmp);
      if (code === 'EEXIST' || existsSync(target)) throw new BackupRefused(`${target} exists: refusing to overwrite it`);
      throw e;
    }
    renameSync(tmp, target);
  }
}

export function backupSqlite(source: string, target: string): void {
  if (!existsSync(source)) throw new BackupRefused(`${source}: no such database file`);
  if (existsSync(target)) throw new BackupRefused(`${target} exists: refusing to overwrite it`);
  const tmp = `${target}.partial-${process.pid}`;
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.exec(`VACUUM INTO ${lit(tmp)}`);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  } finally {
    db.close();
  }
  syncFile(tmp);
  placeWithoutOverwrite(tmp, target);
}
