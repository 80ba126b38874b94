// What planning needs from a store. SQLite implements it (src/store/sqlite/population.ts, planning.ts).
import type { PopulationCell } from './population.ts';

/** The format recorded for a population estimated from an OSM extract's buildings. */
export const ESTIMATE_FORMAT = 'osm-buildings-estimate';

export interface PopulationVersion {
  /** Stable label of the data set in use: "<import id>:<sha256 prefix>". */
  version: string;
  file: string;
  /** True when the population was estimated (from OSM buildings), not counted: every output says so. */
  estimated: boolean;
  importedAt: string;
  cells: number;
  total: number;
}

export interface PopulationRepository {
  /** Replaces the population whole, in one transaction. */
  replace(cells: PopulationCell[], meta: { file: string; sha256: string; format: string; populationField: string }): Promise<PopulationVersion>;
  current(): Promise<PopulationVersion | null>;
  cells(): Promise<PopulationCell[]>;
}

export interface StoredAssignment {
  cellKey: string;
  lat: number;
  lon: number;
  /** null: people of this point left without a place. */
  shelterId: string | null;
  people: number;
  seconds: number | null;
}

export interface StoredPlan {
  id: string;
  kind: 'assign' | 'coverage' | 'siting';
  createdAt: string;
  createdBy: string | null;
  mode: 'network' | 'straight-line';
  params: Record<string, unknown>;
  registryVersion: string;
  populationVersion: string;
  networkVersion: string | null;
  summary: unknown;
}

export interface PlanRepository {
  save(plan: StoredPlan, assignments: StoredAssignment[]): Promise<void>;
  latest(kind: StoredPlan['kind']): Promise<StoredPlan | null>;
  get(id: string): Promise<StoredPlan | null>;
  assignments(planId: string): Promise<StoredAssignment[]>;
}
