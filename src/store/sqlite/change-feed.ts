// What other processes changed in the database file (the CLI importing shelters or regions while `refuge serve`
// runs). SQLite bumps PRAGMA data_version for a connection when another connection commits, so a poll costs one
// pragma; only then are the cheap marks below read: new shelter history rows (every shelter write adds one),
// and the warden and region tables.
import type { Db } from './db.ts';

export interface ExternalChanges {
  /** Shelters with history rows newer than the last poll: their ids, or 'many' past the limit. */
  shelters: string[] | 'many';
  wardens: boolean;
  regions: boolean;
}

export class SqliteChangeFeed {
  private dataVersion: number;
  private lastHistoryId: number;
  private wardensMark: string;
  private regionsMark: string;
  private readonly stmts;

  /** @param manyShelters past this many changed shelters, report 'many' (a reload beats reading each). */
  constructor(private readonly db: Db, private readonly manyShelters = 2000) {
    this.stmts = {
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      lastHistoryId: db.prepare('SELECT coalesce(max(id), 0) FROM shelter_history').pluck(),
      changedShelters: db.prepare('SELECT DISTINCT shelter_id FROM shelter_history WHERE id > ? LIMIT ?').pluck(),
      wardens: db.prepare("SELECT count(*) || '/' || coalesce(max(rowid), 0) || '/' || coalesce(max(assigned_at), '') FROM shelter_wardens").pluck(),
      regions: db.prepare("SELECT count(*) || '/' || coalesce(max(rowid), 0) || '/' || coalesce(max(imported_at), '') FROM regions").pluck(),
    };
    this.dataVersion = this.stmts.dataVersion.get() as number;
    this.lastHistoryId = this.stmts.lastHistoryId.get() as number;
    this.wardensMark = this.stmts.wardens.get() as string;
    this.regionsMark = this.stmts.regions.get() as string;
  }

  /** Null when no other connection has committed since the last poll. Our own writes may be reported too; the
   * caller compares versions and ignores what it already has. */
  poll(): ExternalChanges | null {
    const v = this.stmts.dataVersion.get() as number;
    if (v === this.dataVersion) return null;
    this.dataVersion = v;
    // One read transaction, so the marks agree with each other.
    return this.db.transaction((): ExternalChanges => {
      const top = this.stmts.lastHistoryId.get() as number;
      let shelters: string[] | 'many' = [];
      if (top > this.lastHistoryId) {
        const ids = this.stmts.changedShelters.all(this.lastHistoryId, this.manyShelters + 1) as string[];
        shelters = ids.length > this.manyShelters ? 'many' : ids;
      }
      this.lastHistoryId = top;
      const wardens = this.stmts.wardens.get() as string;
      const regions = this.stmts.regions.get() as string;
      const out = { shelters, wardens: wardens !== this.wardensMark, regions: regions !== this.regionsMark };
      this.wardensMark = wardens;
      this.regionsMark = regions;
      return out;
    }).deferred();
  }
}
