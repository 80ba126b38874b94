// SQLite implementation of the regimes port: every change kept; one in-force change per region at most. Writes take
// the write lock first (BEGIN IMMEDIATE): a transaction that reads and then writes would otherwise fail with
// SQLITE_BUSY at once, not wait, when another process (a second `refuge serve` on the same file) wrote meanwhile.
import type { Db } from './db.ts';
import type { RegimeChange, RegimeChangeState } from '../../units/model.ts';
import type { RegimeRepository } from '../../units/ports.ts';

interface Row {
  id: string; region_code: string; level: string; reason: string; requested_by: string; requested_at: string; state: string;
  decided_by: string | null; decided_at: string | null;
}

const fromRow = (r: Row): RegimeChange => ({
  id: r.id, regionCode: r.region_code, level: r.level as RegimeChange['level'], reason: r.reason, requestedBy: r.requested_by,
  requestedAt: r.requested_at, state: r.state as RegimeChangeState, decidedBy: r.decided_by, decidedAt: r.decided_at,
});

export class SqliteRegimeRepository implements RegimeRepository {
  constructor(private readonly db: Db) {}

  private supersede(regionCode: string): void {
    this.db.prepare("UPDATE regime_changes SET state = 'superseded' WHERE region_code = ? AND state = 'in-force'").run(regionCode);
  }

  async insertChange(c: RegimeChange): Promise<void> {
    this.db.transaction(() => {
      if (c.state === 'in-force') this.supersede(c.regionCode);
      this.db.prepare(`INSERT INTO regime_changes (id, region_code, level, reason, requested_by, requested_at, state, decided_by, decided_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(c.id, c.regionCode, c.level, c.reason, c.requestedBy, c.requestedAt, c.state, c.decidedBy, c.decidedAt);
    }).immediate();
  }

  async getChange(id: string): Promise<RegimeChange | null> {
    const r = this.db.prepare('SELECT * FROM regime_changes WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  async decide(id: string, state: 'in-force' | 'rejected', by: string, at: string): Promise<boolean> {
    return this.db.transaction(() => {
      const row = this.db.prepare("SELECT * FROM regime_changes WHERE id = ? AND state = 'pending'").get(id) as Row | undefined;
      if (!row) return false;
      if (state === 'in-force') this.supersede(row.region_code);
      this.db.prepare('UPDATE regime_changes SET state = ?, decided_by = ?, decided_at = ? WHERE id = ?').run(state, by, at, id);
      return true;
    }).immediate();
  }

  async history(regionCode: string): Promise<RegimeChange[]> {
    return (this.db.prepare('SELECT * FROM regime_changes WHERE region_code = ? ORDER BY requested_at DESC, rowid DESC').all(regionCode) as Row[]).map(fromRow);
  }

  async inForce(): Promise<RegimeChange[]> {
    return (this.db.prepare("SELECT * FROM regime_changes WHERE state = 'in-force' ORDER BY rowid").all() as Row[]).map(fromRow);
  }

  async pending(): Promise<RegimeChange[]> {
    return (this.db.prepare("SELECT * FROM regime_changes WHERE state = 'pending' ORDER BY requested_at, rowid").all() as Row[]).map(fromRow);
  }
}
