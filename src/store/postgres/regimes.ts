// PostgreSQL implementation of the regimes port: every change kept; one in-force change per region at most. Servers
// sharing the database apply a region's changes one after another (a lock on the region's row in regime_regions),
// so the last change to commit is the one in force, as with SQLite's single writer; a unique index backs this up.
import type pg from 'pg';
import type { RegimeChange, RegimeChangeState } from '../../units/model.ts';
import type { RegimeRepository } from '../../units/ports.ts';
import { withTransaction } from './tx.ts';

type Row = Record<string, any>;

const fromRow = (r: Row): RegimeChange => ({
  id: r.id, regionCode: r.region_code, level: r.level, reason: r.reason, requestedBy: r.requested_by,
  requestedAt: r.requested_at, state: r.state as RegimeChangeState, decidedBy: r.decided_by, decidedAt: r.decided_at,
});

/** Takes the region's lock (held to commit), creating its row on first use. */
async function lockRegion(c: pg.PoolClient, regionCode: string): Promise<void> {
  await c.query('INSERT INTO regime_regions (region_code) VALUES ($1) ON CONFLICT (region_code) DO UPDATE SET region_code = excluded.region_code', [regionCode]);
}

async function supersede(c: pg.PoolClient, regionCode: string): Promise<void> {
  await c.query("UPDATE regime_changes SET state = 'superseded' WHERE region_code = $1 AND state = 'in-force'", [regionCode]);
}

export class PostgresRegimeRepository implements RegimeRepository {
  constructor(private readonly pool: pg.Pool) {}

  async insertChange(ch: RegimeChange): Promise<void> {
    await withTransaction(this.pool, async (c) => {
      await lockRegion(c, ch.regionCode);
      if (ch.state === 'in-force') await supersede(c, ch.regionCode);
      await c.query(`INSERT INTO regime_changes (id, region_code, level, reason, requested_by, requested_at, state, decided_by, decided_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [ch.id, ch.regionCode, ch.level, ch.reason, ch.requestedBy, ch.requestedAt, ch.state, ch.decidedBy, ch.decidedAt]);
    });
  }

  async getChange(id: string): Promise<RegimeChange | null> {
    const r = await this.pool.query('SELECT * FROM regime_changes WHERE id = $1', [id]);
    return r.rows[0] ? fromRow(r.rows[0]) : null;
  }

  async decide(id: string, state: 'in-force' | 'rejected', by: string, at: string): Promise<boolean> {
    return withTransaction(this.pool, async (c) => {
      // A change's region never changes, so it may be read before the lock; its state is read again under it.
      const region = (await c.query('SELECT region_code FROM regime_changes WHERE id = $1', [id])).rows[0]?.region_code as string | undefined;
      if (region === undefined) return false;
      await lockRegion(c, region);
      const pending = (await c.query("SELECT 1 FROM regime_changes WHERE id = $1 AND state = 'pending' FOR UPDATE", [id])).rowCount === 1;
      if (!pending) return false;
      if (state === 'in-force') await supersede(c, region);
      await c.query('UPDATE regime_changes SET state = $2, decided_by = $3, decided_at = $4 WHERE id = $1', [id, state, by, at]);
      return true;
    });
  }

  async history(regionCode: string): Promise<RegimeChange[]> {
    return (await this.pool.query('SELECT * FROM regime_changes WHERE region_code = $1 ORDER BY requested_at DESC, pos DESC', [regionCode])).rows.map(fromRow);
  }

  async inForce(): Promise<RegimeChange[]> {
    return (await this.pool.query("SELECT * FROM regime_changes WHERE state = 'in-force' ORDER BY pos")).rows.map(fromRow);
  }

  async pending(): Promise<RegimeChange[]> {
    return (await this.pool.query("SELECT * FROM regime_changes WHERE state = 'pending' ORDER BY requested_at, pos")).rows.map(fromRow);
  }
}
