// Bus over NATS JetStream: the process running the outbox publishes each event into a stream, every server process
// reads the stream with an ordered consumer of its own. JetStream is required: a NATS server without it is refused
// with an error that says so (there is no fallback to core publish/subscribe).
//
// - Stream: one per subject, created if missing (`REFUGE_ALERTS` for the default subject, `REFUGE_ALERTS_<subject>`
//   otherwise), file storage, limits retention, kept MAX_ALERT_LIFETIME_MS (the longest an alert can be live), and a
//   duplicate window as long. A stream an operator created that already captures the subject (e.g. replicated over a
//   cluster) is used as it is, unless its retention is work-queue (which would hand each event to one process only).
// - Publish: `msgID` = "<outbox seq>:<event id>", so two processes publishing the same outbox row store it once; the
//   call resolves only when JetStream acknowledged it (PubAck), so the outbox row is marked done only once the event
//   is durable. (The event id is part of the msgID so that a database restored or reset, whose seqs start again,
//   cannot have a new alert dropped as a "duplicate" of an old one still in the window.)
// - Subscribe: an ordered consumer starting at the first message after the stream's last one at the time of the
//   call ("deliver new", pinned to a sequence: the library would otherwise apply "new" again when it recreates the
//   consumer before the first message, losing what was published while the connection was down). The ordered
//   consumer resumes from its last stream sequence after a reconnect, so a short NATS outage loses nothing.
// - Lost stream (an operator deleted it, a server lost its state): the library would retry forever and say nothing.
//   Instead the subscription, told "stream not found", says so in the log, recreates the stream (ensureStream) and
//   subscribes again: from where it was in the same stream, or from the start of a recreated one (which holds only
//   what was published since). Until that works it retries, logging each failure. (A lost consumer the library
//   recreates by itself.)
//   A publish that finds no stream recreates it too (the outbox retries the event).
// - Unsubscribe and close delete the subscription's consumer at once, rather than leaving it on the server until
//   its inactivity threshold (5 minutes) removes it.
//
// URL: nats://HOST:PORT, several servers comma-separated (nats://n1:4222,n2:4222,n3:4222); `?replicas=N` sets the
// replica count of a stream Refuge creates (a JetStream cluster); user:password@ in a server URL works as in NATS.
import {
  connect, ConsumerEvents, DeliverPolicy, DiscardPolicy, ErrorCode, nanos, RetentionPolicy, StorageType,
  type Consumer, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type NatsConnection, type StreamConfig,
} from 'nats';
import type { AlertBus, AlertEvent } from '../../alerts/delivery/ports.ts';
import { MAX_ALERT_LIFETIME_MS } from '../../alerts/lifecycle/index.ts';

export const DEFAULT_SUBJECT = 'refuge.alerts.events';
/** How long the stream keeps an event, and how long a msgID is remembered for deduplication. */
export const STREAM_MAX_AGE_MS = MAX_ALERT_LIFETIME_MS;
export const DUPLICATE_WINDOW_MS = MAX_ALERT_LIFETIME_MS;

/** The stream Refuge creates for a subject (stream names may not contain . * > or spaces). */
export function streamNameFor(subject: string): string {
  return subject === DEFAULT_SUBJECT ? 'REFUGE_ALERTS' : `REFUGE_ALERTS_${subject.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Parses nats://HOST:PORT[,HOST:PORT…][?replicas=N] into the servers for the client and the options. */
export function parseNatsUrl(url: string): { servers: string[]; replicas: number } {
  const m = /^nats:\/\/([^?#]+)(?:\?([^#]*))?$/.exec(url.trim());
  if (!m) throw new Error(`NATS bus URL must be nats://HOST:PORT[,HOST:PORT…][?replicas=N] (got ${JSON.stringify(url)})`);
  const servers = m[1].split(',').map((s) => s.trim().replace(/^nats:\/\//, '')).filter((s) => s.length > 0);
  if (servers.length === 0) throw new Error(`NATS bus URL names no server (got ${JSON.stringify(url)})`);
  let replicas = 1;
  for (const [k, v] of new URLSearchParams(m[2] ?? '')) {
    if (k !== 'replicas') throw new Error(`NATS bus URL: unknown option ${JSON.stringify(k)} (only replicas=N)`);
    if (!/^[1-5]$/.test(v)) throw new Error(`NATS bus URL: replicas must be 1 to 5 (got ${JSON.stringify(v)})`);
    replicas = Number(v);
  }
  return { servers, replicas };
}

function checkSubject(subject: string): void {
  if (!/^[^\s.*>]+(\.[^\s.*>]+)*$/.test(subject)) {
    throw new Error(`NATS bus subject must be a literal subject like refuge.alerts.events, without spaces, * or > (got ${JSON.stringify(subject)})`);
  }
}

export interface NatsBusOptions {
  /** Where a lost stream or consumer and the recovery are reported (default console.error). */
  log?: (msg: string, err?: unknown) => void;
  /** Wait between recovery attempts (ms, default 2000). */
  retryMs?: number;
}

/** One subscribe() call: its current consumer, and where in the stream it is. */
interface Subscription {
  handler: (event: AlertEvent) => void;
  consumer: Consumer | null;
  messages: ConsumerMessages | null;
  /** The stream sequence to read from next, and the creation time of the stream it counts in. */
  nextSeq: number;
  streamCreated: string;
  closed: boolean;
}

export class NatsBus implements AlertBus {
  readonly name = 'nats';
  private readonly subscriptions = new Set<Subscription>();
  private closing = false;
  /** What the last publish() learned from JetStream (tests and diagnostics): a duplicate was stored only once. */
  lastAck: { stream: string; seq: number; duplicate: boolean } | null = null;
  /** Recoveries from a lost stream or consumer (tests and diagnostics). */
  readonly stats = { resubscribed: 0, streamsRecreated: 0 };
  private readonly log: (msg: string, err?: unknown) => void;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly subject: string,
    readonly stream: string,
    private readonly replicas: number,
    private readonly o: NatsBusOptions,
  ) {
    this.log = o.log ?? ((msg, err) => console.error(msg, err ?? ''));
  }

  static async connect(url: string, subject = DEFAULT_SUBJECT, options: NatsBusOptions = {}): Promise<NatsBus> {
    checkSubject(subject);
    const { servers, replicas } = parseNatsUrl(url.includes('://') ? url : `nats://${url}`);
    const nc = await connect({ servers, name: 'refuge-alerts', timeout: 2000, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
    try {
      let jsm: JetStreamManager;
      try {
        jsm = await nc.jetstreamManager();
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === ErrorCode.JetStreamNotEnabled || /jetstream not enabled/i.test(String((err as Error).message))) {
          throw new Error(`the NATS server at ${servers.join(',')} has no JetStream: Refuge's alert bus needs it (start nats-server with -js, or jetstream {} in its configuration; for an account, enable JetStream for it)`);
        }
        throw err;
      }
      const stream = await ensureStream(jsm, subject, replicas);
      return new NatsBus(nc, nc.jetstream(), jsm, subject, stream, replicas, options);
    } catch (err) {
      await nc.close().catch(() => {});
      throw err;
    }
  }

  async publish(event: AlertEvent): Promise<void> {
    let ack;
    try {
      ack = await this.js.publish(this.subject, Buffer.from(JSON.stringify(event)), {
        msgID: `${event.seq}:${event.id}`,
        expect: { streamName: this.stream },
      });
    } catch (err) {
      // No stream answers (deleted): recreate it, so the outbox's next attempt is stored. The event is not lost.
      if (await this.streamMissing()) {
        this.log(`NATS: publishing event ${event.seq} found no stream ${this.stream} (deleted?); recreating it, the outbox retries the event`, err);
        await this.recreateStream().catch((e) => this.log(`NATS: recreating stream ${this.stream} failed`, e));
      }
      throw err;
    }
    this.lastAck = { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  }

  async subscribe(handler: (event: AlertEvent) => void): Promise<() => Promise<void>> {
    // "Deliver new", pinned: the first message after the stream's last one now.
    const info = await this.jsm.streams.info(this.stream);
    const sub: Subscription = { handler, consumer: null, messages: null, nextSeq: info.state.last_seq + 1, streamCreated: info.created, closed: false };
    await this.consume(sub);
    this.subscriptions.add(sub);
    return async () => {
      this.subscriptions.delete(sub);
      await this.stopConsuming(sub);
    };
  }

  /** Starts (or restarts) the subscription's ordered consumer at sub.nextSeq. */
  private async consume(sub: Subscription): Promise<void> {
    const consumer = await this.js.consumers.get(this.stream, {
      filterSubjects: this.subject,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: sub.nextSeq,
    });
    const messages = await consumer.consume({
      // Short pulls: a consumer lost with a restarted server is noticed (missed heartbeats) within seconds.
      expires: 5000,
      callback: (msg) => {
        sub.nextSeq = msg.info.streamSequence + 1;
        let event: AlertEvent;
        try {
          event = JSON.parse(Buffer.from(msg.data).toString('utf8')) as AlertEvent;
        } catch {
          return; // not ours; a malformed message must not take the subscriber down
        }
        sub.handler(event);
      },
    });
    sub.consumer = consumer;
    sub.messages = messages;
    // The library recreates a lost ordered consumer by itself, but a lost stream it only retries, silently and
    // forever: that is taken over here (recover). A subscription the library ends on its own is taken over too.
    const takeOver = (why: string) => {
      if (sub.messages !== messages || sub.closed || this.closing) return;
      this.log(`NATS: the subscription to stream ${this.stream} stopped (${why}); subscribing again`);
      void this.recover(sub);
    };
    void (async () => {
      for await (const status of await messages.status()) {
        if (status.type === ConsumerEvents.StreamNotFound) return takeOver('the stream was not found: deleted?');
      }
    })().catch((err) => this.log(`NATS: reading the subscription's status on stream ${this.stream} failed`, err));
    void messages.closed().then((err) => takeOver(err instanceof Error ? err.message : 'ended by the client library'));
  }

  /** Recreates the stream if it is gone and subscribes again; retries (logging each failure) until it works or closes. */
  private async recover(sub: Subscription): Promise<void> {
    const { messages, consumer } = sub;
    sub.messages = null;
    sub.consumer = null;
    await messages?.close().catch(() => {});
    void consumer?.delete().catch(() => {}); // gone already, most likely
    for (let attempt = 1; !sub.closed && !this.closing; attempt++) {
      try {
        if (await this.streamMissing()) {
          this.log(`NATS: stream ${this.stream} is gone (deleted?); recreating it`);
          await this.recreateStream();
        }
        const info = await this.jsm.streams.info(this.stream);
        if (info.created !== sub.streamCreated || info.state.last_seq + 1 < sub.nextSeq) {
          // Another stream under the same name: what it holds was all published after ours was lost.
          sub.nextSeq = Math.max(1, info.state.first_seq);
          sub.streamCreated = info.created;
        }
        if (sub.closed || this.closing) return;
        await this.consume(sub);
        this.stats.resubscribed++;
        this.log(`NATS: subscribed to stream ${this.stream} again, from sequence ${sub.nextSeq}`);
        return;
      } catch (err) {
        this.log(`NATS: resubscribing to stream ${this.stream} failed (attempt ${attempt}), retrying`, err);
        await new Promise((r) => setTimeout(r, this.o.retryMs ?? 2000));
      }
    }
  }

  private async streamMissing(): Promise<boolean> {
    try {
      await this.jsm.streams.info(this.stream);
      return false;
    } catch (err) {
      if (/stream not found/i.test(String((err as Error).message))) return true;
      throw err;
    }
  }

  private async recreateStream(): Promise<void> {
    const name = await ensureStream(this.jsm, this.subject, this.replicas);
    if (name !== this.stream) throw new Error(`NATS: subject ${this.subject} is now captured by stream ${name}, not ${this.stream}; restart to use it`);
    this.stats.streamsRecreated++;
  }

  /** Stops reading and deletes the consumer on the server now (not after its 5-minute inactivity threshold). */
  private async stopConsuming(sub: Subscription): Promise<void> {
    sub.closed = true;
    const { messages, consumer } = sub;
    sub.messages = null;
    sub.consumer = null;
    await messages?.close().catch(() => {});
    await consumer?.delete().catch((err) => this.log(`NATS: deleting a closed subscription's consumer on stream ${this.stream} failed (the server removes it after 5 minutes)`, err));
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const sub of this.subscriptions) await this.stopConsuming(sub);
    this.subscriptions.clear();
    await this.nc.drain().catch(() => this.nc.close());
  }

  /** Deletes the stream (tests, each on a subject of its own, clean up after themselves). */
  static async deleteStream(url: string, subject: string): Promise<boolean> {
    const { servers } = parseNatsUrl(url);
    const nc = await connect({ servers, name: 'refuge-alerts-cleanup', timeout: 2000 });
    try {
      const jsm = await nc.jetstreamManager();
      return await jsm.streams.delete(streamNameFor(subject)).catch(() => false);
    } finally {
      await nc.close();
    }
  }
}

/** Finds the stream capturing `subject` or creates Refuge's; returns its name. */
async function ensureStream(jsm: JetStreamManager, subject: string, replicas: number): Promise<string> {
  let existing: string | null = null;
  try {
    existing = await jsm.streams.find(subject);
  } catch (err) {
    if (!/no stream matches subject/i.test(String((err as Error).message))) throw err;
  }
  if (existing) {
    const info = await jsm.streams.info(existing);
    if (info.config.retention === RetentionPolicy.Workqueue) {
      throw new Error(`NATS stream ${existing} captures ${subject} with work-queue retention, which hands each alert to one process only; use limits retention (or another subject, REFUGE_ALERT_BUS_TOPIC)`);
    }
    return existing;
  }
  const name = streamNameFor(subject);
  const config: Partial<StreamConfig> & { name: string } = {
    name,
    subjects: [subject],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(STREAM_MAX_AGE_MS),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    num_replicas: replicas,
    description: 'Refuge alert events between server processes',
  };
  try {
    await jsm.streams.add(config); // two processes starting at once: the same config twice is accepted
  } catch (err) {
    const msg = String((err as Error).message);
    if (/subjects overlap/i.test(msg)) {
      throw new Error(`NATS: another stream's subjects overlap ${subject}, so Refuge cannot create stream ${name} for it (${msg}); give that stream ${subject} or use another subject (REFUGE_ALERT_BUS_TOPIC)`);
    }
    if (/already in use/i.test(msg)) {
      throw new Error(`NATS: a stream named ${name} exists with another configuration that does not capture ${subject} (${msg})`);
    }
    throw err;
  }
  return name;
}
