// Audit coverage of the tables alert templates adds (see ../coverage.ts).
import type { AuditedTable } from '../coverage.ts';

export const AUDITED: readonly AuditedTable[] = [
  // The wording operators start every alert from: who changed which text, and to what, is kept.
  { table: 'alert_templates', key: ['event_type', 'stage', 'language'] },
];
export const NOT_AUDITED: Readonly<Record<string, string>> = {};
