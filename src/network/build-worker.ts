// Runs the network's long computations in a worker thread so a server keeps answering meanwhile.
import { runInWorker } from '../workers/run-in-worker.ts';
import type { Shelter } from '../registry/shelter.ts';
import type { Graph } from './graph.ts';
import type { BuildOptions } from './import.ts';
import type { PreparedRouter, RouterOptions } from './router.ts';

/**
 * The worker runs TypeScript like the rest of Refuge, through tsx: a small .mjs bootstrap registers tsx inside the
 * worker (an inherited `--import tsx` does not reach a worker's .ts entry on Node 20), so this works the same under
 * `node --import tsx` and under bin/refuge.js, from any working directory.
 */
function runWorker<T>(data: Record<string, unknown>, what: string): Promise<T> {
  return runInWorker<T>(new URL('./worker-bootstrap.mjs', import.meta.url), data, `network worker on ${what}`);
}

/** PBF -> graph in a worker thread. */
export function buildNetworkInWorker(file: string, options: BuildOptions = {}): Promise<Graph> {
  return runWorker<Graph>({ task: 'build', file, options }, file);
}

/**
 * Snapping index, shelter snaps and labels for the network file and these shelters, computed in a worker thread;
 * pass the result as `prepared` to a ShelterRouter built on the same file and the same shelter list.
 */
export function prepareRouterInWorker(networkFile: string, shelters: Shelter[], options: Omit<RouterOptions, 'prepared'> = {}): Promise<PreparedRouter> {
  return runWorker<PreparedRouter>({ task: 'prepare', file: networkFile, shelters, options }, networkFile);
}
