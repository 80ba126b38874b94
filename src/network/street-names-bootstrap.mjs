// Worker entry for reading an extract's street names (street-names.ts): registers tsx inside the worker (as
// worker-bootstrap.mjs does for the graph build) and loads the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./street-names-worker.ts');
