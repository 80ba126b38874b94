// Web Push: the VAPID public key for PushManager.subscribe(), and storing a subscription for regions or a point.
import type { FastifyPluginAsync } from 'fastify';
import type { AlertDeliveryServices } from '../../app/services/alert-delivery.ts';
import { HttpProblem } from '../problem.ts';
import { PushServiceError, PushSubscriptionError, type PushSender } from '../../alerts/delivery/index.ts';
import { TEST_PUSH_INTERVAL_MS, TEST_PUSH_OPTIONS, testPushPayload } from '../../alerts/delivery/push/test-push.ts';
import type { ApprovalsPushStore } from '../../alerts/approvals/index.ts';
import { randomBytes } from 'node:crypto';

/**
 * The server POSTs to whatever endpoint a browser registers, so an anonymous caller must not be able to point it at
 * this machine or its private network. Host names are not resolved here; the push agent checks the resolved address
 * at every connection (src/adapters/web-push/egress-guard.ts). REFUGE_PUSH_ALLOW_PRIVATE=1 lifts both for local testing.
 */
export function privateEndpointProblem(endpoint: string): string | null {
  let url: URL;
  try { url = new URL(endpoint); } catch { return 'is not a URL'; }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return `points at a local host (${host})`;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224) return `points at a private or reserved address (${host})`;
  }
  if (host.includes(':') && (host === '::1' || host === '::' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith('::ffff:'))) return `points at a private or reserved address (${host})`;
  return null;
}

export interface PushRouteOptions {
  alerts: AlertDeliveryServices;
  /** Push endpoints on private addresses are accepted (local testing: REFUGE_PUSH_ALLOW_PRIVATE). */
  pushAllowPrivate: boolean;
}

export const pushRoutes: FastifyPluginAsync<PushRouteOptions> = async (app, opts) => {
  const { alerts, pushAllowPrivate } = opts;
  app.get('/api/push/vapid-public-key', {
    config: { roles: ['public'] },
    schema: { summary: 'The VAPID public key (base64url) to pass as applicationServerKey', tags: ['push'] },
  }, async () => ({ publicKey: alerts.vapid.publicKey }));

  app.post('/api/push/subscribe', {
    // Public and stored: one address may not fill the table (each subscription is a destination the server writes to).
    config: { roles: ['public'], rateLimit: { max: 30, timeWindow: '1 hour' } },
    schema: {
      summary: 'Store a browser push subscription for regions (regions) or for the regions at a point (lat, lon)', tags: ['push'],
      body: { type: 'object', additionalProperties: false, required: ['subscription'], properties: {
        subscription: { type: 'object' }, regions: { type: 'array', items: { type: 'string' }, maxItems: 200 },
        lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 },
      } },
    },
  }, async (request, reply) => {
    const body = request.body as { subscription: unknown; regions?: string[]; lat?: number; lon?: number };
    const s = alerts;
    let regions = body.regions ?? [];
    if (regions.length === 0 && body.lat !== undefined && body.lon !== undefined) regions = s.regionIndex().regionsAt(body.lat, body.lon).map((r) => r.code);
    const endpoint = (body.subscription as { endpoint?: unknown } | null)?.endpoint;
    const privateProblem = typeof endpoint === 'string' && !pushAllowPrivate ? privateEndpointProblem(endpoint) : null;
    if (privateProblem) throw new HttpProblem('INVALID_SUBSCRIPTION', `The push endpoint ${privateProblem}`, [{ field: 'subscription.endpoint', reason: privateProblem }]);
    if (regions.length === 0) throw new HttpProblem('NO_REGIONS', 'No region: give regions, or a lat/lon inside a known region', [{ field: 'regions', reason: 'no region found' }]);
    try {
      const sub = await s.push.subscribe(body.subscription, regions);
      return reply.code(201).send({ endpoint: sub.endpoint, regions: sub.regions });
    } catch (err) {
      if (err instanceof PushSubscriptionError) throw new HttpProblem('INVALID_SUBSCRIPTION', err.message, [{ field: err.field, reason: err.message }]);
      throw err;
    }
  });

  app.post('/api/push/unsubscribe', {
    config: { roles: ['public'], rateLimit: { max: 30, timeWindow: '1 hour' } },
    schema: { summary: 'Forget a push subscription', tags: ['push'], body: { type: 'object', additionalProperties: false, required: ['endpoint'], properties: { endpoint: { type: 'string' } } } },
  }, async (request) => ({ removed: await alerts.push.unsubscribe((request.body as { endpoint: string }).endpoint) }));
};

/** Per client address: a household's few phones may each test in a minute, a script may not test endlessly. */
export const TEST_PUSH_PER_ADDRESS = { max: 3, timeWindow: '1 minute' } as const;

export interface PushTestRouteOptions {
  alerts: AlertDeliveryServices;
  store: Pick<ApprovalsPushStore, 'deviceSubscription' | 'claimOnce'>;
  /** The real Web Push sender (the same adapter, VAPID keys and agent as alert delivery). */
  sender: PushSender;
  now?: () => number;
}

/**
 * POST /api/push/test: sends this device (its endpoint, registered through /api/push/subscribe) a TEST notification
 * through the real Web Push path. No account: knowing a registered endpoint is what a device proves; the message goes
 * to that endpoint's stored keys only, so it reaches that device and no one else, and no alert's figures count it.
 */
export const pushTestRoutes: FastifyPluginAsync<PushTestRouteOptions> = async (app, opts) => {
  const now = opts.now ?? Date.now;
  app.post('/api/push/test', {
    // Per address here (shared by every process on PostgreSQL); per endpoint in the store, below.
    config: { roles: ['public'], rateLimit: TEST_PUSH_PER_ADDRESS },
    schema: {
      summary: 'Send this device a TEST push notification, end to end (at most one a minute per device)', tags: ['push'],
      body: { type: 'object', additionalProperties: false, required: ['endpoint'], properties: {
        endpoint: { type: 'string', minLength: 1, maxLength: 2000 },
        nonce: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'echoed in the notification, so the page knows its test arrived' },
      } },
    },
  }, async (request) => {
    const body = request.body as { endpoint: string; nonce?: string };
    const sub = await opts.store.deviceSubscription(body.endpoint);
    if (!sub) {
      throw new HttpProblem('NOT_FOUND', 'This device is not subscribed to alerts here: subscribe (POST /api/push/subscribe) before testing', [{ field: 'endpoint', reason: 'not a registered push subscription' }]);
    }
    const nowMs = now();
    const claim = await opts.store.claimOnce(sub.endpoint, nowMs, TEST_PUSH_INTERVAL_MS);
    if (!claim.claimed) {
      const wait = Math.max(1, Math.ceil((claim.nextMs - nowMs) / 1000));
      throw new HttpProblem('RATE_LIMITED', `This device had a test push less than a minute ago; try again in ${wait} s`, [{ field: 'endpoint', reason: 'tested too recently' }], { retryAfter: wait });
    }
    const nonce = body.nonce ?? randomBytes(8).toString('base64url');
    try {
      const status = await opts.sender.send(sub, testPushPayload(nonce, nowMs), TEST_PUSH_OPTIONS);
      return { sent: true, nonce, pushStatus: status };
    } catch (err) {
      // The request was fine; the push service or the way to it was not: say which, plainly (no alert depends on it).
      if (err instanceof PushServiceError) {
        const gone = err.statusCode === 404 || err.statusCode === 410;
        if (gone) await opts.alerts.push.unsubscribe(sub.endpoint); // as alert delivery does: the subscription is over
        return { sent: false, nonce, pushStatus: err.statusCode, gone, reason: gone ? 'the push service says this subscription has ended; subscribe again' : `the push service refused the message (HTTP ${err.statusCode})` };
      }
      request.log.warn({ err }, 'push test: the push service could not be reached');
      return { sent: false, nonce, pushStatus: null, gone: false, reason: `the push service could not be reached (${(err as Error).message})` };
    }
  });
};
