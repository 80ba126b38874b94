// The capabilities a server runs, in start order. Each adds its services to the context and its routes to the app.
export type { Capability, EdgeServices } from './capability.ts';
import type { Capability } from './capability.ts';
import { registryCapability } from './registry.ts';
import { reportsCapability } from './reports.ts';
import { regionsCapability } from './regions.ts';
import { alertsLifecycleCapability } from './alerts-lifecycle.ts';
import { networkCapability } from './network.ts';
import { externalChangesCapability } from './external-changes.ts';
import { unitsCapability } from './units.ts';
import { stockCapability } from './stock.ts';
import { planningCapability } from './planning.ts';
import { auditCapability } from './audit.ts';

export const capabilities: Capability[] = [
  registryCapability,
  reportsCapability,
  regionsCapability,
  networkCapability,
  alertsLifecycleCapability,
  unitsCapability,
  stockCapability,
  planningCapability,
  auditCapability,
  // Last: it reloads what the others have built (registry, regions) when another process writes.
  externalChangesCapability,
];
