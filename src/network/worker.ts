// Worker thread entry for the network's long computations, so the server keeps answering meanwhile:
// - build: PBF -> graph;
// - prepare: network file + shelters -> snapping index, shelter snaps and whole-city labels.
// Results go back without copying (their buffers are transferred).
import { parentPort, workerData } from 'node:worker_threads';
import type { Shelter } from '../registry/shelter.ts';
import { loadGraph } from './graph-file.ts';
import { buildNetworkFromPbf, type BuildOptions } from './import.ts';
import { graphIdOf, ShelterRouter, type PreparedRouter, type RouterOptions } from './router.ts';

type Task =
  | { task: 'build'; file: string; options: BuildOptions }
  | { task: 'prepare'; file: string; shelters: Shelter[]; options: Omit<RouterOptions, 'prepared'> };

function transferables(values: unknown[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const v of values) {
    if (ArrayBuffer.isView(v)) buffers.add(v.buffer as ArrayBuffer);
    else if (v instanceof ArrayBuffer) buffers.add(v);
  }
  return [...buffers];
}

const job = workerData as Task;
try {
  if (job.task === 'build') {
    const graph = await buildNetworkFromPbf(job.file, job.options);
    parentPort!.postMessage({ ok: true, result: graph }, transferables(Object.values(graph)));
  } else {
    const router = new ShelterRouter(loadGraph(job.file), job.shelters, job.options);
    const labels = router.coverage();
    const prepared: PreparedRouter = {
      graphId: graphIdOf(router.graph),
      snapper: router.snapper.parts(),
      snaps: router.entries.map((e) => e.snap),
      labels: { seconds: labels.seconds, shelter: labels.shelter },
    };
    parentPort!.postMessage({ ok: true, result: prepared }, transferables([...Object.values(prepared.snapper), labels.seconds, labels.shelter]));
  }
} catch (err) {
  const e = err as Error;
  parentPort!.postMessage({ ok: false, name: e.name, message: e.message });
}
