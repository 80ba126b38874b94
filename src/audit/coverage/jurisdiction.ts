// Audit coverage of the tables jurisdiction adds (see ../coverage.ts).
import type { AuditedTable } from '../coverage.ts';

export const AUDITED: readonly AuditedTable[] = [];
export const NOT_AUDITED: Readonly<Record<string, string>> = {};
