// Everything a route needs, built once per process. Capabilities add their own services to it by declaration
// merging (`declare module '../context.ts' { interface AppContext { ... } }`) in their capability module.
import type { SqliteStore } from '../store/sqlite/index.ts';
import { ShelterRegistry } from '../registry/index.ts';
import { Accounts } from '../accounts/index.ts';
import { Readiness } from './readiness.ts';
import { loadSettings, type Settings } from '../app/config.ts';

export interface AppOptions {
  /** Where the database file lives; capabilities keep side files (graph, keys) next to it. */
  dbPath: string;
  /** Allow the browser console to send session cookies over plain HTTP (development and tests). */
  insecureCookies?: boolean;
  /** Directory with the built web app; served at / when it exists. */
  webRoot?: string;
  /** Settings from the environment (src/app/config.ts); read from it at start when not given. */
  settings?: Settings;
}

export interface AppContext {
  options: AppOptions;
  store: SqliteStore;
  registry: ShelterRegistry;
  accounts: Accounts;
  /** What the server still waits for (the demo data); /healthz is 503 and /readyz says what until it is done. */
  readiness: Readiness;
  /** Every setting this process runs with (src/app/config.ts is the only reader of the environment). */
  settings: Settings;
}

export async function createContext(store: SqliteStore, options: AppOptions): Promise<AppContext> {
  const registry = new ShelterRegistry(store.shelters);
  await registry.load();
  return { options, store, registry, accounts: new Accounts(store.accounts), readiness: new Readiness(), settings: options.settings ?? loadSettings() };
}
