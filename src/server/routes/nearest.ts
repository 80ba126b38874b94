// GET /api/nearest: the shelters a person reaches soonest on foot, with routes; GET /api/network: what is loaded.
import type { FastifyPluginAsync } from 'fastify';
import type { NetworkService } from '../../app/services/network.ts';
import type { ReportService } from '../../reports/index.ts';
import { islandReport, MAX_K, type NearestOptions } from '../../network/index.ts';
import { PROTECTION_CLASSES, SHELTER_STATUSES, type ShelterRegistry } from '../../registry/index.ts';
import { rankWithReports, emptyCounts, REPORT_KINDS, type OpenReportCounts } from '../../reports/index.ts';
import { HttpProblem } from '../problem.ts';
import { LastKnown } from '../last-known.ts';

const lineString = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['LineString'] },
    coordinates: { type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } },
  },
  required: ['type', 'coordinates'],
} as const;

const nearestItem = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    walkSeconds: { type: 'number', description: 'walking time including the walk to and from the street' },
    meters: { type: 'number' },
    reachableInTime: { type: ['boolean', 'null'], description: 'walkSeconds <= within; null when no warning time was given' },
    route: lineString,
    capacity: { type: ['integer', 'null'] },
    status: { type: 'string', enum: [...SHELTER_STATUSES] },
    lat: { type: 'number' },
    lon: { type: 'number' },
    openReports: {
      type: 'object',
      description: 'present when residents reported this shelter and no operator has decided yet: open reports per kind (it is then ranked after the unreported shelters reachable in time)',
      properties: Object.fromEntries(REPORT_KINDS.map((k) => [k, { type: 'integer' }])),
    },
  },
  required: ['id', 'name', 'walkSeconds', 'meters', 'reachableInTime', 'route'],
} as const;

export const nearestResponse = {
  type: 'object',
  properties: {
    mode: { type: 'string', enum: ['network', 'straight-line'] },
    reason: { type: 'string', description: 'why straight-line distances were used (off the network, or no network loaded)' },
    origin: { type: 'object', properties: { lat: { type: 'number' }, lon: { type: 'number' }, snappedMeters: { type: ['number', 'null'] } } },
    within: { type: ['number', 'null'] },
    noneReachableInTime: { type: 'boolean', description: 'a warning time was given and no shelter is reachable in it; the nearest are still listed' },
    reportsStale: { type: 'boolean', description: 'present (true) when the database could not be reached: open reports are as last known; shelters and routes come from memory as always' },
    results: { type: 'array', items: nearestItem },
  },
  required: ['mode', 'results'],
} as const;

export interface NearestRouteOptions {
  network: NetworkService;
  /** For GET /api/reports/open: only shelters in service have counts. */
  registry: ShelterRegistry;
  /** Open resident reports rank shelters down; absent when the reports capability does not run. */
  reports: ReportService | undefined;
}

export const nearestRoutes: FastifyPluginAsync<NearestRouteOptions> = async (app, opts) => {
  const { network, registry, reports } = opts;
  // Residents get the nearest shelter even while the database is away: report counts as last read, said so.
  const openCounts = new LastKnown<Map<string, OpenReportCounts>>(async () => (await reports?.openCounts()) ?? new Map(), new Map());
  app.get('/api/nearest', {
    schema: {
      summary: 'The k shelters with the shortest walking time from a point, with routes (GeoJSON LineString)',
      description:
        'Walking time over the street network (pedestrian profile, see docs/network.md). Locked, closed and full shelters are left out unless ' +
        'includeUnusable=true. A point more than 500 m from any walkable way gets straight-line answers (mode "straight-line" with a reason). ' +
        'A shelter with an open resident report (locked, closed, missing) that no operator has decided on carries openReports and comes after ' +
        'the unreported shelters reachable in time (see docs/web.md).',
      tags: ['network'],
      querystring: {
        type: 'object',
        properties: {
          lat: { type: 'number', minimum: -90, maximum: 90 },
          lon: { type: 'number', minimum: -180, maximum: 180 },
          k: { type: 'integer', minimum: 1, maximum: MAX_K, default: 3 },
          within: { type: 'number', minimum: 0, maximum: 86400, description: 'warning time, seconds' },
          stepFree: { type: 'boolean', default: false, description: 'only step-free shelters, on routes without steps' },
          minCapacity: { type: 'integer', minimum: 0 },
          protectionClass: { type: 'string', enum: [...PROTECTION_CLASSES] },
          includeUnusable: { type: 'boolean', default: false },
        },
        required: ['lat', 'lon'],
        additionalProperties: false,
      },
      response: { 200: nearestResponse, 400: { $ref: 'Problem#' } },
    },
  }, async (request) => {
    const q = request.query as { lat: number; lon: number } & NearestOptions;
    const { value: open, stale } = await openCounts.get();
    const marked = stale ? { reportsStale: true } : {};
    const k = q.k ?? 3;
    if (open.size === 0) return { ...network.nearest({ lat: q.lat, lon: q.lon }, q), ...marked };
    // Ask for as many more as there are reported shelters (each may be moved down), then rank and cut back to k.
    const answer = network.nearest({ lat: q.lat, lon: q.lon }, { ...q, k: Math.min(MAX_K, k + open.size) });
    return { ...answer, results: rankWithReports(answer.results, open, k), ...marked };
  });

  // Registered here because the public finder is its only user: the card of a shelter not in the last answer.
  app.get('/api/reports/open', {
    schema: {
      summary: 'How many open (undecided) resident reports of each kind one shelter has; public, counts only (no notes, no reporters)',
      tags: ['reports'],
      querystring: { type: 'object', required: ['shelterId'], additionalProperties: false, properties: { shelterId: { type: 'string', minLength: 1, maxLength: 100 } } },
      response: {
        200: { type: 'object', properties: { shelterId: { type: 'string' }, openReports: nearestItem.properties.openReports } },
        400: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' },
      },
    },
  }, async (request) => {
    const { shelterId } = request.query as { shelterId: string };
    const shelter = registry.get(shelterId);
    if (!shelter || shelter.decommissionedAt) throw new HttpProblem('SHELTER_NOT_FOUND', `no shelter with id ${shelterId}`, [{ field: 'querystring.shelterId', reason: 'no such shelter' }]);
    const counts = (await reports?.openCounts())?.get(shelterId) ?? emptyCounts();
    return { shelterId, openReports: counts };
  });

  app.get('/api/network', {
    schema: {
      summary: 'The loaded street network: source, size, islands, and how many shelters are on it',
      tags: ['network'],
      response: {
        200: {
          type: 'object',
          properties: {
            loaded: { type: 'boolean' },
            lastError: { type: ['string', 'null'] },
            source: { type: ['string', 'null'] },
            sourceSha256: { type: ['string', 'null'] },
            builtAt: { type: ['string', 'null'] },
            walkingSpeed: { type: ['number', 'null'] },
            nodes: { type: 'integer' },
            edges: { type: 'integer' },
            bbox: { type: ['array', 'null'], items: { type: 'number' } },
            islands: { type: ['object', 'null'], additionalProperties: true },
            sheltersOnNetwork: { type: 'integer' },
            sheltersOffNetwork: { type: 'integer' },
          },
        },
      },
    },
  }, async () => {
    const net = network;
    const router = net.shelterRouter;
    const g = router?.graph ?? null;
    const snaps = router?.snapReport();
    return {
      loaded: !!g,
      lastError: net.lastError,
      source: g?.meta.sourceName ?? null,
      sourceSha256: g?.meta.sourceSha256 ?? null,
      builtAt: g?.meta.builtAt ?? null,
      walkingSpeed: router?.profile.speed ?? null,
      nodes: g?.nodeCount ?? 0,
      edges: g?.edgeCount ?? 0,
      bbox: g?.meta.bbox ?? null,
      islands: g ? islandReport(g) : null,
      sheltersOnNetwork: snaps?.snapped ?? 0,
      sheltersOffNetwork: snaps?.offNetwork ?? 0,
    };
  });
};
