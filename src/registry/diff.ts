// Field-level differences between two versions of a shelter, for the history.
import type { Shelter } from './shelter.ts';
import type { FieldChanges } from './ports.ts';

const BOOKKEEPING = new Set(['version', 'updatedAt', 'createdAt']);

export function diffShelters(old: Shelter | null, next: Shelter): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of Object.keys(next) as (keyof Shelter)[]) {
    if (BOOKKEEPING.has(key)) continue;
    const a = old ? old[key] : null;
    const b = next[key];
    // Absent, null and an empty list all say "none" (records carry card fields only when they hold something).
    if (a === b || (isEmpty(a) && isEmpty(b))) continue;
    if (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b)) continue;
    if (!old && (b === null || b === undefined)) continue; // a new record's empty fields say nothing
    changes[key] = { old: a ?? null, new: b };
  }
  return changes;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0);
}
