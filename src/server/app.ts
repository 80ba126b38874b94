// Builds the Fastify application: schemas at the edge, OpenAPI, problem documents, roles, capabilities.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import compress from '@fastify/compress';
import etag from '@fastify/etag';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { HttpProblem } from './problem.ts';
import { constants as zlib } from 'node:zlib';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from './context.ts';
import { registerAuth, requireRoleDeclarations } from './auth.ts';
import { problemSchema, sendProblem } from './problem.ts';
import { registerMetrics } from './metrics.ts';
import { capabilities as defaultCapabilities, type Capability } from './capabilities/index.ts';
import { applyRouteLimits, DEFAULT_BODY_LIMIT } from './route-limits.ts';
import { metricsGuard, type MetricsAccess } from './metrics-access.ts';
import { LocalRateCounter, sharedLimitsFor, type SharedRateCounter } from './shared-limits.ts';
import { LoginThrottle } from './login-throttle.ts';

/**
 * The pages' Content Security Policy: our own scripts only (an injected script cannot forge an alert screen), no
 * framing (the console cannot be clickjacked into approving), and https: for images and fetches because a production
 * tile server is configured at run time (web/dist/config.json). Inline styles are allowed: the app sets style
 * attributes from code.
 */
const PAGE_CSP = [
  "default-src 'self'", "script-src 'self'", "worker-src 'self' blob:", "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:", "connect-src 'self' https:", "font-src 'self' data:", "manifest-src 'self'",
  "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  capabilities?: Capability[];
  /**
   * Behind a reverse proxy: the proxies' addresses or CIDR ranges (e.g. ['127.0.0.1', '10.0.0.0/8']). The client
   * address is then read from X-Forwarded-For, taking the last hop not from a trusted proxy, so a client cannot
   * reset its own rate limits by sending the header itself. Trusting every sender of the header is not offered.
   */
  trustProxy?: string[];
  /** Client addresses never rate limited (a benchmark's load generator on loopback); empty by default. */
  rateLimitAllow?: string[];
  /** Who may read /metrics: a scrape secret (HTTP Basic password) and/or client addresses (default: loopback only). */
  metrics?: MetricsAccess;
}

/** The shared request counts of an app on PostgreSQL (none on SQLite), so a test can sync them instead of waiting. */
const sharedCounters = new WeakMap<FastifyInstance, SharedRateCounter>();
export function sharedRateCounterOf(app: FastifyInstance): SharedRateCounter | null {
  return sharedCounters.get(app) ?? null;
}

export async function buildServer(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  if (opts.trustProxy !== undefined && (!Array.isArray(opts.trustProxy) || opts.trustProxy.length === 0 || opts.trustProxy.some((a) => typeof a !== 'string' || !a.trim()))) {
    throw new Error('trustProxy must list the reverse proxies\' addresses or CIDR ranges');
  }
  const app = Fastify({
    logger: opts.logger ?? false,
    // Routes set their own (public ones less, imports more): see route-limits.ts.
    bodyLimit: DEFAULT_BODY_LIMIT,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    return503OnClosing: true,
    trustProxy: opts.trustProxy ?? false,
  });
  // Limits per client address on public routes (route-limits.ts sets defaults; a route may set its own in
  // config.rateLimit) and per account on staff writes. On PostgreSQL every process adds its counts to shared ones
  // (shared-limits.ts), so N processes behind a balancer allow the limit, not N times it; on SQLite one process owns
  // the database and memory is exact.
  const shared = sharedLimitsFor(ctx.store, { log: (msg, err) => app.log.warn({ err }, msg) });
  applyRouteLimits(app, { staffWrites: shared?.counter ?? new LocalRateCounter(), allow: opts.rateLimitAllow ?? [] });
  const caps = opts.capabilities ?? defaultCapabilities;
  requireRoleDeclarations(app);
  app.setErrorHandler((err, request, reply) => sendProblem(request, reply, err));
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, new HttpProblem('NOT_FOUND', `No route ${request.method} ${request.url}`)));
  app.addSchema(problemSchema);
  // Registry files come as CSV or GeoJSON bodies.
  for (const type of ['text/csv', 'text/plain', 'application/geo+json', 'application/xml', 'text/xml', 'application/cap+xml', 'application/octet-stream']) {
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  }

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Refuge API', version: '0.1.0', description: 'Shelter registry, walking-time routing to shelters, and CAP 1.2 alerts. Errors are application/problem+json (RFC 9457).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'refuge_session' } } },
    },
    transform: ({ schema, url, route }) => {
      const roles = (route.config as { roles?: string[] } | undefined)?.roles;
      const s = { ...(schema ?? {}) } as Record<string, unknown>;
      if (roles) s['x-roles'] = roles;
      if (roles && !roles.includes('public')) s.security = [{ bearer: [] }, { session: [] }];
      return { schema: s as typeof schema, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(cookie);
  // Security headers on every answer (nosniff, no referrer, no framing, ...). The web app's pages get their Content
  // Security Policy where they are served (below): API answers are data, and /docs (Swagger UI) needs its own.
  await app.register(helmet, {
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
    // Behind TLS the browser keeps to HTTPS; sub-domains are the operator's business.
    strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
  });
  // Residents load the registry snapshot and the street lines on phones, often on failing networks: answers carry an
  // ETag (a reload that finds nothing changed gets 304 and no body) and are compressed. The ETag is taken before
  // compression and is weak, since the bytes differ per encoding. Event streams are left alone by compress.
  if (shared) {
    sharedCounters.set(app, shared.counter);
    app.addHook('onClose', async () => shared.counter.close());
  }
  await app.register(rateLimit, {
    global: false,
    ...(shared ? { store: shared.store } : {}),
    allowList: opts.rateLimitAllow ?? [],
    errorResponseBuilder: (_req, ctx) => new HttpProblem('RATE_LIMITED', `Too many requests from this address: at most ${ctx.max} in this route's window; try again in ${ctx.after}`, [], { retryAfter: Math.ceil(ctx.ttl / 1000) }),
  });
  await app.register(etag, { weak: true });
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    // Quality 4 keeps brotli close to gzip's speed; 11 (the default) takes seconds on a 4 MB snapshot.
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });
  registerAuth(app, () => ctx.accounts);
  const metrics = registerMetrics(app, ctx.registry);

  // Not healthy until what it waits for is loaded: a load balancer must not send residents to a server whose
  // registry is still empty.
  const health = async (_req: unknown, reply: import('fastify').FastifyReply) => {
    const waitingFor = ctx.readiness.waitingFor();
    if (waitingFor.length) return reply.code(503).header('retry-after', '5').send({ status: 'starting', waitingFor, shelters: ctx.registry.all().length });
    return { status: 'ok', waitingFor, shelters: ctx.registry.all().length };
  };
  app.get('/healthz', { schema: { hide: true } }, health);
  app.get('/readyz', { schema: { hide: true } }, health);
  app.get('/metrics', { schema: { hide: true }, onRequest: metricsGuard(opts.metrics) }, async (_req, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Sign-in failures are counted where the request limits are: shared on PostgreSQL, in memory on SQLite.
  const edge = { loginThrottle: shared?.login ?? new LoginThrottle() };
  for (const cap of caps) if (cap.routes) await cap.routes(app, ctx, edge);

  if (ctx.options.webRoot && !existsSync(join(ctx.options.webRoot, 'index.html'))) {
    // Said plainly at / and in the log, rather than a bare 404: the API works, the pages were never built.
    const message = `The Refuge web app has not been built (no ${join(ctx.options.webRoot, 'index.html')}). Run \`npm run build:web\` (npm start does it), then restart. The API is served at /api and documented at /docs.`;
    app.log.warn(message);
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.code(503).type('text/plain; charset=utf-8').send(message + '\n'));
  } else if (ctx.options.webRoot) {
    await app.register(fastifyStatic, {
      root: ctx.options.webRoot, prefix: '/', wildcard: false, index: ['index.html'],
      // The build writes .br and .gz beside each file; served as they are, nothing is compressed per request.
      preCompressed: true,
      cacheControl: false,
      // Built assets carry a content hash in their name and never change; pages and the service worker must be revalidated.
      setHeaders: (res, path) => {
        res.setHeader('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
        if (/\.html(\.br|\.gz)?$/.test(path)) { // precompressed pages arrive as .html.br or .html.gz
          res.setHeader('content-security-policy', PAGE_CSP);
          res.setHeader('permissions-policy', 'geolocation=(self), camera=(), microphone=(), payment=(), usb=()');
        }
      },
    });
  }
  return app;
}
