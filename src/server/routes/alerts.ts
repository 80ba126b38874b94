// /api/alerts: drafting, approval (two-person rule), cancel, CAP import, the CAP document, the Atom index and the
// list of active alerts. Every mutating route declares its roles.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AlertDeliveryServices } from '../../app/services/alert-delivery.ts';
import { HttpProblem } from '../problem.ts';
import { lifecycleProblem } from '../domain-problems.ts';
import { attachSignature, capAtomFeed, CapError, importCap } from '../../alerts/index.ts';
import { LifecycleError, withAncestors, type Actor, type AlertEvent } from '../../alerts/lifecycle/index.ts';
import type { AlertRecord } from '../../alerts/model.ts';
import type { DeliveryFigures } from '../../alerts/delivery/index.ts';
import { alertHistory, withDescendants, HISTORY_DEFAULT_DAYS, HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT, HISTORY_STATES } from '../../alerts/lifecycle/history.ts';

const STAFF = ['operator', 'approver', 'admin'] as const;
const APPROVERS = ['approver', 'admin'] as const;
const ts = { type: ['string', 'null'], description: 'ISO 8601 time, null until it happened' } as const;
const count = { type: 'integer', minimum: 0 } as const;
const ms = { type: ['integer', 'null'], minimum: 0 } as const;
/** OpenAPI schema of the delivery figures (GET /api/alerts/:id/delivery, and `delivery` in the staff list). */
export const DELIVERY_SCHEMA = {
  type: 'object', additionalProperties: false,
  required: ['alertId', 'seq', 'issuedAt', 'expiresAt', 'expired', 'bus', 'stream', 'push', 'timing'],
  properties: {
    alertId: { type: 'string' }, seq: { type: 'integer', description: 'the event id (SSE id) these figures are for' },
    issuedAt: { type: 'string' }, expiresAt: ts, expired: { type: 'boolean' },
    bus: {
      type: 'object', additionalProperties: false, description: 'the outbox: when the event was handed to the bus joining the server processes',
      properties: {
        state: { type: 'string', enum: ['pending', 'published', 'expired'] }, via: { type: ['string', 'null'], description: 'in-process, nats or redis' },
        publishedAt: ts,
        mqtt: { type: 'object', additionalProperties: false, properties: { configured: { type: 'boolean', description: 'on the server answering' }, publishedAt: ts } },
      },
    },
    stream: {
      type: 'object', additionalProperties: false, description: 'Server-Sent-Event clients the event was written to, summed over the processes heard from in the last 30 s',
      properties: { reached: count, processes: count, silentProcesses: count, silentReached: { ...count, description: 'reported by processes silent for over 30 s, not counted in reached' }, firstAt: ts },
    },
    push: {
      type: 'object', additionalProperties: false, description: 'Web Push: targeted = accepted + pending + failed + expired + gone',
      properties: {
        targeted: count, accepted: count, pending: count, retrying: { ...count, description: 'of pending, those that failed at least once' },
        failed: { ...count, description: 'gave up: a permanent error or every attempt failed' }, expired: { ...count, description: 'dropped: the alert expired first (TTL)' },
        gone: { ...count, description: 'the subscription was removed (404/410 from the push service, or unsubscribed) before delivery' },
        firstAcceptedAt: ts, lastAcceptedAt: ts,
      },
    },
    timing: {
      type: 'object', additionalProperties: false, description: 'milliseconds from the commit of the issue',
      properties: { committedAt: { type: 'string' }, toBusMs: ms, toStreamMs: ms, toFirstPushMs: ms, toLastPushMs: ms },
    },
  },
} as const;

export { lifecycleProblem };

function actor(request: FastifyRequest): Actor {
  if (!request.user) throw new HttpProblem('NOT_SIGNED_IN', 'Sign in or send an API token to use this');
  return { name: request.user.name, role: request.user.role, jurisdiction: request.user.jurisdiction ?? [] };
}

/** The record as the console sees it: workflow, the CAP message, signature; never the private parts of anyone. */
export function recordJson(r: AlertRecord, event: AlertEvent | null = null, staff = true) {
  return {
    id: r.id, identifier: r.cap.identifier, state: r.state, status: r.cap.status, msgType: r.cap.msgType,
    // Who drafted, approved or imported is for the console, not for the public (an import's origin names the importer).
    createdBy: staff ? r.createdBy : null, createdAt: r.createdAt, approvedBy: staff ? r.approvedBy : null, approvedAt: r.approvedAt, issuedAt: r.issuedAt,
    origin: staff ? r.origin : r.origin === null ? null : 'import',
    // Who speaks, for residents: the authority's name, whether it is another authority, and why it is believed.
    senderName: r.authorityName ?? r.cap.info[0]?.senderName ?? r.cap.sender, foreign: r.origin !== null, trust: r.trust ?? null,
    // A pending import is a draft holding another authority's message: it waits for an approver other than the importer.
    pendingImport: r.state === 'draft' && r.origin !== null,
    falseAlarm: r.falseAlarm ?? false, preparedFor: r.preparedFor ?? null, replacedBy: r.replacedBy ?? null,
    signature: r.signature, signatureKeyId: r.signatureKeyId ?? null, cap: r.cap,
    capUrl: r.capXml ? `/api/alerts/${r.id}.cap` : null, event,
  };
}

function regionsQuery(alerts: AlertDeliveryServices, q: { regions?: string; lat?: number; lon?: number }): string[] | null {
  if (q.regions) return q.regions.split(',').map((s) => s.trim()).filter(Boolean);
  if (q.lat !== undefined || q.lon !== undefined) {
    if (q.lat === undefined || q.lon === undefined) throw new HttpProblem('INVALID_REQUEST', 'lat and lon go together', [{ field: q.lat === undefined ? 'lat' : 'lon', reason: 'required with the other' }]);
    return alerts.regionIndex().regionsAt(q.lat, q.lon).map((r) => r.code);
  }
  return null;
}

function absolute(request: FastifyRequest, path: string): string {
  return `${request.protocol}://${request.headers.host ?? 'localhost'}${path}`;
}

export interface AlertRouteOptions {
  alerts: AlertDeliveryServices;
}

export const alertRoutes: FastifyPluginAsync<AlertRouteOptions> = async (app, opts) => {
  const { alerts } = opts;
  const s = () => alerts;
  const run = async <T>(fn: () => T | Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw lifecycleProblem(err);
    }
  };

  app.post('/api/alerts', {
    config: { roles: STAFF },
    schema: {
      summary: 'Draft an alert (an approver other than you must approve it before it is issued)', tags: ['alerts'],
      body: { type: 'object' },
      response: { 201: { type: 'object', additionalProperties: true, properties: { id: { type: 'string' }, state: { type: 'string' } } } },
    },
  }, async (request, reply) => {
    const record = await run(() => s().lifecycle.draft(actor(request), request.body));
    return reply.code(201).header('location', `/api/alerts/${record.id}`).send(recordJson(record));
  });

  app.post('/api/alerts/:id/approve', {
    config: {
      roles: APPROVERS,
      // An Actual alert reaches residents: whoever finds an approver's console left open cannot approve one.
      freshSignIn: async (request) => {
        const record = await s().lifecycle.get((request.params as { id: string }).id).catch(() => null);
        return record?.cap.status === 'Actual' ? 'approving an Actual alert' : null;
      },
    },
    schema: { summary: 'Approve a draft, which issues it; answers only after the alert and its delivery are committed', tags: ['alerts'], params: { type: 'object', properties: { id: { type: 'string' } } } },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const result = await run(() => s().lifecycle.approve(actor(request), id));
    return { ...recordJson(result.record), issued: true, seq: result.seq, preparedCancelId: result.preparedCancelId };
  });

  app.post('/api/alerts/:id/cancel', {
    config: { roles: STAFF },
    schema: {
      summary: 'Withdraw a draft; or cancel an issued alert: falseAlarm=true sends its prepared false-alarm cancel at once (one approver), otherwise a Cancel is drafted for a second person to approve',
      tags: ['alerts'], params: { type: 'object', properties: { id: { type: 'string' } } },
      body: { type: ['object', 'null'], additionalProperties: false, properties: { falseAlarm: { type: 'boolean' }, reason: { type: 'string', maxLength: 2000 } } },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const body = (request.body ?? {}) as { falseAlarm?: boolean; reason?: string };
    const who = actor(request);
    const record = await run(() => s().lifecycle.get(id));
    if (record.state === 'draft' || body.falseAlarm === true) {
      const result = await run(() => s().lifecycle.cancel(who, id));
      if ('withdrawn' in result) return recordJson(result.withdrawn);
      return { ...recordJson(result.record), issued: true, seq: result.seq };
    }
    const draft = await run(() => s().lifecycle.draftCancel(who, id, body.reason?.trim() || null));
    return reply.code(201).header('location', `/api/alerts/${draft.id}`).send({ ...recordJson(draft), needsApproval: true });
  });

  app.post('/api/alerts/import', {
    config: { roles: APPROVERS },
    schema: { summary: 'Import a CAP 1.1/1.2 message from another authority (body: the XML, application/xml)', tags: ['alerts'] },
  }, async (request, reply) => {
    const body = request.body;
    if (!Buffer.isBuffer(body)) throw new HttpProblem('UNSUPPORTED_MEDIA_TYPE', 'Send the CAP document as application/xml (or application/cap+xml)');
    const who = actor(request);
    const imported = await run(() => importCap(body));
    const result = await run(async () => {
      try {
        return await s().lifecycle.recordImported(who, imported.alert, body.toString('utf8'), `import by ${who.name}`);
      } catch (err) {
        // Someone sent a forged or tampered message in a trusted authority's name: the operators should hear of it.
        if (err instanceof LifecycleError && err.code === 'CAP_SIGNATURE_INVALID') {
          request.log.warn({ sender: imported.alert.sender, identifier: imported.alert.identifier, importer: who.name }, `CAP import refused: ${err.message}`);
        }
        throw err;
      }
    });
    // 201 when stored (delivered, or kept for the record); 202 when it waits for a second person's approval.
    return reply.code(result.pendingApproval ? 202 : 201).header('location', `/api/alerts/${result.record.id}`).send({
      ...recordJson(result.record), delivered: result.delivered, pendingApproval: result.pendingApproval, notDeliveredBecause: result.reason,
      trusted: result.trust.trusted, trustedAuthority: result.trust.authority?.name ?? null, capVersion: imported.version,
    });
  });

  app.get('/api/alerts/trusted-authorities', {
    config: { roles: STAFF },
    schema: { summary: 'The authorities whose signed CAP goes live on import (managed on the host with `refuge alerts trust`)', tags: ['alerts'] },
  }, async () => ({
    authorities: (await s().trusted.list()).map((a) => ({ sender: a.sender, name: a.name, keyId: a.keyId, addedBy: a.addedBy, addedAt: a.addedAt })),
  }));

  app.get('/api/alerts', {
    config: { roles: ['public'] },
    schema: {
      summary: 'Active alerts (as the live events), optionally for regions or a point; staff may list by state', tags: ['alerts'],
      querystring: { type: 'object', additionalProperties: false, properties: {
        regions: { type: 'string' }, lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 },
        state: { type: 'string', enum: ['draft', 'approved', 'issued', 'rejected', 'imported', 'any'] }, limit: { type: 'integer', minimum: 1, maximum: 1000 },
      } },
    },
  }, async (request) => {
    const q = request.query as { regions?: string; lat?: number; lon?: number; state?: string; limit?: number };
    if (q.state) {
      const who = actor(request);
      if (!(STAFF as readonly string[]).includes(who.role)) throw new HttpProblem('ROLE_NOT_ALLOWED', `Your role (${who.role}) may not list alerts by state`);
      const all = await s().store.listRecent(q.limit ?? 200);
      // Prepared false-alarm cancels are drafts too, but not for an approval queue: they go out through /cancel.
      const wanted = all.filter((r) => (q.state === 'any' || r.state === q.state) && !(r.state === 'draft' && r.falseAlarm));
      return { alerts: wanted.map((r) => recordJson(r)) };
    }
    const codes = regionsQuery(alerts, q);
    let events: Array<AlertEvent & { delivery?: DeliveryFigures }> = (await s().store.activeEvents(Date.now())).map((e) => e.event);
    if (request.user && (STAFF as readonly string[]).includes(request.user.role)) {
      // Staff see how far each alert got (the same figures as GET /api/alerts/:id/delivery).
      const figures = new Map(s().figures(await s().deliveryStore.recordsFor(events.map((e) => e.seq))).map((f) => [f.seq, f]));
      events = events.map((e) => ({ ...e, delivery: figures.get(e.seq) }));
    }
    if (codes === null) return { alerts: events };
    const mine = withAncestors(s().regions, codes);
    return { regions: codes, alerts: events.filter((e) => e.regions.some((r) => mine.has(r.code))) };
  });

  app.get('/api/alerts/history', {
    config: { roles: ['public'] },
    schema: {
      summary: `Public alert history: one entry per alert (with its Updates and Cancel), including ended ones, newest first; those in force at or after since (default ${HISTORY_DEFAULT_DAYS} days ago), for a region and its sub-regions`,
      tags: ['alerts'],
      querystring: { type: 'object', additionalProperties: false, properties: {
        since: { type: 'string', maxLength: 40, description: 'ISO 8601 time (default: 7 days ago)' },
        region: { type: 'string', maxLength: 200, description: 'region code: alerts for it or any region below it' },
        limit: { type: 'integer', minimum: 1, maximum: HISTORY_MAX_LIMIT, default: HISTORY_DEFAULT_LIMIT },
      } },
      response: { 200: {
        type: 'object', additionalProperties: false, required: ['since', 'region', 'alerts'],
        properties: {
          since: { type: 'string' }, region: { type: ['string', 'null'] }, truncated: { type: 'boolean' },
          alerts: { type: 'array', items: {
            type: 'object', additionalProperties: false,
            properties: {
              id: { type: 'string' }, latestId: { type: 'string' }, state: { type: 'string', enum: [...HISTORY_STATES] }, active: { type: 'boolean' },
              headline: { type: ['string', 'null'] }, event: { type: 'string' }, eventType: { type: ['string', 'null'] }, severity: { type: 'string' },
              senderName: { type: 'string' }, foreign: { type: 'boolean' }, trust: { type: ['string', 'null'] },
              regions: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { code: { type: 'string' }, name: { type: 'string' } } } },
              sent: { type: 'string' }, expires: { type: ['string', 'null'] }, endedAt: { type: ['string', 'null'] }, durationS: { type: 'integer', minimum: 0 },
              exercise: { type: 'boolean' }, messages: { type: 'integer', minimum: 1 },
              language: { type: 'string', description: 'language of headline (CAP <language>)' },
              translations: { type: 'array', description: 'the headline in the message\'s other languages', items: {
                type: 'object', additionalProperties: false, properties: { language: { type: 'string' }, headline: { type: ['string', 'null'] } },
              } },
            },
          } },
        },
      } },
    },
  }, async (request) => {
    const q = request.query as { since?: string; region?: string; limit?: number };
    const nowMs = Date.now();
    let sinceMs = nowMs - HISTORY_DEFAULT_DAYS * 86_400_000;
    if (q.since !== undefined) {
      // A date, or a date and time with seconds and an offset or Z (what toISOString gives).
      const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(q.since) ? Date.parse(q.since) : NaN;
      if (Number.isNaN(iso)) throw new HttpProblem('INVALID_REQUEST', `since: "${q.since}" is not an ISO 8601 time (for example 2026-12-01T00:00:00Z)`, [{ field: 'since', reason: 'not an ISO 8601 time' }]);
      sinceMs = iso;
    }
    let regionCodes: Set<string> | null = null;
    if (q.region !== undefined) {
      const index = s().regionIndex();
      const code = q.region.trim();
      if (!index.get(code)) throw new HttpProblem('UNKNOWN_REGION', `region: no region with code "${code}"`, [{ field: 'region', reason: 'unknown region code' }]);
      regionCodes = withDescendants(index.list(), code);
    }
    const limit = q.limit ?? HISTORY_DEFAULT_LIMIT;
    // The store bounds the chains read; the region filter and the limit apply after.
    const events = await s().store.historyEvents(sinceMs, 5000);
    const all = alertHistory(events, { nowMs, sinceMs, regionCodes, limit: limit + 1 });
    // The headline shown is the latest message's that is not a Cancel (as alertHistory chooses): its languages go along.
    const byId = new Map(events.map((e) => [e.id, e]));
    const withLanguages = all.slice(0, limit).map((entry) => {
      let content = byId.get(entry.latestId);
      for (let hops = 0; content && content.msgType === 'Cancel' && hops < 50; hops++) content = content.replaces[0] ? byId.get(content.replaces[0]) : undefined;
      if (!content) return entry;
      return {
        ...entry, language: content.language,
        ...(content.translations?.length ? { translations: content.translations.map((x) => ({ language: x.language, headline: x.headline })) } : {}),
      };
    });
    return { since: new Date(sinceMs).toISOString(), region: q.region?.trim() ?? null, truncated: all.length > limit, alerts: withLanguages };
  });

  app.get('/api/alerts/feed.atom', {
    config: { roles: ['public'] },
    schema: { summary: 'Atom index of active CAP alerts (for broadcasters)', tags: ['alerts'] },
  }, async (request, reply) => {
    const entries = (await s().lifecycle.active()).map((r) => ({
      cap: r.cap, capUrl: absolute(request, `/api/alerts/${r.id}.cap`), authorityName: r.authorityName, foreign: r.origin !== null,
    }));
    const xml = capAtomFeed(entries, { selfUrl: absolute(request, '/api/alerts/feed.atom'), now: new Date().toISOString() });
    return reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'no-cache').send(xml);
  });

  app.get('/api/alerts/:id/delivery', {
    config: { roles: STAFF },
    schema: {
      summary: 'Delivery figures of an issued alert: the bus, live streams (every server process), Web Push outcomes, timing', tags: ['alerts'],
      params: { type: 'object', properties: { id: { type: 'string' } } },
      response: { 200: DELIVERY_SCHEMA },
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const record = await s().store.get(id);
    if (!record) throw new HttpProblem('ALERT_NOT_FOUND', `no alert with id ${id}`, [{ field: 'id', reason: 'unknown alert' }]);
    const stored = await s().deliveryStore.recordForAlert(id);
    if (!stored) throw new HttpProblem('ALERT_NOT_DELIVERED', `alert ${id} is a ${record.state} and was never delivered: it has no delivery figures`, [{ field: 'id', reason: `alert is ${record.state}` }]);
    return s().figures([stored])[0];
  });

  // One parametric route serves both the record (/api/alerts/ID) and its CAP document (/api/alerts/ID.cap).
  app.get('/api/alerts/:id', {
    config: { roles: ['public'] },
    schema: { summary: 'One alert (JSON), or its signed CAP 1.2 document with the .cap suffix', tags: ['alerts'], params: { type: 'object', properties: { id: { type: 'string' } } } },
  }, async (request, reply: FastifyReply) => {
    const { id: raw } = request.params as { id: string };
    const wantsCap = raw.endsWith('.cap');
    const id = wantsCap ? raw.slice(0, -4) : raw;
    const record = await s().store.get(id);
    const published = record && (record.state === 'issued' || record.state === 'imported');
    if (!record || (!published && !(request.user && (STAFF as readonly string[]).includes(request.user.role)))) {
      throw new HttpProblem('ALERT_NOT_FOUND', `no alert with id ${id}`);
    }
    if (wantsCap) {
      if (!record.capXml) throw new HttpProblem('CAP_NOT_ISSUED', `alert ${id} is a ${record.state}; it has no CAP document until it is issued`);
      // Refuge's own alerts carry their Ed25519 signature inside the document (XML-DSig, see docs/alerts.md).
      const xml = record.state === 'issued' && record.signature && record.signatureKeyId ? attachSignature(record.capXml, record.signature, record.signatureKeyId) : record.capXml;
      return reply.type('application/cap+xml; charset=utf-8').header('content-disposition', `inline; filename="${id}.cap"`).send(xml);
    }
    const event = await s().store.eventFor(id);
    return recordJson(record, event, !!request.user && (STAFF as readonly string[]).includes(request.user.role));
  });
};
