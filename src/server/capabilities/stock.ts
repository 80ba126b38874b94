// The stock capability: services on the context and HTTP routes. (Filled in by the stock work.)
import type { Capability } from './index.ts';

export const stockCapability: Capability = { name: 'stock' };
