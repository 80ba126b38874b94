// openStore(url): SQLite for a path (or file: URL), PostgreSQL for postgres:// or postgresql://. The one place that
// picks a store; the server, every CLI command and the benchmarks call it.
import type { Store } from './store.ts';

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
