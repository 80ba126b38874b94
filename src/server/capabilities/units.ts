// The units capability: services on the context and HTTP routes. (Filled in by the units work.)
import type { Capability } from './index.ts';

export const unitsCapability: Capability = { name: 'units' };
