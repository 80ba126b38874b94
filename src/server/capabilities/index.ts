// The capabilities a server runs, in start order. Each adds its services to the context and its routes to the app.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

export interface Capability {
  name: string;
  /** Builds the capability's services (loads indexes, starts workers) and puts them on the context. */
  start?(ctx: AppContext): Promise<void>;
  /** Registers HTTP routes. Every mutating route declares config.roles. */
  routes?(app: FastifyInstance, ctx: AppContext): Promise<void>;
  /** Stops workers, flushes queues; called on shutdown in reverse order. */
  stop?(ctx: AppContext): Promise<void>;
}

import { registryCapability } from './registry.ts';
import { reportsCapability } from '../routes/reports.ts';
import { regionsCapability } from './regions.ts';
import { alertsLifecycleCapability } from './alerts-lifecycle.ts';
import { networkCapability } from './network.ts';
import { externalChangesCapability } from './external-changes.ts';
import { unitsCapability } from './units.ts';
import { stockCapability } from './stock.ts';
import { planningCapability } from './planning.ts';

export const capabilities: Capability[] = [
  registryCapability,
  reportsCapability,
  regionsCapability,
  networkCapability,
  alertsLifecycleCapability,
  unitsCapability,
  stockCapability,
  planningCapability,
  // Last: it reloads what the others have built (registry, regions) when another process writes.
  externalChangesCapability,
];
