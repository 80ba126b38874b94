// PostgreSQL implementation of the geo capability's RegionRepository. The GeoJSON is kept as imported text (all()
// returns exactly what SQLite returns); the PostGIS column `geom` is derived from it by the database (020_regions.sql).
import type pg from 'pg';
import type { Region } from '../../geo/regions.ts';
import { RegionCodeConflictError, groupGoneCodes, type RegionImportOutcome, type RegionRepository } from '../../geo/ports.ts';
import { withTransaction } from './tx.ts';

/** Rows per INSERT, and geometry bytes per INSERT: country outlines can be megabytes each. */
const BATCH_ROWS = 1000;
const BATCH_BYTES = 8 * 1024 * 1024;

const UPSERT = `INSERT INTO regions (code, name, warning_time_s, parent_code, source, geometry, imported_at, names)
  SELECT code, name, warning_time_s, parent_code, $5, geometry, $7, names::json
  FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $6::text[], $8::text[]) AS u(code, name, warning_time_s, parent_code, geometry, names)
  ON CONFLICT (code) DO UPDATE SET name = excluded.name, warning_time_s = excluded.warning_time_s, parent_code = excluded.parent_code,
    geometry = excluded.geometry, imported_at = excluded.imported_at, names = excluded.names`;

/** The names column as text (cast to json by the statement): NULL when a region has no other names. */
const namesColumn = (r: Region): string | null => (r.names && Object.keys(r.names).length ? JSON.stringify(r.names) : null);

export class PostgresRegionRepository implements RegionRepository {
  constructor(private readonly pool: pg.Pool) {}

  async all(): Promise<Region[]> {
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    // names::text: parsed here, as SQLite's text is, so both return the object in the order it was written.
    const r = await this.pool.query('SELECT code, name, warning_time_s, parent_code, geometry, names::text AS names FROM regions ORDER BY code COLLATE "C"');
    return r.rows.map((row) => ({
      code: row.code, name: row.name, warningTimeS: row.warning_time_s, parentCode: row.parent_code, geometry: JSON.parse(row.geometry) as Region['geometry'],
      ...(row.names ? { names: JSON.parse(row.names) as Record<string, string> } : {}),
    }));
  }

  async count(): Promise<number> {
    return (await this.pool.query('SELECT count(*)::int AS n FROM regions')).rows[0].n;
  }

  async replaceSource(source: string, regions: Region[], now = new Date().toISOString()): Promise<RegionImportOutcome> {
    return withTransaction(this.pool, async (c) => {
      // One region import at a time per installation (readers are not blocked): the ownership check below and the
      // stale-code removal then see every other import either whole or not at all.
      await c.query('LOCK TABLE regions IN SHARE ROW EXCLUSIVE MODE');
      const codes = [...new Set(regions.map((r) => r.code))];
      const owners = new Map<string, string>((await c.query('SELECT code, source FROM regions WHERE code = ANY($1::text[])', [codes])).rows.map((r) => [r.code, r.source]));
      // Counted as SQLite counts, entry by entry (a code twice in the file: inserted, then updated).
      let inserted = 0;
      let updated = 0;
      const last = new Map<string, Region>();
      for (const r of regions) {
        const current = owners.get(r.code);
        if (current !== undefined && current !== source) {
          throw new RegionCodeConflictError(`region code "${r.code}" (${r.name}) already belongs to source "${current}"; pass --code-field or import under that source`);
        }
        if (current === undefined) inserted++;
        else updated++;
        owners.set(r.code, source);
        last.set(r.code, r); // one row per code per INSERT (ON CONFLICT cannot touch a row twice); the last one wins, as in SQLite
      }
      let batch: Array<[Region, string]> = [];
      let bytes = 0;
      const flush = async () => {
        if (!batch.length) return;
        await c.query(UPSERT, [batch.map(([r]) => r.code), batch.map(([r]) => r.name), batch.map(([r]) => r.warningTimeS), batch.map(([r]) => r.parentCode),
          source, batch.map(([, g]) => g), now, batch.map(([r]) => namesColumn(r))]);
        batch = [];
        bytes = 0;
      };
      for (const r of last.values()) {
        const geometry = JSON.stringify(r.geometry);
        if (batch.length && (batch.length >= BATCH_ROWS || bytes + geometry.length > BATCH_BYTES)) await flush();
        batch.push([r, geometry]);
        bytes += geometry.length + (namesColumn(r)?.length ?? 0);
      }
      await flush();
      const removed = await c.query('DELETE FROM regions WHERE source = $1 AND NOT (code = ANY($2::text[]))', [source, codes]);
      // In the same transaction: the accounts this leaves naming a region that is no more (admins are told).
      const gone = await c.query<{ name: string; code: string; total: number }>(`SELECT u.name, j.code, cardinality(u.jurisdiction) AS total
          FROM users u CROSS JOIN LATERAL unnest(u.jurisdiction) WITH ORDINALITY AS j(code, n)
          WHERE NOT EXISTS (SELECT 1 FROM regions r WHERE r.code = j.code) ORDER BY u.name COLLATE "C", j.n`);
      return { source, inserted, updated, removed: removed.rowCount ?? 0, accountsWithGoneCodes: groupGoneCodes(gone.rows) };
    });
  }
}
