// What the reports capability needs from a store and from the registry.
import type { Report, ReportKind, ReportState } from './report.ts';
import type { Shelter, ShelterStatus } from '../registry/shelter.ts';

export interface ReportRepository {
  insert(report: Report): Promise<void>;
  get(id: string): Promise<Report | null>;
  /** Open reports, oldest first. */
  listOpen(): Promise<Report[]>;
  listForShelter(shelterId: string): Promise<Report[]>;
  /** The open report of this kind from this reporter for this shelter, if any. */
  findOpenDuplicate(shelterId: string, kind: string, reporterKey: string): Promise<Report | null>;
  countFromReporterSince(reporterKey: string, sinceIso: string): Promise<number>;
  /** Resolves the given open reports together; reports no longer open are left as they are. Returns how many changed. */
  resolve(ids: string[], state: Exclude<ReportState, 'open'>, actor: string, at: string): Promise<number>;
  /** How many open reports of each kind each shelter has (only shelters with at least one); read on every public search. */
  openCounts(): Promise<Map<string, Record<ReportKind, number>>>;
}

/** The slice of the shelter registry that reports use. */
export interface ShelterLookup {
  get(id: string): Shelter | null;
  setStatus(id: string, status: ShelterStatus, actor: string | null): Promise<Shelter>;
}
