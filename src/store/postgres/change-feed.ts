// What other processes committed, from PostgreSQL: triggers (030_change_feed.sql) NOTIFY on a channel of this
// schema; each subscription LISTENs on a dedicated connection (a pooled one would be handed to queries and lose the
// LISTEN), gathers the notices of a short window into one StoreChanges, and reconnects by itself. Notices sent while
// it was disconnected are lost, so after a reconnect it reports everything as changed.
import pg from 'pg';
import type { ChangeFeed, StoreChanges } from '../store.ts';

export interface PostgresChangeFeedOptions {
  /** Notices arriving within this window after the first are reported together (ms). */
  debounceMs?: number;
  /** Past this many changed shelters, report 'many' (a reload beats reading each). */
  manyShelters?: number;
  /** First wait before reconnecting (ms); doubles up to 10 s while the database stays away. */
  reconnectMs?: number;
}

const EVERYTHING = (): StoreChanges => ({ shelters: 'many', wardens: true, regions: true });

export class PostgresChangeFeed implements ChangeFeed {
  constructor(private readonly pool: pg.Pool, private readonly options: PostgresChangeFeedOptions = {}) {}

  async subscribe(onChange: (changes: StoreChanges) => void | Promise<void>): Promise<() => Promise<void>> {
    const s = new Subscription(this.pool.options, onChange, this.options);
    await s.start();
    return () => s.stop();
  }
}

class Subscription {
  private client: pg.Client | null = null;
  private schema = '';
  private stopped = false;
  private pending: { shelters: Set<string> | 'many'; wardens: boolean; regions: boolean } | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly debounceMs: number;
  private readonly manyShelters: number;
  private readonly reconnectMs: number;

  constructor(private readonly config: pg.ClientConfig, private readonly onChange: (changes: StoreChanges) => void | Promise<void>, options: PostgresChangeFeedOptions) {
    this.debounceMs = options.debounceMs ?? 150;
    this.manyShelters = options.manyShelters ?? 2000;
    this.reconnectMs = options.reconnectMs ?? 250;
  }

  /** The first connection must succeed: a feed that cannot listen at start is a configuration error. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    // The pool's settings (URL, search_path of this installation); keepAlive so a silently dropped link is noticed.
    const client = new pg.Client({ ...this.config, application_name: 'refuge-change-feed', keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    client.on('error', () => {}); // followed by 'end', handled there
    client.on('notification', (n) => this.notice(n));
    try {
      await client.connect();
      this.schema = (await client.query('SELECT current_schema() AS s')).rows[0].s;
      await client.query(`LISTEN "${channelOf(this.schema).replaceAll('"', '""')}"`);
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    client.on('end', () => {
      if (this.client !== client || this.stopped) return;
      this.client = null;
      this.reconnect(this.reconnectMs);
    });
  }

  private reconnect(waitMs: number): void {
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stopped) return;
      this.connect().then(() => {
        if (!this.stopped) this.add(EVERYTHING()); // notices sent while away are lost
      }, (err) => {
        console.error(JSON.stringify({ level: 'warn', msg: 'change feed: reconnecting to PostgreSQL failed', err: String(err) }));
        this.reconnect(Math.min(waitMs * 2, 10_000));
      });
    }, waitMs);
  }

  private notice(n: pg.Notification): void {
    const payload = n.payload ?? '';
    const [schema, kind] = payload.split(' ', 2);
    if (schema !== this.schema) return; // a longer schema name truncated to the same channel
    if (kind === 'shelter') this.add({ shelters: [payload.slice(schema.length + ' shelter '.length)], wardens: false, regions: false });
    else if (kind === 'shelters') this.add({ shelters: 'many', wardens: false, regions: false });
    else if (kind === 'wardens') this.add({ shelters: [], wardens: true, regions: false });
    else if (kind === 'regions') this.add({ shelters: [], wardens: false, regions: true });
  }

  private add(c: StoreChanges): void {
    const p = (this.pending ??= { shelters: new Set(), wardens: false, regions: false });
    if (c.shelters === 'many') p.shelters = 'many';
    else if (p.shelters !== 'many') {
      for (const id of c.shelters) p.shelters.add(id);
      if (p.shelters.size > this.manyShelters) p.shelters = 'many';
    }
    p.wardens ||= c.wardens;
    p.regions ||= c.regions;
    this.schedule();
  }

  /** The window starts at the first notice (not the last), so a steady stream of writes is still reported. */
  private schedule(): void {
    if (this.flushTimer || this.running || this.stopped) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      const p = this.pending;
      this.pending = null;
      if (!p || this.stopped) return;
      const changes: StoreChanges = { shelters: p.shelters === 'many' ? 'many' : [...p.shelters], wardens: p.wardens, regions: p.regions };
      this.running = (async () => {
        try {
          await this.onChange(changes);
        } catch (err) {
          console.error(JSON.stringify({ level: 'error', msg: 'change feed: handling a change failed', err: String(err) }));
        }
      })().finally(() => {
        this.running = null;
        if (this.pending) this.schedule(); // what arrived meanwhile
      });
    }, this.debounceMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
    await this.running;
  }
}

/** The channel the triggers notify: a name is at most 63 bytes, cut as 030_change_feed.sql cuts it. */
function channelOf(schema: string): string {
  return `refuge_changes_${schema}`.slice(0, 63);
}
