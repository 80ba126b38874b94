// Audit coverage of the tables shelter card adds (see ../coverage.ts).
import type { AuditedTable } from '../coverage.ts';

export const AUDITED: readonly AuditedTable[] = [
  // Photos of a shelter: who added or removed which photo is a registry change; the bytes are logged as their digest.
  // A caption and the photos' order (caption, ordinal: migration 106) are logged as they are: the triggers follow the
  // live columns, so a caption change writes an entry with its old and new text (tested in the store contract).
  { table: 'shelter_photos', key: ['id'], digest: ['data'] },
];
export const NOT_AUDITED: Readonly<Record<string, string>> = {};
