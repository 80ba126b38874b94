// Worker thread: an extract's street names as places, with the report of what its addresses became (a second or more
// of PBF decoding kept off the event loop that delivers alerts).
import { parentPort, workerData } from 'node:worker_threads';
import { readPlacesFromPbf } from './street-names.ts';

const job = workerData as { file: string };
try {
  parentPort!.postMessage({ ok: true, result: await readPlacesFromPbf(job.file) });
} catch (err) {
  const e = err as Error;
  parentPort!.postMessage({ ok: false, name: e.name, message: e.message });
}
