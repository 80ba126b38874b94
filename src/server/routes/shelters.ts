// The shelter registry over HTTP: GeoJSON out, validated JSON in, optimistic concurrency with If-Match.
import { IMPORT_BODY_LIMIT } from '../route-limits.ts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts } from '../../accounts/index.ts';
import { actorOf, STAFF_ROLES } from '../auth.ts';
import { HttpProblem } from '../problem.ts';
import { SHELTER_KINDS, SHELTER_STATUSES, checkOccupancyReport, type Shelter, type ShelterRegistry, type ShelterKind, type ShelterStatus, type ShelterInput, type OccupancyReport } from '../../registry/index.ts';
import { importShelters, ImportRejected, ImportFileError } from '../../registry/import/index.ts';
import { sheltersToCsv, sheltersToGeoJson, sheltersToExportGeoJson, shelterFeature } from '../../registry/export.ts';
import { shelterPhotoRoutes, type ShelterPhotoRouteOptions } from './shelter-photos.ts';
import { listQuerySchema, occupancyAnswerSchema, occupancyBodySchema, shelterCreateSchema, shelterFeatureSchema, shelterPatchSchema } from './shelter-schemas.ts';

const STAFF = STAFF_ROLES;
const EDITORS = ['admin', 'operator'] as const;
const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] } as const;
const problems = { 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } };

function list<T extends string>(raw: string | undefined, allowed: readonly T[], field: string): T[] | undefined {
  if (!raw) return undefined;
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((i) => !(allowed as readonly string[]).includes(i));
  if (bad.length) throw new HttpProblem('INVALID_REQUEST', `${field} "${bad[0]}" is not one of ${allowed.join(', ')}`, [{ field: `querystring.${field}`, reason: `must be among ${allowed.join(', ')}` }]);
  return items as T[];
}

/** If-Match carries the version the client last saw: "3", 3 or W/"3". */
function expectedVersion(request: FastifyRequest, required: boolean): number | null {
  const raw = request.headers['if-match'];
  if (raw === undefined) {
    if (required) throw new HttpProblem('IF_MATCH_REQUIRED', 'Send If-Match with the version you are changing (the ETag of the shelter)', [{ field: 'If-Match', reason: 'is required' }]);
    return null;
  }
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(String(raw).trim());
  if (!m) throw new HttpProblem('INVALID_IF_MATCH', `If-Match "${raw}" is not a version`, [{ field: 'If-Match', reason: 'must be a version number, e.g. "3"' }]);
  return Number(m[1]);
}

function sendShelter(reply: FastifyReply, s: Shelter, code = 200) {
  return reply.code(code).header('etag', `"${s.version}"`).send(shelterFeature(s));
}

/** Links as the registry keeps them: a label (null when none was given) and the URL. */
function withLinkLabels(body: ShelterInput): ShelterInput {
  if (!Array.isArray(body.links)) return body;
  return { ...body, links: body.links.map((l) => ({ label: typeof l.label === 'string' && l.label.trim() ? l.label.trim() : null, url: l.url })) };
}

export interface ShelterRouteOptions {
  registry: ShelterRegistry;
  /** Where the photos' bytes are kept: the shelter store (see shelter-photos.ts). */
  photos: ShelterPhotoRouteOptions['photos'];
  /** Who may be assigned as a warden; read per request (a test may put the accounts on its own clock after start). */
  accounts: () => Accounts;
}

export const shelterRoutes: FastifyPluginAsync<ShelterRouteOptions> = async (app, opts) => {
  const { registry: reg, accounts } = opts;
  /** A warden tends only the shelters assigned to them; operators and admins tend all. */
  const assertMayTend = (request: FastifyRequest, id: string) => {
    if (request.user?.role === 'warden' && reg.get(id) && !reg.isWardenOf(request.user.name, id)) {
      throw new HttpProblem('NOT_YOUR_SHELTER', `You are not a warden of shelter ${id}; an operator can assign you`);
    }
  };
  app.addSchema(shelterFeatureSchema);
  await app.register(shelterPhotoRoutes, { registry: reg, photos: opts.photos });

  app.get('/api/shelters', {
    schema: {
      summary: 'Shelters as a GeoJSON FeatureCollection', tags: ['shelters'], querystring: listQuerySchema,
      response: { 400: { $ref: 'Problem#' } },
    },
  }, async (request) => {
    const q = request.query as { bbox?: string; status?: string; kind?: string; minCapacity?: number; stepFree?: boolean; q?: string; includeDecommissioned?: boolean; limit: number; offset: number };
    let bbox: [number, number, number, number] | undefined;
    if (q.bbox) {
      bbox = q.bbox.split(',').map(Number) as [number, number, number, number];
      if (bbox.some((n) => !Number.isFinite(n)) || bbox[0] > bbox[2] || bbox[1] > bbox[3]) {
        throw new HttpProblem('INVALID_REQUEST', 'bbox must be minLon,minLat,maxLon,maxLat with min <= max', [{ field: 'querystring.bbox', reason: 'min must not exceed max' }]);
      }
    }
    const page = reg.query({
      bbox, status: list<ShelterStatus>(q.status, SHELTER_STATUSES, 'status'), kind: list<ShelterKind>(q.kind, SHELTER_KINDS, 'kind'),
      minCapacity: q.minCapacity, stepFree: q.stepFree, q: q.q, includeDecommissioned: q.includeDecommissioned, limit: q.limit, offset: q.offset,
    });
    const fc = sheltersToGeoJson(page.items) as ReturnType<typeof sheltersToGeoJson> & Record<string, unknown>;
    fc.numberMatched = page.total;
    fc.numberReturned = page.items.length;
    if (q.offset + page.items.length < page.total) {
      const next = new URLSearchParams(Object.entries({ ...q, offset: q.offset + page.items.length }).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
      fc.links = [{ rel: 'next', href: `/api/shelters?${next}` }];
    }
    fc.attribution = (await reg.sources()).filter((s) => s.attribution).map((s) => ({ source: s.name, attribution: s.attribution, licence: s.licence }));
    return fc;
  });

  app.get('/api/sources', { schema: { summary: 'Datasets in the registry and their attribution', tags: ['shelters'] } }, async () => reg.sources());

  app.get('/api/shelters/export', {
    schema: { summary: 'Export the registry (round-trips with import)', tags: ['shelters'], querystring: { type: 'object', properties: { format: { type: 'string', enum: ['geojson', 'csv'], default: 'geojson' } } } },
  }, async (request, reply) => {
    const { format } = request.query as { format: 'geojson' | 'csv' };
    const items = reg.query({}).items;
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="shelters.csv"').send(sheltersToCsv(items));
    return reply.type('application/geo+json').send(sheltersToExportGeoJson(items));
  });

  app.get('/api/shelters/:id', {
    schema: { summary: 'One shelter (ETag = version)', tags: ['shelters'], params: idParams, response: { 200: { $ref: 'ShelterFeature#' }, 404: { $ref: 'Problem#' } } },
  }, async (request, reply) => {
    const s = reg.get((request.params as { id: string }).id);
    if (!s) throw new HttpProblem('SHELTER_NOT_FOUND', `No shelter with id ${(request.params as { id: string }).id}`);
    return sendShelter(reply, s);
  });

  app.get('/api/shelters/:id/history', {
    config: { roles: STAFF },
    schema: { summary: 'Every change: who, when, old and new values', tags: ['shelters'], params: idParams, response: { 401: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } } },
  }, async (request) => reg.history((request.params as { id: string }).id));

  app.post('/api/shelters', {
    config: { roles: EDITORS },
    schema: { summary: 'Add a shelter', tags: ['shelters'], body: shelterCreateSchema, response: { 201: { $ref: 'ShelterFeature#' }, ...problems } },
  }, async (request, reply) => {
    const s = await reg.create(withLinkLabels(request.body as ShelterInput), actorOf(request));
    reply.header('location', `/api/shelters/${s.id}`);
    return sendShelter(reply, s, 201);
  });

  app.patch('/api/shelters/:id', {
    config: { roles: EDITORS },
    schema: {
      summary: 'Change fields; If-Match with the current version is required (409 when stale)', tags: ['shelters'], params: idParams, body: shelterPatchSchema,
      headers: { type: 'object', properties: { 'if-match': { type: 'string' } } },
      response: { 200: { $ref: 'ShelterFeature#' }, 428: { $ref: 'Problem#' }, ...problems },
    },
  }, async (request, reply) => {
    const s = await reg.patch((request.params as { id: string }).id, expectedVersion(request, true), withLinkLabels(request.body as ShelterInput), actorOf(request));
    return sendShelter(reply, s);
  });

  app.post('/api/shelters/:id/status', {
    config: { roles: ['admin', 'operator', 'warden'] },
    schema: {
      summary: 'Set the live status (wardens: open, full, ...)', tags: ['shelters'], params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string', enum: [...SHELTER_STATUSES] } } },
      response: { 200: { $ref: 'ShelterFeature#' }, ...problems },
    },
  }, async (request, reply) => {
    assertMayTend(request, (request.params as { id: string }).id);
    const s = await reg.setStatus((request.params as { id: string }).id, (request.body as { status: ShelterStatus }).status, actorOf(request), expectedVersion(request, false));
    return sendShelter(reply, s);
  });

  app.post('/api/shelters/:id/occupancy', {
    config: { roles: ['admin', 'operator', 'warden'] },
    schema: {
      summary: 'Report how many people are inside now (wardens: their own shelters); optionally open it or mark it full in the same change. If-Match optional.',
      description: 'A count above the capacity is accepted and answered with an OVER_CAPACITY warning; reaching the capacity never changes the status by itself (AT_CAPACITY says so).',
      tags: ['shelters'], params: idParams, body: occupancyBodySchema,
      headers: { type: 'object', properties: { 'if-match': { type: 'string' } } },
      response: { 200: occupancyAnswerSchema, ...problems },
    },
    // The body is checked before the schema's type coercion could turn "12" or true into a number.
    preValidation: async (request) => {
      const found = checkOccupancyReport(request.body);
      if (found.length) {
        throw new HttpProblem('INVALID_REQUEST', `Invalid body.${found[0].field}: ${found[0].reason}`, found.map((p) => ({ field: `body.${p.field}`, reason: p.reason })));
      }
    },
  }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    assertMayTend(request, id);
    const { shelter, warnings } = await reg.reportOccupancy(id, request.body as OccupancyReport, actorOf(request), expectedVersion(request, false));
    return reply.code(200).header('etag', `"${shelter.version}"`).send({ ...shelterFeature(shelter), warnings });
  });

  app.post('/api/shelters/:id/verify', {
    config: { roles: ['admin', 'operator', 'warden'] },
    schema: { summary: 'Record that the shelter was checked on site now', tags: ['shelters'], params: idParams, response: { 200: { $ref: 'ShelterFeature#' }, ...problems } },
  }, async (request, reply) => {
    assertMayTend(request, (request.params as { id: string }).id);
    return sendShelter(reply, await reg.markVerified((request.params as { id: string }).id, actorOf(request)));
  });

  app.get('/api/shelters/:id/wardens', {
    config: { roles: STAFF },
    schema: { summary: 'Wardens who look after this shelter', tags: ['shelters'], params: idParams, response: { 404: { $ref: 'Problem#' } } },
  }, async (request) => ({ wardens: reg.wardens((request.params as { id: string }).id) }));

  app.post('/api/shelters/:id/wardens', {
    config: { roles: EDITORS },
    schema: {
      summary: 'Assign or release a warden', tags: ['shelters'], params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['user'], properties: { user: { type: 'string', maxLength: 64 }, assigned: { type: 'boolean', default: true } } },
      response: problems,
    },
  }, async (request) => {
    const { user, assigned } = request.body as { user: string; assigned: boolean };
    const found = (await accounts().listUsers()).find((u) => u.name === user);
    if (!found) throw new HttpProblem('USER_NOT_FOUND', `No user named ${user}`, [{ field: 'body.user', reason: 'no such user' }]);
    if (found.role !== 'warden') throw new HttpProblem('NOT_A_WARDEN', `${user} is a ${found.role}, not a warden`, [{ field: 'body.user', reason: 'must be a warden' }]);
    return { wardens: await reg.setWarden((request.params as { id: string }).id, user, assigned, actorOf(request)) };
  });

  app.delete('/api/shelters/:id/wardens/:name', {
    config: { roles: EDITORS },
    schema: {
      summary: 'Release a warden from this shelter (the same as POST .../wardens with assigned: false)', tags: ['shelters'],
      params: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string', maxLength: 100 }, name: { type: 'string', minLength: 1, maxLength: 64 } } },
      response: problems,
    },
  }, async (request) => {
    const { id, name } = request.params as { id: string; name: string };
    if (!reg.wardens(id).includes(name)) throw new HttpProblem('NOT_ASSIGNED', `${name} is not a warden of shelter ${id}`, [{ field: 'params.name', reason: 'not assigned to this shelter' }]);
    return { wardens: await reg.setWarden(id, name, false, actorOf(request)) };
  });

  app.get('/api/wardens', {
    config: { roles: EDITORS },
    schema: {
      summary: 'Warden accounts that can be assigned to shelters (active ones; name and how many shelters each looks after)', tags: ['shelters'],
      response: { 200: { type: 'object', properties: { wardens: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, shelters: { type: 'integer' } } } } } } },
    },
  }, async () => ({
    wardens: (await accounts().listUsers())
      .filter((u) => u.role === 'warden' && !u.disabledAt)
      .map((u) => ({ name: u.name, shelters: reg.sheltersOfWarden(u.name).length }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  }));

  app.get('/api/wardens/me/shelters', {
    config: { roles: ['warden'] },
    schema: { summary: 'The shelters the signed-in warden looks after', tags: ['shelters'] },
  }, async (request) => sheltersToGeoJson(reg.sheltersOfWarden(request.user!.name)));

  const decommission = async (request: FastifyRequest, reply: FastifyReply) =>
    sendShelter(reply, await reg.decommission((request.params as { id: string }).id, expectedVersion(request, false), actorOf(request)));
  const decommissionSchema = { summary: 'Decommission (records are never deleted)', tags: ['shelters'], params: idParams, response: { 200: { $ref: 'ShelterFeature#' }, ...problems } };
  app.post('/api/shelters/:id/decommission', { config: { roles: EDITORS }, schema: decommissionSchema }, decommission);
  app.delete('/api/shelters/:id', { config: { roles: EDITORS }, schema: decommissionSchema }, decommission);

  app.post('/api/shelters/import', {
    bodyLimit: IMPORT_BODY_LIMIT,
    config: { roles: EDITORS },
    schema: {
      summary: 'Import a CSV or GeoJSON registry file (request body); all or nothing unless skipInvalid', tags: ['shelters'],
      querystring: {
        type: 'object', required: ['source'], additionalProperties: false,
        properties: {
          source: { type: 'string', pattern: '^[\\w.:-]{1,64}$' }, filename: { type: 'string' }, dryRun: { type: 'boolean', default: false },
          skipInvalid: { type: 'boolean', default: false }, attribution: { type: 'string' }, licence: { type: 'string' },
          map: { type: 'array', items: { type: 'string', pattern: '^[^=]+=[^=]+$' }, description: 'column=field' },
        },
      },
    },
  }, async (request, reply) => {
    const q = request.query as { source: string; filename?: string; dryRun: boolean; skipInvalid: boolean; attribution?: string; licence?: string; map?: string[] };
    const body = request.body;
    const bytes = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : Buffer.from(JSON.stringify(body ?? ''));
    const file = q.filename ?? (request.headers['content-type']?.includes('json') ? 'upload.geojson' : 'upload.csv');
    try {
      const summary = await importShelters(reg, bytes, file, {
        source: q.source, dryRun: q.dryRun, skipInvalid: q.skipInvalid, attribution: q.attribution, licence: q.licence, actor: actorOf(request),
        map: Object.fromEntries((q.map ?? []).map((m) => m.split('=') as [string, string])),
      });
      return reply.code(q.dryRun ? 200 : 201).send(summary);
    } catch (e) {
      if (e instanceof ImportRejected) {
        throw new HttpProblem('IMPORT_REJECTED', e.message, e.summary.problems.map((p) => ({ field: p.field, reason: `${p.where}: ${p.reason}` })), { report: e.summary });
      }
      if (e instanceof ImportFileError || e instanceof Error) throw new HttpProblem('IMPORT_FAILED', e.message, [{ field: 'body', reason: e.message }]);
      throw e;
    }
  });
};
