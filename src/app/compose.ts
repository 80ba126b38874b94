// The composition root: from a store, the settings and where shared files live, the typed services every edge uses.
// The server (src/server/context.ts extends these with its capabilities), every CLI command and the benchmarks call
// it; nothing else constructs stores.
import { ShelterRegistry } from '../registry/index.ts';
import { Accounts } from '../accounts/index.ts';
import { RegionIndex } from '../geo/index.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { loadSettings, type Settings } from './config.ts';
import { dataPaths, type DataPaths } from './paths.ts';
import { AuditSealer } from '../audit/index.ts';
import { loadOrCreateSigningKey } from '../alerts/signing/keys.ts';

export interface CoreServices {
  store: Store;
  settings: Settings;
  paths: DataPaths;
  registry: ShelterRegistry;
  accounts: Accounts;
  /** Signs the audit log's head with the alert signing key every minute it moved (null when not asked to). */
  auditSealer: AuditSealer | null;
}

export interface ComposeOptions {
  /** Load the shelters into memory now (the server, nearest); an import command does not need to. */
  loadRegistry?: boolean;
  /**
   * Seal the audit log's head now and every AUDIT_SEAL_INTERVAL_MS (default: yes, what a server wants). Commands that
   * run once (openServices) do not: the next server start seals what they wrote.
   */
  sealAudit?: boolean;
}

/** How often a server signs the audit log's head (when it moved): the most a rewrite of the newest entries can hide. */
export const AUDIT_SEAL_INTERVAL_MS = 60_000;

export async function compose(store: Store, settings: Settings, paths: DataPaths, opts: ComposeOptions = {}): Promise<CoreServices> {
  const registry = new ShelterRegistry(store.shelters);
  if (opts.loadRegistry !== false) await registry.load();
  const accounts = new Accounts(store.accounts);
  const { tokenDefaultDays, tokenMaxDays, sessionIdleMinutes, freshSignInMinutes } = settings;
  accounts.configure({
    ...(tokenDefaultDays !== null ? { tokenDefaultDays } : {}), ...(tokenMaxDays !== null ? { tokenMaxDays } : {}),
    ...(sessionIdleMinutes !== null ? { sessionIdleMinutes } : {}), ...(freshSignInMinutes !== null ? { freshSignInMinutes } : {}),
  });
  const auditSealer = opts.sealAudit === false ? null : await startAuditSealing(store, paths);
  return { store, settings, paths, registry, accounts, auditSealer };
}

const warn = (msg: string, err: Error) => console.error(JSON.stringify({ level: 'warn', msg, err: err.message }));
/** The store was closed under the timer (the server stopped): nothing left to seal. */
const CLOSED = /database connection is not open|Cannot use a pool after calling end/;

async function startAuditSealing(store: Store, paths: DataPaths): Promise<AuditSealer> {
  const sealer = new AuditSealer(store.audit, loadOrCreateSigningKey(paths.signingKeyDir), {
    onError: (e) => (CLOSED.test(e.message) ? sealer.stop() : warn('audit: sealing the head failed; tried again in a minute', e)),
  });
  // What commands wrote while no server ran is sealed at start.
  await sealer.sealNow().catch((e: Error) => warn('audit: sealing the head at start failed; tried again in a minute', e));
  sealer.start(AUDIT_SEAL_INTERVAL_MS);
  return sealer;
}

/** Where a command's data is: --database-url, else --db, else DATABASE_URL, else `fallback` (the CLI's ./refuge.db). */
export function storeLocation(flags: { db?: string | null; databaseUrl?: string | null }, settings: Settings, fallback?: string): string {
  if (flags.databaseUrl) {
    if (!/^postgres(ql)?:\/\//i.test(flags.databaseUrl)) throw new Error(`--database-url must be a postgres:// URL`);
    return flags.databaseUrl;
  }
  if (flags.db) return flags.db;
  if (settings.databaseUrl) return settings.databaseUrl;
  if (fallback) return fallback;
  throw new Error('say where the data is: --db FILE (embedded) or --database-url postgres://… (or DATABASE_URL)');
}

/** How a command names its data (flags of every command that reads or writes it). */
export interface StoreFlags {
  db?: string | null;
  databaseUrl?: string | null;
  dataDir?: string | null;
}

/** Opens the store a command names and composes the services over it; close() closes the store. */
export async function openServices(flags: StoreFlags, opts: ComposeOptions & { settings?: Settings; fallback?: string } = {}): Promise<CoreServices & { location: string; close(): Promise<void> }> {
  const settings = opts.settings ?? loadSettings();
  const location = storeLocation(flags, settings, opts.fallback);
  const store = await openStore(location, { schema: settings.pgSchema ?? undefined });
  try {
    const core = await compose(store, settings, dataPaths(location, flags.dataDir ?? settings.dataDir), { ...opts, sealAudit: opts.sealAudit ?? false });
    return { ...core, location, close: () => store.close() };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** The regions as an index (what alerts, units and planning look points up in). */
export async function loadRegionIndex(store: Store): Promise<RegionIndex> {
  return new RegionIndex(await store.regions.all());
}
