// The embedded store: one SQLite file, every port over one connection (better-sqlite3 is synchronous; the ports are
// async so the same callers work over PostgreSQL).
import { openDatabase, type Db } from './db.ts';
import type { Store } from '../store.ts';
import { SqliteShelterRepository } from './shelters.ts';
import { SqliteAccountRepository } from './accounts.ts';
import { SqliteReportRepository } from './reports.ts';
import { SqliteRegionRepository } from './regions.ts';
import { SqliteAlertStore } from './alerts-store.ts';
import { SqliteTrustedAuthorityStore } from './alerts-trust-store.ts';
import { SqlitePushStore } from './alerts-push-store.ts';
import { SqliteDeliveryStore } from './alerts-delivery-store.ts';
import { SqliteChangeFeed } from './change-feed.ts';
import { SqliteUnitRepository, SqliteCallUpRepository } from './units.ts';
import { SqliteRegimeRepository } from './regimes.ts';
import { SqliteStockRepository } from './stock.ts';
import { SqlitePlanRepository } from './planning.ts';
import { SqlitePopulationRepository } from './population.ts';
import { SqlitePlanJobRepository } from './plan-jobs.ts';
import { SqliteAuditStore } from './audit.ts';
import { SqliteAlertTemplateStore } from './alert-templates.ts';
import { SqliteApprovalsPushStore } from './approvals-push.ts';

export interface SqliteStore extends Store {
  readonly kind: 'sqlite';
  /** The connection, for what only SQLite has (backups, tests of the file itself); never passed to the domain. */
  db: Db;
  path: string;
  shelters: SqliteShelterRepository;
  accounts: SqliteAccountRepository;
  alerts: SqliteAlertStore;
  outbox: SqliteAlertStore;
  push: SqlitePushStore;
  reach: SqliteDeliveryStore;
}

export function openSqliteStore(path: string): SqliteStore {
  const db = openDatabase(path);
  const alerts = new SqliteAlertStore(db);
  return {
    kind: 'sqlite', location: path, db, path,
    shelters: new SqliteShelterRepository(db),
    accounts: new SqliteAccountRepository(db),
    reports: new SqliteReportRepository(db),
    regions: new SqliteRegionRepository(db),
    alerts, outbox: alerts,
    trust: new SqliteTrustedAuthorityStore(db),
    push: new SqlitePushStore(db),
    reach: new SqliteDeliveryStore(db),
    changes: new SqliteChangeFeed(db),
    units: new SqliteUnitRepository(db),
    callUps: new SqliteCallUpRepository(db),
    regimes: new SqliteRegimeRepository(db),
    stock: new SqliteStockRepository(db),
    plans: new SqlitePlanRepository(db),
    population: new SqlitePopulationRepository(db),
    planJobs: new SqlitePlanJobRepository(db),
    audit: new SqliteAuditStore(db),
    alertTemplates: new SqliteAlertTemplateStore(db),
    approvalsPush: new SqliteApprovalsPushStore(db),
    close: async () => { if (db.open) db.close(); },
  };
}
export { openDatabase, migrate, type Db } from './db.ts';
