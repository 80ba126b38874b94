// Audit coverage of the tables waiting approvals (staff push) adds: kept in a file of its own so that capability lists its tables in one place.
import type { AuditedTable } from './coverage.ts';

export const AUDITED: readonly AuditedTable[] = [];
export const NOT_AUDITED: Readonly<Record<string, string>> = {};
