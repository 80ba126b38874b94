// Limits every route gets unless it sets its own: body size, text length, finite numbers, a request rate per
// client address on public routes, and a rate of state-changing requests per account on staff routes. Applied when a
// route is added (onRoute), so a route added later by any capability is covered without remembering to ask.
import type { FastifyInstance, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import { HttpProblem } from './problem.ts';
import type { HitCounter } from './shared-limits.ts';

/** Staff routes: JSON bodies and small files. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Public routes (sign-in, reports, push subscriptions): nothing a resident sends is larger. */
export const PUBLIC_BODY_LIMIT = 16 * 1024;
/** Whole registries and region files arrive as request bodies; routes that take them ask for this. */
export const IMPORT_BODY_LIMIT = 50 * 1024 * 1024;
/** A string in a JSON body or query without a maxLength of its own. */
export const DEFAULT_MAX_STRING = 10_000;
/** A number without bounds of its own: beyond this it is a slip or an attack (and Infinity, from 1e309, fails it). */
export const DEFAULT_NUMBER_BOUND = 1e12;

export interface RateLimitRule { max: number; timeWindow: string }

/**
 * Public requests per client address. Reads that cost the server real work (a page of up to thousands of shelters,
 * a routed search) are limited; the alert stream is not: it is the alert path, a resident's reconnects must never
 * be refused, and its cost is a held socket, not work.
 */
export const PUBLIC_RATE_LIMITS: { read: RateLimitRule; heavyRead: Record<string, RateLimitRule>; write: RateLimitRule; exempt: string[] } = {
  read: { max: 600, timeWindow: '1 minute' },
  heavyRead: {
    '/api/shelters': { max: 60, timeWindow: '1 minute' },
    '/api/nearest': { max: 300, timeWindow: '1 minute' },
  },
  write: { max: 60, timeWindow: '1 minute' },
  exempt: ['/api/alerts/stream', '/healthz', '/readyz'],
};

/**
 * State-changing requests on staff routes, per account over all those routes together (one budget, whichever route):
 * far above what a person in the console or a script of an operator does (a busy approver clicks a few times a
 * minute), far below what a stolen token scripted to flood drafts, imports or account changes would send.
 */
export const STAFF_WRITE_LIMIT = { max: 120, windowMs: 60_000 };

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RouteLimitOptions {
  /** Counts staff writes: shared by every process on PostgreSQL (SharedRateCounter), in memory on SQLite. */
  staffWrites: HitCounter;
  /** Client addresses never limited (the app's rateLimitAllow: a benchmark's or crash test's load on loopback). */
  allow?: readonly string[];
}

/**
 * The staff write limit as a route hook. Route hooks run after the app's own, so the caller is known by then (the
 * auth hook refuses a stranger first): counted per account; a caller without one (a call-up link holder on a route
 * open to both) per client address.
 */
function staffWriteLimit(counter: HitCounter, allow: readonly string[]): onRequestHookHandler {
  return async (request) => {
    if (allow.includes(request.ip)) return;
    const key = request.user ? `staff-write\naccount ${request.user.name}` : `staff-write\naddress ${request.ip}`;
    const { current, ttl } = counter.hit(key, STAFF_WRITE_LIMIT.windowMs, STAFF_WRITE_LIMIT.max);
    if (current <= STAFF_WRITE_LIMIT.max) return;
    const wait = Math.max(1, Math.ceil(ttl / 1000));
    request.log.warn({ user: request.user?.name ?? null, ip: request.ip, url: request.routeOptions.url }, 'staff write limit reached');
    throw new HttpProblem('RATE_LIMITED', `Too many changes from ${request.user ? 'this account' : 'this address'}: at most ${STAFF_WRITE_LIMIT.max} a minute over all staff routes; try again in ${wait} s`, [], { retryAfter: wait });
  };
}

/** Registers the hook; call before the rate-limit plugin so its own onRoute hook sees the limits set here. */
export function applyRouteLimits(app: FastifyInstance, opts: RouteLimitOptions): void {
  const staffHook = staffWriteLimit(opts.staffWrites, opts.allow ?? []);
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as { roles?: readonly string[]; rateLimit?: unknown };
    const isPublic = !config.roles || config.roles.includes('public');
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.bodyLimit === undefined) route.bodyLimit = isPublic ? PUBLIC_BODY_LIMIT : DEFAULT_BODY_LIMIT;
    if (route.schema) {
      const schema = route.schema as Record<string, unknown>;
      for (const part of ['body', 'querystring', 'params']) if (schema[part]) schema[part] = bounded(schema[part]);
    }
    if (isPublic && config.rateLimit === undefined && route.url.startsWith('/api/') && !PUBLIC_RATE_LIMITS.exempt.includes(route.url)) {
      const rule = methods.some((m) => MUTATING.has(m)) ? PUBLIC_RATE_LIMITS.write : PUBLIC_RATE_LIMITS.heavyRead[route.url] ?? PUBLIC_RATE_LIMITS.read;
      route.config = { ...config, rateLimit: rule } as RouteOptions['config'];
    }
    if (config.roles && config.roles.some((r) => r !== 'public') && methods.some((m) => MUTATING.has(m))) {
      route.onRequest = [...(route.onRequest ? [route.onRequest].flat() : []), staffHook];
    }
  });
  // Ajv turns "Infinity" or "1e309" in a query string into Infinity and then skips the number's bounds, so a
  // coerced value is checked again once validation is done.
  app.addHook('preHandler', async (request: FastifyRequest) => {
    for (const [part, values] of [['querystring', request.query], ['params', request.params]] as const) {
      if (!values || typeof values !== 'object') continue;
      for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
        if ((typeof v === 'number' && !Number.isFinite(v)) || (Array.isArray(v) && v.some((x) => typeof x === 'number' && !Number.isFinite(x)))) {
          throw new HttpProblem('INVALID_REQUEST', `Invalid ${part}.${k}: must be a finite number`, [{ field: `${part}.${k}`, reason: 'must be a finite number' }]);
        }
      }
    }
  });
}

/**
 * A copy of a JSON schema in which every string has a maxLength and every number finite bounds. Schemas by
 * reference ($ref) are left to their owner.
 */
export function bounded(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const s = { ...(schema as Record<string, unknown>) };
  if ('$ref' in s) return s;
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (types.includes('string') && s.maxLength === undefined && s.enum === undefined && s.const === undefined && s.format === undefined) s.maxLength = DEFAULT_MAX_STRING;
  if (types.includes('number') || types.includes('integer')) {
    if (s.maximum === undefined && s.exclusiveMaximum === undefined) s.maximum = DEFAULT_NUMBER_BOUND;
    if (s.minimum === undefined && s.exclusiveMinimum === undefined) s.minimum = -DEFAULT_NUMBER_BOUND;
  }
  if (s.properties && typeof s.properties === 'object') {
    s.properties = Object.fromEntries(Object.entries(s.properties as Record<string, unknown>).map(([k, v]) => [k, bounded(v)]));
  }
  if (s.items) s.items = Array.isArray(s.items) ? s.items.map(bounded) : bounded(s.items);
  for (const k of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(s[k])) s[k] = (s[k] as unknown[]).map(bounded);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') s.additionalProperties = bounded(s.additionalProperties);
  return s;
}
