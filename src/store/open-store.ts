// openStore(url): SQLite for a path (or file: URL), PostgreSQL for postgres:// or postgresql://. The one place that
// picks a store; the server, every CLI command and the benchmarks call it.
import type { Store } from './store.ts';
import type { AuditStore } from '../audit/ports.ts';

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The URL without its password, for logs and messages. */
export function redactUrl(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const u = new URL(location);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export interface OpenStoreOptions {
  /** PostgreSQL schema holding this installation's tables (default public); tests use one each. */
  schema?: string;
}

export async function openStore(location: string, opts: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(location)) {
    const { openPostgresStore } = await import('./postgres/index.ts');
    return openPostgresStore(location, opts.schema);
  }
  const path = location.startsWith('file:') ? new URL(location).pathname : location;
  const { openSqliteStore } = await import('./sqlite/index.ts');
  return openSqliteStore(path);
}

/**
 * Only the audit log, for `refuge audit`: an SQLite file through a read-only connection (verifying a backup must not
 * migrate or change it; null when the file has no audit log yet), PostgreSQL as openStore opens it.
 */
export async function openAuditLog(location: string, opts: OpenStoreOptions = {}): Promise<{ audit: AuditStore; close(): Promise<void> } | null> {
  if (isPostgresUrl(location)) {
    const store = await openStore(location, opts);
    return { audit: store.audit, close: () => store.close() };
  }
  const path = location.startsWith('file:') ? new URL(location).pathname : location;
  const { openSqliteAuditReadOnly } = await import('./sqlite/audit.ts');
  return openSqliteAuditReadOnly(path);
}

/**
 * `refuge backup`: a consistent copy of an SQLite file while it is in use (src/store/sqlite/backup.ts). Returns why it
 * refused (the target exists, no such source) or null when written; other failures throw.
 */
export async function backupEmbedded(path: string, target: string): Promise<string | null> {
  const { backupSqlite, BackupRefused } = await import('./sqlite/backup.ts');
  try {
    backupSqlite(path, target);
    return null;
  } catch (e) {
    if (e instanceof BackupRefused) return e.message;
    throw e;
  }
}
