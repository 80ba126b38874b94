// Population cells in SQLite: one data set per database, replaced whole by an import (one transaction).
import type { Db } from './db.ts';
import type { PopulationCell } from '../../planning/population.ts';
import type { PopulationRepository, PopulationVersion } from '../../planning/ports.ts';
import { ESTIMATE_FORMAT } from '../../planning/ports.ts';

interface ImportRow { id: number; file: string; sha256: string; format: string; cells: number; total: number; imported_at: string }

export class SqlitePopulationRepository implements PopulationRepository {
  constructor(private readonly db: Db) {}

  async replace(cells: PopulationCell[], meta: { file: string; sha256: string; format: string; populationField: string }, now = new Date().toISOString()): Promise<PopulationVersion> {
    const total = cells.reduce((s, c) => s + c.population, 0);
    const id = this.db.transaction(() => {
      this.db.prepare('DELETE FROM population_cells').run();
      const info = this.db.prepare('INSERT INTO population_imports (file, sha256, format, population_field, cells, total, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(meta.file, meta.sha256, meta.format, meta.populationField, cells.length, total, now);
      const importId = Number(info.lastInsertRowid);
      const ins = this.db.prepare('INSERT INTO population_cells (import_id, key, lat, lon, population, polygons) VALUES (?, ?, ?, ?, ?, ?)');
      for (const c of cells) ins.run(importId, c.key, c.lat, c.lon, c.population, c.polygons ? JSON.stringify(c.polygons) : null);
      return importId;
    })();
    return (await this.current()) ?? versionOf({ id, file: meta.file, sha256: meta.sha256, format: meta.format, cells: cells.length, total, imported_at: now });
  }

  async current(): Promise<PopulationVersion | null> {
    const row = this.db.prepare('SELECT id, file, sha256, format, cells, total, imported_at FROM population_imports ORDER BY id DESC LIMIT 1').get() as ImportRow | undefined;
    return row ? versionOf(row) : null;
  }

  async cells(): Promise<PopulationCell[]> {
    const rows = this.db.prepare('SELECT key, lat, lon, population, polygons FROM population_cells ORDER BY id').all() as Array<{ key: string; lat: number; lon: number; population: number; polygons: string | null }>;
    return rows.map((r) => ({ key: r.key, lat: r.lat, lon: r.lon, population: r.population, polygons: r.polygons ? (JSON.parse(r.polygons) as number[][][][]) : null }));
  }
}

function versionOf(r: ImportRow): PopulationVersion {
  return { version: `${r.id}:${r.sha256.slice(0, 12)}`, file: r.file, estimated: r.format === ESTIMATE_FORMAT, importedAt: r.imported_at, cells: r.cells, total: r.total };
}
