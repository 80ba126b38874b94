// Starts a whole Refuge server: store, context, capabilities, HTTP. Used by `refuge serve` and by tests.
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { openStore } from '../store/open-store.ts';
import { loadSettings } from '../app/config.ts';
import { createContext, type AppContext, type AppOptions } from './context.ts';
import { buildServer } from './app.ts';
import { capabilities as defaultCapabilities, type Capability } from './capabilities/index.ts';
import type { BuildOptions } from './app.ts';

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  close(): Promise<void>;
}

export interface StartOptions extends Partial<AppOptions> {
  /** An SQLite file (embedded)… */
  dbPath?: string;
  /** …or a shared PostgreSQL database, postgres://… (DATABASE_URL when neither is given). */
  databaseUrl?: string;
  /** PostgreSQL schema of this installation (REFUGE_PG_SCHEMA, default public). */
  pgSchema?: string;
  port?: number;
  host?: string;
  logger?: FastifyServerOptions['logger'];
  capabilities?: Capability[];
  trustProxy?: BuildOptions['trustProxy'];
  rateLimitAllow?: BuildOptions['rateLimitAllow'];
  metrics?: BuildOptions['metrics'];
  /** Things the caller still loads after listening (the demo data): /healthz is 503 until each is marked done. */
  waitFor?: string[];
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const settings = opts.settings ?? loadSettings();
  const location = opts.databaseUrl ?? opts.dbPath ?? settings.databaseUrl;
  if (!location) throw new Error('startServer: give dbPath or databaseUrl (or set DATABASE_URL)');
  const store = await openStore(location, { schema: opts.pgSchema ?? settings.pgSchema ?? undefined });
  const caps = opts.capabilities ?? defaultCapabilities;
  let ctx: AppContext;
  try {
    ctx = await createContext(store, { location, dataDir: opts.dataDir, insecureCookies: opts.insecureCookies, webRoot: opts.webRoot, externalChangePollMs: opts.externalChangePollMs, settings });
  } catch (e) {
    await store.close();
    throw e;
  }
  const started: Capability[] = [];
  let app: FastifyInstance | null = null;
  const close = async () => {
    if (app) await app.close();
    for (const cap of [...started].reverse()) await cap.stop?.(ctx);
    // A last seal of the audit chain, so entries written since the last periodic one are covered too.
    await ctx.auditSealer?.sealNow().catch(() => {});
    ctx.auditSealer?.stop();
    await store.close();
  };
  try {
    for (const cap of caps) {
      await cap.start?.(ctx);
      started.push(cap);
    }
    app = await buildServer(ctx, { logger: opts.logger, capabilities: caps, trustProxy: opts.trustProxy, rateLimitAllow: opts.rateLimitAllow, metrics: opts.metrics });
    for (const what of opts.waitFor ?? []) ctx.readiness.wait(what);
    const address = await app.listen({
      port: opts.port ?? 0, host: opts.host ?? '127.0.0.1',
      // Listening is not ready: say what it still waits for, so "listening" is not read as "serving".
      listenTextResolver: (addr) => (ctx.readiness.ready ? `listening at ${addr}` : `listening at ${addr}; not ready until loaded: ${ctx.readiness.waitingFor().join(', ')} (/healthz answers 503 until then)`),
    });
    return { app, ctx, url: address.replace('[::1]', 'localhost'), close };
  } catch (e) {
    await close().catch(() => {});
    throw e;
  }
}

export { buildServer } from './app.ts';
export { createContext, type AppContext, type AppOptions } from './context.ts';
export type { Capability } from './capabilities/index.ts';
