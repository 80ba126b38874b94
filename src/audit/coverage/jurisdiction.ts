// Audit coverage of the tables jurisdiction adds (see ../coverage.ts): none. An account's jurisdiction is a column of
// `users` and regions' other names a column of `regions` (migration 105); both tables are audited already, and their
// triggers are generated from the live columns, so the new columns are logged with them.
import type { AuditedTable } from '../coverage.ts';

export const AUDITED: readonly AuditedTable[] = [];
export const NOT_AUDITED: Readonly<Record<string, string>> = {};
