// Web Push delivery: jobs are queued in the same transaction that completes the outbox row, then sent with
// retries and exponential back-off. A 404/410 answer means the subscription is gone: it is removed. An expired
// alert is never sent, however many retries are left.
import type { RegionDirectory } from '../../lifecycle/ports.ts';
import type { AlertEvent, PushFanOut, PushJob, PushStore, PushSubscriptionRecord } from '../ports.ts';
import { pushOptions, pushPayload } from './push-message.ts';
import { SerialRunner } from '../serial-runner.ts';
import { withAncestors } from '../../lifecycle/regions.ts';
import { PushServiceError, type PushSender } from './push-sender.ts';

export interface PushDispatcherOptions {
  store: PushStore;
  sender: PushSender;
  regions: RegionDirectory;
  /** First retry delay; doubles each attempt up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  maxAttempts?: number;
  concurrency?: number;
  pollMs?: number;
  now?: () => number;
  log?: (msg: string, err?: unknown) => void;
}

export class PushSubscriptionError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

export class PushDispatcher {
  private readonly o: Required<Omit<PushDispatcherOptions, 'log'>> & Pick<PushDispatcherOptions, 'log'>;
  private readonly runner: SerialRunner;
  readonly stats = { sent: 0, retried: 0, gone: 0, expired: 0, gaveUp: 0 };

  constructor(options: PushDispatcherOptions) {
    this.o = { baseBackoffMs: 1000, maxBackoffMs: 5 * 60_000, maxAttempts: 8, concurrency: 16, pollMs: 1000, now: Date.now, ...options };
    this.runner = new SerialRunner(() => this.sendDue(), this.o.pollMs, (err) => this.o.log?.('push: sending failed, will retry', err));
  }

  /** Validates and stores a browser PushSubscription for the given regions. */
  async subscribe(raw: unknown, regionCodes: string[]): Promise<PushSubscriptionRecord> {
    const sub = parseBrowserSubscription(raw);
    if (regionCodes.length === 0) throw new PushSubscriptionError('regions', 'at least one region');
    for (const code of regionCodes) if (!this.o.regions.region(code)) throw new PushSubscriptionError('regions', `unknown region code ${JSON.stringify(code)}`);
    const record: PushSubscriptionRecord = { endpoint: sub.endpoint, keys: { p256dh: sub.keys.p256dh, auth: sub.keys.auth }, regions: [...new Set(regionCodes)] };
    await this.o.store.upsertSubscription(record, [...withAncestors(this.o.regions, record.regions)], new Date(this.o.now()).toISOString());
    return record;
  }

  unsubscribe(endpoint: string): Promise<boolean> {
    return this.o.store.removeSubscription(endpoint);
  }

  /** The push jobs an event needs, queued by the outbox in the transaction that completes its row; null: none. */
  fanOut(event: AlertEvent): PushFanOut | null {
    if (!event.expires) return null;
    return { regionCodes: event.regions.map((r) => r.code), expiresMs: Date.parse(event.expires), nowMs: this.o.now() };
  }

  /** Queues the event for every matching subscription now (outside the outbox: tests and re-sends). */
  enqueue(event: AlertEvent): Promise<number> {
    const f = this.fanOut(event);
    return f ? this.o.store.enqueuePush(event.seq, f.regionCodes, f.expiresMs, f.nowMs) : Promise.resolve(0);
  }

  start(): void {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** Sends every due job once (retries are re-queued with their back-off). */
  kick(): Promise<void> {
    return this.runner.kick();
  }

  private async sendDue(): Promise<void> {
    for (;;) {
      const jobs = await this.o.store.duePushJobs(this.o.now(), 200);
      if (jobs.length === 0) return;
      for (let i = 0; i < jobs.length; i += this.o.concurrency) {
        await Promise.all(jobs.slice(i, i + this.o.concurrency).map((j) => this.sendOne(j)));
      }
    }
  }

  private async sendOne(job: PushJob): Promise<void> {
    const nowMs = this.o.now();
    const expiresMs = job.event.expires ? Date.parse(job.event.expires) : 0;
    if (expiresMs <= nowMs) {
      await this.o.store.completePushJob(job.seq, job.endpoint, 'expired', nowMs);
      this.stats.expired++;
      return;
    }
    try {
      await this.o.sender.send(job.subscription, pushPayload(job.event), pushOptions(job.event, nowMs));
      await this.o.store.completePushJob(job.seq, job.endpoint, 'accepted', this.o.now());
      this.stats.sent++;
    } catch (err) {
      const status = err instanceof PushServiceError ? err.statusCode : null;
      if (status === 404 || status === 410) {
        await this.o.store.removeSubscription(job.endpoint); // cascades to its queued jobs, each counted as gone
        this.stats.gone++;
        return;
      }
      const permanent = status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429;
      if (permanent || job.attempts + 1 >= this.o.maxAttempts) {
        this.o.log?.(`push: giving up on ${job.endpoint} for event ${job.seq} after ${job.attempts + 1} attempts`, err);
        await this.o.store.completePushJob(job.seq, job.endpoint, 'failed', nowMs);
        this.stats.gaveUp++;
        return;
      }
      const retryAfter = err instanceof PushServiceError ? retryAfterMs(err.retryAfter, nowMs) : null;
      const backoff = Math.min(this.o.maxBackoffMs, this.o.baseBackoffMs * 2 ** job.attempts);
      const next = nowMs + Math.max(backoff, retryAfter ?? 0);
      await this.o.store.retryPushJob(job.seq, job.endpoint, next, status !== null ? `HTTP ${status}` : String((err as Error)?.message ?? err));
      this.stats.retried++;
    }
  }
}

function retryAfterMs(value: unknown, nowMs: number): number | null {
  if (typeof value !== 'string') return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** A browser PushSubscription (endpoint and keys) checked field by field; errors name the field. Staff devices use it too. */
export function parseBrowserSubscription(raw: unknown): { endpoint: string; keys: { p256dh: string; auth: string } } {
  const sub = raw as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } } | null;
  if (!sub || typeof sub !== 'object') throw new PushSubscriptionError('subscription', 'required, a PushSubscription object');
  if (typeof sub.endpoint !== 'string' || !/^https:\/\/[^\s]+$/.test(sub.endpoint) || sub.endpoint.length > 2000) {
    throw new PushSubscriptionError('subscription.endpoint', 'must be an https URL');
  }
  const b64 = /^[A-Za-z0-9_-]+={0,2}$/;
  if (typeof sub.keys?.p256dh !== 'string' || !b64.test(sub.keys.p256dh) || Buffer.from(sub.keys.p256dh, 'base64url').length !== 65) {
    throw new PushSubscriptionError('subscription.keys.p256dh', 'must be a base64url P-256 public key (65 bytes)');
  }
  if (typeof sub.keys?.auth !== 'string' || !b64.test(sub.keys.auth) || Buffer.from(sub.keys.auth, 'base64url').length < 16) {
    throw new PushSubscriptionError('subscription.keys.auth', 'must be a base64url secret of 16 bytes');
  }
  return { endpoint: sub.endpoint, keys: { p256dh: sub.keys.p256dh, auth: sub.keys.auth } };
}
