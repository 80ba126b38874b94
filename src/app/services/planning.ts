// Planning jobs (coverage, assignment, siting) run one at a time per process in a worker thread with progress, so the
// server keeps answering and delivering alerts meanwhile. Jobs live in the store (plan_jobs), so every process sharing
// it reads any job, its progress and its result (a stored plan); a job whose process stopped heartbeating is failed
// when read or swept, and a queued job nobody runs any more is taken by a live process. The current plan answers
// "your place". Reads the registry, regions and the network file; never changes them.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { RegionIndex } from '../../geo/index.ts';
import type { ShelterRegistry } from '../../registry/index.ts';
import { pointInPolygon } from '../../geo/point-in-polygon.ts';
import { haversineMeters } from '../../network/geometry.ts';
import { registryVersion, runPlanJob, staleness, type Candidate, type JobProgress, type PlanResult, type PopulationCell, type SitingResult, type StoredAssignment, type StoredPlan, type WhatIf } from '../../planning/index.ts';
import { networkFor } from '../planning-data.ts';
import { SerialRunner } from '../../alerts/delivery/serial-runner.ts';
import type { PlanJobInputs, PlanJobRecord, PlanJobRepository, PlanRepository, PopulationRepository } from '../../planning/ports.ts';

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
  state: PlanJobRecord['state'];
  request: JobRequest;
  createdAt: string;
  createdBy: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  progress: JobProgress | null;
  error: string | null;
  /** For assign jobs: the stored plan's id (the plan people are given places by). */
  planId: string | null;
  /** The stored plan holding the result (any kind), once done. */
  resultId: string | null;
  /** The result as the API shows it (no assignment rows): coverage and assign alike; siting its sites and totals. */
  result: Record<string, unknown> | null;
  /** The inputs' versions the job used. */
  inputs: PlanJobInputs | null;
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
 * Jobs waiting or running in this process, at most, and per person (counted over every process): each holds its
 * inputs in memory and runs for seconds to minutes in a worker, so an unbounded queue is a way to exhaust the server
 * (and a stuck button).
 */
export const MAX_WAITING_JOBS = 12;
export const MAX_WAITING_JOBS_PER_PERSON = 3;
/** How often a process marks its jobs alive, and after how long without a mark another process gives up on them. */
export const HEARTBEAT_MS = 5_000;
export const STALE_MS = 30_000;
/** Progress reaches the store at most this often (the first at once), so a job shows it on every process. */
export const PROGRESS_WRITE_MS = 1_000;
/** Finished jobs kept in the store (the newest); older ones and their coverage or siting results are deleted. */
export const KEEP_JOBS = 500;
export const ABANDONED = 'the process running it stopped (no heartbeat); start it again';

export class PlanningBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanningBusyError';
  }
}

/** The result fields the API shows of a coverage or assignment (everything but the assignment rows). */
function coverageSummary(r: PlanResult): Record<string, unknown> {
  return { mode: r.mode, ...(r.reason ? { reason: r.reason } : {}), totals: r.totals, regions: r.regions, outside: r.outside, withinReach: r.withinReach, shelters: r.shelters, parameters: r.parameters, warnings: r.warnings, stats: r.stats };
}

function sitingSummary(r: SitingResult): Record<string, unknown> {
  return { mode: r.mode, before: r.before, after: r.after, sites: r.sites, candidates: r.candidates, evaluations: r.evaluations, guarantee: r.guarantee, warnings: r.plan.warnings, plan: coverageSummary(r.plan) };
}

/** A job's result as the API shows it, from its stored plan's summary. */
function resultOf(kind: Job['kind'], summary: Record<string, unknown>): Record<string, unknown> {
  if (kind === 'siting') {
    const { plan: _plan, ...rest } = summary;
    return rest;
  }
  const { mode, reason, totals, regions, outside, withinReach, shelters, parameters, warnings, stats } = summary;
  return { mode, ...(reason ? { reason } : {}), totals, regions, outside, withinReach, shelters, parameters, warnings, stats };
}

/** "host/pid/random": which process runs a job; a process on this host whose pid is gone cannot heartbeat again. */
function ownerId(): string {
  return `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, only not ours to signal
  }
}

/** Owners on this host whose process has exited: their jobs need not wait for the heartbeat to go stale. */
function deadOwners(owners: string[], self: string): string[] {
  const host = hostname();
  return owners.filter((o) => {
    if (o === self) return false;
    const parts = o.split('/');
    const pid = Number(parts[parts.length - 2]);
    if (parts.slice(0, -2).join('/') !== host || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
    return !pidAlive(pid);
  });
}

const iso = (ms = Date.now()) => new Date(ms).toISOString();

export class PlanningService {
  /** This process as a job owner. */
  readonly owner = ownerId();
  /** Jobs this process has queued or is running. */
  private readonly local = new Map<string, PlanJobRecord>();
  private queue: Promise<void> = Promise.resolve();
  /** Heartbeat and sweep, one pass at a time: every HEARTBEAT_MS, and at once when a read finds an abandoned job. */
  private readonly runner: SerialRunner;
  private closing = false;
  private created = 0;
  private cellsCache: { version: string; estimated: boolean; cells: PopulationCell[] } | null = null;
  private place: PlaceIndex | null = null;
  private readonly plans: PlanRepository;
  private readonly population: PopulationRepository;
  private readonly jobs: PlanJobRepository;

  private readonly registry: ShelterRegistry;
  private readonly networkFile: string;
  private readonly regions: () => RegionIndex | undefined;
  private readonly log: (msg: string, err?: unknown) => void;

  /** `regions` is read per job: a region re-import swaps the index. */
  constructor(deps: { plans: PlanRepository; population: PopulationRepository; jobs: PlanJobRepository; registry: ShelterRegistry; networkFile: string; regions: () => RegionIndex | undefined; log?: (msg: string, err?: unknown) => void }) {
    this.plans = deps.plans;
    this.population = deps.population;
    this.jobs = deps.jobs;
    this.registry = deps.registry;
    this.networkFile = deps.networkFile;
    this.regions = deps.regions;
    this.log = deps.log ?? ((msg, err) => console.error(JSON.stringify({ level: 'warn', msg, err: err instanceof Error ? err.message : err })));
    this.runner = new SerialRunner(() => this.pass(), HEARTBEAT_MS, (err) => this.log('planning: heartbeat or sweep failed (the store may be unreachable); trying again', err));
  }

  /**
   * Starts heartbeating and, at once, fails the running jobs of processes that have stopped (this one before a
   * restart, too) and takes the queued jobs nobody runs any more.
   */
  async open(): Promise<void> {
    // Run here, not through the runner, so a store that fails at start fails the start (nothing else runs yet).
    await this.pass();
    this.runner.start('later');
  }

  private async pass(): Promise<void> {
    await this.jobs.heartbeat(this.owner, iso());
    await this.sweepOnce();
  }

  /**
   * Abandoned running jobs -> failed; orphaned queued jobs -> ours, queued here (as many as the queue takes).
   * Resolves when the pass in progress and one begun after this call are done (so a caller that has just read an
   * abandoned job finds it swept); a failure is logged, and the caller's next read of the store tells.
   */
  sweep(): Promise<void> {
    return this.runner.kick();
  }

  private async sweepOnce(): Promise<void> {
    const now = Date.now();
    const dead = deadOwners(await this.jobs.activeOwners(), this.owner);
    const staleBefore = iso(now - STALE_MS);
    const failed = await this.jobs.failAbandoned(staleBefore, dead, ABANDONED, iso(now));
    // Our own may be among them only if we could not heartbeat for STALE_MS; they are not running here then.
    for (const id of failed) if (this.local.has(id)) this.log(`planning: job ${id} was failed by a sweep while queued here`);
    if (this.closing) return;
    const room = MAX_WAITING_JOBS - this.local.size;
    for (const rec of await this.jobs.claimOrphans(this.owner, staleBefore, dead, room, iso(now))) this.enqueue(rec);
  }

  /** Stops taking jobs: the running one finishes; queued ones are given back for another process or the next start. */
  async close(): Promise<void> {
    this.closing = true;
    await this.runner.stop(); // the pass in progress ends first
    await this.jobs.release(this.owner).catch((err) => this.log('planning: could not give queued jobs back', err));
    await this.queue;
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

  /** A job by id, from the store (any process's); one whose process has stopped is failed (or taken over) first. */
  async get(id: string): Promise<Job | null> {
    let rec = await this.jobs.get(id);
    if (!rec) return null;
    if (this.abandoned(rec)) {
      await this.sweep();
      rec = (await this.jobs.get(id)) ?? rec;
    }
    return this.withResult(rec);
  }

  /** Cancels a job that has not started (on any process); 'not-queued' when it is running or over, null when unknown. */
  async cancel(id: string): Promise<Job | 'not-queued' | null> {
    if (await this.jobs.cancel(id, iso())) return this.get(id);
    return (await this.jobs.get(id)) ? 'not-queued' : null;
  }

  /** The newest jobs of every process, without their results. */
  async list(limit: number): Promise<Job[]> {
    const recs = await this.jobs.list(limit);
    if (recs.some((r) => this.abandoned(r))) {
      await this.sweep();
      return (await this.jobs.list(limit)).map((r) => this.jobOf(r, null));
    }
    return recs.map((r) => this.jobOf(r, null));
  }

  private abandoned(rec: PlanJobRecord): boolean {
    if (rec.state !== 'queued' && rec.state !== 'running') return false;
    if (rec.owner === this.owner) return false;
    if (!rec.owner || !rec.heartbeatAt || rec.heartbeatAt < iso(Date.now() - STALE_MS)) return true;
    return deadOwners([rec.owner], this.owner).length > 0;
  }

  private jobOf(rec: PlanJobRecord, summary?: Record<string, unknown> | null): Job {
    return {
      id: rec.id, kind: rec.kind, state: rec.state, request: rec.request as unknown as JobRequest, createdAt: rec.createdAt, createdBy: rec.requestedBy,
      startedAt: rec.startedAt, finishedAt: rec.finishedAt, progress: rec.progress, error: rec.error,
      planId: rec.kind === 'assign' ? rec.planId : null, resultId: rec.planId, result: summary ? resultOf(rec.kind, summary) : null, inputs: rec.inputs,
    };
  }

  private async withResult(rec: PlanJobRecord): Promise<Job> {
    if (rec.state !== 'done' || !rec.planId) return this.jobOf(rec);
    const plan = await this.plans.get(rec.planId);
    return this.jobOf(rec, (plan?.summary as Record<string, unknown> | undefined) ?? null);
  }

  /**
   * Starts a job (queued behind this process's running one). With `shareKey`, an identical request on unchanged
   * inputs returns the job already made for it, by any process.
   */
  async start(req: JobRequest, by: string | null, shareKey = false): Promise<Job> {
    const { version } = await this.cells();
    const inputs = { registryVersion: registryVersion(this.registry.all()), populationVersion: version, networkVersion: networkFor(this.networkFile).networkVersion };
    const key = shareKey ? createHash('sha256').update(JSON.stringify([req, inputs])).digest('hex') : null;
    const full = this.local.size >= MAX_WAITING_JOBS || this.closing;
    const now = iso();
    const rec: PlanJobRecord = {
      id: randomUUID(), kind: req.kind, request: req as unknown as Record<string, unknown>, requestedBy: by, state: 'queued', progress: null, planId: null, error: null,
      inputs, shareKey: key, owner: this.owner, heartbeatAt: now, createdAt: now, startedAt: null, finishedAt: null,
    };
    // A full queue here still answers a request identical to one already made (a limit of 0 only shares).
    const made = await this.jobs.create(rec, { perPerson: full ? 0 : MAX_WAITING_JOBS_PER_PERSON });
    if (made.outcome === 'shared') return this.get(made.job.id).then((j) => j ?? this.jobOf(made.job));
    if (made.outcome === 'busy') {
      if (full) throw new PlanningBusyError(`${this.local.size} planning jobs are waiting or running on this server (at most ${MAX_WAITING_JOBS}); try again when one has finished`);
      throw new PlanningBusyError(`${by ?? 'you'} already has ${made.waiting} planning jobs waiting or running (at most ${MAX_WAITING_JOBS_PER_PERSON}); wait for one to finish`);
    }
    this.enqueue(rec);
    if (++this.created % 50 === 0) {
      this.jobs.prune(KEEP_JOBS, iso(Date.now() - 3_600_000)).catch((err) => this.log('planning: pruning old jobs failed', err));
    }
    return this.jobOf(rec);
  }

  private enqueue(rec: PlanJobRecord): void {
    this.local.set(rec.id, rec);
    this.queue = this.queue.then(() => this.run(rec)).catch((err) => this.log(`planning: job ${rec.id} could not be recorded`, err));
  }

  private async run(rec: PlanJobRecord): Promise<void> {
    try {
      if (this.closing) return; // given back by close()
      const req = rec.request as unknown as JobRequest;
      let data: { version: string; estimated: boolean; cells: PopulationCell[] };
      try {
        data = await this.cells();
      } catch (err) {
        if (await this.jobs.start(rec.id, this.owner, rec.inputs!, iso())) await this.end(rec.id, { state: 'failed', error: (err as Error).message });
        return;
      }
      const shelters = this.registry.all();
      const net = networkFor(this.networkFile);
      const inputs = { registryVersion: registryVersion(shelters), populationVersion: data.version, networkVersion: net.networkVersion };
      if (!(await this.jobs.start(rec.id, this.owner, inputs, iso()))) return; // no longer ours (failed by a sweep)
      let latest: JobProgress | null = null, written = 0;
      const onProgress = (p: JobProgress): void => {
        latest = p;
        const now = Date.now();
        if (now - written < PROGRESS_WRITE_MS) return;
        written = now;
        this.jobs.progress(rec.id, this.owner, p, iso(now)).catch((err) => this.log(`planning: progress of job ${rec.id} not written`, err));
      };
      const regions = this.regions()?.list() ?? [];
      let planId: string;
      try {
        const result = await runPlanJob({
          kind: req.kind, cells: data.cells, shelters, regions: [...regions], graphFile: net.graphFile, noNetworkReason: net.noNetworkReason, populationEstimated: data.estimated,
          options: { minutes: req.minutes, regionWarningTimes: req.regionWarningTimes, speed: req.speed, detour: req.detour, whatIf: req.whatIf },
          count: req.count, capacity: req.capacity, candidates: req.candidates,
        }, onProgress);
        planId = randomUUID();
        const r = req.kind === 'siting' ? (result as unknown as SitingResult).plan : result;
        // Coverage keeps only the rows of people left without a place (the report's largest gaps); an assignment keeps all.
        const rows = req.kind === 'assign' ? r.assignments : req.kind === 'coverage' ? r.assignments.filter((a) => a.shelterId === null) : [];
        await this.plans.save({
          id: planId, kind: req.kind, createdAt: iso(), createdBy: rec.requestedBy, mode: r.mode, params: { ...r.parameters },
          registryVersion: inputs.registryVersion, populationVersion: inputs.populationVersion, networkVersion: inputs.networkVersion,
          summary: req.kind === 'siting' ? sitingSummary(result as unknown as SitingResult) : coverageSummary(r),
        }, rows);
        if (req.kind === 'assign') this.place = null;
      } catch (err) {
        await this.end(rec.id, { state: 'failed', error: (err as Error).message });
        return;
      }
      await this.end(rec.id, { state: 'done', planId, progress: latest });
    } finally {
      this.local.delete(rec.id);
    }
  }

  /** Records a job's end, retrying while the store is briefly away (else it would stay "running" for good). */
  private async end(id: string, how: { state: 'done'; planId: string; progress: JobProgress | null } | { state: 'failed'; error: string }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(await this.jobs.finish(id, this.owner, how, iso()))) this.log(`planning: job ${id} had been given up (failed by a sweep) before it ended`);
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  }

  /** Waits for every job queued here (tests). */
  async settle(): Promise<void> {
    while (this.local.size > 0) await this.queue;
  }

  /** A done job with its whole result for the region report: the coverage (with its uncovered rows) or the siting. */
  async reportResult(job: Job): Promise<PlanResult | SitingResult | null> {
    if (job.state !== 'done' || !job.resultId) return null;
    const plan = await this.plans.get(job.resultId);
    if (!plan) return null;
    const summary = plan.summary as Record<string, unknown>;
    if (job.kind === 'siting') {
      const s = summary as unknown as Omit<SitingResult, 'plan'> & { plan: Omit<PlanResult, 'assignments' | 'used'> };
      return { ...s, plan: { ...s.plan, assignments: [], used: {} } };
    }
    const rows = await this.plans.assignments(plan.id);
    return { ...(summary as unknown as Omit<PlanResult, 'assignments' | 'used'>), assignments: rows, used: {} } as PlanResult;
  }

  /** The stored plans of a kind, newest first. */
  async plansOf(kind: StoredPlan['kind'], limit: number): Promise<StoredPlan[]> {
    return this.plans.list(kind, limit);
  }

  async planById(id: string): Promise<StoredPlan | null> {
    return this.plans.get(id);
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

