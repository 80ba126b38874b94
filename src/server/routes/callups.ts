// Call-ups over HTTP. Operators call up units (or a region's units, sub-regions included), cancel or close them,
// and follow the answers live (GET /api/callups/:id/stream). Members answer for themselves (signed in, or with the
// personal link's token); an operator may record a phone answer for anyone. Members follow their call-ups live on
// GET /api/callups/stream (SSE, id = durable seq, Last-Event-ID replays what was missed) and by Web Push.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { UnitsServices } from '../../app/services/units.ts';
import { actorOf, STAFF_ROLES } from '../auth.ts';
import { HttpProblem } from '../problem.ts';
import { created, guard, idParams, MANAGERS, problems, READERS, unitProblem } from './units.ts';
import { privateEndpointProblem } from './alerts-push.ts';
import { ANSWERS, linkMessage, parseEventId, UnitError, type Answerer, type CallUp, type PersonalLink, type UnitEvent } from '../../units/index.ts';

const ANYONE_WITH_LINK_OR_ACCOUNT = ['public', ...STAFF_ROLES] as const;
const HEARTBEAT_MS = 15_000;

/** The address a personal link opens: this server's own page for it (at REFUGE_PUBLIC_URL when set). */
export function linkUrl(base: string | null, request: FastifyRequest, token: string): string {
  return `${base ?? `${request.protocol}://${request.host}`}/answer/${token}`;
}

export function linksView(base: string | null, request: FastifyRequest, c: CallUp, links: PersonalLink[]) {
  return links.map((l) => {
    const url = linkUrl(base, request, l.token);
    return { member: l.memberId, name: l.name, unit: l.unitId, phone: l.phone, email: l.email, token: l.token, url, text: linkMessage(c, l, url) };
  });
}

/** Who is answering: a personal link's token wins; then the signed-in account (an operator for anyone but themselves). */
async function answererOf(units: UnitsServices, request: FastifyRequest, token: unknown, memberId: unknown): Promise<Answerer> {
  if (typeof token === 'string' && token !== '') return { kind: 'link', token };
  const user = request.user;
  if (!user) throw new HttpProblem('NOT_SIGNED_IN', 'Sign in, send an API token, or use your personal link to answer');
  if ((MANAGERS as readonly string[]).includes(user.role)) {
    const own = typeof memberId === 'string' ? (await units.units.membersOfUser(user.name)).some((m) => m.id === memberId) : false;
    return own ? { kind: 'account', name: user.name } : { kind: 'operator', name: user.name };
  }
  return { kind: 'account', name: user.name };
}

/** An SSE response that the server ends on close; heartbeats keep proxies from closing it. */
function openStream(streams: Set<{ end(): void }>, request: FastifyRequest, reply: FastifyReply): { write(s: string): void; onClose(fn: () => void): void } {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.socket?.setNoDelay(true);
  res.write('retry: 2000\n: connected\n\n');
  const closers: Array<() => void> = [];
  let isClosed = false;
  const handle = { end: () => res.end() };
  streams.add(handle);
  const beat = setInterval(() => res.write(`: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS);
  beat.unref();
  const closed = () => {
    isClosed = true;
    clearInterval(beat);
    streams.delete(handle);
    for (const fn of closers.splice(0)) fn();
  };
  request.raw.on('close', closed);
  res.on('error', closed);
  // A client gone while the replay was read is disconnected at once.
  return { write: (s) => void (isClosed || res.write(s)), onClose: (fn) => (isClosed ? fn() : void closers.push(fn)) };
}

const frame = (e: UnitEvent) => `id: ${e.seq}\nevent: ${e.kind}\ndata: ${JSON.stringify({ seq: e.seq, kind: e.kind, callupId: e.callupId, memberId: e.memberId, at: e.at, ...e.data })}\n\n`;

export interface CallupRouteOptions {
  units: UnitsServices;
  /** Push endpoints on private addresses are accepted (local testing: REFUGE_PUSH_ALLOW_PRIVATE). */
  pushAllowPrivate: boolean;
}

export const callupRoutes: FastifyPluginAsync<CallupRouteOptions> = async (app, opts) => {
  const { units, pushAllowPrivate } = opts;
  const s = () => units;
  /** Every durable event after a seq, read page by page. */
  const allAfter = async (after: number, filter: { memberIds: string[] | null; callupId: string | null }): Promise<UnitEvent[]> => {
    const out: UnitEvent[] = [];
    for (let from = after; ;) {
      const page = await s().callups.eventsAfter(from, filter, 2000);
      out.push(...page);
      if (page.length < 2000) return out;
      from = page[page.length - 1].seq;
    }
  };

  app.post('/api/callups', {
    config: { roles: MANAGERS, freshSignIn: () => 'issuing a call-up' },
    schema: {
      summary: 'Call up units (`units`: ids) or every unit of a region and its sub-regions (`region`); answers 201 with the id and the personal links of members without an account', tags: ['callups'],
      body: {
        type: 'object', additionalProperties: false, required: ['message'],
        properties: {
          units: { type: 'array', items: { type: 'string', maxLength: 100 }, minItems: 1, maxItems: 500 }, region: { type: 'string', maxLength: 100 },
          message: { type: 'string', minLength: 1, maxLength: 2000 }, reportTo: { type: ['string', 'null'], maxLength: 200 }, deadline: { type: ['string', 'null'], maxLength: 40 },
          exercise: { type: 'boolean' },
        },
      },
      response: created,
    },
  }, async (request, reply) => {
    const { callup, links, recipients } = await guard(() => s().callups.create(request.body as Record<string, unknown>, actorOf(request)!));
    return reply.code(201).send({ id: callup.id, callup, recipients, links: linksView(s().publicUrl, request, callup, links) });
  });

  app.get('/api/callups', {
    config: { roles: READERS },
    schema: { summary: 'Call-ups, newest first, with their counts', tags: ['callups'], response: problems },
  }, async () => {
    const out = [];
    for (const c of await s().callups.list(100)) {
      const sum = await s().callups.summary(c.id);
      out.push({ ...c, counts: sum.counts, expectedStrength: sum.expectedStrength });
    }
    return { callups: out };
  });

  app.get('/api/callups/mine', {
    config: { roles: STAFF_ROLES },
    schema: { summary: "The signed-in member's call-ups and their own answers", tags: ['callups'], response: problems },
  }, async (request) => ({ callups: await s().callups.forAccount(request.user!.name) }));

  app.get('/api/callups/stream', {
    config: { roles: ANYONE_WITH_LINK_OR_ACCOUNT },
    schema: {
      summary: "A member's call-ups live (SSE; events callup, answer, callup-ended; id = seq, Last-Event-ID replays): signed in, or ?token= of a personal link", tags: ['callups'],
      querystring: { type: 'object', additionalProperties: false, properties: { token: { type: 'string', maxLength: 100 }, lastEventId: { type: 'string', maxLength: 20 } } },
    },
  }, async (request, reply) => {
    const q = request.query as { token?: string; lastEventId?: string };
    let memberIds: string[];
    let callupId: string | null = null;
    if (q.token) {
      const { recipient } = await guard(() => s().callups.byToken(q.token!), 'query');
      memberIds = [recipient.memberId];
      callupId = recipient.callupId;
    } else {
      if (!request.user) throw new HttpProblem('NOT_SIGNED_IN', 'Sign in, or open the stream with your personal link (?token=)');
      memberIds = (await s().units.membersOfUser(request.user.name)).map((m) => m.id);
      if (memberIds.length === 0) throw new HttpProblem('NOT_A_MEMBER', `No unit member is linked to the account ${request.user.name}`);
    }
    const lastEventId = parseEventId(request.headers['last-event-id'] ?? q.lastEventId);
    const mine = new Set(memberIds);
    const stream = openStream(units.streams, request, reply);
    const disconnect = await s().hub.connect({
      matches: (e) => e.memberId !== null && mine.has(e.memberId) && (callupId === null || e.callupId === callupId),
      send: (e) => stream.write(frame(e)),
    }, lastEventId, async (after) => {
      if (after !== null) return allAfter(after, { memberIds, callupId });
      // A first connection: what concerns the call-ups still open.
      const open = (await s().callupRepo.callUpsOfMembers(memberIds, 100)).filter((c) => c.state === 'open' && (callupId === null || c.id === callupId));
      const events = [];
      for (const c of open) events.push(...(await allAfter(0, { memberIds, callupId: c.id })));
      return events.sort((a, b) => a.seq - b.seq);
    });
    stream.onClose(disconnect);
  });

  app.post('/api/callups/push', {
    config: { roles: ANYONE_WITH_LINK_OR_ACCOUNT, rateLimit: { max: 30, timeWindow: '1 hour' } },
    schema: {
      summary: "Receive call-ups by Web Push on this device: the signed-in member's, or (with `token`) the personal link's member", tags: ['callups'],
      body: {
        type: 'object', additionalProperties: false, required: ['subscription'],
        properties: {
          subscription: { type: 'object', required: ['endpoint', 'keys'], properties: { endpoint: { type: 'string', maxLength: 1000 }, keys: { type: 'object', required: ['p256dh', 'auth'], properties: { p256dh: { type: 'string', maxLength: 200 }, auth: { type: 'string', maxLength: 100 } } } } },
          token: { type: 'string', maxLength: 100 },
        },
      },
      response: created,
    },
  }, async (request, reply) => {
    const body = request.body as { subscription: { endpoint: string; keys: { p256dh: string; auth: string } }; token?: string };
    let url: URL;
    try { url = new URL(body.subscription.endpoint); } catch { throw new HttpProblem('INVALID_SUBSCRIPTION', 'The push endpoint is not a URL', [{ field: 'body.subscription.endpoint', reason: 'is not a URL' }]); }
    if (url.protocol !== 'https:') throw new HttpProblem('INVALID_SUBSCRIPTION', 'The push endpoint must be https', [{ field: 'body.subscription.endpoint', reason: 'must be https' }]);
    const privateProblem = !pushAllowPrivate ? privateEndpointProblem(body.subscription.endpoint) : null;
    if (privateProblem) throw new HttpProblem('INVALID_SUBSCRIPTION', `The push endpoint ${privateProblem}`, [{ field: 'body.subscription.endpoint', reason: privateProblem }]);
    let memberIds: string[];
    if (body.token) memberIds = [(await guard(() => s().callups.byToken(body.token!))).recipient.memberId];
    else if (request.user) memberIds = (await s().units.membersOfUser(request.user.name)).map((m) => m.id);
    else throw new HttpProblem('NOT_SIGNED_IN', 'Sign in or use your personal link');
    if (memberIds.length === 0) throw new HttpProblem('NOT_A_MEMBER', `No unit member is linked to the account ${request.user!.name}`);
    const at = new Date().toISOString();
    for (const id of memberIds) await s().callupRepo.addPushSubscription(id, { endpoint: body.subscription.endpoint, keys: body.subscription.keys }, at);
    return reply.code(201).send({ members: memberIds });
  });

  app.get('/api/callups/link/:token', {
    config: { roles: ['public'] },
    schema: { summary: 'What a personal link opens: the call-up and the member it is for (403 when guessed or replaced, 410 when expired)', tags: ['callups'], params: { type: 'object', required: ['token'], properties: { token: { type: 'string', maxLength: 100 } } } },
  }, async (request) => {
    const { callup, recipient, member } = await guard(() => s().callups.byToken((request.params as { token: string }).token), 'params');
    return {
      callup: { id: callup.id, message: callup.message, reportTo: callup.reportTo, deadline: callup.deadline, exercise: callup.exercise, state: callup.state },
      member: { id: recipient.memberId, name: member?.name ?? null }, answer: { answer: recipient.answer, etaMinutes: recipient.etaMinutes, reason: recipient.reason, answeredAt: recipient.answeredAt },
    };
  });

  app.get('/api/callups/:id', {
    config: { roles: READERS },
    schema: { summary: "A call-up's live state: counts {coming, unavailable, pending}, per unit the members' answers, missing roles and expected strength at the deadline", tags: ['callups'], params: idParams, response: problems },
  }, async (request) => guard(() => s().callups.summary((request.params as { id: string }).id), 'params'));

  app.get('/api/callups/:id/answers', {
    config: { roles: READERS },
    schema: { summary: 'Every answer given, in order (who, when, how)', tags: ['callups'], params: idParams, response: problems },
  }, async (request) => {
    const id = (request.params as { id: string }).id;
    await guard(() => s().callups.get(id), 'params');
    return { answers: await s().callups.answerLog(id) };
  });

  app.get('/api/callups/:id/stream', {
    config: { roles: READERS },
    schema: {
      summary: "The operator's live view of a call-up (SSE): `state` frames with the whole summary after every change; answer/callup-ended frames carry id = seq", tags: ['callups'], params: idParams,
      querystring: { type: 'object', additionalProperties: false, properties: { lastEventId: { type: 'string', maxLength: 20 } } },
    },
  }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    await guard(() => s().callups.get(id), 'params');
    const lastEventId = parseEventId(request.headers['last-event-id'] ?? (request.query as { lastEventId?: string }).lastEventId);
    const stream = openStream(units.streams, request, reply);
    // Events are written as they come; the summary after them is computed once per burst.
    let scheduled = false;
    let closed = false;
    const sendState = () => {
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        if (closed) return;
        void s().callups.summary(id).then((sum) => { if (!closed) stream.write(`event: state\ndata: ${JSON.stringify(sum)}\n\n`); }, () => undefined);
      });
    };
    const disconnect = await s().hub.connect({
      matches: (e) => e.callupId === id && e.kind !== 'callup',
      send: (e) => { stream.write(frame(e)); sendState(); },
    }, lastEventId, async (after) => (after === null ? [] : allAfter(after, { memberIds: null, callupId: id })));
    sendState();
    stream.onClose(() => { closed = true; disconnect(); });
  });

  app.post('/api/callups/:id/answers', {
    config: { roles: ANYONE_WITH_LINK_OR_ACCOUNT },
    schema: {
      summary: 'Answer a call-up: `coming` with etaMinutes or `unavailable` with a reason; changeable until the deadline. By the member (signed in), with their personal link (`token`), or an operator recording a phone answer', tags: ['callups'], params: idParams,
      body: {
        type: 'object', additionalProperties: false, required: ['answer'],
        properties: {
          member: { type: 'string', maxLength: 100 }, answer: { type: 'string', enum: [...ANSWERS] }, etaMinutes: { type: ['integer', 'null'], minimum: 0, maximum: 10080 },
          reason: { type: ['string', 'null'], maxLength: 500 }, token: { type: 'string', maxLength: 100 },
        },
      },
      response: problems,
    },
  }, async (request) => {
    const id = (request.params as { id: string }).id;
    const body = request.body as { member?: string; token?: string };
    const who = await answererOf(units, request, body.token, body.member);
    const { recipient, event } = await guard(() => s().callups.answer(id, request.body as Record<string, unknown>, who));
    return { callup: id, member: recipient.memberId, answer: recipient.answer, etaMinutes: recipient.etaMinutes, reason: recipient.reason, answeredAt: recipient.answeredAt, via: recipient.answeredVia, seq: event.seq };
  });

  for (const [path, state] of [['cancel', 'cancelled'], ['close', 'closed']] as const) {
    app.post(`/api/callups/:id/${path}`, {
      config: { roles: MANAGERS },
      schema: {
        summary: state === 'cancelled' ? 'Cancel a call-up (called off): members are told, links stop working' : 'Close a call-up (done): members are told, links stop working', tags: ['callups'], params: idParams,
        body: { type: ['object', 'null'], additionalProperties: false, properties: { reason: { type: ['string', 'null'], maxLength: 500 } } }, response: problems,
      },
    }, async (request) => {
      const id = (request.params as { id: string }).id;
      await guard(() => s().callups.get(id), 'params');
      return { callup: await guard(() => s().callups.end(id, state, actorOf(request)!, (request.body as { reason?: string } | null)?.reason)) };
    });
  }

  app.post('/api/callups/:id/links', {
    config: { roles: MANAGERS },
    schema: {
      summary: 'New personal links (and the message text to paste into an SMS or e-mail) for members without an account, or those named; earlier links stop working', tags: ['callups'], params: idParams,
      body: { type: ['object', 'null'], additionalProperties: false, properties: { members: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 2000 } } }, response: problems,
    },
  }, async (request) => {
    const id = (request.params as { id: string }).id;
    const c = await guard(() => s().callups.get(id), 'params');
    const links = await guard(() => s().callups.newLinks(id, (request.body as { members?: string[] } | null)?.members));
    return { links: linksView(s().publicUrl, request, c, links) };
  });
};

export { UnitError, unitProblem };
