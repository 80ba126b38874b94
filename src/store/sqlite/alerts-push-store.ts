// SQLite implementation of Web Push storage: VAPID keys, subscriptions per region, retry queue (migration 026), and
// each event's push outcomes as they happen (migration 050).
import type { Db } from './db.ts';
import type { PushJob, PushOutcome, PushStore, PushSubscriptionRecord } from '../../alerts/delivery/ports.ts';
import { queuePushJobs } from './alerts-push-queue.ts';

export class SqlitePushStore implements PushStore {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  async getSetting(key: string): Promise<string | null> {
    return (this.db.prepare('SELECT value FROM push_settings WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }

  async setSettingOnce(key: string, value: string): Promise<string> {
    this.db.prepare('INSERT OR IGNORE INTO push_settings (key, value) VALUES (?, ?)').run(key, value);
    return this.db.prepare('SELECT value FROM push_settings WHERE key = ?').pluck().get(key) as string;
  }

  async upsertSubscription(sub: PushSubscriptionRecord, matchCodes: string[], at: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO push_subscriptions (endpoint, p256dh, auth, regions, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT(endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth, regions = excluded.regions, updated_at = excluded.updated_at`)
        .run(sub.endpoint, sub.keys.p256dh, sub.keys.auth, JSON.stringify(sub.regions), at, at);
      this.db.prepare('DELETE FROM push_subscription_regions WHERE endpoint = ?').run(sub.endpoint);
      const ins = this.db.prepare('INSERT OR IGNORE INTO push_subscription_regions (region_code, endpoint) VALUES (?, ?)');
      for (const code of matchCodes) ins.run(code, sub.endpoint);
    })();
  }

  async removeSubscription(endpoint: string): Promise<boolean> {
    return this.db.transaction(() => {
      // Jobs still queued for it will never be sent: count each as gone for its event before the cascade removes them.
      this.db.prepare('UPDATE alert_outbox SET push_gone = push_gone + 1 WHERE seq IN (SELECT seq FROM push_jobs WHERE endpoint = ?)').run(endpoint);
      return this.db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ?').run(endpoint).changes === 1;
    }).immediate();
  }

  async countSubscriptions(): Promise<number> {
    return this.db.prepare('SELECT count(*) FROM push_subscriptions').pluck().get() as number;
  }

  async enqueuePush(seq: number, regionCodes: string[], expiresMs: number, nowMs: number): Promise<number> {
    return this.db.transaction(() => queuePushJobs(this.db, seq, regionCodes, expiresMs, nowMs))();
  }

  /**
   * Claims due jobs: they are leased for `leaseMs` (not due again meanwhile), so two server processes on one database
   * do not send the same notification twice. A process that dies mid-send leaves the job to be retried after the lease.
   */
  async duePushJobs(nowMs: number, limit: number, leaseMs = 60_000): Promise<PushJob[]> {
    return this.db.transaction(() => {
      const jobs = this.selectDue(nowMs, limit);
      const lease = this.db.prepare('UPDATE push_jobs SET next_attempt_ms = ? WHERE seq = ? AND endpoint = ?');
      for (const j of jobs) lease.run(nowMs + leaseMs, j.seq, j.endpoint);
      return jobs;
    }).immediate();
  }

  private selectDue(nowMs: number, limit: number): PushJob[] {
    const rows = this.db.prepare(`SELECT j.seq, j.endpoint, j.attempts, s.p256dh, s.auth, s.regions, o.event_json
        FROM push_jobs j JOIN push_subscriptions s ON s.endpoint = j.endpoint JOIN alert_outbox o ON o.seq = j.seq
        WHERE j.next_attempt_ms <= ? ORDER BY j.next_attempt_ms, j.seq LIMIT ?`).all(nowMs, limit) as Array<{
      seq: number; endpoint: string; attempts: number; p256dh: string; auth: string; regions: string; event_json: string;
    }>;
    return rows.map((r) => ({
      seq: r.seq, endpoint: r.endpoint, attempts: r.attempts,
      subscription: { endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth }, regions: JSON.parse(r.regions) as string[] },
      event: { ...JSON.parse(r.event_json), seq: r.seq },
    }));
  }

  async completePushJob(seq: number, endpoint: string, outcome: PushOutcome, atMs: number): Promise<void> {
    this.db.transaction(() => {
      // Only the call that removes the job counts it (a job whose subscription went meanwhile was counted as gone).
      if (this.db.prepare('DELETE FROM push_jobs WHERE seq = ? AND endpoint = ?').run(seq, endpoint).changes !== 1) return;
      if (outcome === 'accepted') {
        this.db.prepare(`UPDATE alert_outbox SET push_sent = push_sent + 1, push_first_ms = min(coalesce(push_first_ms, ?), ?),
            push_last_ms = max(coalesce(push_last_ms, ?), ?) WHERE seq = ?`).run(atMs, atMs, atMs, atMs, seq);
      } else {
        this.db.prepare(`UPDATE alert_outbox SET ${outcome === 'failed' ? 'push_failed = push_failed + 1' : 'push_expired = push_expired + 1'} WHERE seq = ?`).run(seq);
      }
    }).immediate();
  }

  /** Push notifications sent per event seq. */
  async pushSentFor(seqs: number[]): Promise<Map<number, number>> {
    if (seqs.length === 0) return new Map();
    const rows = this.db.prepare(`SELECT seq, push_sent FROM alert_outbox WHERE seq IN (${seqs.map(() => '?').join(',')})`).all(...seqs) as Array<{ seq: number; push_sent: number }>;
    return new Map(rows.map((r) => [r.seq, r.push_sent]));
  }

  async retryPushJob(seq: number, endpoint: string, nextAttemptMs: number, error: string): Promise<void> {
    this.db.prepare('UPDATE push_jobs SET attempts = attempts + 1, next_attempt_ms = ?, last_error = ? WHERE seq = ? AND endpoint = ?')
      .run(nextAttemptMs, error.slice(0, 500), seq, endpoint);
  }

  async pendingPushJobs(): Promise<number> {
    return this.db.prepare('SELECT count(*) FROM push_jobs').pluck().get() as number;
  }
}
