// Runs the PBF -> graph build in a worker thread so a server keeps answering during an import.
import { Worker } from 'node:worker_threads';
import type { Graph } from './graph.ts';
import type { BuildOptions } from './import.ts';

/**
 * The worker runs TypeScript like the rest of Refuge, through tsx: a small .mjs bootstrap registers tsx inside the
 * worker (an inherited `--import tsx` does not reach a worker's .ts entry on Node 20), so this works the same under
 * `node --import tsx` and under bin/refuge.js, from any working directory.
 */
export function buildNetworkInWorker(file: string, options: BuildOptions = {}): Promise<Graph> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
      workerData: { file, options },
      execArgv: [],
    });
    let settled = false;
    worker.once('message', (msg: { ok: true; graph: Graph } | { ok: false; name: string; message: string }) => {
      settled = true;
      if (msg.ok) resolve(msg.graph);
      else {
        const err = new Error(msg.message);
        err.name = msg.name;
        reject(err);
      }
      void worker.terminate();
    });
    worker.once('error', (err) => {
      if (!settled) reject(new Error(`network build worker failed on ${file}: ${err.message}`));
      settled = true;
      void worker.terminate();
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`network build worker for ${file} exited with code ${code} before answering`));
    });
  });
}
