// The only reader of the environment. Every setting Refuge takes from it is named, typed and checked here, once,
// when a process starts; everything else receives a Settings object. (Flags are read by the CLI and passed in.)

export type Env = Record<string, string | undefined>;

export interface Settings {
  /** Log level for `refuge serve` (LOG_LEVEL). */
  logLevel: string;
  /** Our CAP <sender> and the name residents see (REFUGE_CAP_SENDER, REFUGE_CAP_SENDER_NAME). */
  capSender: string;
  capSenderName: string;
  /** Let push endpoints and connections reach private addresses: local testing only (REFUGE_PUSH_ALLOW_PRIVATE=1). */
  pushAllowPrivate: boolean;
  /** Extra CA certificates for push services (REFUGE_PUSH_CA_FILE). */
  pushCaFile: string | null;
  /** The VAPID subject (REFUGE_VAPID_SUBJECT). */
  vapidSubject: string;
  /** The bus joining server processes: nats://… or redis://… (REFUGE_ALERT_BUS, REFUGE_ALERT_BUS_TOPIC). */
  alertBus: string | null;
  alertBusTopic: string | null;
  /** MQTT for sirens and displays (REFUGE_MQTT_URL, REFUGE_MQTT_PREFIX, REFUGE_MQTT_CA_FILE). */
  mqttUrl: string | null;
  mqttPrefix: string;
  mqttCaFile: string | null;
  /** The scrape secret for /metrics (REFUGE_METRICS_TOKEN). */
  metricsToken: string | null;
  /** API token lifetimes in days (REFUGE_TOKEN_DAYS, REFUGE_TOKEN_MAX_DAYS). */
  tokenDefaultDays: number | null;
  tokenMaxDays: number | null;
  /** A console session unused this long ends (REFUGE_SESSION_IDLE_MINUTES, default 30). */
  sessionIdleMinutes: number | null;
  /** Approving an Actual alert, issuing a call-up or raising a regime to emergency needs a sign-in this recent (REFUGE_FRESH_SIGN_IN_MINUTES, default 5). */
  freshSignInMinutes: number | null;
  /** Readiness regimes: display names and which levels need a second person (REFUGE_REGIME_NAMES, REFUGE_REGIME_APPROVAL). */
  regimeNames: string | null;
  regimeApproval: string | null;
  /** The public address personal links point to, behind a proxy (REFUGE_PUBLIC_URL), as an origin. */
  publicUrl: string | null;
  /** The shared database, postgres://… (DATABASE_URL); a --database-url or --db flag wins over it. */
  databaseUrl: string | null;
  /** Where files every process shares live: the signing key, the walking graph (REFUGE_DATA_DIR; --data-dir wins). */
  dataDir: string | null;
  /** PostgreSQL schema of this installation (REFUGE_PG_SCHEMA, default public): several can share one database. */
  pgSchema: string | null;
}

export class SettingError extends Error {}

const text = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : v);

function days(env: Env, name: string, unit = 'days'): number | null {
  const v = text(env[name]);
  if (v === null) return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new SettingError(`${name} must be a whole number of ${unit}, at least 1 (got ${v})`);
  return n;
}

function origin(env: Env, name: string): string | null {
  const v = text(env[name]);
  if (v === null) return null;
  try {
    return new URL(v).origin;
  } catch {
    throw new SettingError(`${name}: ${JSON.stringify(v)} is not a URL`);
  }
}

function databaseUrl(env: Env): string | null {
  const v = text(env.DATABASE_URL);
  if (v !== null && !/^postgres(ql)?:\/\//i.test(v)) throw new SettingError(`DATABASE_URL must be a postgres:// URL (got ${v.split('@').pop()})`);
  return v;
}

function schemaName(env: Env): string | null {
  const v = text(env.REFUGE_PG_SCHEMA);
  if (v !== null && !/^[a-z_][a-z0-9_]*$/.test(v)) throw new SettingError(`REFUGE_PG_SCHEMA must be a lower-case SQL name (got ${v})`);
  return v;
}

/** Reads and checks every setting; throws a SettingError naming the variable that is wrong. */
export function loadSettings(env: Env = process.env): Settings {
  return {
    logLevel: text(env.LOG_LEVEL) ?? 'info',
    capSender: env.REFUGE_CAP_SENDER ?? 'alerts@refuge.local',
    capSenderName: text(env.REFUGE_CAP_SENDER_NAME) ?? 'Refuge',
    pushAllowPrivate: env.REFUGE_PUSH_ALLOW_PRIVATE === '1',
    pushCaFile: text(env.REFUGE_PUSH_CA_FILE),
    vapidSubject: env.REFUGE_VAPID_SUBJECT ?? 'mailto:alerts@refuge.local',
    alertBus: text(env.REFUGE_ALERT_BUS),
    alertBusTopic: text(env.REFUGE_ALERT_BUS_TOPIC),
    mqttUrl: text(env.REFUGE_MQTT_URL),
    mqttPrefix: env.REFUGE_MQTT_PREFIX ?? 'refuge/alerts',
    mqttCaFile: text(env.REFUGE_MQTT_CA_FILE),
    metricsToken: text(env.REFUGE_METRICS_TOKEN),
    tokenDefaultDays: days(env, 'REFUGE_TOKEN_DAYS'),
    tokenMaxDays: days(env, 'REFUGE_TOKEN_MAX_DAYS'),
    sessionIdleMinutes: days(env, 'REFUGE_SESSION_IDLE_MINUTES', 'minutes'),
    freshSignInMinutes: days(env, 'REFUGE_FRESH_SIGN_IN_MINUTES', 'minutes'),
    regimeNames: text(env.REFUGE_REGIME_NAMES),
    regimeApproval: text(env.REFUGE_REGIME_APPROVAL),
    publicUrl: origin(env, 'REFUGE_PUBLIC_URL'),
    databaseUrl: databaseUrl(env),
    dataDir: text(env.REFUGE_DATA_DIR),
    pgSchema: schemaName(env),
  };
}
