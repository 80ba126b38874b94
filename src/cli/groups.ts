import type { Command } from 'commander';

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
