import type { CliGroups } from '../groups.ts';
import { DEFAULT_DB, fail, readStdin } from '../groups.ts';
import { openSqliteStore } from '../../store/sqlite/index.ts';
import { Accounts, AccountError, ROLES } from '../../accounts/index.ts';

/** Opens the database, runs `fn` with the accounts, and turns account errors into a one-line failure. */
async function withAccounts(db: string, fn: (accounts: Accounts) => Promise<void>): Promise<void> {
  const store = openSqliteStore(db);
  try {
    await fn(new Accounts(store.accounts));
  } catch (e) {
    fail(e instanceof AccountError ? e.message : String(e));
  } finally {
    store.close();
  }
}

export function registerAdmin(cli: CliGroups): void {
  cli.admin.command('create-user')
    .description('create an account (there are no default accounts)')
    .option('--db <path>', 'database file', DEFAULT_DB)
    .requiredOption('--name <name>', 'user name')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--password-stdin', 'read the password from standard input (at least 12 characters)')
    .action(async (o: { db: string; name: string; role: string; passwordStdin?: boolean }) => {
      if (!o.passwordStdin) fail('give the password on standard input with --password-stdin (it is never taken as an argument)');
      const password = (await readStdin()).replace(/\r?\n$/, '');
      await withAccounts(o.db, async (accounts) => {
        const user = await accounts.createUser(o.name, o.role, password);
        process.stdout.write(`created ${user.role} ${user.name}\n`);
      });
    });

  cli.admin.command('create-token')
    .description('create an API token for a user; it is printed once and only its hash is kept')
    .option('--db <path>', 'database file', DEFAULT_DB)
    .requiredOption('--user <name>', 'the user the token acts as')
    .option('--label <text>', 'what the token is for')
    .action(async (o: { db: string; user: string; label?: string }) => {
      await withAccounts(o.db, async (accounts) => {
        process.stdout.write((await accounts.createApiToken(o.user, o.label ?? null)) + '\n');
      });
    });

  cli.admin.command('list-users')
    .description('list accounts')
    .option('--db <path>', 'database file', DEFAULT_DB)
    .action(async (o: { db: string }) => {
      await withAccounts(o.db, async (accounts) => {
        for (const u of await accounts.listUsers()) process.stdout.write(`${u.name}\t${u.role}\t${u.createdAt}${u.disabledAt ? '\tdisabled' : ''}\n`);
      });
    });
}
