// Approvals for staff (issue 14): the live count of drafts waiting for approval (JSON and Server-Sent Events, behind
// the console's "Approvals" badge) and staff devices for Web Push. Also registers POST /api/push/test
// (routes/alerts-push.ts), which needs this plugin's store and sender.
//
// The notice to approvers hangs on the alert lifecycle, not on any route: the capability subscribes it to the
// lifecycle's "drafted" events and to the waiting drafts in the store (src/alerts/approvals/approval-notices.ts), so
// a draft from any path (a route, `refuge import cap`, another process) is told once. The badge follows the same
// reader of the waiting drafts as the notices (one per process, src/alerts/approvals/waiting-drafts.ts), kicked by the
// lifecycle's events, so this process's drafts and decisions show at once.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AlertDeliveryServices } from '../../app/services/alert-delivery.ts';
import { HttpProblem } from '../problem.ts';
import { PushSubscriptionError } from '../../alerts/delivery/index.ts';
import { ApprovalsWatch, parseBrowserSubscription, waitingFor, type ApprovalsPushStore } from '../../alerts/approvals/index.ts';
import { APPROVE_ROLES } from '../../api/alerts.ts';
import { WebPushSender } from '../../adapters/web-push/index.ts';
import { privateEndpointProblem, pushTestRoutes } from './alerts-push.ts';

export interface StaffPushRouteOptions {
  alerts: AlertDeliveryServices;
  store: ApprovalsPushStore;
  /** Push endpoints on private addresses are accepted (local testing: REFUGE_PUSH_ALLOW_PRIVATE). */
  pushAllowPrivate: boolean;
}

const HEARTBEAT_MS = 25_000;

function signedIn(request: FastifyRequest): { name: string; role: string } {
  if (!request.user) throw new HttpProblem('NOT_SIGNED_IN', 'Sign in or send an API token to use this');
  return request.user;
}

const plugin: FastifyPluginAsync<StaffPushRouteOptions> = async (app, opts) => {
  const { alerts, store } = opts;
  const log = (msg: string, err?: unknown) => app.log.warn({ err }, msg);
  // The same adapter, VAPID keys and agent (egress guard, trusted CAs) as alert delivery; its own sends.
  const sender = new WebPushSender(alerts.vapid, { agent: alerts.pushAgent });
  const watch = new ApprovalsWatch({ source: alerts.approvalNotices.source, log });
  const open = new Set<FastifyReply>();
  // Whatever this process drafts, approves or withdraws, through any route: the badges hear of it at once.
  const unobserve = alerts.lifecycle.observe(() => void watch.kick());
  app.addHook('preClose', async () => {
    unobserve();
    for (const r of open) r.raw.end();
    open.clear();
    await watch.stop();
  });

  await app.register(pushTestRoutes, { alerts, store, sender });

  app.get('/api/staff/approvals', {
    config: { roles: APPROVE_ROLES },
    schema: { summary: 'How many drafts wait for approval (waiting), and how many of them you may approve (forYou: not your own)', tags: ['alerts'] },
  }, async (request) => {
    const drafts = await store.waitingDrafts();
    return { waiting: drafts.length, forYou: waitingFor(drafts, signedIn(request).name) };
  });

  app.get('/api/staff/approvals/stream', {
    config: { roles: APPROVE_ROLES },
    schema: { summary: 'Server-Sent Events: "approvals" with {waiting, forYou} (as GET /api/staff/approvals) at once and whenever they change', tags: ['alerts'] },
  }, async (request, reply) => {
    const me = signedIn(request).name;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 5000\n\n');
    open.add(reply);
    const unsubscribe = watch.subscribe(me, (counts) => res.write(`event: approvals\ndata: ${JSON.stringify(counts)}\n\n`));
    const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    beat.unref();
    const done = () => {
      clearInterval(beat);
      unsubscribe();
      open.delete(reply);
    };
    request.raw.on('close', done);
    res.on('error', done);
  });

  app.get('/api/staff/push', {
    config: { roles: APPROVE_ROLES },
    schema: { summary: 'Your devices that get a push notification when a draft waits for approval', tags: ['push'] },
  }, async (request) => ({ endpoints: (await store.staffSubscriptionsOf(signedIn(request).name)).map((s) => s.endpoint) }));

  app.post('/api/staff/push/subscribe', {
    config: { roles: APPROVE_ROLES },
    schema: {
      summary: 'Get a push notification on this device when a draft waits for your approval', tags: ['push'],
      body: { type: 'object', additionalProperties: false, required: ['subscription'], properties: { subscription: { type: 'object' } } },
    },
  }, async (request, reply) => {
    const me = signedIn(request).name;
    let sub;
    try {
      sub = parseBrowserSubscription((request.body as { subscription: unknown }).subscription);
    } catch (err) {
      if (err instanceof PushSubscriptionError) throw new HttpProblem('INVALID_SUBSCRIPTION', err.message, [{ field: err.field, reason: err.message }]);
      throw err;
    }
    const privateProblem = opts.pushAllowPrivate ? null : privateEndpointProblem(sub.endpoint);
    if (privateProblem) throw new HttpProblem('INVALID_SUBSCRIPTION', `The push endpoint ${privateProblem}`, [{ field: 'subscription.endpoint', reason: privateProblem }]);
    await store.upsertStaffSubscription({ ...sub, userName: me }, new Date().toISOString());
    alerts.approvalNotices.devicesChanged(); // the notices start reading for it now, not at their next device check
    return reply.code(201).send({ endpoint: sub.endpoint });
  });

  app.post('/api/staff/push/unsubscribe', {
    config: { roles: APPROVE_ROLES },
    schema: { summary: 'Stop approval notifications on this device', tags: ['push'], body: { type: 'object', additionalProperties: false, required: ['endpoint'], properties: { endpoint: { type: 'string', maxLength: 2000 } } } },
  }, async (request) => {
    const removed = await store.removeStaffSubscription((request.body as { endpoint: string }).endpoint, signedIn(request).name);
    if (removed) alerts.approvalNotices.devicesChanged();
    return { removed };
  });
};

export const staffPushRoutes = plugin;
