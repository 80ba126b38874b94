// Worker thread: an extract's street names as places (a second or more of PBF decoding kept off the event loop that
// delivers alerts).
import { parentPort, workerData } from 'node:worker_threads';
import { streetPlacesFromPbf } from './street-names.ts';

const job = workerData as { file: string };
try {
  parentPort!.postMessage({ ok: true, result: await streetPlacesFromPbf(job.file) });
} catch (err) {
  const e = err as Error;
  parentPort!.postMessage({ ok: false, name: e.name, message: e.message });
}
