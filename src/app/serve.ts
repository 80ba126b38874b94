// `refuge serve` as a function: starts the server over the store the flags name, loads the demo data when asked,
// and stops cleanly on SIGTERM/SIGINT. The CLI calls it; it is the one place where the CLI reaches the server.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Settings } from './config.ts';
import type { StoreFlags } from './compose.ts';
import { storeLocation } from './compose.ts';
import { redactUrl } from '../store/open-store.ts';
import type { BuildOptions } from '../server/app.ts';

const DEMO_STEP = 'demo data';
const WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

export interface ServeOptions extends StoreFlags {
  port: number;
  host: string;
  demo?: boolean;
  insecureCookies?: boolean;
  trustProxy?: string[];
  rateLimitAllow?: string[];
  metrics?: BuildOptions['metrics'];
  /** Used when neither --db, --database-url nor DATABASE_URL is given. */
  fallbackDb: string;
}

export interface ServingProcess {
  url: string;
  /** What it serves, safe to print (a path, or the URL without password). */
  serving: string;
  close(): Promise<void>;
}

export async function serve(o: ServeOptions, settings: Settings, out: NodeJS.WritableStream = process.stdout): Promise<ServingProcess> {
  const location = storeLocation(o, settings, o.fallbackDb);
  const { startServer } = await import('../server/index.ts');
  const { createDemoAccounts, loadDemoData } = await import('../server/demo.ts');
  const server = await startServer({
    ...(location.startsWith('postgres') ? { databaseUrl: location } : { dbPath: location }),
    dataDir: o.dataDir ?? settings.dataDir, port: o.port, host: o.host, logger: { level: settings.logLevel }, settings,
    insecureCookies: o.insecureCookies || o.demo, webRoot: WEB_ROOT, waitFor: o.demo ? [DEMO_STEP] : [],
    trustProxy: o.trustProxy, rateLimitAllow: o.rateLimitAllow, metrics: o.metrics,
  });
  const log = (msg: string) => server.app.log.info(msg);
  if (o.demo) {
    await loadDemoData(server.ctx, log);
    const accounts = await createDemoAccounts(server.ctx);
    for (const a of accounts) out.write(`demo account: ${a.name} (${a.role}) password ${a.password}  (shown once)\n`);
    server.ctx.readiness.done(DEMO_STEP);
    log('ready: the demo data is loaded');
  }
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= server.close());
  const shutdown = async (signal: string) => {
    log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return { url: server.url, serving: redactUrl(location), close };
}
