// Runs a planning job in a worker thread (see worker.ts), reporting progress; or in this thread for small inputs.
import { runInWorker } from '../workers/run-in-worker.ts';
import type { Shelter } from '../registry/shelter.ts';
import type { Region } from '../geo/regions.ts';
import type { PopulationCell } from './population.ts';
import type { PlanOptions, PlanResult } from './plan.ts';
import type { Candidate, SitingResult } from './siting.ts';

export interface PlanJob {
  kind: 'coverage' | 'assign' | 'siting';
  cells: PopulationCell[];
  shelters: Shelter[];
  regions: Region[];
  /** The walking graph file (network mode); null for straight-line. */
  graphFile: string | null;
  noNetworkReason?: string;
  populationEstimated?: boolean;
  options: Omit<PlanOptions, 'now'> & { now?: string };
  count?: number;
  capacity?: number;
  candidates?: Candidate[];
}

export interface JobProgress {
  phase: string;
  done: number;
  total: number;
}

export function runPlanJob(job: PlanJob & { kind: 'siting' }, onProgress?: (p: JobProgress) => void): Promise<SitingResult>;
export function runPlanJob(job: PlanJob, onProgress?: (p: JobProgress) => void): Promise<PlanResult>;
export function runPlanJob(job: PlanJob, onProgress?: (p: JobProgress) => void): Promise<PlanResult | SitingResult> {
  return runInWorker<PlanResult | SitingResult, JobProgress>(new URL('./worker-bootstrap.mjs', import.meta.url), job, 'planning worker', onProgress);
}
