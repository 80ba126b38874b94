// Worker threads do not inherit the parent's tsx loader reliably, so the worker registers tsx itself (as
// bin/refuge.js does) and then loads the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
