// The services of one server process: the composition root's (src/app/compose.ts) and, once each capability has
// started, its own, each listed here by name and type. Routes never see this object: a capability registers its
// route plugins with the services they use as plugin options (capabilities/*.ts).
import type { Store } from '../store/store.ts';
import { Readiness } from './readiness.ts';
import { loadSettings, type Settings } from '../app/config.ts';
import { compose, type CoreServices } from '../app/compose.ts';
import { dataPaths } from '../app/paths.ts';
import type { RegionIndex } from '../geo/index.ts';
import type { ReportService } from '../reports/index.ts';
import type { NetworkService } from '../app/services/network.ts';
import type { AlertDeliveryServices } from '../app/services/alert-delivery.ts';
import type { UnitsServices } from '../app/services/units.ts';
import type { StockServices } from '../app/services/stock.ts';
import type { PlanningService } from '../app/services/planning.ts';

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
  /** Follow other processes' writes (default true); tests that count reloads turn it off. */
  followExternalChanges?: boolean;
  /** Deprecated spelling kept for callers: 0 turns following off. */
  externalChangePollMs?: number;
  /** How often the alert stream hub is checked against the outbox (ms, default 2000; 0 = never). */
  alertHubReconcileMs?: number;
}

export interface AppContext extends CoreServices {
  options: AppOptions;
  /** What the server still waits for (the demo data); /healthz is 503 and /readyz says what until it is done. */
  readiness: Readiness;
  // Set by their capabilities when they start (absent when a server runs without that capability):
  /** Point -> regions (regions capability); replaced as a whole when regions are re-imported. */
  regions?: RegionIndex;
  /** The public half of the CAP signing key (regions capability). */
  signingPublicKey?: { keyId: string; publicKeyPem: string };
  reports?: ReportService;
  network?: NetworkService;
  alertDelivery?: AlertDeliveryServices;
  units?: UnitsServices;
  stock?: StockServices;
  planning?: PlanningService;
}

export async function createContext(store: Store, options: AppOptions): Promise<AppContext> {
  const settings = options.settings ?? loadSettings();
  const core = await compose(store, settings, dataPaths(options.location, options.dataDir ?? settings.dataDir));
  return { ...core, options, readiness: new Readiness() };
}
