// What the geo capability needs from a store: regions imported per source, loaded whole into the RegionIndex.
import type { Region } from './regions.ts';

export interface RegionImportOutcome {
  source: string;
  inserted: number;
  updated: number;
  removed: number;
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
