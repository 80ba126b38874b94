// `refuge`: the command line. Every subcommand has --help.
import { Command } from 'commander';
import { commandModules } from './commands/index.ts';
import { addStoreOptions, type CliGroups } from './groups.ts';

export function buildCli(): Command {
  const program = new Command('refuge')
    .description('Refuge: shelter registry, walking-time routing to shelters, and CAP alerts')
    .version('0.1.0')
    .showHelpAfterError();
  const cli: CliGroups = {
    program,
    import: program.command('import').description('import data into the database (shelters, network, regions, cap)'),
    export: program.command('export').description('export data from the database'),
    admin: program.command('admin').description('accounts and API tokens'),
  };
  for (const register of commandModules) register(cli);
  addStoreOptions(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (e) {
    process.stderr.write(`refuge: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
