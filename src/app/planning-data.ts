// Everything a planning job reads: population, regions and shelters from the store, and the walking graph from the
// shared data directory. Used by the server's planning capability and `refuge plan` alike.
import { existsSync } from 'node:fs';
import { readGraphHeader } from '../network/index.ts';
import type { Region } from '../geo/index.ts';
import type { Shelter } from '../registry/index.ts';
import type { PopulationCell } from '../planning/population.ts';
import { registryVersion } from '../planning/versions.ts';
import type { PopulationVersion } from '../planning/ports.ts';
import type { Store } from '../store/store.ts';

export interface PlanningData {
  cells: PopulationCell[];
  population: PopulationVersion | null;
  regions: Region[];
  graphFile: string | null;
  networkVersion: string | null;
  noNetworkReason?: string;
}

/** The walking network in the data directory, if one has been imported and its file is readable. */
export function networkFor(file: string): { graphFile: string | null; networkVersion: string | null; noNetworkReason?: string } {
  if (!existsSync(file)) return { graphFile: null, networkVersion: null, noNetworkReason: `no walking network is imported (no ${file}; refuge import network FILE.osm.pbf)` };
  try {
    const h = readGraphHeader(file);
    return { graphFile: file, networkVersion: `${h.meta.sourceSha256.slice(0, 12)}@${h.meta.builtAt}` };
  } catch (e) {
    return { graphFile: null, networkVersion: null, noNetworkReason: `the network file ${file} cannot be read (${(e as Error).message})` };
  }
}

export async function loadPlanningData(store: Store, networkFile: string): Promise<PlanningData> {
  return { cells: await store.population.cells(), population: await store.population.current(), regions: await store.regions.all(), ...networkFor(networkFile) };
}

export async function storedShelters(store: Store): Promise<{ shelters: Shelter[]; registryVersion: string }> {
  const shelters = await store.shelters.list();
  return { shelters, registryVersion: registryVersion(shelters) };
}
