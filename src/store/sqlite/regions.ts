// Regions in SQLite: imported per source in one transaction, loaded whole into the in-memory RegionIndex.
import type { Db } from './db.ts';
import type { Region } from '../../geo/regions.ts';
import { RegionCodeConflictError, groupGoneCodes, type RegionImportOutcome, type RegionRepository } from '../../geo/ports.ts';

export type { RegionImportOutcome } from '../../geo/ports.ts';

interface RegionRow {
  code: string;
  name: string;
  warning_time_s: number | null;
  parent_code: string | null;
  geometry: string;
  names: string | null;
}

const toRegion = (r: RegionRow): Region => ({
  code: r.code, name: r.name, warningTimeS: r.warning_time_s, parentCode: r.parent_code, geometry: JSON.parse(r.geometry) as Region['geometry'],
  ...(r.names ? { names: JSON.parse(r.names) as Record<string, string> } : {}),
});
/** The names column: NULL when a region has no other names. */
const namesColumn = (r: Region): string | null => (r.names && Object.keys(r.names).length ? JSON.stringify(r.names) : null);

export class SqliteRegionRepository implements RegionRepository {
  constructor(private readonly db: Db) {}

  async all(): Promise<Region[]> {
    const rows = this.db.prepare('SELECT code, name, warning_time_s, parent_code, geometry, names FROM regions ORDER BY code').all() as RegionRow[];
    return rows.map(toRegion);
  }

  async count(): Promise<number> {
    return this.db.prepare('SELECT count(*) FROM regions').pluck().get() as number;
  }

  /**
   * Makes `regions` the content of `source`: new codes inserted, existing ones updated, codes of this source that
   * are no longer in the file removed. All or nothing. A code owned by another source is refused.
   */
  async replaceSource(source: string, regions: Region[], now = new Date().toISOString()): Promise<RegionImportOutcome> {
    const owner = this.db.prepare('SELECT source FROM regions WHERE code = ?').pluck();
    const upsert = this.db.prepare(
      `INSERT INTO regions (code, name, warning_time_s, parent_code, source, geometry, imported_at, names) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, warning_time_s = excluded.warning_time_s, parent_code = excluded.parent_code,
         geometry = excluded.geometry, imported_at = excluded.imported_at, names = excluded.names`,
    );
    // Immediate: the ownership check and the writes see the same file even when another process imports meanwhile.
    return this.db.transaction(() => {
      let inserted = 0;
      let updated = 0;
      for (const r of regions) {
        const current = owner.get(r.code) as string | undefined;
        if (current !== undefined && current !== source) {
          throw new RegionCodeConflictError(`region code "${r.code}" (${r.name}) already belongs to source "${current}"; pass --code-field or import under that source`);
        }
        if (current === undefined) inserted++;
        else updated++;
        upsert.run(r.code, r.name, r.warningTimeS, r.parentCode, source, JSON.stringify(r.geometry), now, namesColumn(r));
      }
      const keep = new Set(regions.map((r) => r.code));
      const stale = (this.db.prepare('SELECT code FROM regions WHERE source = ?').pluck().all(source) as string[]).filter((c) => !keep.has(c));
      const del = this.db.prepare('DELETE FROM regions WHERE code = ?');
      for (const c of stale) del.run(c);
      // In the same transaction: the accounts this leaves naming a region that is no more (admins are told).
      const gone = this.db.prepare(`SELECT u.name, j.value AS code, json_array_length(u.jurisdiction) AS total FROM users u, json_each(u.jurisdiction) j
          WHERE u.jurisdiction IS NOT NULL AND NOT EXISTS (SELECT 1 FROM regions r WHERE r.code = j.value) ORDER BY u.name, j.key`).all() as Array<{ name: string; code: string; total: number }>;
      return { source, inserted, updated, removed: stale.length, accountsWithGoneCodes: groupGoneCodes(gone) };
    }).immediate();
  }
}
