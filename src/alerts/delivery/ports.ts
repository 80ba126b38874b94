// What delivery needs from storage and transport. SQLite, NATS, Redis and MQTT implement these outside the domain.
import type { AlertEvent } from '../lifecycle/alert-event.ts';
import type { OutboxEntry } from '../lifecycle/ports.ts';

export type { AlertEvent, OutboxEntry };

export interface OutboxStore {
  /** Rows committed but not yet delivered, oldest first. */
  pendingOutbox(limit: number): OutboxEntry[];
  /**
   * Marks a row done (recording the bus it went out on) and runs `alsoInTransaction` (e.g. queueing push jobs) in the
   * same transaction, only if this call completed it: a row two processes publish at once fans out to push once.
   * Returns whether this call completed the row.
   */
  completeOutbox(seq: number, outcome: 'published' | 'expired', at: string, alsoInTransaction?: () => void, via?: string): boolean;
  /** Published events not yet expired at `nowMs`, oldest first: warms a hub's replay log at start. */
  liveEvents(nowMs: number, limit: number): OutboxEntry[];
}

/** Carries published events between processes; every subscriber sees every event at least once. */
export interface AlertBus {
  readonly name: string;
  publish(event: AlertEvent): Promise<void>;
  subscribe(handler: (event: AlertEvent) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface PushSubscriptionRecord {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** Regions as subscribed (ancestors are matched too). */
  regions: string[];
}

export interface PushJob {
  seq: number;
  endpoint: string;
  attempts: number;
  subscription: PushSubscriptionRecord;
  event: AlertEvent;
}

export type PushOutcome = 'accepted' | 'failed' | 'expired';

export interface PushStore {
  getSetting(key: string): string | null;
  /** Sets the value only if none is stored yet; returns the value now stored (first writer wins across processes). */
  setSettingOnce(key: string, value: string): string;
  /** `matchCodes`: the regions plus their ancestors. */
  upsertSubscription(sub: PushSubscriptionRecord, matchCodes: string[], at: string): void;
  /** Forgets the subscription; each job still queued for it is counted as `gone` for its event. */
  removeSubscription(endpoint: string): boolean;
  countSubscriptions(): number;
  /**
   * Queues one job per subscription in any of `regionCodes`; idempotent per (seq, endpoint). Returns jobs queued,
   * which are added to the event's `targeted` figure.
   */
  enqueuePush(seq: number, regionCodes: string[], expiresMs: number, nowMs: number): number;
  duePushJobs(nowMs: number, limit: number): PushJob[];
  /**
   * Removes the job and counts its outcome for the event: `accepted` by the push service, `failed` (gave up: a
   * permanent error or attempts exhausted), `expired` (the alert expired before it could be sent).
   */
  completePushJob(seq: number, endpoint: string, outcome: PushOutcome, atMs: number): void;
  retryPushJob(seq: number, endpoint: string, nextAttemptMs: number, error: string): void;
  pendingPushJobs(): number;
}

/** One process's Server-Sent-Event reach for one event. */
export interface ReachRow {
  seq: number;
  /** Stream clients this process wrote the event to (live fan-out and replay). */
  reached: number;
  /** When this process first wrote it to a client (ms since epoch), or null. */
  firstMs: number | null;
  /** This process will not write the event to anyone again (it expired here, or the process stopped cleanly). */
  final?: boolean;
}

/** Where each server process records its stream reach, so figures can be summed over processes sharing a database. */
export interface ReachStore {
  /** Upserts the process's rows (one per event) in one transaction, stamping them `nowMs`. */
  recordReach(processId: string, rows: ReachRow[], nowMs: number): void;
}
