// The Store: every port the capabilities define, as one aggregate that openStore() builds for SQLite or PostgreSQL.
// A port method owns its transaction; no driver type or transaction object crosses this boundary, so the domain and
// the composition root work the same over an embedded file and a shared database.
import type { ShelterRepository } from '../registry/ports.ts';
import type { AccountRepository } from '../accounts/ports.ts';
import type { ReportRepository } from '../reports/ports.ts';
import type { RegionRepository } from '../geo/ports.ts';
import type { AlertStore, TrustedAuthorityStore } from '../alerts/lifecycle/ports.ts';
import type { OutboxStore, PushStore, ReachStore } from '../alerts/delivery/ports.ts';
import type { UnitRepository, CallUpRepository, RegimeRepository } from '../units/ports.ts';
import type { StockRepository } from '../stock/ports.ts';
import type { PlanJobRepository, PlanRepository, PopulationRepository } from '../planning/ports.ts';
import type { AuditStore } from '../audit/ports.ts';
import type { AlertTemplateStore } from '../alerts/templates/ports.ts';
import type { ApprovalsPushStore } from '../alerts/approvals/ports.ts';

/** What other processes (or this one) committed: enough for a process to refresh its in-memory indexes. */
export interface StoreChanges {
  /** Shelters written since the last notice: their ids, or 'many' (a reload beats reading each). */
  shelters: string[] | 'many';
  wardens: boolean;
  regions: boolean;
}

/**
 * Tells a process what was committed through any process sharing the store, within about a second (SQLite: a poll
 * of PRAGMA data_version; PostgreSQL: LISTEN/NOTIFY). Our own writes may be reported too; callers compare versions.
 */
export interface ChangeFeed {
  subscribe(onChange: (changes: StoreChanges) => void | Promise<void>): Promise<() => Promise<void>>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the data lives, safe to log (a path, or a URL without its password). */
  readonly location: string;
  shelters: ShelterRepository;
  accounts: AccountRepository;
  reports: ReportRepository;
  regions: RegionRepository;
  alerts: AlertStore;
  outbox: OutboxStore;
  trust: TrustedAuthorityStore;
  push: PushStore;
  reach: ReachStore;
  changes: ChangeFeed;
  units: UnitRepository;
  callUps: CallUpRepository;
  regimes: RegimeRepository;
  stock: StockRepository;
  plans: PlanRepository;
  population: PopulationRepository;
  /** Planning jobs, read and run by any process sharing the store (issue 11). */
  planJobs: PlanJobRepository;
  /** The tamper-evident log of every change to the audited tables (src/audit), written by the store in each change's transaction. */
  audit: AuditStore;
  /** Overrides of the built-in alert wording (src/alerts/templates). */
  alertTemplates: AlertTemplateStore;
  /** Staff devices for approval notifications, the waiting drafts, the test push's per-device claim (issue 14). */
  approvalsPush: ApprovalsPushStore;
  close(): Promise<void>;
}

/** Error codes and messages meaning "the database cannot be reached now" (network, restart, failover, pool timeout). */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'SQLITE_BUSY']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)|Cannot use a pool after calling end/i;

/**
 * Whether an error means the store is unreachable rather than that the request was wrong: the edge then answers 503
 * ("nothing was done, try again") instead of a bare 500, so an operator issuing an alert knows it did not go out.
 */
export function isStoreUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message);
}
