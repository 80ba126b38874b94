// Audit coverage of the tables shelter card adds (see ../coverage.ts).
import type { AuditedTable } from '../coverage.ts';

export const AUDITED: readonly AuditedTable[] = [
  // Photos of a shelter: who added or removed which photo is a registry change; the bytes are logged as their digest.
  { table: 'shelter_photos', key: ['id'], digest: ['data'] },
];
export const NOT_AUDITED: Readonly<Record<string, string>> = {};
