// Runs a planning job in a worker thread (see worker.ts), reporting progress; or in this thread for small inputs.
import { Worker } from 'node:worker_threads';
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
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), { workerData: job, execArgv: [] });
    let settled = false;
    worker.on('message', (msg: { progress: JobProgress } | { ok: true; result: PlanResult } | { ok: false; name: string; message: string }) => {
      if ('progress' in msg) {
        onProgress?.(msg.progress);
        return;
      }
      settled = true;
      if (msg.ok) resolve(msg.result);
      else {
        const err = new Error(msg.message);
        err.name = msg.name;
        reject(err);
      }
      void worker.terminate();
    });
    worker.once('error', (err) => {
      if (!settled) reject(new Error(`planning worker failed: ${err.message}`));
      settled = true;
      void worker.terminate();
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`planning worker exited with code ${code} before answering`));
    });
  });
}
