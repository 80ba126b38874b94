// The planning capability: services on the context and HTTP routes. (Filled in by the planning work.)
import type { Capability } from './index.ts';

export const planningCapability: Capability = { name: 'planning' };
