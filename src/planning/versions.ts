// Which inputs a plan used, so it can say when it has gone stale.
import { createHash } from 'node:crypto';
import type { Shelter } from '../registry/shelter.ts';

/** A digest of every shelter's id and version: changes whenever any shelter is added or changed. */
export function registryVersion(shelters: Shelter[]): string {
  const h = createHash('sha256');
  for (const line of shelters.map((s) => `${s.id}:${s.version}`).sort()) h.update(line + '\n');
  return `${shelters.length}:${h.digest('hex').slice(0, 12)}`;
}

export interface Staleness {
  stale: boolean;
  reasons: string[];
}

export function staleness(plan: { registryVersion: string; populationVersion: string; networkVersion: string | null }, now: { registryVersion: string; populationVersion: string | null; networkVersion: string | null }): Staleness {
  const reasons: string[] = [];
  if (plan.registryVersion !== now.registryVersion) reasons.push(`the registry changed since the plan was made (${plan.registryVersion} -> ${now.registryVersion})`);
  if (plan.populationVersion !== now.populationVersion) reasons.push(`the population data changed (${plan.populationVersion} -> ${now.populationVersion ?? 'none'})`);
  if (plan.networkVersion !== now.networkVersion) reasons.push(`the walking network changed (${plan.networkVersion ?? 'none'} -> ${now.networkVersion ?? 'none'})`);
  return { stale: reasons.length > 0, reasons };
}
