// Resident reports over HTTP: anyone may report a shelter as locked, closed or missing; staff see the queue and
// confirm (which sets the shelter's status) or dismiss.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { Capability } from '../capabilities/index.ts';
import { actorOf, STAFF_ROLES } from '../auth.ts';
import { HttpProblem } from '../problem.ts';
import { ReportService, ReportError, REPORT_KINDS, NOTE_MAX, type Report } from '../../reports/index.ts';

declare module '../context.ts' {
  interface AppContext {
    /** Set when the reports capability starts. */
    reports?: ReportService;
  }
}

const STAFF = STAFF_ROLES;
const DECIDERS = ['admin', 'operator', 'warden'] as const;
const STATUS: Record<ReportError['code'], number> = { INVALID_REPORT: 400, SHELTER_NOT_FOUND: 404, REPORT_NOT_FOUND: 404, ALREADY_RESOLVED: 409, TOO_MANY_REPORTS: 429 };
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
const problems = { 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' }, 429: { $ref: 'Problem#' } };

function service(ctx: AppContext): ReportService {
  if (!ctx.reports) throw new Error('the reports capability is not started');
  return ctx.reports;
}

const reportSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, shelterId: { type: 'string' }, kind: { type: 'string' }, note: { type: ['string', 'null'] }, createdAt: { type: 'string' },
    state: { type: 'string' }, resolvedAt: { type: ['string', 'null'] }, resolvedBy: { type: ['string', 'null'] },
  },
} as const;
const submitted = { type: 'object', properties: { report: reportSchema, created: { type: 'boolean' } } } as const;

function problem(err: unknown): unknown {
  // The limit counts the last hour; waiting that long always suffices.
  if (err instanceof ReportError) return new HttpProblem(STATUS[err.code], err.code, err.message, err.field ? [{ field: `body.${err.field}`, reason: err.message }] : [], err.code === 'TOO_MANY_REPORTS' ? { retryAfter: 3600 } : {});
  return err;
}

/** The public never sees who else reported: the reporter key stays on the server. */
function publicView(r: Report) {
  const { reporterKey: _hidden, ...rest } = r;
  return rest;
}

/** A one-way key for the reporter: enough to refuse floods and repeats, without storing the address. */
function reporterKey(request: FastifyRequest): string {
  return createHash('sha256').update(`refuge-report:${request.ip}`).digest('base64url').slice(0, 22);
}

export async function reportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  /** Wardens decide only on reports about shelters assigned to them (as for status changes); operators on all. */
  const assertMayDecide = async (request: FastifyRequest, reportId: string) => {
    if (request.user?.role !== 'warden') return;
    const report = await service(ctx).get(reportId);
    if (report && !ctx.registry.isWardenOf(request.user.name, report.shelterId)) {
      throw new HttpProblem(403, 'NOT_YOUR_SHELTER', `You are not a warden of shelter ${report.shelterId}; an operator can assign you`);
    }
  };
  app.post('/api/reports', {
    config: { roles: ['public'] },
    schema: {
      summary: 'Report a shelter as locked, closed or missing (anyone; limited per reporter)', tags: ['reports'],
      body: {
        type: 'object', additionalProperties: false, required: ['shelterId', 'kind'],
        properties: { shelterId: { type: 'string', minLength: 1, maxLength: 100 }, kind: { type: 'string', enum: [...REPORT_KINDS] }, note: { type: 'string', maxLength: NOTE_MAX } },
      },
      response: { 200: submitted, 201: submitted, ...problems },
    },
  }, async (request, reply) => {
    try {
      const { report, created } = await service(ctx).submit(request.body as Record<string, unknown>, reporterKey(request));
      return reply.code(created ? 201 : 200).send({ report: publicView(report), created });
    } catch (e) {
      throw problem(e);
    }
  });

  app.get('/api/reports', {
    config: { roles: STAFF },
    schema: { summary: 'Open resident reports, grouped per shelter', tags: ['reports'], response: { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } } },
  }, async () => ({ queue: (await service(ctx).queue()).map((q) => ({ ...q, reports: q.reports.map(publicView) })) }));

  app.get('/api/shelters/:id/reports', {
    config: { roles: STAFF },
    schema: { summary: "Every report about one shelter and what was decided", tags: ['reports'], params: idParams, response: { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } } },
  }, async (request) => ({ reports: (await service(ctx).forShelter((request.params as { id: string }).id)).map(publicView) }));

  app.post('/api/reports/:id/confirm', {
    config: { roles: DECIDERS },
    schema: { summary: "Confirm a report: sets the shelter's status (locked -> locked, closed or missing -> closed); wardens only for their shelters", tags: ['reports'], params: idParams, response: problems },
  }, async (request) => {
    await assertMayDecide(request, (request.params as { id: string }).id);
    try {
      const r = await service(ctx).confirm((request.params as { id: string }).id, actorOf(request) ?? 'unknown');
      return { report: publicView(r.report), resolved: r.resolved, shelter: { id: r.shelter.id, status: r.shelter.status, version: r.shelter.version } };
    } catch (e) {
      throw problem(e);
    }
  });

  app.post('/api/reports/:id/dismiss', {
    config: { roles: DECIDERS },
    schema: { summary: 'Dismiss a report (the shelter is left as it is)', tags: ['reports'], params: idParams, response: problems },
  }, async (request) => {
    await assertMayDecide(request, (request.params as { id: string }).id);
    try {
      return { report: publicView(await service(ctx).dismiss((request.params as { id: string }).id, actorOf(request) ?? 'unknown')) };
    } catch (e) {
      throw problem(e);
    }
  });
}

export const reportsCapability: Capability = {
  name: 'reports',
  async start(ctx) {
    ctx.reports = new ReportService(ctx.store.reports, ctx.registry);
  },
  routes: reportRoutes,
};
