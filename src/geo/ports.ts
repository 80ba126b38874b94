// What the geo capability needs from a store: regions imported per source, loaded whole into the RegionIndex.
import type { Region } from './regions.ts';

export interface RegionImportOutcome {
  source: string;
  inserted: number;
  updated: number;
  removed: number;
  /**
   * After the import, the accounts whose jurisdiction names codes that are no longer regions (this import or an
   * earlier one removed them), by name: the codes gone and how many of its codes are left. A gone code still
   * restricts (it matches no region); with none left the account drafts nowhere until an admin sets its jurisdiction.
   */
  accountsWithGoneCodes: AccountWithGoneCodes[];
}

export interface AccountWithGoneCodes {
  account: string;
  gone: string[];
  left: number;
}

/** Groups (account, code, total) rows, ordered by account, into AccountWithGoneCodes. */
export function groupGoneCodes(rows: ReadonlyArray<{ name: string; code: string; total: number }>): AccountWithGoneCodes[] {
  const out: AccountWithGoneCodes[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last?.account === r.name) {
      last.gone.push(r.code);
      last.left--;
    } else out.push({ account: r.name, gone: [r.code], left: r.total - 1 });
  }
  return out;
}

/** A region code already held by another source: the import is refused whole (a conflict, not a failure). */
export class RegionCodeConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegionCodeConflictError';
  }
}

export interface RegionRepository {
  /** Every region, ordered by code. */
  all(): Promise<Region[]>;
  count(): Promise<number>;
  /**
   * Makes `regions` the content of `source`: new codes inserted, existing ones updated, codes of this source that
   * are no longer in the file removed. All or nothing. A code owned by another source is refused with an Error
   * naming the code, its name and the owning source.
   */
  replaceSource(source: string, regions: Region[], now?: string): Promise<RegionImportOutcome>;
}
