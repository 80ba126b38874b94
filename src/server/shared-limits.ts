// Rate limits and sign-in throttling that hold across every `refuge serve` sharing one PostgreSQL database, instead of
// each process counting its own share (N processes behind a balancer would otherwise allow N times the limit).
//
// Request rates: every public request is rate limited, so a database write per request would make PostgreSQL the
// bottleneck at exactly the moment a million phones ask for the nearest shelter. Each process therefore counts in
// memory and, every `syncMs`, adds its new hits to a shared row per key and fixed window and reads back the total of
// all processes. A request is judged on that total plus this process's hits since; what the processes can admit
// together above a limit is bounded by what arrives within one sync interval. Windows are fixed and aligned to the
// clock (floor(now / window)), so processes agree on a window without talking to each other. If the database is
// away, hits stay in memory (limits still hold per process) and are added when it is back.
//
// Sign-in throttling: sign-ins are rare and already read the database, so failures are counted there directly.
//
// Only hashes of keys (they contain client addresses and user names) are stored. The tables are UNLOGGED: counts
// need not survive a database crash. They are created on first use (CREATE ... IF NOT EXISTS in the installation's
// schema), so this works with any set of migrations; SHARED_LIMITS_DDL can equally be moved to a migration file.
import { createHash } from 'node:crypto';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';

/** What is needed of a database connection pool (pg.Pool fits); no driver type crosses this module. */
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: any[] }>;
}

export const SHARED_LIMITS_DDL = `
CREATE UNLOGGED TABLE IF NOT EXISTS rate_limit_hits (
  key TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  expires_ms BIGINT NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX IF NOT EXISTS rate_limit_hits_expiry ON rate_limit_hits(expires_ms);
CREATE UNLOGGED TABLE IF NOT EXISTS login_failures (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  until_ms BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL
);`;

const hashKey = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 32);

/** Creates the tables once per pool; two processes starting at once may race on CREATE, which is then retried. */
const ensured = new WeakMap<Queryable, Promise<void>>();
function ensureTables(db: Queryable): Promise<void> {
  let p = ensured.get(db);
  if (!p) {
    p = (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await db.query(SHARED_LIMITS_DDL);
          return;
        } catch (err) {
          // 23505/42P07: another process created the same table or type at the same moment.
          const code = (err as { code?: string }).code;
          if (attempt < 3 && (code === '23505' || code === '42P07')) continue;
          throw err;
        }
      }
    })();
    p.catch(() => ensured.delete(db)); // the next use tries again (database away at start)
    ensured.set(db, p);
  }
  return p;
}

export interface SharedRateCounterOptions {
  /** How often hits are added to the shared counts and the totals read back (ms, default 250). */
  syncMs?: number;
  now?: () => number;
  log?: (msg: string, err?: unknown) => void;
}

interface Entry {
  windowStart: number;
  windowMs: number;
  /** The limit last asked about (0: unknown). */
  max: number;
  /** All processes' hits as of the last sync (including ours flushed by then). */
  shared: number;
  /** Our hits not yet sent, and those being sent now. */
  pending: number;
  inFlight: number;
}

/** The answer @fastify/rate-limit expects from a store: the count in this window and ms until it ends. */
export interface RateLimitCount {
  current: number;
  ttl: number;
}

/** Hit counts per key and fixed window, shared by every process through the database (see the top of this file). */
export class SharedRateCounter implements HitCounter {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly syncMs: number;
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private lastCleanup = 0;
  readonly stats = { syncs: 0, failures: 0 };

  constructor(private readonly db: Queryable, private readonly o: SharedRateCounterOptions = {}) {
    this.now = o.now ?? Date.now;
    this.syncMs = o.syncMs ?? 250;
  }

  start(): this {
    if (!this.timer) {
      this.timer = setInterval(() => void this.sync(), this.syncMs);
      this.timer.unref();
    }
    return this;
  }

  /** Counts one hit and says where the key stands; synchronous, no database round trip. */
  hit(key: string, windowMs: number, max = 0): RateLimitCount {
    const e = this.entry(key, windowMs);
    e.pending++;
    e.max = max;
    return { current: e.shared + e.inFlight + e.pending, ttl: e.windowStart + windowMs - this.now() };
  }

  /** Where the key stands, without counting a hit. */
  peek(key: string, windowMs: number): RateLimitCount {
    const nowMs = this.now();
    const e = this.entries.get(key);
    if (!e || e.windowStart !== windowStartOf(nowMs, windowMs)) return { current: 0, ttl: 0 };
    return { current: e.shared + e.inFlight + e.pending, ttl: e.windowStart + windowMs - nowMs };
  }

  /** Adds this process's new hits to the shared counts and reads back the totals (one statement); runs one at a time. */
  sync(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const nowMs = this.now();
    const batch: Array<{ key: string; e: Entry; n: number }> = [];
    for (const [key, e] of this.entries) {
      if (e.windowStart + e.windowMs <= nowMs) {
        if (e.pending === 0 && e.inFlight === 0) this.entries.delete(key);
      } else if (e.pending > 0) batch.push({ key, e, n: e.pending });
      // A key halfway to its limit is read back even without new hits here: its next request through this process
      // is judged on what the others counted meanwhile. Quiet keys (nearly all) cost nothing.
      else if (e.inFlight === 0 && 2 * e.shared >= e.max) batch.push({ key, e, n: 0 });
    }
    if (batch.length === 0) return this.cleanup(nowMs);
    for (const b of batch) {
      b.e.pending -= b.n;
      b.e.inFlight += b.n;
    }
    try {
      await ensureTables(this.db);
      // Rows locked in key order, so two processes adding to the same keys never deadlock.
      const rows = (await this.db.query(`INSERT INTO rate_limit_hits (key, window_start, expires_ms, hits)
          SELECT b.key, b.window_start, b.expires_ms, b.hits FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::int[]) AS b(key, window_start, expires_ms, hits)
          ORDER BY b.key, b.window_start
        ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_hits.hits + excluded.hits
        RETURNING key, window_start::float8 AS window_start, hits`, [
        batch.map((b) => hashKey(b.key)), batch.map((b) => b.e.windowStart), batch.map((b) => b.e.windowStart + b.e.windowMs), batch.map((b) => b.n),
      ])).rows as Array<{ key: string; window_start: number; hits: number }>;
      const totals = new Map(rows.map((r) => [`${r.key} ${r.window_start}`, r.hits]));
      for (const b of batch) {
        b.e.inFlight -= b.n;
        const total = totals.get(`${hashKey(b.key)} ${b.e.windowStart}`);
        if (total !== undefined) b.e.shared = total;
      }
      this.stats.syncs++;
    } catch (err) {
      // Kept for the next sync; meanwhile the limit holds on this process's own count.
      for (const b of batch) {
        b.e.inFlight -= b.n;
        b.e.pending += b.n;
      }
      this.stats.failures++;
      this.o.log?.('rate limits: adding hits to the shared counts failed, will retry', err);
      return;
    }
    await this.cleanup(nowMs);
  }

  /** Forgets ended windows, once a minute, whichever process comes first. */
  private async cleanup(nowMs: number): Promise<void> {
    if (nowMs - this.lastCleanup < 60_000) return;
    this.lastCleanup = nowMs;
    try {
      await ensureTables(this.db);
      await this.db.query('DELETE FROM rate_limit_hits WHERE expires_ms < $1', [nowMs]);
      await this.db.query('DELETE FROM login_failures WHERE until_ms < $1 AND updated_ms < $2', [nowMs, nowMs - LOGIN_FAILURES_KEPT_MS]);
    } catch (err) {
      this.o.log?.('rate limits: removing ended windows failed', err);
    }
  }

  /** Sends what is left and stops syncing. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.syncing;
    await this.sync().catch(() => {});
  }

  private entry(key: string, windowMs: number): Entry {
    const ws = windowStartOf(this.now(), windowMs);
    let e = this.entries.get(key);
    if (!e || e.windowStart !== ws || e.windowMs !== windowMs) {
      // A new window: hits of the old one still unsent are dropped with it (they no longer count anywhere).
      e = { windowStart: ws, windowMs, max: 0, shared: 0, pending: 0, inFlight: 0 };
      this.entries.set(key, e);
    }
    return e;
  }
}

/** What a request limit needs of a counter: SharedRateCounter (PostgreSQL, all processes) or LocalRateCounter. */
export interface HitCounter {
  hit(key: string, windowMs: number, max?: number): RateLimitCount;
}

/**
 * Hit counts per key and fixed window in this process's memory: exact where one process owns the database (SQLite).
 * Windows are aligned to the clock as SharedRateCounter's are; ended ones are forgotten as keys are counted.
 */
export class LocalRateCounter implements HitCounter {
  private readonly entries = new Map<string, { windowStart: number; windowMs: number; hits: number }>();
  private lastPrune = 0;

  constructor(private readonly now: () => number = Date.now) {}

  hit(key: string, windowMs: number): RateLimitCount {
    const nowMs = this.now();
    if (nowMs - this.lastPrune >= 60_000) {
      this.lastPrune = nowMs;
      for (const [k, e] of this.entries) if (e.windowStart + e.windowMs <= nowMs) this.entries.delete(k);
    }
    const ws = windowStartOf(nowMs, windowMs);
    let e = this.entries.get(key);
    if (!e || e.windowStart !== ws || e.windowMs !== windowMs) {
      e = { windowStart: ws, windowMs, hits: 0 };
      this.entries.set(key, e);
    }
    e.hits++;
    return { current: e.hits, ttl: ws + windowMs - nowMs };
  }
}

function windowStartOf(nowMs: number, windowMs: number): number {
  return Math.floor(nowMs / windowMs) * windowMs;
}

type Callback = (err: Error | null, res: RateLimitCount) => void;
type RouteInfo = { routeInfo?: { method?: string | string[]; url?: string } };

/**
 * The `store` option of @fastify/rate-limit over a shared counter. Each route counts apart, as the plugin's own
 * store does (its key is prefixed with the route's method and URL). continueExceeding, exponentialBackoff and ban are
 * not supported (Refuge uses none of them).
 */
export function sharedRateLimitStore(counter: SharedRateCounter): FastifyRateLimitStoreCtor {
  return class SharedRateLimitStore implements FastifyRateLimitStore {
    constructor(_params?: unknown, private readonly prefix = '') {}
    incr(key: string, cb: Callback, timeWindow: number, max: number): void {
      cb(null, counter.hit(this.prefix + key, timeWindow, max));
    }
    read(key: string, cb: Callback, timeWindow: number): void {
      cb(null, counter.peek(this.prefix + key, timeWindow));
    }
    child(routeOptions: object): SharedRateLimitStore {
      const r = (routeOptions as RouteInfo).routeInfo ?? {};
      return new SharedRateLimitStore(undefined, `${[r.method ?? ''].flat().join(',')} ${r.url ?? ''}\n`);
    }
  };
}

/** How long failures are remembered after the last one once their wait is over (the in-memory throttle keeps them until a success). */
const LOGIN_FAILURES_KEPT_MS = 24 * 3600_000;

/** The sign-in throttle's interface, async so it can be shared (src/server/routes/auth.ts has an in-memory one). */
export interface LoginThrottlePort {
  /** Seconds to wait before another attempt for this key (0: go ahead). */
  retryAfter(key: string, now?: number): Promise<number>;
  fail(key: string, now?: number): Promise<void>;
  succeed(key: string): Promise<void>;
}

/**
 * The sign-in throttle of routes/auth.ts on the shared database: after 5 failures for a key (name and address), waits
 * 1 s, then double each time up to 15 minutes, whichever process the attempts come through. One statement per
 * call, atomic under concurrent failures.
 */
export class SharedLoginThrottle implements LoginThrottlePort {
  constructor(private readonly db: Queryable) {}

  async retryAfter(key: string, now = Date.now()): Promise<number> {
    await ensureTables(this.db);
    const row = (await this.db.query('SELECT until_ms::float8 AS until_ms FROM login_failures WHERE key = $1', [hashKey(key)])).rows[0] as { until_ms: number } | undefined;
    return row && row.until_ms > now ? Math.ceil((row.until_ms - now) / 1000) : 0;
  }

  async fail(key: string, now = Date.now()): Promise<void> {
    await ensureTables(this.db);
    await this.db.query(`INSERT INTO login_failures AS f (key, failures, until_ms, updated_ms) VALUES ($1, 1, 0, $2)
      ON CONFLICT (key) DO UPDATE SET failures = f.failures + 1, updated_ms = $2,
        until_ms = CASE WHEN f.failures + 1 >= 5 THEN $2 + LEAST(900000, 1000 * power(2, LEAST(f.failures + 1 - 5, 20)))::bigint ELSE f.until_ms END`, [hashKey(key), now]);
  }

  async succeed(key: string): Promise<void> {
    await ensureTables(this.db);
    await this.db.query('DELETE FROM login_failures WHERE key = $1', [hashKey(key)]);
  }
}

/** The shared limits for a store, or null when one process owns the database (SQLite: memory is exact and cheaper). */
export function sharedLimitsFor(store: { kind: string }, options: SharedRateCounterOptions = {}): { counter: SharedRateCounter; store: FastifyRateLimitStoreCtor; login: SharedLoginThrottle } | null {
  const pool = (store as { pool?: Queryable }).pool;
  if (store.kind !== 'postgres' || !pool) return null;
  const counter = new SharedRateCounter(pool, options).start();
  return { counter, store: sharedRateLimitStore(counter), login: new SharedLoginThrottle(pool) };
}
