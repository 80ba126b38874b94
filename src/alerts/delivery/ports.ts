// What delivery needs from storage and transport. SQLite, NATS, Redis and MQTT implement these outside the domain.
import type { AlertEvent } from '../lifecycle/alert-event.ts';
import type { OutboxEntry } from '../lifecycle/ports.ts';
import type { DeliveryRecord } from './figures.ts';

export type { AlertEvent, OutboxEntry };

/** Push jobs to queue in the same transaction that completes an outbox row (see completeOutbox). */
export interface PushFanOut {
  /** The event's regions plus their ancestors' codes: subscriptions to any of them get a job. */
  regionCodes: string[];
  expiresMs: number;
  nowMs: number;
}

export interface OutboxStore {
  /** Rows committed but not yet delivered, oldest first. */
  pendingOutbox(limit: number): Promise<OutboxEntry[]>;
  /**
   * Marks a row done (recording the bus it went out on) and, only if this call completed it, queues its push jobs
   * (`push`) in the same transaction: a row two processes publish at once fans out to push once.
   * Returns whether this call completed the row, and how many push jobs it queued.
   */
  completeOutbox(seq: number, outcome: 'published' | 'expired', at: string, via?: string, push?: PushFanOut): Promise<{ completed: boolean; queued: number }>;
  /** Published events not yet expired at `nowMs`, oldest first: warms a hub's replay log at start. */
  liveEvents(nowMs: number, limit: number): Promise<OutboxEntry[]>;
  /** Published events with seq above `afterSeq`, oldest first, at most `limit`: replay for a reconnecting client. */
  eventsAfter(afterSeq: number, limit: number): Promise<OutboxEntry[]>;
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
  getSetting(key: string): Promise<string | null>;
  /** Sets the value only if none is stored yet; returns the value now stored (first writer wins across processes). */
  setSettingOnce(key: string, value: string): Promise<string>;
  /** `matchCodes`: the regions plus their ancestors. */
  upsertSubscription(sub: PushSubscriptionRecord, matchCodes: string[], at: string): Promise<void>;
  /** Forgets the subscription; each job still queued for it is counted as `gone` for its event. */
  removeSubscription(endpoint: string): Promise<boolean>;
  countSubscriptions(): Promise<number>;
  /**
   * Queues one job per subscription in any of `regionCodes`; idempotent per (seq, endpoint). Returns jobs queued,
   * which are added to the event's `targeted` figure.
   */
  enqueuePush(seq: number, regionCodes: string[], expiresMs: number, nowMs: number): Promise<number>;
  /**
   * Claims due jobs, leasing them for `leaseMs` (not due again meanwhile): two processes never claim the same job
   * at once; a process that dies mid-send leaves its jobs to be retried after the lease.
   */
  duePushJobs(nowMs: number, limit: number, leaseMs?: number): Promise<PushJob[]>;
  /**
   * Removes the job and counts its outcome for the event: `accepted` by the push service, `failed` (gave up: a
   * permanent error or attempts exhausted), `expired` (the alert expired before it could be sent).
   */
  completePushJob(seq: number, endpoint: string, outcome: PushOutcome, atMs: number): Promise<void>;
  retryPushJob(seq: number, endpoint: string, nextAttemptMs: number, error: string): Promise<void>;
  pendingPushJobs(): Promise<number>;
  /** Push notifications accepted per event seq. */
  pushSentFor(seqs: number[]): Promise<Map<number, number>>;
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

/** Where each server process records its stream reach, and where every event's delivery figures are read back. */
export interface ReachStore {
  /** Upserts the process's rows (one per event) in one transaction, stamping them `nowMs`. */
  recordReach(processId: string, rows: ReachRow[], nowMs: number): Promise<void>;
  /** When MQTT first took the event (kept if already set: every process publishes it, the first time counts). */
  markMqttPublished(seq: number, atMs: number): Promise<void>;
  /** The figures of the latest event delivered for an alert, or null if it has none. */
  recordForAlert(alertId: string): Promise<DeliveryRecord | null>;
  /** The figures of these events (in the order given; unknown seqs are left out). */
  recordsFor(seqs: number[]): Promise<DeliveryRecord[]>;
}
