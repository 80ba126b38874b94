import type { Command } from 'commander';
import type { CoreServices, ComposeOptions, StoreFlags } from '../app/compose.ts';

/** The command groups capabilities attach their subcommands to. */
export interface CliGroups {
  program: Command;
  import: Command;
  export: Command;
  admin: Command;
}

/** Prints a clear one-line error and sets a failing exit code; never a stack trace for expected problems. */
export function fail(message: string, code = 1): never {
  process.stderr.write(`refuge: ${message}\n`);
  process.exit(code);
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const DEFAULT_DB = './refuge.db';

/**
 * Every command that takes --db also takes --database-url and --data-dir (added once here, after all commands are
 * registered, so no command can forget them).
 */
export function addStoreOptions(cmd: Command): void {
  if (cmd.options.some((o) => o.long === '--db')) {
    cmd.option('--database-url <url>', 'shared PostgreSQL database, postgres://… (default: DATABASE_URL)');
    cmd.option('--data-dir <dir>', 'directory of the signing key and walking graph (default: beside the --db file; ./refuge-data with PostgreSQL)');
  }
  for (const sub of cmd.commands) addStoreOptions(sub);
}

/** Opens the store the flags name and composes the services; a bad location or setting fails with one clear line. */
export async function openCliServices(o: StoreFlags, opts: ComposeOptions = {}): Promise<CoreServices & { location: string; close(): Promise<void> }> {
  const { openServices } = await import('../app/compose.ts');
  try {
    return await openServices(o, { ...opts, fallback: DEFAULT_DB });
  } catch (e) {
    fail((e as Error).message);
  }
}
