// Stored plans and their assignments in SQLite.
import type { Db } from './db.ts';
import type { PlanRepository, StoredAssignment, StoredPlan } from '../../planning/ports.ts';

interface PlanRow { id: string; kind: string; created_at: string; created_by: string | null; mode: string; params: string; registry_version: string; population_version: string; network_version: string | null; summary: string }

function planOf(r: PlanRow): StoredPlan {
  return {
    id: r.id, kind: r.kind as StoredPlan['kind'], createdAt: r.created_at, createdBy: r.created_by, mode: r.mode as StoredPlan['mode'],
    params: JSON.parse(r.params) as Record<string, unknown>, registryVersion: r.registry_version, populationVersion: r.population_version,
    networkVersion: r.network_version, summary: JSON.parse(r.summary) as unknown,
  };
}

export class SqlitePlanRepository implements PlanRepository {
  constructor(private readonly db: Db) {}

  async save(plan: StoredPlan, assignments: StoredAssignment[]): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO plans (id, kind, created_at, created_by, mode, params, registry_version, population_version, network_version, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(plan.id, plan.kind, plan.createdAt, plan.createdBy, plan.mode, JSON.stringify(plan.params), plan.registryVersion, plan.populationVersion, plan.networkVersion, JSON.stringify(plan.summary));
      const ins = this.db.prepare('INSERT INTO plan_assignments (plan_id, cell_key, lat, lon, shelter_id, people, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const a of assignments) ins.run(plan.id, a.cellKey, a.lat, a.lon, a.shelterId, a.people, a.seconds);
    })();
  }

  async latest(kind: StoredPlan['kind']): Promise<StoredPlan | null> {
    const row = this.db.prepare('SELECT * FROM plans WHERE kind = ? ORDER BY created_at DESC, rowid DESC LIMIT 1').get(kind) as PlanRow | undefined;
    return row ? planOf(row) : null;
  }

  async get(id: string): Promise<StoredPlan | null> {
    const row = this.db.prepare('SELECT * FROM plans WHERE id = ?').get(id) as PlanRow | undefined;
    return row ? planOf(row) : null;
  }

  async list(kind: StoredPlan['kind'], limit: number): Promise<StoredPlan[]> {
    return (this.db.prepare('SELECT * FROM plans WHERE kind = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(kind, limit) as PlanRow[]).map(planOf);
  }

  async assignments(planId: string): Promise<StoredAssignment[]> {
    const rows = this.db.prepare('SELECT cell_key, lat, lon, shelter_id, people, seconds FROM plan_assignments WHERE plan_id = ? ORDER BY rowid').all(planId) as Array<{ cell_key: string; lat: number; lon: number; shelter_id: string | null; people: number; seconds: number | null }>;
    return rows.map((r) => ({ cellKey: r.cell_key, lat: r.lat, lon: r.lon, shelterId: r.shelter_id, people: r.people, seconds: r.seconds }));
  }
}
