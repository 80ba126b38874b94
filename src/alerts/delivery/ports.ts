// What delivery needs from storage and transport. SQLite, NATS, Redis and MQTT implement these outside the domain.
import type { AlertEvent } from '../lifecycle/alert-event.ts';
import type { OutboxEntry } from '../lifecycle/ports.ts';

export type { AlertEvent, OutboxEntry };

export interface OutboxStore {
  /** Rows committed but not yet delivered, oldest first. */
  pendingOutbox(limit: number): OutboxEntry[];
  /** Marks a row done and runs `alsoInTransaction` (e.g. queueing push jobs) in the same transaction. */
  completeOutbox(seq: number, outcome: 'published' | 'expired', at: string, alsoInTransaction?: () => void): void;
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

export interface PushStore {
  getSetting(key: string): string | null;
  /** Sets the value only if none is stored yet; returns the value now stored (first writer wins across processes). */
  setSettingOnce(key: string, value: string): string;
  /** `matchCodes`: the regions plus their ancestors. */
  upsertSubscription(sub: PushSubscriptionRecord, matchCodes: string[], at: string): void;
  removeSubscription(endpoint: string): boolean;
  countSubscriptions(): number;
  /** Queues one job per subscription in any of `regionCodes`; idempotent per (seq, endpoint). Returns jobs queued. */
  enqueuePush(seq: number, regionCodes: string[], expiresMs: number, nowMs: number): number;
  duePushJobs(nowMs: number, limit: number): PushJob[];
  /** Removes the job; `delivered` counts it as sent for the event. */
  completePushJob(seq: number, endpoint: string, delivered?: boolean): void;
  retryPushJob(seq: number, endpoint: string, nextAttemptMs: number, error: string): void;
  pendingPushJobs(): number;
}
