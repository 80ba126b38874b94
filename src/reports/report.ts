// A resident's report that a shelter is not usable, and what an operator decided about it.
import type { ShelterStatus } from '../registry/shelter.ts';

export const REPORT_KINDS = ['locked', 'closed', 'missing'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_STATES = ['open', 'confirmed', 'dismissed'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

export interface Report {
  id: string;
  shelterId: string;
  kind: ReportKind;
  note: string | null;
  createdAt: string;
  /** A one-way hash of where it came from (never the address itself): limits floods and repeat reports. */
  reporterKey: string;
  state: ReportState;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

/**
 * What confirming a report sets the shelter's live status to. A shelter reported missing is set to closed
 * (residents are no longer sent there); taking it out of the registry is a separate, deliberate decommission.
 */
export const STATUS_ON_CONFIRM: Record<ReportKind, ShelterStatus> = { locked: 'locked', closed: 'closed', missing: 'closed' };

export const NOTE_MAX = 500;
