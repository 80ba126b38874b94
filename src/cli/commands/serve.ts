import type { CliGroups } from '../groups.ts';
import { DEFAULT_DB, fail } from '../groups.ts';
import { loadSettings, type Settings } from '../../app/config.ts';

export function registerServe(cli: CliGroups): void {
  cli.program.command('serve')
    .description('run the Refuge server (HTTP API, web app, alert delivery)')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--bus <url>', 'the bus joining several server processes: nats://HOST:PORT (recommended; JetStream must be enabled; several servers comma-separated, ?replicas=N) or redis://HOST:PORT (default: REFUGE_ALERT_BUS; none = this process alone)')
    .option('--port <n>', 'TCP port', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--demo', 'load the bundled demo data and create demo accounts with one-time passwords')
    .option('--trust-proxy <addresses>', 'behind reverse proxies: their addresses or CIDR ranges, comma-separated; the client address is then read from X-Forwarded-For')
    .option('--metrics-allow <addresses>', 'client addresses or CIDR ranges that may read /metrics without the scrape secret (default loopback); the secret (HTTP Basic password) is read from REFUGE_METRICS_TOKEN')
    .option('--rate-limit-allow <addresses>', 'client addresses never rate limited (a load generator); comma-separated')
    .option('--insecure-cookies', 'send session cookies over plain HTTP (default with --demo; use HTTPS in production)')
    .action(async (o: { db?: string; databaseUrl?: string; dataDir?: string; bus?: string; port: string; host: string; demo?: boolean; insecureCookies?: boolean; trustProxy?: string; metricsAllow?: string; rateLimitAllow?: string }) => {
      let settings: Settings;
      try {
        settings = loadSettings();
      } catch (e) {
        fail((e as Error).message);
      }
      if (o.bus !== undefined) {
        if (!/^(nats|redis):\/\/\S+$/.test(o.bus)) fail(`--bus must be nats://HOST:PORT or redis://HOST:PORT, not ${o.bus}`);
        settings = { ...settings, alertBus: o.bus };
      }
      const list = (v?: string) => (v === undefined ? undefined : v.split(',').map((x) => x.trim()).filter(Boolean));
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, not ${o.port}`);
      // Loaded here, not at the top: `refuge --help` and the other commands need none of the server.
      const { serve } = await import('../../app/serve.ts');
      let running;
      try {
        running = await serve({
          db: o.db, databaseUrl: o.databaseUrl, dataDir: o.dataDir, fallbackDb: DEFAULT_DB, port, host: o.host, demo: o.demo, insecureCookies: o.insecureCookies,
          trustProxy: list(o.trustProxy), rateLimitAllow: list(o.rateLimitAllow), metrics: { token: settings.metricsToken ?? undefined, allow: list(o.metricsAllow) },
        }, settings);
      } catch (e) {
        fail(`cannot start: ${(e as Error).message}`);
      }
      process.stdout.write(`Refuge is serving ${running.serving} on ${running.url}\n`);
    });
}
