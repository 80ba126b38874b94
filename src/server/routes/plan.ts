// Planning over HTTP. Staff: GET /api/plan/coverage and /api/plan/siting (a job shared by identical requests on
// unchanged inputs: 202 with progress while it runs, 200 with the result when done), POST /api/plan/jobs (any kind,
// assign stores the plan), GET /api/plan/jobs/:id (any process's job: they live in the store), GET /api/plan/jobs (the
// newest), GET /api/plan/plans (stored plans) and /plans/:id (+ cells/shelters), GET /api/plan/current (+ the same).
// Public: GET /api/plan/place?lat=&lon= (the shelter the current plan assigns to a location).
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ShelterRegistry } from '../../registry/index.ts';
import type { PlanRepository, PopulationRepository } from '../../planning/ports.ts';
import type { NetworkService } from '../../app/services/network.ts';
import { HttpProblem } from '../problem.ts';
import { STAFF_ROLES } from '../auth.ts';
import { NoPopulationError, PlanningBusyError, type Job, type JobRequest, type PlanningService } from '../../app/services/planning.ts';
import { haversineMeters } from '../../network/geometry.ts';
import type { PlanResult, SitingResult, StoredPlan } from '../../planning/index.ts';
import { cellsGeoJson, compactCellsGeoJson, perCell, perShelter, sheltersGeoJson } from '../../planning/export.ts';
import { planShelters, POPULATION_ESTIMATE_WARNING, type WhatIf } from '../../planning/plan.ts';
import { regionReport } from '../../planning/report.ts';
import type { RegionIndex } from '../../geo/region-index.ts';

const PLANNERS = ['admin', 'operator'] as const;

const whatIfSchema = {
  type: 'object',
  properties: {
    excludeClasses: { type: 'array', items: { type: 'string', enum: ['A', 'B', 'C', 'unknown'] }, maxItems: 4 },
    notVerifiedForDays: { type: 'integer', minimum: 0, maximum: 36500 },
    excludeLocked: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

const baseQuery = {
  minutes: { type: 'number', exclusiveMinimum: 0, maximum: 240, description: 'threshold: minutes of walking' },
  regionWarningTimes: { type: 'boolean', description: 'each region\'s own warning time as the threshold for its people (minutes where a region has none)' },
  speed: { type: 'number', exclusiveMinimum: 0, maximum: 5, description: 'walking speed, m/s (default the network profile\'s, 1.3)' },
  detour: { type: 'number', minimum: 1, maximum: 5, description: 'straight-line mode: walking distance = great-circle distance x detour (default 1.3)' },
  excludeClass: { type: 'array', items: { type: 'string', enum: ['A', 'B', 'C', 'unknown'] }, description: 'what if: leave out shelters of these protection classes' },
  notVerifiedForDays: { type: 'integer', minimum: 0, maximum: 36500, description: 'what if: leave out shelters not verified in the last N days' },
  excludeLocked: { type: 'boolean', description: 'what if: leave out shelters locked now' },
} as const;

interface BaseQuery { minutes: number; regionWarningTimes?: boolean; speed?: number; detour?: number; excludeClass?: string[]; notVerifiedForDays?: number; excludeLocked?: boolean }

function requestOf(kind: JobRequest['kind'], q: BaseQuery, extra: Partial<JobRequest> = {}): JobRequest {
  const whatIf = {
    ...(q.excludeClass?.length ? { excludeClasses: q.excludeClass } : {}),
    ...(q.notVerifiedForDays !== undefined ? { notVerifiedForDays: q.notVerifiedForDays } : {}),
    ...(q.excludeLocked ? { excludeLocked: true } : {}),
  };
  return { kind, minutes: q.minutes, ...(q.regionWarningTimes ? { regionWarningTimes: true } : {}), ...(q.speed !== undefined ? { speed: q.speed } : {}), ...(q.detour !== undefined ? { detour: q.detour } : {}), whatIf, ...extra };
}

/** A job as JSON: its result (when done) without the assignment rows. */
function jobJson(job: Job): Record<string, unknown> {
  return {
    id: job.id, kind: job.kind, state: job.state, request: job.request, createdAt: job.createdAt, createdBy: job.createdBy, startedAt: job.startedAt, finishedAt: job.finishedAt,
    progress: job.progress, error: job.error, planId: job.planId, resultId: job.resultId, inputs: job.inputs, result: job.result, links: { self: `/api/plan/jobs/${job.id}` },
  };
}

function sendJob(reply: FastifyReply, job: Job): FastifyReply {
  if (job.state === 'failed' || job.state === 'cancelled') throw new HttpProblem('PLAN_FAILED', `the planning job ${job.state === 'failed' ? `failed: ${job.error}` : 'was cancelled'}`);
  reply.header('cache-control', 'no-store');
  if (job.state !== 'done') reply.code(202).header('location', `/api/plan/jobs/${job.id}`).header('retry-after', '1');
  return reply.send(jobJson(job));
}

async function startOr4xx(planning: PlanningService, req: JobRequest, by: string | null, share: boolean): Promise<Job> {
  try {
    return await planning.start(req, by, share);
  } catch (e) {
    if (e instanceof NoPopulationError) throw new HttpProblem('NO_POPULATION', e.message);
    if (e instanceof PlanningBusyError) throw new HttpProblem('PLANNING_BUSY', e.message);
    throw e;
  }
}

export interface PlanRouteOptions {
  planning: PlanningService;
  plans: PlanRepository;
  population: PopulationRepository;
  registry: ShelterRegistry;
  /** The walking network, to compare a resident's planned place with the nearest; absent without the network capability. */
  network: NetworkService | undefined;
  /** The regions now (read per request: a re-import swaps the index), for the region report. */
  regions: () => RegionIndex | undefined;
}

export const planRoutes: FastifyPluginAsync<PlanRouteOptions> = async (app, opts) => {
  const { planning, plans, population, registry, network, regions } = opts;
  const staff = { roles: STAFF_ROLES };
  // The population's extent for the map, per population version (computing it reads every cell).
  let extent: { version: string; bbox: [number, number, number, number] | null } | null = null;
  const populationExtent = async (): Promise<[number, number, number, number] | null> => {
    const v = await population.current();
    if (!v) return null;
    if (extent?.version !== v.version) {
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const c of await population.cells()) {
        const pts = c.polygons ? c.polygons.flatMap((p) => p[0]) : [[c.lon, c.lat]];
        for (const [x, y] of pts) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
      }
      extent = { version: v.version, bbox: minX <= maxX ? [minX, minY, maxX, maxY] : null };
    }
    return extent.bbox;
  };

  app.get('/api/plan/coverage', {
    config: staff,
    schema: {
      summary: 'Coverage within N minutes per region, by the exact capacitated assignment (a job: 202 with progress, then 200 with the result)',
      description: 'Identical requests on unchanged inputs (registry, population, network) share one job. mode says whether walking times are along the street network or straight-line x detour.',
      tags: ['planning'],
      querystring: { type: 'object', properties: baseQuery, required: ['minutes'], additionalProperties: false },
    },
  }, async (request, reply) => sendJob(reply, await startOr4xx(planning, requestOf('coverage', request.query as BaseQuery), request.user?.name ?? null, true)));

  app.get('/api/plan/siting', {
    config: staff,
    schema: {
      summary: 'K new shelter sites of a given capacity that cover the most people still without a place (greedy with exact re-evaluation; a job)',
      tags: ['planning'],
      querystring: {
        type: 'object',
        properties: { ...baseQuery, count: { type: 'integer', minimum: 1, maximum: 1000 }, capacity: { type: 'integer', minimum: 1, maximum: 1_000_000 } },
        required: ['minutes', 'count', 'capacity'],
        additionalProperties: false,
      },
    },
  }, async (request, reply) => {
    const q = request.query as BaseQuery & { count: number; capacity: number };
    return sendJob(reply, await startOr4xx(planning, requestOf('siting', q, { count: q.count, capacity: q.capacity }), request.user?.name ?? null, true));
  });

  app.post('/api/plan/jobs', {
    config: { roles: PLANNERS },
    schema: {
      summary: 'Start a planning job: coverage, assign (stored as the current plan, "your place") or siting (with optional candidate points)',
      tags: ['planning'],
      body: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['coverage', 'assign', 'siting'] },
          minutes: baseQuery.minutes, regionWarningTimes: baseQuery.regionWarningTimes, speed: baseQuery.speed, detour: baseQuery.detour, whatIf: whatIfSchema,
          count: { type: 'integer', minimum: 1, maximum: 1000 },
          capacity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
          candidates: {
            type: 'array', maxItems: 5000,
            items: { type: 'object', properties: { id: { type: 'string', maxLength: 100 }, lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 } }, required: ['lat', 'lon'], additionalProperties: false },
          },
        },
        required: ['kind', 'minutes'],
        additionalProperties: false,
      },
    },
  }, async (request, reply) => {
    const body = request.body as JobRequest;
    if (body.kind === 'siting' && (body.count === undefined || body.capacity === undefined)) {
      throw new HttpProblem('INVALID_REQUEST', 'a siting job needs count and capacity', [{ field: body.count === undefined ? 'body.count' : 'body.capacity', reason: 'is required for kind siting' }]);
    }
    const job = await startOr4xx(planning, body, request.user?.name ?? null, false);
    return reply.code(202).header('location', `/api/plan/jobs/${job.id}`).send(jobJson(job));
  });

  app.get('/api/plan/jobs/:id', {
    config: staff,
    schema: { summary: 'A planning job (run by any process): state, progress, and its result when done', tags: ['planning'], params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
  }, async (request, reply) => {
    const job = await planning.get((request.params as { id: string }).id);
    if (!job) throw new HttpProblem('JOB_NOT_FOUND', 'no such planning job (finished jobs are kept: the newest 500)');
    reply.header('cache-control', 'no-store');
    return jobJson(job);
  });

  app.delete('/api/plan/jobs/:id', {
    config: { roles: PLANNERS },
    schema: { summary: 'Cancel a planning job that has not started (queued on any process)', tags: ['planning'], params: { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] } },
  }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const out = await planning.cancel(id);
    if (out === null) throw new HttpProblem('JOB_NOT_FOUND', 'no such planning job');
    if (out === 'not-queued') throw new HttpProblem('JOB_NOT_QUEUED', 'only a queued planning job can be cancelled; this one is running or over');
    reply.header('cache-control', 'no-store');
    return jobJson(out);
  });

  app.get('/api/plan/jobs', {
    config: staff,
    schema: {
      summary: 'The newest planning jobs of every process, newest first (without their results: GET /api/plan/jobs/:id)',
      tags: ['planning'],
      querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }, additionalProperties: false },
    },
  }, async (request, reply) => {
    const { limit } = request.query as { limit: number };
    reply.header('cache-control', 'no-store');
    return { jobs: (await planning.list(limit)).map((j) => { const { result: _r, ...rest } = jobJson(j); return rest; }) };
  });

  app.get('/api/plan/plans', {
    config: staff,
    schema: {
      summary: 'Stored plans, newest first: assignments (the default; any of them can be mapped) or coverage and siting results',
      description: 'current: the plan "your place" answers from (the newest assignment). stale and reasons: whether the inputs changed since.',
      tags: ['planning'],
      querystring: {
        type: 'object',
        properties: { kind: { type: 'string', enum: ['assign', 'coverage', 'siting'], default: 'assign' }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        additionalProperties: false,
      },
    },
  }, async (request, reply) => {
    const { kind, limit } = request.query as { kind: StoredPlan['kind']; limit: number };
    const list = await planning.plansOf(kind, limit);
    // The newest assignment is the current plan (what GET /api/plan/current and "your place" use).
    const current = kind === 'assign' ? list[0]?.id ?? null : null;
    const out = [];
    for (const p of list) {
      const totals = (p.summary as { totals?: unknown; plan?: { totals?: unknown } } | null);
      out.push({
        id: p.id, kind: p.kind, createdAt: p.createdAt, createdBy: p.createdBy, mode: p.mode, params: p.params,
        registryVersion: p.registryVersion, populationVersion: p.populationVersion, networkVersion: p.networkVersion,
        totals: totals?.totals ?? totals?.plan?.totals ?? null, current: p.id === current, ...(await planning.staleness(p)),
      });
    }
    reply.header('cache-control', 'no-store');
    return { plans: out };
  });

  app.get('/api/plan/report', {
    config: staff,
    schema: {
      summary: 'The readable report per region (Markdown): people, places, covered, without a place, the three largest gaps, what proposed sites would add, the inputs\' versions and dates',
      description: 'Runs (or reuses) the coverage job, and with sites and capacity the siting job, for these parameters: 202 with progress while they run (ask again), 200 text/markdown when done.',
      tags: ['planning'],
      querystring: {
        type: 'object',
        properties: { ...baseQuery, sites: { type: 'integer', minimum: 1, maximum: 1000 }, capacity: { type: 'integer', minimum: 1, maximum: 1_000_000 } },
        required: ['minutes'],
        additionalProperties: false,
      },
    },
  }, async (request, reply) => {
    const q = request.query as BaseQuery & { sites?: number; capacity?: number };
    if ((q.sites === undefined) !== (q.capacity === undefined)) {
      throw new HttpProblem('INVALID_REQUEST', 'a report with proposed sites needs both sites and capacity', [{ field: q.sites === undefined ? 'querystring.sites' : 'querystring.capacity', reason: 'is required with the other' }]);
    }
    const by = request.user?.name ?? null;
    const coverage = await startOr4xx(planning, requestOf('coverage', q), by, true);
    const siting = q.sites !== undefined ? await startOr4xx(planning, requestOf('siting', q, { count: q.sites, capacity: q.capacity }), by, true) : null;
    for (const j of [coverage, siting]) if (j?.state === 'failed' || j?.state === 'cancelled') throw new HttpProblem('PLAN_FAILED', `the planning job ${j.state === 'failed' ? `failed: ${j.error}` : 'was cancelled'}`);
    reply.header('cache-control', 'no-store');
    const pending = [coverage, siting].find((j) => j && j.state !== 'done');
    if (pending) {
      return reply.code(202).header('retry-after', '1').send({ state: pending.state, progress: pending.progress, jobs: [coverage.id, ...(siting ? [siting.id] : [])] });
    }
    const before = await planning.reportResult(coverage) as PlanResult | null;
    const sitingResult = siting ? await planning.reportResult(siting) as SitingResult | null : undefined;
    if (!before || sitingResult === null) throw new HttpProblem('NO_PLAN', 'the result of this report\'s planning job is no longer stored; ask again');
    const pop = await population.current();
    const inputs = coverage.inputs!;
    const same = pop?.version === inputs.populationVersion;
    let changed = '';
    for (const s of registry.all()) if (s.updatedAt > changed) changed = s.updatedAt;
    const text = regionReport(before, await population.cells(), regions() ?? null, {
      generatedAt: coverage.finishedAt ?? new Date().toISOString(),
      registryVersion: inputs.registryVersion, ...(changed ? { registryChangedAt: changed } : {}),
      populationVersion: inputs.populationVersion, populationFile: same ? pop!.file : '(replaced since)',
      ...(same ? { populationImportedAt: pop!.importedAt, populationEstimated: pop!.estimated } : {}),
      networkVersion: inputs.networkVersion,
    }, sitingResult ? { plan: sitingResult.plan, sites: sitingResult.sites } : undefined);
    return reply.type('text/markdown; charset=utf-8').send(text);
  });

  const planJson = async (plan: StoredPlan) => {
    const warnings = (plan.summary as { warnings?: unknown } | null)?.warnings;
    const populationEstimated = Array.isArray(warnings) && warnings.includes(POPULATION_ESTIMATE_WARNING);
    return { ...plan, populationEstimated, extent: await populationExtent(), ...(await planning.staleness(plan)) };
  };
  /** A stored assignment plan by id; coverage and siting results have no assignment of everyone to map. */
  const assignmentPlan = async (id: string): Promise<StoredPlan> => {
    const plan = await planning.planById(id);
    if (!plan) throw new HttpProblem('NO_PLAN', `no stored plan ${id}`, [{ field: 'params.id', reason: 'no such plan' }]);
    if (plan.kind !== 'assign') throw new HttpProblem('NO_PLAN', `plan ${id} is a ${plan.kind} result, not an assignment: it has no map layers`, [{ field: 'params.id', reason: `a ${plan.kind} result` }]);
    return plan;
  };
  const layerOf = async (plan: StoredPlan, layer: string, compact: boolean) => {
    const rows = await plans.assignments(plan.id);
    if (layer === 'cells') {
      const cells = await population.cells();
      const perCellRows = perCell(cells, rows);
      return compact ? compactCellsGeoJson(perCellRows, cells) : cellsGeoJson(perCellRows, cells);
    }
    const counted = planShelters(registry.all(), { minutes: Number(plan.params.minutes), whatIf: (plan.params.whatIf ?? {}) as WhatIf, now: new Date(plan.createdAt) }).list;
    const byId = new Map(registry.all().map((s) => [s.id, s]));
    const shelters = counted.map((s) => ({ id: s.id, name: byId.get(s.id)?.name ?? s.id, lat: s.lat, lon: s.lon, places: s.places }));
    return sheltersGeoJson(perShelter(shelters, rows), { compact });
  };
  const layerSchema = {
    tags: ['planning'],
    description: 'The shelters are those the plan counted (its what-if filters applied). With compact=true (the console map): cells have short properties (k key, p people, u without a place, w mean walking seconds, m longest walk) and coordinates to six decimals; shelters leave out their cells.',
    querystring: { type: 'object', properties: { compact: { type: 'boolean' } }, additionalProperties: false },
  } as const;

  app.get('/api/plan/current', {
    config: staff,
    schema: {
      summary: 'The current plan (the latest assignment): its summary, the inputs it used, and whether it is stale',
      description: 'populationEstimated: the plan\'s population was an estimate from OpenStreetMap buildings, not counted data. extent: [west, south, east, north] of the population imported now (for the map).',
      tags: ['planning'],
    },
  }, async () => {
    const plan = await planning.currentPlan();
    if (!plan) throw new HttpProblem('NO_PLAN', 'no plan has been made yet (POST /api/plan/jobs {"kind": "assign", ...} or `refuge plan assign`)');
    return planJson(plan);
  });

  app.get('/api/plan/current/:layer', {
    config: staff,
    schema: {
      summary: 'Map layers of the current plan as GeoJSON: cells (people, covered, uncovered, mean walk) or shelters (places, assigned, from which cells)',
      ...layerSchema,
      params: { type: 'object', properties: { layer: { type: 'string', enum: ['cells', 'shelters'] } }, required: ['layer'] },
    },
  }, async (request, reply) => {
    const plan = await planning.currentPlan();
    if (!plan) throw new HttpProblem('NO_PLAN', 'no plan has been made yet');
    const body = await layerOf(plan, (request.params as { layer: string }).layer, (request.query as { compact?: boolean }).compact === true);
    reply.type('application/geo+json').header('cache-control', 'no-store');
    return body;
  });

  app.get('/api/plan/plans/:id', {
    config: staff,
    schema: {
      summary: 'A stored plan by id (any, not only the current one), as GET /api/plan/current gives the current one',
      tags: ['planning'],
      params: { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] },
    },
  }, async (request) => {
    const id = (request.params as { id: string }).id;
    const plan = await planning.planById(id);
    if (!plan) throw new HttpProblem('NO_PLAN', `no stored plan ${id}`, [{ field: 'params.id', reason: 'no such plan' }]);
    return planJson(plan);
  });

  app.get('/api/plan/plans/:id/:layer', {
    config: staff,
    schema: {
      summary: 'Map layers of a stored assignment plan as GeoJSON (as /api/plan/current/cells and /shelters)',
      ...layerSchema,
      params: { type: 'object', properties: { id: { type: 'string', maxLength: 100 }, layer: { type: 'string', enum: ['cells', 'shelters'] } }, required: ['id', 'layer'] },
    },
  }, async (request, reply) => {
    const { id, layer } = request.params as { id: string; layer: string };
    const body = await layerOf(await assignmentPlan(id), layer, (request.query as { compact?: boolean }).compact === true);
    reply.type('application/geo+json').header('cache-control', 'no-store');
    return body;
  });

  app.get('/api/plan/place', {
    config: { roles: ['public'] },
    schema: {
      summary: 'Your place: the shelter the current plan assigns to a location, how far it is, and whether it differs from the nearest',
      description: 'The assigned shelter may be farther than the nearest when the nearest is oversubscribed: the plan gives everyone it can a place within the time.',
      tags: ['planning'],
      querystring: {
        type: 'object',
        properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 } },
        required: ['lat', 'lon'],
        additionalProperties: false,
      },
    },
  }, async (request) => {
    const { lat, lon } = request.query as { lat: number; lon: number };
    const found = await planning.placeFor(lat, lon);
    if (found === null) throw new HttpProblem('NO_PLAN', 'no plan has been made for this area yet');
    if (found === 'outside') throw new HttpProblem('OUTSIDE_PLAN', 'this location is outside the planned area (no population cell within 1 km)', [{ field: 'querystring.lat', reason: 'outside the planned area' }]);
    const { plan, row } = found;
    const minutes = Number(plan.params.minutes);
    const nearestRes = network?.nearest({ lat, lon }, { k: 1 });
    const near = nearestRes?.results[0] ?? null;
    const nearest = near ? { id: near.id, name: near.name, walkSeconds: near.walkSeconds, meters: near.meters, mode: nearestRes!.mode } : null;
    const base = { planId: plan.id, planMadeAt: plan.createdAt, mode: plan.mode, minutes, cell: found.cellKey, stale: (await planning.staleness(plan)).stale };
    if (!row) {
      return { ...base, assigned: null, reason: `the plan has no place within ${minutes} minutes for this location: go to the nearest shelter`, nearest, differsFromNearest: nearest !== null };
    }
    const s = registry.get(row.shelterId!);
    return {
      ...base,
      assigned: {
        id: row.shelterId, name: s?.name ?? null, address: s?.address ?? null, lat: s?.lat ?? null, lon: s?.lon ?? null,
        walkSeconds: row.seconds, straightLineMeters: s ? Math.round(haversineMeters(lat, lon, s.lat, s.lon)) : null,
        status: s?.status ?? null,
      },
      nearest,
      differsFromNearest: nearest !== null && nearest.id !== row.shelterId,
    };
  });
};
