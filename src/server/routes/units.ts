// Civil-defence units and their members over HTTP: operators and admins manage them; approvers read them.
// CSV import (all or nothing, every bad row reported as line, column, reason) and export; reports of certificates
// about to expire and of units missing a required role.
import type { FastifyPluginAsync } from 'fastify';
import type { UnitsServices } from '../../app/services/units.ts';
import { actorOf } from '../auth.ts';
import { HttpProblem } from '../problem.ts';
import { unitProblem } from '../domain-problems.ts';
import { AVAILABILITY, parseUnitsCsv, UNIT_TYPES, UnitCsvRejected, UnitError, unitsToCsv, type UnitErrorCode } from '../../units/index.ts';

export const MANAGERS = ['admin', 'operator'] as const;
export const READERS = ['admin', 'operator', 'approver'] as const;

export { unitProblem };

export async function guard<T>(fn: () => Promise<T>, where: 'body' | 'params' | 'query' = 'body'): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw unitProblem(e, where);
  }
}

export const problems = { 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' }, 410: { $ref: 'Problem#' } };
export const created = { 201: { type: 'object', additionalProperties: true }, ...problems };
export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
const contact = { type: 'object', additionalProperties: false, properties: { phone: { type: ['string', 'null'], maxLength: 40 }, email: { type: ['string', 'null'], maxLength: 200 } } } as const;
const certificate = { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', maxLength: 200 }, expires: { type: ['string', 'null'], maxLength: 10 } } } as const;
const unitProps = {
  name: { type: 'string', minLength: 1, maxLength: 200 }, type: { type: 'string', enum: [...UNIT_TYPES] }, region: { type: ['string', 'null'], maxLength: 100 },
  base: { type: ['object', 'null'], additionalProperties: false, required: ['lat', 'lon'], properties: { lat: { type: 'number' }, lon: { type: 'number' }, address: { type: ['string', 'null'], maxLength: 200 } } },
  requiredRoles: { type: 'array', items: { type: 'string', maxLength: 40 }, maxItems: 20 },
} as const;
const memberProps = {
  name: { type: 'string', minLength: 1, maxLength: 200 }, role: { type: 'string', minLength: 1, maxLength: 40 }, contact, user: { type: ['string', 'null'], maxLength: 100 },
  skills: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 50 }, certificates: { type: 'array', items: certificate, maxItems: 50 },
  availability: { type: 'string', enum: [...AVAILABILITY] }, availableFrom: { type: ['string', 'null'], maxLength: 10 },
} as const;

export interface UnitRouteOptions {
  units: UnitsServices;
}

export const unitRoutes: FastifyPluginAsync<UnitRouteOptions> = async (app, opts) => {
  const { units } = opts;
  const s = () => units;

  app.post('/api/units', {
    config: { roles: MANAGERS },
    schema: {
      summary: 'Create a unit (answers 201 with its id)', tags: ['units'],
      body: {
        type: 'object', additionalProperties: false, required: ['name', 'type'],
        properties: unitProps,
      },
      response: created,
    },
  }, async (request, reply) => {
    const unit = await guard(() => s().units.createUnit(request.body as Record<string, unknown>, actorOf(request)!));
    return reply.code(201).send({ id: unit.id, unit });
  });

  app.patch('/api/units/:id', {
    config: { roles: MANAGERS },
    schema: {
      summary: 'Change a unit (name, type, region, base, required roles); fields not given stay', tags: ['units'], params: idParams,
      body: { type: 'object', additionalProperties: false, properties: unitProps }, response: problems,
    },
  }, async (request) => {
    const id = (request.params as { id: string }).id;
    await guard(() => s().units.unit(id), 'params');
    return { unit: await guard(() => s().units.updateUnit(id, request.body as Record<string, unknown>, actorOf(request)!)) };
  });

  app.get('/api/units', {
    config: { roles: READERS },
    schema: { summary: 'Every unit with its members', tags: ['units'], response: problems },
  }, async () => {
    const members = await s().units.members();
    return { units: (await s().units.list()).map((u) => ({ ...u, members: members.filter((m) => m.unitId === u.id) })) };
  });

  app.get('/api/units/export', {
    config: { roles: READERS },
    schema: { summary: 'Units and members as CSV (one row per member); imports back unchanged', tags: ['units'], response: problems },
  }, async (_request, reply) => {
    const csv = unitsToCsv(await s().units.list(), await s().units.members());
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="units.csv"').send(csv);
  });

  app.post('/api/units/import', {
    config: { roles: MANAGERS },
    schema: { summary: 'Import units and members from CSV (body text/csv); any bad row refuses the whole file with every problem (line, column, reason)', tags: ['units'], response: problems },
  }, async (request) => {
    const body = request.body;
    if (!Buffer.isBuffer(body)) throw new HttpProblem('UNSUPPORTED_MEDIA_TYPE', 'Send the CSV file as the body with content-type text/csv');
    const { units } = s();
    try {
      const existing = { units: new Map((await units.list()).map((u) => [u.id, u])), members: new Map((await units.members()).map((m) => [m.id, m])) };
      const parsed = await parseUnitsCsv(body, units, actorOf(request)!, existing);
      const outcome = await units.importParsed(parsed);
      return { ...outcome, units: parsed.units.length, members: parsed.members.length };
    } catch (e) {
      if (e instanceof UnitCsvRejected) {
        throw new HttpProblem('IMPORT_REJECTED', e.message, e.problems.map((p) => ({ field: p.column, reason: `line ${p.line}: ${p.reason}` })), { problems: e.problems });
      }
      throw unitProblem(e);
    }
  });

  app.get('/api/units/reports/certificates', {
    config: { roles: READERS },
    schema: {
      summary: 'Certificates expired or expiring within `days` days (default 30)', tags: ['units'],
      querystring: { type: 'object', additionalProperties: false, properties: { days: { type: 'integer', minimum: 0, maximum: 3650 } } }, response: problems,
    },
  }, async (request) => ({ days: (request.query as { days?: number }).days ?? 30, certificates: await s().units.expiringCertificates((request.query as { days?: number }).days ?? 30) }));

  app.get('/api/units/reports/missing-roles', {
    config: { roles: READERS },
    schema: { summary: 'Units lacking a required role among the members available now', tags: ['units'], response: problems },
  }, async () => ({ units: await s().units.missingRoles() }));

  app.get('/api/units/:id', {
    config: { roles: READERS },
    schema: { summary: 'One unit with its members', tags: ['units'], params: idParams, response: problems },
  }, async (request) => {
    const id = (request.params as { id: string }).id;
    const unit = await guard(() => s().units.unit(id), 'params');
    return { ...unit, members: await s().units.members(id) };
  });

  app.post('/api/units/:id/members', {
    config: { roles: MANAGERS },
    schema: {
      summary: 'Add a member to a unit (answers 201 with its id); `user` names the account the member answers with', tags: ['units'], params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['name', 'role'], properties: memberProps }, response: created,
    },
  }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const member = await guard(async () => {
      await s().units.unit(id).catch((e) => { throw unitProblem(e, 'params'); });
      return s().units.addMember(id, request.body as Record<string, unknown>);
    });
    return reply.code(201).send({ id: member.id, member });
  });

  app.patch('/api/units/members/:id', {
    config: { roles: MANAGERS },
    schema: {
      summary: "Change a member (availability, contact, certificates ...); fields not given stay", tags: ['units'], params: idParams,
      body: { type: 'object', additionalProperties: false, properties: memberProps }, response: problems,
    },
  }, async (request) => ({ member: await guard(() => s().units.updateMember((request.params as { id: string }).id, request.body as Record<string, unknown>)) }));
};
