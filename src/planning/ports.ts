// What planning needs from a store: SQLite (src/store/sqlite/population.ts, planning.ts, plan-jobs.ts) and PostgreSQL
// (src/store/postgres/planning.ts, plan-jobs.ts) implement it.
import type { PopulationCell } from './population.ts';

/** The format recorded for a population estimated from an OSM extract's buildings. */
export const ESTIMATE_FORMAT = 'osm-buildings-estimate';

export interface PopulationVersion {
  /** Stable label of the data set in use: "<import id>:<sha256 prefix>". */
  version: string;
  file: string;
  /** True when the population was estimated (from OSM buildings), not counted: every output says so. */
  estimated: boolean;
  importedAt: string;
  cells: number;
  total: number;
}

export interface PopulationRepository {
  /** Replaces the population whole, in one transaction. */
  replace(cells: PopulationCell[], meta: { file: string; sha256: string; format: string; populationField: string }): Promise<PopulationVersion>;
  current(): Promise<PopulationVersion | null>;
  cells(): Promise<PopulationCell[]>;
}

export interface StoredAssignment {
  cellKey: string;
  lat: number;
  lon: number;
  /** null: people of this point left without a place. */
  shelterId: string | null;
  people: number;
  seconds: number | null;
}

export interface StoredPlan {
  id: string;
  kind: 'assign' | 'coverage' | 'siting';
  createdAt: string;
  createdBy: string | null;
  mode: 'network' | 'straight-line';
  params: Record<string, unknown>;
  registryVersion: string;
  populationVersion: string;
  networkVersion: string | null;
  summary: unknown;
}

export interface PlanRepository {
  save(plan: StoredPlan, assignments: StoredAssignment[]): Promise<void>;
  latest(kind: StoredPlan['kind']): Promise<StoredPlan | null>;
  get(id: string): Promise<StoredPlan | null>;
  assignments(planId: string): Promise<StoredAssignment[]>;
  /** The newest plans of a kind first, at most `limit`. */
  list(kind: StoredPlan['kind'], limit: number): Promise<StoredPlan[]>;
}

export type PlanJobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface PlanJobInputs { registryVersion: string; populationVersion: string; networkVersion: string | null }

/**
 * A planning job as every process sharing the store sees it. The result is a stored plan (`planId`, a row of plans
 * of the job's kind); `owner` names the process running it (or that will), which keeps `heartbeatAt` fresh.
 */
export interface PlanJobRecord {
  id: string;
  kind: StoredPlan['kind'];
  request: Record<string, unknown>;
  requestedBy: string | null;
  state: PlanJobState;
  progress: { phase: string; done: number; total: number } | null;
  planId: string | null;
  error: string | null;
  inputs: PlanJobInputs | null;
  /** Identical requests on unchanged inputs share one job: a digest of both. */
  shareKey: string | null;
  owner: string | null;
  heartbeatAt: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export type PlanJobCreated =
  | { outcome: 'created'; job: PlanJobRecord }
  /** A job with the same share key that has not failed (queued, running or done). */
  | { outcome: 'shared'; job: PlanJobRecord }
  /** The requester already has this many jobs queued or running (across every process). */
  | { outcome: 'busy'; waiting: number };

export interface PlanJobRepository {
  /**
   * In one transaction serialised with every other create (any process): returns the unfailed job with the same share
   * key if there is one; else refuses when the requester has `perPerson` jobs queued or running; else inserts `job`.
   */
  create(job: PlanJobRecord, limits: { perPerson: number }): Promise<PlanJobCreated>;
  get(id: string): Promise<PlanJobRecord | null>;
  /** The newest jobs first (by creation), at most `limit`. */
  list(limit: number): Promise<PlanJobRecord[]>;
  /** queued -> running, if the job is still queued and `owner`'s; records the inputs it runs on. False: not ours now. */
  start(id: string, owner: string, inputs: PlanJobInputs, at: string): Promise<boolean>;
  /** Progress of a running job of `owner` (also its heartbeat). */
  progress(id: string, owner: string, progress: NonNullable<PlanJobRecord['progress']>, at: string): Promise<void>;
  /** Ends a running job of `owner`: done with its plan, or failed with the reason. False: it was no longer ours. */
  finish(id: string, owner: string, end: { state: 'done'; planId: string; progress: PlanJobRecord['progress'] } | { state: 'failed'; error: string }, at: string): Promise<boolean>;
  /** queued -> cancelled (any process's job: it has not started). False: not queued (or no such job). */
  cancel(id: string, at: string): Promise<boolean>;
  /** Marks every queued or running job of `owner` alive at `at`; returns how many. */
  heartbeat(owner: string, at: string): Promise<number>;
  /** The owners of queued or running jobs (to find those whose process has gone). */
  activeOwners(): Promise<string[]>;
  /**
   * Running jobs whose owner is in `deadOwners` or has not heartbeated since `staleBefore` become failed with
   * `reason`; returns their ids.
   */
  failAbandoned(staleBefore: string, deadOwners: string[], reason: string, at: string): Promise<string[]>;
  /**
   * Takes up to `limit` queued jobs nobody runs (no owner, an owner in `deadOwners`, or no heartbeat since
   * `staleBefore`) for `owner`, oldest first; each is taken by one process only.
   */
  claimOrphans(owner: string, staleBefore: string, deadOwners: string[], limit: number, at: string): Promise<PlanJobRecord[]>;
  /** Gives `owner`'s queued jobs back (a graceful stop): another process, or the next start, runs them. */
  release(owner: string): Promise<number>;
  /**
   * Deletes finished jobs beyond the newest `keep`, and the coverage and siting plans made before `plansBefore` that
   * no job refers to any more (assignment plans stay: people are given places by them). Returns the jobs deleted.
   */
  prune(keep: number, plansBefore: string): Promise<number>;
}
