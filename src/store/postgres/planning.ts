// PostgreSQL implementations of planning's PopulationRepository and PlanRepository (SQLite's are the reference:
// src/store/sqlite/population.ts, planning.ts). Bulk rows (hundreds of thousands of population cells, a plan's
// assignments) go in as batches of unnest arrays, not row by row.
import type pg from 'pg';
import { withTransaction } from './tx.ts';
import type { PopulationCell } from '../../planning/population.ts';
import type { PlanRepository, PopulationRepository, PopulationVersion, StoredAssignment, StoredPlan } from '../../planning/ports.ts';
import { ESTIMATE_FORMAT } from '../../planning/ports.ts';

/** Rows per INSERT: big enough to amortise the round trip, small enough to keep one statement's arrays modest. */
const BATCH = 5000;

interface ImportRow { id: number; file: string; sha256: string; format: string; cells: number; total: string | number; imported_at: string }

function versionOf(r: ImportRow): PopulationVersion {
  return { version: `${r.id}:${r.sha256.slice(0, 12)}`, file: r.file, estimated: r.format === ESTIMATE_FORMAT, importedAt: r.imported_at, cells: r.cells, total: Number(r.total) };
}

export class PostgresPopulationRepository implements PopulationRepository {
  constructor(private readonly pool: pg.Pool) {}

  async replace(cells: PopulationCell[], meta: { file: string; sha256: string; format: string; populationField: string }, now = new Date().toISOString()): Promise<PopulationVersion> {
    const total = cells.reduce((s, c) => s + c.population, 0);
    return withTransaction(this.pool, async (c) => {
      // One import at a time (another process's too); readers keep reading the previous cells until this commits.
      await c.query('LOCK TABLE population_imports IN SHARE ROW EXCLUSIVE MODE');
      await c.query('DELETE FROM population_cells');
      // max + 1 under the lock, as SQLite's rowid: the same versions on both stores, no gap after a failed import.
      const row = (await c.query(`INSERT INTO population_imports (id, file, sha256, format, population_field, cells, total, imported_at)
        SELECT COALESCE(MAX(id), 0) + 1, $1, $2, $3, $4, $5, $6, $7 FROM population_imports RETURNING id, file, sha256, format, cells, total, imported_at`,
      [meta.file, meta.sha256, meta.format, meta.populationField, cells.length, total, now])).rows[0] as ImportRow;
      for (let i = 0; i < cells.length; i += BATCH) {
        const batch = cells.slice(i, i + BATCH);
        await c.query(`INSERT INTO population_cells (import_id, ord, key, lat, lon, population, polygons)
          SELECT $1, ord, key, lat, lon, population, polygons
          FROM unnest($2::int[], $3::text[], $4::float8[], $5::float8[], $6::int[], $7::text[]) AS x(ord, key, lat, lon, population, polygons)`, [
          row.id, batch.map((_, k) => i + k), batch.map((x) => x.key), batch.map((x) => x.lat), batch.map((x) => x.lon), batch.map((x) => x.population),
          batch.map((x) => (x.polygons ? JSON.stringify(x.polygons) : null)),
        ]);
      }
      return versionOf(row);
    });
  }

  async current(): Promise<PopulationVersion | null> {
    const row = (await this.pool.query('SELECT id, file, sha256, format, cells, total, imported_at FROM population_imports ORDER BY id DESC LIMIT 1')).rows[0] as ImportRow | undefined;
    return row ? versionOf(row) : null;
  }

  async cells(): Promise<PopulationCell[]> {
    const rows = (await this.pool.query('SELECT key, lat, lon, population, polygons FROM population_cells ORDER BY import_id, ord')).rows;
    return rows.map((r) => ({ key: r.key, lat: r.lat, lon: r.lon, population: r.population, polygons: r.polygons ? (JSON.parse(r.polygons) as number[][][][]) : null }));
  }
}

function planOf(r: Record<string, any>): StoredPlan {
  return {
    id: r.id, kind: r.kind, createdAt: r.created_at, createdBy: r.created_by, mode: r.mode, params: JSON.parse(r.params) as Record<string, unknown>,
    registryVersion: r.registry_version, populationVersion: r.population_version, networkVersion: r.network_version, summary: JSON.parse(r.summary) as unknown,
  };
}

export class PostgresPlanRepository implements PlanRepository {
  constructor(private readonly pool: pg.Pool) {}

  async save(plan: StoredPlan, assignments: StoredAssignment[]): Promise<void> {
    await withTransaction(this.pool, async (c) => {
      await c.query('INSERT INTO plans (id, kind, created_at, created_by, mode, params, registry_version, population_version, network_version, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
        [plan.id, plan.kind, plan.createdAt, plan.createdBy, plan.mode, JSON.stringify(plan.params), plan.registryVersion, plan.populationVersion, plan.networkVersion, JSON.stringify(plan.summary)]);
      for (let i = 0; i < assignments.length; i += BATCH) {
        const batch = assignments.slice(i, i + BATCH);
        await c.query(`INSERT INTO plan_assignments (plan_id, ord, cell_key, lat, lon, shelter_id, people, seconds)
          SELECT $1, ord, cell_key, lat, lon, shelter_id, people, seconds
          FROM unnest($2::int[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::float8[], $8::float8[]) AS x(ord, cell_key, lat, lon, shelter_id, people, seconds)`, [
          plan.id, batch.map((_, k) => i + k), batch.map((a) => a.cellKey), batch.map((a) => a.lat), batch.map((a) => a.lon), batch.map((a) => a.shelterId),
          batch.map((a) => a.people), batch.map((a) => a.seconds),
        ]);
      }
    });
  }

  async latest(kind: StoredPlan['kind']): Promise<StoredPlan | null> {
    const row = (await this.pool.query('SELECT * FROM plans WHERE kind = $1 ORDER BY created_at DESC, ord DESC LIMIT 1', [kind])).rows[0];
    return row ? planOf(row) : null;
  }

  async get(id: string): Promise<StoredPlan | null> {
    const row = (await this.pool.query('SELECT * FROM plans WHERE id = $1', [id])).rows[0];
    return row ? planOf(row) : null;
  }

  async list(kind: StoredPlan['kind'], limit: number): Promise<StoredPlan[]> {
    return (await this.pool.query('SELECT * FROM plans WHERE kind = $1 ORDER BY created_at DESC, ord DESC LIMIT $2', [kind, limit])).rows.map(planOf);
  }

  async assignments(planId: string): Promise<StoredAssignment[]> {
    const rows = (await this.pool.query('SELECT cell_key, lat, lon, shelter_id, people, seconds FROM plan_assignments WHERE plan_id = $1 ORDER BY ord', [planId])).rows;
    return rows.map((r) => ({ cellKey: r.cell_key, lat: r.lat, lon: r.lon, shelterId: r.shelter_id, people: r.people, seconds: r.seconds }));
  }
}
