// Audit coverage of the tables plan-jobs adds (see ../coverage.ts).
import type { AuditedTable } from '../coverage.ts';

export const AUDITED: readonly AuditedTable[] = [];
export const NOT_AUDITED: Readonly<Record<string, string>> = {
  plan_jobs: 'planning work in progress (state, progress every second, heartbeats); its results are plans, recomputable',
};
