// Fans events out to Server-Sent-Event clients by region. Every event keeps its outbox seq as SSE id, and the hub
// keeps a log of live (unexpired) events, so a client that reconnects with Last-Event-ID gets exactly the events
// after that id for its regions, once. Each frame is serialised once, whatever the number of clients.
import { isExpired } from '../lifecycle/alert-event.ts';
import type { RegionDirectory } from '../lifecycle/ports.ts';
import { withAncestors } from '../lifecycle/regions.ts';
import type { AlertEvent, OutboxEntry, ReachRow } from './ports.ts';

/** Where a client's bytes go: a raw HTTP response in the server, a string buffer in tests. */
export interface SseSink {
  /** Frames come as one shared Buffer per event: encoded once, written to every client as is. */
  write(chunk: string | Buffer): boolean;
  end(): void;
  /** Bytes queued but not yet sent; a client that falls too far behind is dropped and catches up by reconnecting. */
  readonly writableLength?: number;
}

export interface SseHubOptions {
  regions: RegionDirectory;
  heartbeatMs?: number;
  /** Reconnect delay suggested to clients (SSE "retry:"). */
  retryMs?: number;
  maxBufferedBytes?: number;
  maxLogEvents?: number;
  now?: () => number;
}

interface LoggedEvent {
  event: AlertEvent;
  frame: Buffer;
}

interface Client {
  sink: SseSink;
  /** Subscribed codes plus their ancestors; null = every region. */
  codes: Set<string> | null;
  mark: number;
  /** Counted in the reach figures (residents, broadcasters); staff consoles watching the figures are not. */
  counted: boolean;
  /** Who this client is, for counting distinct clients (shared by every stream with the same client key). */
  identity: Identity;
}

/** One client as the reach figures count it, whatever the number of its streams. */
interface Identity {
  key: string;
  address: AddressState;
  /** The highest seq this client was counted for: events arrive (and replay) in seq order, so anything at or below it was counted. */
  maxSeq: number;
  /** Open streams; an identity without any is forgotten IDENTITY_IDLE_MS after its last one closed. */
  streams: number;
  idleSince: number;
}

/** Clients of one network address counted per event, up to MAX_REACH_PER_ADDRESS. */
interface AddressState {
  key: string;
  /** Fast path: the event counted last and its count (fan-out counts one event at a time); others in `counts`. */
  seq: number;
  n: number;
  counts: Map<number, number>;
  identities: number;
}

/** How long a client's identity outlives its last stream, so a page that reloads is not counted again. */
const IDENTITY_IDLE_MS = 120_000;

export interface ConnectOptions {
  /** Counted in the reach figures (default true); a signed-in staff console is not. */
  counted?: boolean;
  /**
   * Identifies the client across its streams (e.g. a hash of its address, user agent and the client id its page keeps),
   * so reconnects and parallel streams of one client count once. Default: every stream is its own client.
   */
  clientKey?: string;
  /** Identifies the client's network address; at most MAX_REACH_PER_ADDRESS clients of one address count. Default: the client key. */
  addressKey?: string;
}

/**
 * At most this many distinct clients of one network address count towards an event's reach, so one machine opening
 * thousands of streams cannot inflate the figure (a household or office behind one address rarely has more; a carrier
 * NAT does, and is then under-counted: the figure is a lower bound).
 */
export const MAX_REACH_PER_ADDRESS = 16;

export const ALL_REGIONS = '*';

export class SseHub {
  private readonly o: Required<Omit<SseHubOptions, 'regions'>> & { regions: RegionDirectory };
  /** Live events in seq order. */
  private readonly log: LoggedEvent[] = [];
  private readonly seen = new Set<number>();
  private readonly replacedAlerts = new Set<string>();
  private readonly byRegion = new Map<string, Set<Client>>();
  private readonly everywhere = new Set<Client>();
  private readonly clients = new Set<Client>();
  private dispatchMark = 0;
  /** Distinct clients each event was written to by this process (live and replayed), for the operator console. */
  private readonly reached = new Map<number, number>();
  /** Clients by key and addresses by key, for counting distinct clients (see ConnectOptions). */
  private readonly identities = new Map<string, Identity>();
  private readonly addresses = new Map<string, AddressState>();
  private anonymous = 0;
  /** When this process first wrote each event to a client (ms). */
  private readonly firstWritten = new Map<number, number>();
  /** Final counts of events pruned since the last reachRows() call, so a reporter still records them once. */
  private retired: ReachRow[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  readonly stats = { accepted: 0, duplicates: 0, expiredOnArrival: 0, framesWritten: 0, dropped: 0, lastFanoutMs: 0, lastFanoutClients: 0 };

  constructor(options: SseHubOptions) {
    this.o = {
      heartbeatMs: 15_000, retryMs: 2000, maxBufferedBytes: 1 << 20, maxLogEvents: 10_000, now: Date.now, ...options,
    };
    this.heartbeat = setInterval(() => this.beat(), this.o.heartbeatMs);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Loads events committed before this process started (from the outbox), so replay survives restarts. */
  warm(entries: OutboxEntry[]): void {
    for (const e of entries) this.record(e.event);
  }

  /** Whether this hub holds the event (live in its log). */
  has(seq: number): boolean {
    return this.seen.has(seq);
  }

  /** An event from the bus. Returns false for a duplicate or an expired event, which nobody receives. */
  accept(event: AlertEvent): boolean {
    const logged = this.record(event);
    if (!logged) return false;
    this.stats.accepted++;
    const started = performance.now();
    const mark = ++this.dispatchMark;
    let sent = 0;
    let reached = 0;
    const seq = event.seq;
    const send = (c: Client) => {
      if (c.mark === mark) return;
      c.mark = mark;
      sent++;
      if (c.counted && this.firstReach(seq, c)) reached++;
      this.write(c, logged.frame);
    };
    for (const c of this.everywhere) send(c);
    for (const r of event.regions) {
      const set = this.byRegion.get(r.code);
      if (set) for (const c of set) send(c);
    }
    this.countReach(event.seq, reached);
    this.stats.lastFanoutMs = performance.now() - started;
    this.stats.lastFanoutClients = sent;
    return true;
  }

  /**
   * Opens a stream. With `lastEventId`, sends every live event after it for these regions (what was missed);
   * without, sends the alerts in force now. Replay and registration happen in one synchronous step, so no
   * event can fall between them or arrive twice.
   */
  connect(sink: SseSink, regionCodes: string[], lastEventId: number | null, opts: ConnectOptions = {}): () => void {
    const codes = regionCodes.includes(ALL_REGIONS) ? null : withAncestors(this.o.regions, regionCodes);
    const counted = opts.counted ?? true;
    const clientKey = opts.clientKey ?? `stream:${++this.anonymous}`;
    const client: Client = { sink, codes, mark: 0, counted, identity: this.identityOf(clientKey, opts.addressKey ?? clientKey) };
    client.identity.streams++;
    const head: Buffer[] = [Buffer.from(`retry: ${this.o.retryMs}\n: connected\n\n`)];
    const nowMs = this.o.now();
    for (const l of this.log) {
      const e = l.event;
      if (isExpired(e, nowMs) || !this.matches(client, e)) continue;
      if (lastEventId !== null ? e.seq > lastEventId : this.inForce(e)) {
        head.push(l.frame);
        if (counted && this.firstReach(e.seq, client)) this.countReach(e.seq, 1);
      }
    }
    this.clients.add(client);
    if (codes === null) this.everywhere.add(client);
    else for (const c of codes) {
      let set = this.byRegion.get(c);
      if (!set) this.byRegion.set(c, (set = new Set()));
      set.add(client);
    }
    this.write(client, head.length === 1 ? head[0] : Buffer.concat(head));
    return () => this.remove(client);
  }

  /** How many stream clients of this process an event was written to. */
  reachedCount(seq: number): number {
    return this.reached.get(seq) ?? this.retired.find((r) => r.seq === seq)?.reached ?? 0;
  }

  /** This process's reach for an event it still holds (live, or pruned but not yet reported), else null. */
  reachOf(seq: number): ReachRow | null {
    const n = this.reached.get(seq);
    if (n !== undefined) return { seq, reached: n, firstMs: this.firstWritten.get(seq) ?? null };
    return this.retired.find((r) => r.seq === seq) ?? null;
  }

  /**
   * This process's reach for every live event (zero included), plus the final figures of events pruned since the
   * last call: what a reporter writes to the shared store.
   */
  reachRows(): ReachRow[] {
    const rows: ReachRow[] = this.retired;
    this.retired = [];
    for (const [seq, reached] of this.reached) rows.push({ seq, reached, firstMs: this.firstWritten.get(seq) ?? null });
    return rows;
  }

  private identityOf(key: string, addressKey: string): Identity {
    let id = this.identities.get(key);
    if (id) return id;
    let address = this.addresses.get(addressKey);
    if (!address) this.addresses.set(addressKey, (address = { key: addressKey, seq: -1, n: 0, counts: new Map(), identities: 0 }));
    address.identities++;
    id = { key, address, maxSeq: -1, streams: 0, idleSince: 0 };
    this.identities.set(key, id);
    return id;
  }

  /**
   * True when this client has not been counted for this event yet and its address is under its cap. Constant time
   * and allocation-free on the fan-out path: the fan-out to 50,000 clients stays a loop of property reads.
   */
  private firstReach(seq: number, c: Client): boolean {
    const id = c.identity;
    if (seq <= id.maxSeq) return false;
    const a = id.address;
    // The only client of its address cannot exceed the cap.
    if (a.identities === 1) {
      id.maxSeq = seq;
      return true;
    }
    if (a.seq !== seq) {
      if (a.seq >= 0) a.counts.set(a.seq, a.n);
      a.n = a.counts.get(seq) ?? 0;
      a.seq = seq;
    }
    if (a.n >= MAX_REACH_PER_ADDRESS) return false;
    a.n++;
    id.maxSeq = seq;
    return true;
  }

  /** Forgets identities idle for a while, their addresses when none is left, and the counts of events no longer live. */
  private sweepIdentities(nowMs: number): void {
    for (const [key, id] of this.identities) {
      if (id.streams > 0 || nowMs - id.idleSince < IDENTITY_IDLE_MS) continue;
      this.identities.delete(key);
      if (--id.address.identities === 0) this.addresses.delete(id.address.key);
    }
    for (const a of this.addresses.values()) {
      for (const seq of a.counts.keys()) if (!this.seen.has(seq)) a.counts.delete(seq);
    }
  }

  private countReach(seq: number, n: number): void {
    this.reached.set(seq, (this.reached.get(seq) ?? 0) + n);
    if (n > 0 && !this.firstWritten.has(seq)) this.firstWritten.set(seq, this.o.now());
  }

  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const c of [...this.clients]) {
      this.remove(c);
      c.sink.end();
    }
  }

  /** Drops expired events from the replay log (they may never be delivered again anyway). */
  prune(): void {
    const nowMs = this.o.now();
    let keep = 0;
    for (const l of this.log) {
      if (isExpired(l.event, nowMs)) {
        const seq = l.event.seq;
        this.seen.delete(seq);
        if (this.reached.has(seq)) this.retired.push({ seq, reached: this.reached.get(seq)!, firstMs: this.firstWritten.get(seq) ?? null, final: true });
        this.reached.delete(seq);
        this.firstWritten.delete(seq);
      }
      else this.log[keep++] = l;
    }
    this.log.length = keep;
    while (this.log.length > this.o.maxLogEvents) {
      const seq = this.log.shift()!.event.seq;
      this.seen.delete(seq);
      if (this.reached.has(seq)) this.retired.push({ seq, reached: this.reached.get(seq)!, firstMs: this.firstWritten.get(seq) ?? null, final: true });
      this.reached.delete(seq);
      this.firstWritten.delete(seq);
    }
  }

  private record(event: AlertEvent): LoggedEvent | null {
    if (!Number.isInteger(event.seq) || this.seen.has(event.seq)) {
      this.stats.duplicates++;
      return null;
    }
    if (isExpired(event, this.o.now())) {
      this.stats.expiredOnArrival++;
      return null;
    }
    this.seen.add(event.seq);
    if (!this.reached.has(event.seq)) this.reached.set(event.seq, 0);
    for (const id of event.replaces) this.replacedAlerts.add(id);
    const logged = { event, frame: Buffer.from(`id: ${event.seq}\nevent: alert\ndata: ${JSON.stringify(event)}\n\n`, 'utf8') };
    // Keep seq order even if the bus ever delivers out of order.
    let i = this.log.length;
    while (i > 0 && this.log[i - 1].event.seq > event.seq) i--;
    this.log.splice(i, 0, logged);
    if (this.log.length > this.o.maxLogEvents) this.prune();
    return logged;
  }

  private inForce(e: AlertEvent): boolean {
    return e.msgType !== 'Cancel' && !this.replacedAlerts.has(e.id);
  }

  private matches(c: Client, e: AlertEvent): boolean {
    return c.codes === null || e.regions.some((r) => c.codes!.has(r.code));
  }

  private write(c: Client, chunk: string | Buffer): void {
    c.sink.write(chunk);
    this.stats.framesWritten++;
    if ((c.sink.writableLength ?? 0) > this.o.maxBufferedBytes) {
      this.stats.dropped++;
      this.remove(c);
      c.sink.end();
    }
  }

  private beat(): void {
    const line = `: heartbeat ${new Date(this.o.now()).toISOString()}\n\n`;
    for (const c of this.clients) this.write(c, line);
    this.prune();
    this.sweepIdentities(this.o.now());
  }

  private remove(c: Client): void {
    if (!this.clients.delete(c)) return;
    if (--c.identity.streams === 0) c.identity.idleSince = this.o.now();
    this.everywhere.delete(c);
    if (c.codes) for (const code of c.codes) {
      const set = this.byRegion.get(code);
      set?.delete(c);
      if (set && set.size === 0) this.byRegion.delete(code);
    }
  }
}

/** Parses a Last-Event-ID header/query value; anything but a non-negative integer means "none". */
export function parseLastEventId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}
