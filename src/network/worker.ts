// Worker thread entry: builds a network from a PBF file off the main event loop and hands the arrays back
// without copying (their buffers are transferred).
import { parentPort, workerData } from 'node:worker_threads';
import { buildNetworkFromPbf, type BuildOptions } from './import.ts';

const { file, options } = workerData as { file: string; options: BuildOptions };
try {
  const graph = await buildNetworkFromPbf(file, options);
  const buffers = new Set<ArrayBuffer>();
  for (const v of Object.values(graph)) if (ArrayBuffer.isView(v)) buffers.add(v.buffer as ArrayBuffer);
  parentPort!.postMessage({ ok: true, graph }, [...buffers]);
} catch (err) {
  const e = err as Error;
  parentPort!.postMessage({ ok: false, name: e.name, message: e.message });
}
