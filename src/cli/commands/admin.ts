// `refuge admin ...`: account administration from a shell on the server. Whoever can run these owns the database
// anyway, so they are outside the two-person guarantee (docs/security.md); every one is still written to the
// account event log, marked as coming from the CLI.
import { userInfo } from 'node:os';
import type { CliGroups } from '../groups.ts';
import { fail, openCliServices, readStdin } from '../groups.ts';
import type { StoreFlags } from '../../app/compose.ts';
import { AccountError, ROLES, parseJurisdictionList, type Accounts, type Acting } from '../../accounts/index.ts';

/** Opens the store, runs `fn` with the accounts, and turns account errors into a one-line failure. */
async function withAccounts(o: StoreFlags, fn: (accounts: Accounts) => Promise<void>): Promise<void> {
  const svc = await openCliServices(o, { loadRegistry: false });
  try {
    await fn(svc.accounts);
  } catch (e) {
    fail(e instanceof AccountError ? e.message : String(e));
  } finally {
    await svc.close();
  }
}

/** The shell user, recorded as the actor of CLI changes. */
function cliActor(): Acting {
  let name = 'cli';
  try { name = `cli:${userInfo().username}`; } catch { /* no passwd entry (containers) */ }
  return { name, via: 'cli' };
}

async function passwordFromStdin(given: boolean | undefined): Promise<string> {
  if (!given) fail('give the password on standard input with --password-stdin (it is never taken as an argument)');
  return (await readStdin()).replace(/\r?\n$/, '');
}

/** The jurisdiction column of list-users: a code a region import removed is marked (it still restricts). */
const jurisdictionCell = (u: { jurisdiction: string[]; jurisdictionGone?: string[] }) =>
  u.jurisdiction.map((c) => (u.jurisdictionGone?.includes(c) ? `${c}(gone)` : c)).join(',') || '-';
const status = (u: { status: string; pendingReason: string | null; mustChangePassword: boolean }) =>
  u.status + (u.status === 'pending' ? ` (${u.pendingReason})` : '') + (u.mustChangePassword ? ', must change password' : '');

export function registerAdmin(cli: CliGroups): void {
  cli.admin.command('create-user')
    .description('create an account (there are no default accounts); it is active at once')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .requiredOption('--name <name>', 'user name')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--password-stdin', 'read the password from standard input (at least 12 characters)')
    .option('--jurisdiction <codes>', 'region codes the account is responsible for, comma-separated (imported regions; the composer opens on them)')
    .action(async (o: StoreFlags & { name: string; role: string; passwordStdin?: boolean; jurisdiction?: string }) => {
      const password = await passwordFromStdin(o.passwordStdin);
      await withAccounts(o, async (accounts) => {
        const jurisdiction = o.jurisdiction === undefined ? undefined : parseJurisdictionList(o.jurisdiction);
        const user = await accounts.createUser(o.name, o.role, password, cliActor(), { jurisdiction });
        process.stdout.write(`created ${user.role} ${user.name}${user.jurisdiction.length ? ` with jurisdiction ${user.jurisdiction.join(',')}` : ''}\n`);
      });
    });

  cli.admin.command('set-jurisdiction')
    .description('set the region codes an account is responsible for (the composer opens on them); --none takes them away')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .requiredOption('--name <name>', 'user name')
    .option('--jurisdiction <codes>', 'region codes, comma-separated (imported regions)')
    .option('--none', 'no jurisdiction')
    .action(async (o: StoreFlags & { name: string; jurisdiction?: string; none?: boolean }) => {
      if ((o.jurisdiction === undefined) === !o.none) fail('give either --jurisdiction CODE[,CODE...] or --none');
      const codes = o.none ? [] : parseJurisdictionList(o.jurisdiction!);
      if (!o.none && codes.length === 0) fail('--jurisdiction: no region code given (use --none to take the jurisdiction away)');
      await withAccounts(o, async (accounts) => {
        const u = await accounts.setJurisdiction(cliActor(), o.name, codes);
        const dropped = codes.filter((c) => !u.jurisdiction.includes(c));
        if (dropped.length) process.stdout.write(`dropped ${dropped.join(',')}: no longer ${dropped.length === 1 ? 'a region' : 'regions'} (removed by a region import)\n`);
        process.stdout.write(u.jurisdiction.length ? `${u.name} is responsible for ${u.jurisdiction.join(',')}\n` : `${u.name} has no jurisdiction\n`);
      });
    });

  cli.admin.command('create-token')
    .description('create an API token for a user; it is printed once and only its hash is kept')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .requiredOption('--user <name>', 'the user the token acts as')
    .option('--label <text>', 'what the token is for')
    .option('--expires-in-days <days>', 'lifetime in days (default 90, at most 365)')
    .action(async (o: StoreFlags & { user: string; label?: string; expiresInDays?: string }) => {
      const days = o.expiresInDays === undefined ? undefined : Number(o.expiresInDays);
      await withAccounts(o, async (accounts) => {
        process.stdout.write((await accounts.createApiToken(o.user, o.label ?? null, cliActor(), days)) + '\n');
      });
    });

  cli.admin.command('list-users')
    .description('list accounts and their status')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .action(async (o: StoreFlags) => {
      await withAccounts(o, async (accounts) => {
        for (const u of await accounts.listUsers()) process.stdout.write(`${u.name}\t${u.role}\t${u.createdAt}\t${status(u)}\t${jurisdictionCell(u)}\n`);
      });
    });

  cli.admin.command('reset-password')
    .description('set an account\'s password (it works at once) and end its sessions')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .requiredOption('--name <name>', 'user name')
    .option('--password-stdin', 'read the new password from standard input (at least 12 characters)')
    .action(async (o: StoreFlags & { name: string; passwordStdin?: boolean }) => {
      const password = await passwordFromStdin(o.passwordStdin);
      await withAccounts(o, async (accounts) => {
        const u = await accounts.resetPassword(cliActor(), o.name, password);
        process.stdout.write(`password of ${u.name} reset; its sessions ended (${status(u)})\n`);
      });
    });

  cli.admin.command('activate-user')
    .description('activate an account that waits for a second admin')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .requiredOption('--name <name>', 'user name')
    .action(async (o: StoreFlags & { name: string }) => {
      await withAccounts(o, async (accounts) => {
        const u = await accounts.activate(cliActor(), o.name);
        process.stdout.write(`activated ${u.role} ${u.name}\n`);
      });
    });

  for (const [cmd, disabled] of [['disable-user', true], ['enable-user', false]] as const) {
    cli.admin.command(cmd)
      .description(disabled ? 'disable an account: its sessions end and its tokens stop at once' : 'enable a disabled account')
      .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
      .requiredOption('--name <name>', 'user name')
      .action(async (o: StoreFlags & { name: string }) => {
        await withAccounts(o, async (accounts) => {
          const u = await accounts.setDisabled(cliActor(), o.name, disabled);
          process.stdout.write(`${u.name} is ${status(u)}\n`);
        });
      });
  }

  cli.admin.command('list-tokens')
    .description('list API tokens (never their secrets)')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--user <name>', 'only this user\'s tokens')
    .action(async (o: StoreFlags & { user?: string }) => {
      await withAccounts(o, async (accounts) => {
        for (const t of await accounts.listTokens(cliActor(), o.user)) {
          const state = t.revokedAt ? `revoked ${t.revokedAt}` : t.expiresAt && Date.parse(t.expiresAt) <= Date.now() ? 'expired' : 'live';
          process.stdout.write(`${t.id}\t${t.user}\t${t.label ?? '-'}\tcreated ${t.createdAt}\texpires ${t.expiresAt ?? 'never'}\tlast used ${t.lastUsedAt ?? 'never'}\t${state}\n`);
        }
      });
    });

  cli.admin.command('revoke-token')
    .description('revoke an API token at once (ids from list-tokens)')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .requiredOption('--id <id>', 'token id')
    .action(async (o: StoreFlags & { id: string }) => {
      await withAccounts(o, async (accounts) => {
        const t = await accounts.revokeToken(cliActor(), o.id);
        process.stdout.write(`revoked ${t.id} of ${t.user}\n`);
      });
    });

  cli.admin.command('events')
    .description('the account event log, newest first')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--user <name>', 'only events about this user')
    .option('--limit <n>', 'how many', '50')
    .action(async (o: StoreFlags & { user?: string; limit: string }) => {
      await withAccounts(o, async (accounts) => {
        for (const e of await accounts.events({ subject: o.user, limit: Number(o.limit) || 50 })) {
          process.stdout.write(`${e.at}\t${e.via}\t${e.actor ?? '-'}\t${e.action}\t${e.subject ?? '-'}\t${JSON.stringify(e.detail)}\n`);
        }
      });
    });
}
