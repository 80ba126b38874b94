// Everything a route needs, built once per process: the composition root's services (src/app/compose.ts) plus what
// capabilities add by declaration merging (`declare module '../context.ts' { interface AppContext { ... } }`).
import type { Store } from '../store/store.ts';
import { Readiness } from './readiness.ts';
import { loadSettings, type Settings } from '../app/config.ts';
import { compose, type CoreServices } from '../app/compose.ts';
import { dataPaths } from '../app/paths.ts';

export interface AppOptions {
  /** Where the data lives: an SQLite file's path or a postgres:// URL (for messages; the store is already open). */
  location: string;
  /** Files shared by every process (signing key, walking graph); default next to an SQLite file. */
  dataDir?: string | null;
  /** Allow the browser console to send session cookies over plain HTTP (development and tests). */
  insecureCookies?: boolean;
  /** Directory with the built web app; served at / when it exists. */
  webRoot?: string;
  /** Settings from the environment (src/app/config.ts); read from it at start when not given. */
  settings?: Settings;
}

export interface AppContext extends CoreServices {
  options: AppOptions;
  /** What the server still waits for (the demo data); /healthz is 503 and /readyz says what until it is done. */
  readiness: Readiness;
}

export async function createContext(store: Store, options: AppOptions): Promise<AppContext> {
  const settings = options.settings ?? loadSettings();
  const core = await compose(store, settings, dataPaths(options.location, options.dataDir ?? settings.dataDir));
  return { ...core, options, readiness: new Readiness() };
}
