// Resident reports over HTTP: anyone may report a shelter as locked, closed or missing; staff see the queue and
// confirm (which sets the shelter's status) or dismiss.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ShelterRegistry } from '../../registry/index.ts';
import { actorOf, STAFF_ROLES } from '../auth.ts';
import { HttpProblem } from '../problem.ts';
import { reportProblem } from '../domain-problems.ts';
import { ReportError, REPORT_KINDS, NOTE_MAX, type Report, type ReportService } from '../../reports/index.ts';

const STAFF = STAFF_ROLES;
const DECIDERS = ['admin', 'operator', 'warden'] as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
const problems = { 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' }, 429: { $ref: 'Problem#' } };

const reportSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, shelterId: { type: 'string' }, kind: { type: 'string' }, note: { type: ['string', 'null'] }, createdAt: { type: 'string' },
    state: { type: 'string' }, resolvedAt: { type: ['string', 'null'] }, resolvedBy: { type: ['string', 'null'] },
  },
} as const;
const submitted = { type: 'object', properties: { report: reportSchema, created: { type: 'boolean' } } } as const;

function problem(err: unknown): unknown {
  return err instanceof ReportError ? reportProblem(err) : err;
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

export interface ReportRouteOptions {
  reports: ReportService;
  /** Whose warden is who (a warden decides on reports about their own shelters only). */
  registry: ShelterRegistry;
}

export const reportRoutes: FastifyPluginAsync<ReportRouteOptions> = async (app, opts) => {
  const { reports, registry } = opts;
  /** Wardens decide only on reports about shelters assigned to them (as for status changes); operators on all. */
  const assertMayDecide = async (request: FastifyRequest, reportId: string) => {
    if (request.user?.role !== 'warden') return;
    const report = await reports.get(reportId);
    if (report && !registry.isWardenOf(request.user.name, report.shelterId)) {
      throw new HttpProblem('NOT_YOUR_SHELTER', `You are not a warden of shelter ${report.shelterId}; an operator can assign you`);
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
      const { report, created } = await reports.submit(request.body as Record<string, unknown>, reporterKey(request));
      return reply.code(created ? 201 : 200).send({ report: publicView(report), created });
    } catch (e) {
      throw problem(e);
    }
  });

  app.get('/api/reports', {
    config: { roles: STAFF },
    schema: { summary: 'Open resident reports, grouped per shelter', tags: ['reports'], response: { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } } },
  }, async () => ({ queue: (await reports.queue()).map((q) => ({ ...q, reports: q.reports.map(publicView) })) }));

  app.get('/api/shelters/:id/reports', {
    config: { roles: STAFF },
    schema: { summary: "Every report about one shelter and what was decided", tags: ['reports'], params: idParams, response: { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } } },
  }, async (request) => ({ reports: (await reports.forShelter((request.params as { id: string }).id)).map(publicView) }));

  app.post('/api/reports/:id/confirm', {
    config: { roles: DECIDERS },
    schema: { summary: "Confirm a report: sets the shelter's status (locked -> locked, closed or missing -> closed); wardens only for their shelters", tags: ['reports'], params: idParams, response: problems },
  }, async (request) => {
    await assertMayDecide(request, (request.params as { id: string }).id);
    try {
      const r = await reports.confirm((request.params as { id: string }).id, actorOf(request) ?? 'unknown');
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
      return { report: publicView(await reports.dismiss((request.params as { id: string }).id, actorOf(request) ?? 'unknown')) };
    } catch (e) {
      throw problem(e);
    }
  });
};
