// What other processes changed in the database file (the CLI importing shelters or regions while `refuge serve`
// runs). SQLite bumps PRAGMA data_version for a connection when another connection commits, so a poll costs one
// pragma; only then are the cheap marks below read: new shelter history rows (every shelter write adds one),
// and the warden and region tables.
import type { Db } from './db.ts';
import type { ChangeFeed, StoreChanges } from '../store.ts';

/** Kept for callers of poll(); the same shape as the port's StoreChanges. */
export type ExternalChanges = StoreChanges;

export interface SqliteChangeFeedOptions {
  /** How often subscribers look for other connections' commits (ms). */
  pollMs?: number;
  /** Past this many changed shelters, report 'many' (a reload beats reading each). */
  manyShelters?: number;
}

/** Where one reader of the feed has got to: poll() has one, each subscription its own, so none steals another's news. */
interface Cursor {
  dataVersion: number;
  lastHistoryId: number;
  wardensMark: string;
  regionsMark: string;
}

export class SqliteChangeFeed implements ChangeFeed {
  private readonly stmts;
  private readonly pollMs: number;
  private readonly manyShelters: number;
  private readonly cursor: Cursor;

  constructor(private readonly db: Db, options: SqliteChangeFeedOptions = {}) {
    this.pollMs = options.pollMs ?? 1000;
    this.manyShelters = options.manyShelters ?? 2000;
    this.stmts = {
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      lastHistoryId: db.prepare('SELECT coalesce(max(id), 0) FROM shelter_history').pluck(),
      changedShelters: db.prepare('SELECT DISTINCT shelter_id FROM shelter_history WHERE id > ? LIMIT ?').pluck(),
      wardens: db.prepare("SELECT count(*) || '/' || coalesce(max(rowid), 0) || '/' || coalesce(max(assigned_at), '') FROM shelter_wardens").pluck(),
      regions: db.prepare("SELECT count(*) || '/' || coalesce(max(rowid), 0) || '/' || coalesce(max(imported_at), '') FROM regions").pluck(),
    };
    this.cursor = this.start();
  }

  private start(): Cursor {
    return this.db.transaction((): Cursor => ({
      dataVersion: this.stmts.dataVersion.get() as number,
      lastHistoryId: this.stmts.lastHistoryId.get() as number,
      wardensMark: this.stmts.wardens.get() as string,
      regionsMark: this.stmts.regions.get() as string,
    })).deferred();
  }

  /** Null when no other connection has committed since the last poll. Our own writes may be reported too; the
   * caller compares versions and ignores what it already has. */
  poll(): ExternalChanges | null {
    return this.read(this.cursor);
  }

  private read(cursor: Cursor): StoreChanges | null {
    const v = this.stmts.dataVersion.get() as number;
    if (v === cursor.dataVersion) return null;
    cursor.dataVersion = v;
    // One read transaction, so the marks agree with each other.
    return this.db.transaction((): StoreChanges => {
      const top = this.stmts.lastHistoryId.get() as number;
      let shelters: string[] | 'many' = [];
      if (top > cursor.lastHistoryId) {
        const ids = this.stmts.changedShelters.all(cursor.lastHistoryId, this.manyShelters + 1) as string[];
        shelters = ids.length > this.manyShelters ? 'many' : ids;
      }
      cursor.lastHistoryId = top;
      const wardens = this.stmts.wardens.get() as string;
      const regions = this.stmts.regions.get() as string;
      const out = { shelters, wardens: wardens !== cursor.wardensMark, regions: regions !== cursor.regionsMark };
      cursor.wardensMark = wardens;
      cursor.regionsMark = regions;
      return out;
    }).deferred();
  }

  /** Polls every pollMs; onChange runs only when shelters, wardens or regions changed, and never twice at once. */
  async subscribe(onChange: (changes: StoreChanges) => void | Promise<void>): Promise<() => Promise<void>> {
    const cursor = this.start();
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> | null = null;
    const tick = async () => {
      try {
        const changes = this.read(cursor);
        if (changes && (changes.shelters === 'many' || changes.shelters.length || changes.wardens || changes.regions)) await onChange(changes);
      } catch (err) {
        console.error(JSON.stringify({ level: 'error', msg: 'change feed: handling a change failed', err: String(err) }));
      }
    };
    const schedule = () => {
      // The next poll is timed from the end of this one, so a slow onChange never overlaps the next.
      timer = setTimeout(() => {
        timer = null;
        running = tick().finally(() => {
          running = null;
          if (!stopped) schedule();
        });
      }, this.pollMs);
      timer.unref(); // a forgotten subscription does not keep the process alive
    };
    schedule();
    return async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    };
  }
}
