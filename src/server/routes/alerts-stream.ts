// GET /api/alerts/stream: Server-Sent Events of alerts for regions (?regions=a,b), a point (?lat=&lon=) or all (?all=1).
// The SSE id is the outbox seq; a reconnecting client's Last-Event-ID (header, or ?lastEventId= for clients that
// cannot set headers) replays exactly what it missed. The hub writes heartbeats so proxies keep the stream open.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { AlertDeliveryServices } from '../../app/services/alert-delivery.ts';
import { HttpProblem } from '../problem.ts';
import { STAFF_ROLES } from '../auth.ts';
import { ALL_REGIONS, parseLastEventId, type OutboxStore, type SseHub } from '../../alerts/delivery/index.ts';

/**
 * Gives the hub every live published event it does not have. The bus brings events to each process, but not always
 * all of them: a bus connection that drops for a moment loses what was published meanwhile (NATS core keeps
 * nothing), and so do the moments between loading the outbox and subscribing at start. Without this, such an event
 * would never reach this process's clients, live or replaying with Last-Event-ID. Live clients get it late (after
 * events they already have: a browser may then ask again from its id and see the later ones twice, which beats an
 * alert lost); replays get it in its place. Live alerts are few: reading them all every few seconds costs little.
 */
export async function reconcileHub(hub: SseHub, outbox: OutboxStore, nowMs = Date.now()): Promise<number> {
  let added = 0;
  for (const e of await outbox.liveEvents(nowMs, 10_000)) if (!hub.has(e.seq) && hub.accept(e.event)) added++;
  return added;
}

export interface AlertStreamRouteOptions {
  alerts: AlertDeliveryServices;
  /** How often the stream hub is checked against the outbox (ms, default 2000; 0 = never). */
  reconcileMs?: number;
}

export const alertStreamRoutes: FastifyPluginAsync<AlertStreamRouteOptions> = async (app, opts) => {
  const { alerts } = opts;
  // Open streams would otherwise hold app.close() forever.
  app.addHook('preClose', async () => alerts.hub.close());
  const reconcileMs = opts.reconcileMs ?? 2000;
  if (reconcileMs > 0) {
    let running = false;
    let failing = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      const s = alerts;
      reconcileHub(s.hub, s.outbox).then((added) => {
        failing = false;
        if (added > 0) app.log.warn(`alerts: ${added} event(s) the bus did not bring here were taken from the outbox`);
      }, (err) => {
        // The database away: the bus still delivers; say so once, not every tick.
        if (!failing) app.log.warn({ err }, 'alerts: checking the stream hub against the outbox failed');
        failing = true;
      }).finally(() => (running = false));
    }, reconcileMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  app.get('/api/alerts/stream', {
    config: { roles: ['public'] },
    schema: {
      summary: 'Live alerts as Server-Sent Events (event "alert", id = seq; data: the alert event JSON, see docs/alerts.md)', tags: ['alerts'],
      querystring: { type: 'object', additionalProperties: false, properties: {
        regions: { type: 'string' }, lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 },
        all: { type: 'string', enum: ['1', 'true'] }, lastEventId: { type: 'string' },
        client: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'a random id the page keeps, so its reconnects count once in the reach figures' },
      } },
    },
  }, async (request, reply) => {
    const q = request.query as { regions?: string; lat?: number; lon?: number; all?: string; lastEventId?: string; client?: string };
    const s = alerts;
    let codes: string[];
    if (q.all) codes = [ALL_REGIONS];
    else if (q.regions) codes = q.regions.split(',').map((c) => c.trim()).filter(Boolean).slice(0, 200);
    else if (q.lat !== undefined && q.lon !== undefined) codes = s.regionIndex().regionsAt(q.lat, q.lon).map((r) => r.code);
    else throw new HttpProblem('INVALID_REQUEST', 'Say which alerts: ?regions=a,b, ?lat=&lon=, or ?all=1', [{ field: 'regions', reason: 'required (or lat and lon, or all)' }]);
    const lastEventId = parseLastEventId(request.headers['last-event-id'] ?? q.lastEventId);

    // Each event is one shared, pre-encoded Buffer for every client. ServerResponse.write corks the socket and
    // flushes on the next tick, so a fan-out loop does its JavaScript work first and its system calls in one burst;
    // writing to the raw sockets one syscall at a time measured several times slower at 50,000 clients
    // (docs/benchmarks.md).
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx: do not buffer the stream
      'x-refuge-regions': encodeURIComponent(codes.join(',')).slice(0, 2000),
    });
    res.socket?.setNoDelay(true);
    // A signed-in console follows the delivery figures: that is not the alert reaching someone, so it is not counted.
    const disconnect = s.hub.connect({
      write: (chunk) => res.write(chunk),
      end: () => res.end(),
      get writableLength() {
        return res.writableLength;
      },
    }, codes, lastEventId, { counted: !(STAFF_ROLES as readonly string[]).includes(request.user?.role ?? ''), ...reachIdentity(request.ip, request.headers['user-agent'], q.client) });
    request.raw.on('close', disconnect);
    res.on('error', disconnect);
  });
};

let streamCounter = 0;

/**
 * Who a stream is, for the reach figures: a client is its address, user agent and the id its page keeps (?client=);
 * a stream without an id is its own client. At most MAX_REACH_PER_ADDRESS clients of one address count, so 2,000
 * streams from one machine count as at most that many (docs/alerts.md, "Delivery figures"). Only hashes are kept.
 */
export function reachIdentity(ip: string, userAgent: string | undefined, clientId: string | undefined): { clientKey: string; addressKey: string } {
  const hash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 16);
  const addressKey = hash(`addr\n${ip}`);
  const clientKey = hash(`client\n${ip}\n${userAgent ?? ''}\n${clientId ?? `stream:${++streamCounter}`}`);
  return { clientKey, addressKey };
}
