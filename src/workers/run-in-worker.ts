// Runs one task in a worker thread and answers with its result: long computations (graph builds, labels, planning)
// never block the event loop that delivers alerts. The worker posts `{progress}` any number of times, then
// `{ok: true, result}` or `{ok: false, name, message}` once.
import { Worker } from 'node:worker_threads';

type Message<T, P> = { progress: P } | { ok: true; result: T } | { ok: false; name: string; message: string };

/**
 * `bootstrap` is the worker's .mjs entry, which registers tsx inside the worker (an inherited `--import tsx` does not
 * reach a worker's .ts entry on Node 20). `what` names the task in errors ("network worker on FILE").
 */
export function runInWorker<T, P = never>(bootstrap: URL, data: unknown, what: string, onProgress?: (p: P) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(bootstrap, { workerData: data, execArgv: [] });
    let settled = false;
    worker.on('message', (msg: Message<T, P>) => {
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
      if (!settled) reject(new Error(`${what} failed: ${err.message}`));
      settled = true;
      void worker.terminate();
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`${what} exited with code ${code} before answering`));
    });
  });
}
