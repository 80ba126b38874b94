// Regions over HTTP: the list with warning times, point -> regions, an admin import, and the CAP signing key.
import { IMPORT_BODY_LIMIT } from '../route-limits.ts';
import type { FastifyPluginAsync } from 'fastify';
import { HttpProblem } from '../problem.ts';
import { parseRegionsGeoJson, RegionCodeConflictError, RegionImportError, type Region, type RegionImportOutcome, type RegionIndex } from '../../geo/index.ts';

export const SIGNING_KEY_PATH = '/.well-known/refuge-signing-key';

/** `names`: the name in other languages (language tag -> name), {} when the source gave none. */
const regionJson = (r: Region) => ({ code: r.code, name: r.name, warningTimeS: r.warningTimeS, parentCode: r.parentCode, names: r.names ?? {} });
const regionSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' }, name: { type: 'string' }, warningTimeS: { type: ['number', 'null'] }, parentCode: { type: ['string', 'null'] },
    names: { type: 'object', additionalProperties: { type: 'string' }, description: 'The name in other languages: language tag (lower case) -> name, from name:xx / name_xx properties' },
  },
} as const;

export interface RegionRouteOptions {
  /** The region index in force (read per request: an import swaps it). */
  regionIndex: () => RegionIndex;
  /** Stores a source's regions and swaps in the new index. */
  reload: (source: string, regions: Region[]) => Promise<RegionImportOutcome>;
  signingPublicKey: { keyId: string; publicKeyPem: string };
}

export const regionRoutes: FastifyPluginAsync<RegionRouteOptions> = async (app, opts) => {
  const { regionIndex, reload, signingPublicKey } = opts;
  app.get('/api/regions', {
    schema: {
      summary: 'All regions with their warning time (seconds to reach shelter); format=geojson adds the polygons',
      tags: ['regions'],
      querystring: { type: 'object', properties: { format: { type: 'string', enum: ['json', 'geojson'], default: 'json' } }, additionalProperties: false },
    },
  }, async (request, reply) => {
    const { format } = request.query as { format: 'json' | 'geojson' };
    const regions = regionIndex().list();
    if (format === 'geojson') {
      return reply.type('application/geo+json').send({
        type: 'FeatureCollection',
        features: regions.map((r) => ({ type: 'Feature', id: r.code, properties: regionJson(r), geometry: r.geometry })),
      });
    }
    return { count: regions.length, regions: regions.map(regionJson) };
  });

  app.get('/api/regions/at', {
    schema: {
      summary: 'The regions containing a point, most specific (smallest) first',
      tags: ['regions'],
      querystring: {
        type: 'object',
        properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 } },
        required: ['lat', 'lon'],
        additionalProperties: false,
      },
      response: { 200: { type: 'object', properties: { lat: { type: 'number' }, lon: { type: 'number' }, regions: { type: 'array', items: regionSchema } } }, 400: { $ref: 'Problem#' } },
    },
  }, async (request) => {
    const { lat, lon } = request.query as { lat: number; lon: number };
    return { lat, lon, regions: regionIndex().regionsAt(lat, lon).map(regionJson) };
  });

  app.post('/api/regions/import', {
    bodyLimit: IMPORT_BODY_LIMIT,
    config: { roles: ['admin'] },
    schema: {
      summary: 'Import regions from a GeoJSON body (replaces the regions of the same source); takes effect at once',
      tags: ['regions'],
      querystring: {
        type: 'object',
        properties: {
          source: { type: 'string', minLength: 1, maxLength: 64 }, nameField: { type: 'string' }, codeField: { type: 'string' },
          warningTimeField: { type: 'string' }, parentField: { type: 'string' },
        },
        required: ['source'],
        additionalProperties: false,
      },
      response: { 201: { type: 'object', additionalProperties: true }, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } },
    },
  }, async (request, reply) => {
    const q = request.query as { source: string; nameField?: string; codeField?: string; warningTimeField?: string; parentField?: string };
    const body = request.body;
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body ?? null);
    let result;
    try {
      result = parseRegionsGeoJson(text, q, 'body');
    } catch (err) {
      if (err instanceof RegionImportError) throw new HttpProblem('INVALID_REGIONS', err.message, [{ field: 'body', reason: err.message }]);
      throw err;
    }
    let outcome;
    try {
      outcome = await reload(q.source, result.regions);
    } catch (err) {
      // A code held by another source, or parents closing a cycle with the stored regions: a conflict with what is
      // stored. Anything else (the database away) is not the caller's doing and goes to the common handler.
      if (err instanceof RegionCodeConflictError || err instanceof RegionImportError) throw new HttpProblem('REGION_CODE_CONFLICT', err.message);
      throw err;
    }
    return reply.code(201).send({ ...outcome, fields: result.fields, skipped: result.skipped, total: regionIndex().size });
  });

  app.get(SIGNING_KEY_PATH, {
    schema: {
      summary: 'The Ed25519 public key that signs Refuge CAP alerts (PEM; format=json for key id and algorithm)',
      tags: ['alerts'],
      querystring: { type: 'object', properties: { format: { type: 'string', enum: ['pem', 'json'], default: 'pem' } }, additionalProperties: false },
    },
  }, async (request, reply) => {
    const { format } = request.query as { format: 'pem' | 'json' };
    const key = signingPublicKey;
    reply.header('x-refuge-key-id', key.keyId).header('cache-control', 'public, max-age=3600');
    if (format === 'json') return { keyId: key.keyId, algorithm: 'Ed25519', signatureMethod: 'http://www.w3.org/2021/04/xmldsig-more#eddsa-ed25519', publicKeyPem: key.publicKeyPem };
    return reply.type('application/x-pem-file').send(key.publicKeyPem);
  });
};
