// PostgreSQL implementation of the registry's ShelterRepository port (for regions that outgrow one machine).
// The same contract suite as SQLite runs against it (test/store/postgres-shelters.test.ts).
import type pg from 'pg';
import type { Shelter } from '../../registry/shelter.ts';
import type { FieldChanges, HistoryAction, HistoryEntry, MergeFn, ShelterRepository, SourceInfo, UpsertResult } from '../../registry/ports.ts';

const COLUMNS = ['id', 'name', 'address', 'lat', 'lon', 'capacity', 'kind', 'protection_class', 'step_free', 'amenities', 'operator', 'contact', 'access',
  'key_holder_phone', 'status', 'status_set_at', 'status_set_by', 'occupancy', 'occupancy_at', 'occupancy_by', 'last_verified_at', 'last_verified_by', 'source', 'source_id', 'created_at', 'updated_at',
  'version', 'decommissioned_at'] as const;

function values(s: Shelter): unknown[] {
  return [s.id, s.name, s.address, s.lat, s.lon, s.capacity, s.kind, s.protectionClass, s.stepFree, JSON.stringify(s.amenities), s.operator, s.contact,
    s.access, s.keyHolderPhone, s.status, s.statusSetAt, s.statusSetBy, s.occupancy, s.occupancyAt, s.occupancyBy, s.lastVerifiedAt, s.lastVerifiedBy, s.source, s.sourceId, s.createdAt, s.updatedAt,
    s.version, s.decommissionedAt];
}

function fromRow(r: Record<string, any>): Shelter {
  return {
    id: r.id, name: r.name, address: r.address, lat: r.lat, lon: r.lon, capacity: r.capacity, kind: r.kind, protectionClass: r.protection_class,
    stepFree: r.step_free, amenities: r.amenities, operator: r.operator, contact: r.contact, access: r.access, keyHolderPhone: r.key_holder_phone,
    status: r.status, statusSetAt: r.status_set_at, statusSetBy: r.status_set_by,
    occupancy: r.occupancy, occupancyAt: r.occupancy_at, occupancyBy: r.occupancy_by, lastVerifiedAt: r.last_verified_at, lastVerifiedBy: r.last_verified_by,
    source: r.source, sourceId: r.source_id, createdAt: r.created_at, updatedAt: r.updated_at, version: r.version, decommissionedAt: r.decommissioned_at,
  };
}

const INSERT = `INSERT INTO shelters (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
const UPDATE = `UPDATE shelters SET ${COLUMNS.slice(1).map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1 AND version = $${COLUMNS.length + 1}`;
const HISTORY = 'INSERT INTO shelter_history (shelter_id, version, at, actor, action, changes) VALUES ($1, $2, $3, $4, $5, $6)';

export class PostgresShelterRepository implements ShelterRepository {
  constructor(private readonly pool: pg.Pool) {}

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  async list(): Promise<Shelter[]> {
    return (await this.pool.query('SELECT * FROM shelters ORDER BY id')).rows.map(fromRow);
  }

  async get(id: string): Promise<Shelter | null> {
    const r = await this.pool.query('SELECT * FROM shelters WHERE id = $1', [id]);
    return r.rows[0] ? fromRow(r.rows[0]) : null;
  }

  async create(s: Shelter, actor: string | null): Promise<void> {
    await this.tx(async (c) => {
      await c.query(INSERT, values(s));
      const changes: FieldChanges = {};
      for (const [k, v] of Object.entries(s)) if (!['version', 'createdAt', 'updatedAt'].includes(k)) changes[k] = { old: null, new: v };
      await c.query(HISTORY, [s.id, s.version, s.createdAt, actor, 'create', JSON.stringify(changes)]);
    });
  }

  async update(next: Shelter, expectedVersion: number, action: HistoryAction, changes: FieldChanges, actor: string | null): Promise<boolean> {
    return this.tx(async (c) => {
      const r = await c.query(UPDATE, [...values(next), expectedVersion]);
      if (r.rowCount !== 1) return false;
      await c.query(HISTORY, [next.id, next.version, next.updatedAt, actor, action, JSON.stringify(changes)]);
      return true;
    });
  }

  async upsertFromSource<T extends { sourceId: string }>(source: SourceInfo, items: T[], merge: MergeFn<T>, actor: string | null): Promise<UpsertResult> {
    return this.tx(async (c) => {
      const result: UpsertResult = { inserted: [], updated: [], unchanged: 0 };
      await c.query(`INSERT INTO sources (name, attribution, licence, imported_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (name) DO UPDATE SET attribution = coalesce(excluded.attribution, sources.attribution), licence = coalesce(excluded.licence, sources.licence), imported_at = excluded.imported_at`,
      [source.name, source.attribution, source.licence, new Date().toISOString()]);
      // FOR UPDATE: a concurrent import of the same source waits instead of interleaving.
      const known = new Map((await c.query('SELECT * FROM shelters WHERE source = $1 FOR UPDATE', [source.name])).rows.map((r) => [r.source_id as string, fromRow(r)]));
      for (const item of items) {
        const existing = known.get(item.sourceId) ?? null;
        const decided = merge(existing, item);
        if (!decided) { result.unchanged++; continue; }
        const { next, changes } = decided;
        if (existing) {
          const r = await c.query(UPDATE, [...values(next), existing.version]);
          if (r.rowCount !== 1) throw new Error(`shelter ${existing.id} changed during import`);
          result.updated.push(next);
        } else {
          await c.query(INSERT, values(next));
          result.inserted.push(next);
        }
        await c.query(HISTORY, [next.id, next.version, next.updatedAt, actor, 'import', JSON.stringify(changes)]);
      }
      return result;
    });
  }

  async history(id: string): Promise<HistoryEntry[]> {
    const r = await this.pool.query('SELECT * FROM shelter_history WHERE shelter_id = $1 ORDER BY version, id', [id]);
    return r.rows.map((h) => ({ shelterId: h.shelter_id, version: h.version, at: h.at, actor: h.actor, action: h.action, changes: h.changes }));
  }

  async wardens(): Promise<Array<[string, string]>> {
    return (await this.pool.query('SELECT shelter_id, user_name FROM shelter_wardens ORDER BY shelter_id, user_name')).rows.map((r) => [r.shelter_id, r.user_name]);
  }

  async setWarden(shelterId: string, userName: string, assigned: boolean, actor: string | null): Promise<void> {
    if (assigned) await this.pool.query('INSERT INTO shelter_wardens (shelter_id, user_name, assigned_at, assigned_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [shelterId, userName, new Date().toISOString(), actor]);
    else await this.pool.query('DELETE FROM shelter_wardens WHERE shelter_id = $1 AND user_name = $2', [shelterId, userName]);
  }

  async sources(): Promise<SourceInfo[]> {
    return (await this.pool.query('SELECT name, attribution, licence FROM sources ORDER BY name')).rows;
  }
}
