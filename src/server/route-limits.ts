// Limits every route gets unless it sets its own: body size, text length, finite numbers, and a request rate per
// client address on public routes. Applied when a route is added (onRoute), so a route added later by any
// capability is covered without remembering to ask.
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { HttpProblem } from './problem.ts';

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

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Registers the hook; call before the rate-limit plugin so its own onRoute hook sees the limits set here. */
export function applyRouteLimits(app: FastifyInstance): void {
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
