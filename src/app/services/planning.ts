// Planning jobs (coverage, assignment, siting) run one at a time in a worker thread with progress, so the server
// keeps answering and delivering alerts meanwhile; the current plan answers "your place". Reads the registry, regions
// and the network file; never changes them.
import { randomUUID } from 'node:crypto';
import type { RegionIndex } from '../../geo/index.ts';
import type { ShelterRegistry } from '../../registry/index.ts';
import { pointInPolygon } from '../../geo/point-in-polygon.ts';
import { haversineMeters } from '../../network/geometry.ts';
import { registryVersion, runPlanJob, staleness, type Candidate, type JobProgress, type PlanResult, type PopulationCell, type SitingResult, type StoredAssignment, type StoredPlan, type WhatIf } from '../../planning/index.ts';
import { networkFor } from '../planning-data.ts';
import type { PlanRepository, PopulationRepository } from '../../planning/ports.ts';

export interface JobRequest {
  kind: 'coverage' | 'assign' | 'siting';
  minutes: number;
  regionWarningTimes?: boolean;
  speed?: number;
  detour?: number;
  whatIf?: WhatIf;
  count?: number;
  capacity?: number;
  candidates?: Candidate[];
}

export interface Job {
  id: string;
  kind: JobRequest['kind'];
  state: 'queued' | 'running' | 'done' | 'failed';
  request: JobRequest;
  createdAt: string;
  createdBy: string | null;
  finishedAt: string | null;
  progress: JobProgress | null;
  error: string | null;
  /** For assign jobs: the stored plan's id. */
  planId: string | null;
  result: PlanResult | SitingResult | null;
  /** The inputs' versions the job used. */
  inputs: { registryVersion: string; populationVersion: string; networkVersion: string | null } | null;
  /** Key of identical GET requests (same parameters and inputs), so they share one job. */
  key: string | null;
}

export class NoPopulationError extends Error {
  constructor() {
    super('no population is imported: run `refuge import population FILE --db PATH`');
    this.name = 'NoPopulationError';
  }
}

interface PlaceIndex {
  plan: StoredPlan;
  cells: PopulationCell[];
  /** Per cell: its polygons as flat rings and their bounding box (built once per plan, not per request). */
  shapes: Array<{ flat: Float64Array[][]; box: [number, number, number, number] } | null>;
  rows: Map<string, StoredAssignment[]>;
}

/**
 * Jobs waiting or running in this process, at most, and per person: each holds its inputs in memory and runs for
 * seconds to minutes in a worker, so an unbounded queue is a way to exhaust the server (and a stuck button).
 */
export const MAX_WAITING_JOBS = 12;
export const MAX_WAITING_JOBS_PER_PERSON = 3;

export class PlanningBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanningBusyError';
  }
}

export class PlanningService {
  private readonly jobs = new Map<string, Job>();
  private readonly byKey = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();
  private cellsCache: { version: string; estimated: boolean; cells: PopulationCell[] } | null = null;
  private place: PlaceIndex | null = null;
  private readonly plans: PlanRepository;
  private readonly population: PopulationRepository;

  private readonly registry: ShelterRegistry;
  private readonly networkFile: string;
  private readonly regions: () => RegionIndex | undefined;

  /** `regions` is read per job: a region re-import swaps the index. */
  constructor(deps: { plans: PlanRepository; population: PopulationRepository; registry: ShelterRegistry; networkFile: string; regions: () => RegionIndex | undefined }) {
    this.plans = deps.plans;
    this.population = deps.population;
    this.registry = deps.registry;
    this.networkFile = deps.networkFile;
    this.regions = deps.regions;
  }

  private async cells(): Promise<{ version: string; estimated: boolean; cells: PopulationCell[] }> {
    const v = await this.population.current();
    if (!v) throw new NoPopulationError();
    if (this.cellsCache?.version !== v.version) this.cellsCache = { version: v.version, estimated: v.estimated, cells: await this.population.cells() };
    return this.cellsCache;
  }

  /** The versions of the inputs a plan made now would use. */
  async currentVersions(): Promise<{ registryVersion: string; populationVersion: string | null; networkVersion: string | null }> {
    const pop = await this.population.current();
    return { registryVersion: registryVersion(this.registry.all()), populationVersion: pop?.version ?? null, networkVersion: networkFor(this.networkFile).networkVersion };
  }

  get(id: string): Job | null {
    return this.jobs.get(id) ?? null;
  }

  /**
   * Starts a job (queued behind the running one). With `shareKey`, an identical request on unchanged inputs returns
   * the job already made for it.
   */
  async start(req: JobRequest, by: string | null, shareKey = false): Promise<Job> {
    const { version, estimated, cells } = await this.cells();
    const shelters = this.registry.all();
    const net = networkFor(this.networkFile);
    const inputs = { registryVersion: registryVersion(shelters), populationVersion: version, networkVersion: net.networkVersion };
    const key = shareKey ? JSON.stringify([req, inputs]) : null;
    if (key) {
      const existing = this.byKey.get(key);
      const job = existing ? this.jobs.get(existing) : undefined;
      if (job && job.state !== 'failed') return job;
    }
    const waiting = [...this.jobs.values()].filter((j) => j.state === 'queued' || j.state === 'running');
    if (waiting.length >= MAX_WAITING_JOBS) {
      throw new PlanningBusyError(`${waiting.length} planning jobs are waiting or running on this server (at most ${MAX_WAITING_JOBS}); try again when one has finished`);
    }
    const mine = waiting.filter((j) => j.createdBy === by).length;
    if (mine >= MAX_WAITING_JOBS_PER_PERSON) {
      throw new PlanningBusyError(`${by ?? 'you'} already has ${mine} planning jobs waiting or running (at most ${MAX_WAITING_JOBS_PER_PERSON}); wait for one to finish`);
    }
    const job: Job = {
      id: randomUUID(), kind: req.kind, state: 'queued', request: req, createdAt: new Date().toISOString(), createdBy: by, finishedAt: null,
      progress: null, error: null, planId: null, result: null, inputs, key,
    };
    this.jobs.set(job.id, job);
    if (key) this.byKey.set(key, job.id);
    this.forgetOld();
    const regions = this.regions()?.list() ?? [];
    const run = async (): Promise<void> => {
      job.state = 'running';
      try {
        const result = await runPlanJob({
          kind: req.kind, cells, shelters, regions: [...regions], graphFile: net.graphFile, noNetworkReason: net.noNetworkReason, populationEstimated: estimated,
          options: { minutes: req.minutes, regionWarningTimes: req.regionWarningTimes, speed: req.speed, detour: req.detour, whatIf: req.whatIf },
          count: req.count, capacity: req.capacity, candidates: req.candidates,
        }, (p) => { job.progress = p; });
        if (req.kind === 'assign') {
          const r = result as PlanResult;
          const planId = randomUUID();
          await this.plans.save({
            id: planId, kind: 'assign', createdAt: new Date().toISOString(), createdBy: by, mode: r.mode, params: { ...r.parameters },
            registryVersion: inputs.registryVersion, populationVersion: inputs.populationVersion, networkVersion: inputs.networkVersion,
            summary: { mode: r.mode, totals: r.totals, regions: r.regions, outside: r.outside, shelters: r.shelters, parameters: r.parameters, warnings: r.warnings },
          }, r.assignments);
          job.planId = planId;
          this.place = null;
        }
        job.result = result;
        job.state = 'done';
      } catch (err) {
        job.error = (err as Error).message;
        job.state = 'failed';
      } finally {
        job.finishedAt = new Date().toISOString();
      }
    };
    this.queue = this.queue.then(run);
    return job;
  }

  /** Waits for every queued job (shutdown, tests). */
  async settle(): Promise<void> {
    await this.queue;
  }

  private forgetOld(): void {
    // Keep the last 50 jobs.
    const ids = [...this.jobs.keys()];
    for (const id of ids.slice(0, Math.max(0, ids.length - 50))) {
      const j = this.jobs.get(id)!;
      if (j.state === 'running' || j.state === 'queued') continue;
      this.jobs.delete(id);
      if (j.key) this.byKey.delete(j.key);
    }
  }

  async currentPlan(): Promise<StoredPlan | null> {
    return this.plans.latest('assign');
  }

  /** The current plan's assignment for a location: the cell it is in (or the nearest within 1 km), the row nearest to it. */
  async placeFor(lat: number, lon: number): Promise<{ plan: StoredPlan; cellKey: string; row: StoredAssignment | null; rows: StoredAssignment[] } | null | 'outside'> {
    const plan = await this.plans.latest('assign');
    if (!plan) return null;
    if (this.place?.plan.id !== plan.id) {
      const rows = new Map<string, StoredAssignment[]>();
      for (const a of await this.plans.assignments(plan.id)) {
        const l = rows.get(a.cellKey);
        if (l) l.push(a);
        else rows.set(a.cellKey, [a]);
      }
      const cells = (await this.cells()).cells;
      const shapes = cells.map((c) => {
        if (!c.polygons) return null;
        let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        for (const poly of c.polygons) for (const [x, y] of poly[0]) {
          minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
        }
        return { flat: c.polygons.map((p) => p.map((ring) => Float64Array.from(ring.flat()))), box: [minX, minY, maxX, maxY] as [number, number, number, number] };
      });
      this.place = { plan, cells, shapes, rows };
    }
    const { cells, shapes, rows } = this.place;
    let cell: PopulationCell | null = null;
    let bestD = 1000;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i], sh = shapes[i];
      if (sh) {
        if (lon >= sh.box[0] && lon <= sh.box[2] && lat >= sh.box[1] && lat <= sh.box[3] && sh.flat.some((p) => pointInPolygon(p, lon, lat))) {
          cell = c;
          break;
        }
        continue;
      }
      const d = haversineMeters(lat, lon, c.lat, c.lon);
      if (d < bestD) {
        bestD = d;
        cell = c;
      }
    }
    if (!cell) return 'outside';
    const list = rows.get(cell.key) ?? [];
    let row: StoredAssignment | null = null, rowD = Infinity;
    for (const a of list) {
      if (a.shelterId === null) continue;
      const d = haversineMeters(lat, lon, a.lat, a.lon);
      if (d < rowD) { rowD = d; row = a; }
    }
    return { plan, cellKey: cell.key, row, rows: list };
  }

  async staleness(plan: StoredPlan): Promise<{ stale: boolean; reasons: string[] }> {
    return staleness(plan, await this.currentVersions());
  }
}

