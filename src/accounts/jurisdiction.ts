// An account's jurisdiction: the region codes an admin gave it. The console opens the composer's map on them and lists
// them first. Pure: validation of the list's shape here; whether the codes exist is the store's check (in the
// transaction that writes them).
//
// A jurisdiction also restricts drafting: the alert lifecycle refuses a draft or Update whose regions lie outside the
// drafter's jurisdiction (403 OUTSIDE_JURISDICTION; src/alerts/lifecycle/lifecycle.ts, checkJurisdiction); cancels are
// not limited. Accounts without a jurisdiction are unrestricted.

/** At most this many codes (a country's hromadas fit; a typo'd list of thousands does not). */
export const MAX_JURISDICTION_CODES = 2000;
const MAX_CODE_LENGTH = 200;

/** The list as stored (trimmed, unique, sorted byte by byte), or why it cannot be one. */
export function normalizeJurisdiction(given: unknown): string[] | string {
  if (!Array.isArray(given)) return 'must be a list of region codes';
  if (given.length > MAX_JURISDICTION_CODES) return `at most ${MAX_JURISDICTION_CODES} region codes`;
  const out = new Set<string>();
  for (const [i, c] of given.entries()) {
    if (typeof c !== 'string' || c.trim() === '') return `item ${i} is not a region code (a non-empty string)`;
    if (c.length > MAX_CODE_LENGTH) return `item ${i} is longer than ${MAX_CODE_LENGTH} characters`;
    out.add(c.trim());
  }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Codes as typed on a command line: "UA-46,UA-32" (commas or spaces). */
export function parseJurisdictionList(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

/**
 * The codes among `regions` that lie outside `jurisdiction`: a region is inside when it or one of its ancestors
 * (through `parentOf`) is in the jurisdiction. An empty jurisdiction has no outside (the account is not restricted).
 */
export function regionsOutside(jurisdiction: readonly string[], regions: readonly string[], parentOf: (code: string) => string | null): string[] {
  if (jurisdiction.length === 0) return [];
  const mine = new Set(jurisdiction);
  return regions.filter((code) => {
    const seen = new Set<string>();
    for (let c: string | null = code; c !== null && !seen.has(c); c = parentOf(c)) {
      if (mine.has(c)) return false;
      seen.add(c);
    }
    return true;
  });
}
