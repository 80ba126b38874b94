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
import type { PlanRepository, PopulationRepository } from '../planning/ports.ts';

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
  close(): Promise<void>;
}
