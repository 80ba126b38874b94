// Worker thread entry for planning jobs (coverage, assignment, siting), so a server keeps answering (and alerts keep
// going out) while a city is planned. Progress goes back as messages; the result as the last message.
import { parentPort, workerData } from 'node:worker_threads';
import { loadGraph } from '../network/graph-file.ts';
import { RegionIndex } from '../geo/region-index.ts';
import { computePlan } from './plan.ts';
import { computeSiting } from './siting.ts';
import type { PlanJob } from './run.ts';

const job = workerData as PlanJob;
try {
  const graph = job.graphFile ? loadGraph(job.graphFile) : null;
  const inputs = { cells: job.cells, shelters: job.shelters, regions: new RegionIndex(job.regions), graph, noNetworkReason: job.noNetworkReason, populationEstimated: job.populationEstimated };
  let last = 0;
  const progress = (phase: string, done: number, total: number): void => {
    const now = Date.now();
    if (now - last < 100 && done !== total) return;
    last = now;
    parentPort!.postMessage({ progress: { phase, done, total } });
  };
  const options = { ...job.options, now: job.options.now ? new Date(job.options.now) : undefined };
  const result = job.kind === 'siting' ? computeSiting(inputs, { ...options, count: job.count!, capacity: job.capacity!, candidates: job.candidates }, progress) : computePlan(inputs, options, progress);
  parentPort!.postMessage({ ok: true, result });
} catch (err) {
  const e = err as Error;
  parentPort!.postMessage({ ok: false, name: e.name, message: e.message });
}
