import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliGroups } from '../groups.ts';
import { DEFAULT_DB, fail } from '../groups.ts';
import type { RunningServer } from '../../server/index.ts';
import { loadSettings, type Settings } from '../../app/config.ts';

const DEMO_STEP = 'demo data';
const WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web', 'dist');

export function registerServe(cli: CliGroups): void {
  cli.program.command('serve')
    .description('run the Refuge server (HTTP API, web app, alert delivery)')
    .option('--db <path>', 'database file', DEFAULT_DB)
    .option('--port <n>', 'TCP port', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--demo', 'load the bundled demo data and create demo accounts with one-time passwords')
    .option('--trust-proxy <addresses>', 'behind reverse proxies: their addresses or CIDR ranges, comma-separated; the client address is then read from X-Forwarded-For')
    .option('--metrics-allow <addresses>', 'client addresses or CIDR ranges that may read /metrics without the scrape secret (default loopback); the secret (HTTP Basic password) is read from REFUGE_METRICS_TOKEN')
    .option('--rate-limit-allow <addresses>', 'client addresses never rate limited (a load generator); comma-separated')
    .option('--insecure-cookies', 'send session cookies over plain HTTP (default with --demo; use HTTPS in production)')
    .action(async (o: { db: string; port: string; host: string; demo?: boolean; insecureCookies?: boolean; trustProxy?: string; metricsAllow?: string; rateLimitAllow?: string }) => {
      let settings: Settings;
      try {
        settings = loadSettings();
      } catch (e) {
        fail((e as Error).message);
      }
      const list = (v?: string) => (v === undefined ? undefined : v.split(',').map((x) => x.trim()).filter(Boolean));
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, not ${o.port}`);
      // Loaded here, not at the top: `refuge --help` and the other commands need none of the server.
      const { startServer } = await import('../../server/index.ts');
      const { createDemoAccounts, loadDemoData } = await import('../demo.ts');
      let server: RunningServer;
      try {
        server = await startServer({ dbPath: o.db, port, host: o.host, logger: { level: settings.logLevel }, settings, insecureCookies: o.insecureCookies || o.demo, webRoot: WEB_ROOT,
          waitFor: o.demo ? [DEMO_STEP] : [],
          trustProxy: list(o.trustProxy), rateLimitAllow: list(o.rateLimitAllow),
          metrics: { token: settings.metricsToken ?? undefined, allow: list(o.metricsAllow) } });
      } catch (e) {
        fail(`cannot start: ${(e as Error).message}`);
      }
      const log = (msg: string) => server.app.log.info(msg);
      if (o.demo) {
        await loadDemoData(server.ctx, log);
        const accounts = await createDemoAccounts(server.ctx);
        for (const a of accounts) process.stdout.write(`demo account: ${a.name} (${a.role}) password ${a.password}  (shown once)\n`);
        server.ctx.readiness.done(DEMO_STEP);
        log('ready: the demo data is loaded');
      }
      process.stdout.write(`Refuge is serving ${o.db} on ${server.url}\n`);
      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        log(`${signal}: shutting down`);
        const force = setTimeout(() => process.exit(1), 10_000).unref();
        await server.close();
        clearTimeout(force);
        process.exit(0);
      };
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
      process.on('SIGINT', () => void shutdown('SIGINT'));
    });
}
