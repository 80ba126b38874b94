// PostgreSQL implementation of Web Push storage (migration 025): VAPID keys, subscriptions per region, the retry queue
// shared by every server process, and each event's push outcomes. Same semantics as
// src/store/sqlite/alerts-push-store.ts; where SQLite relied on its single writer, row locks decide here.
import type pg from 'pg';
import type { PushJob, PushOutcome, PushStore, PushSubscriptionRecord } from '../../alerts/delivery/ports.ts';
import { withTransaction } from './tx.ts';
import { queuePushJobs } from './alerts-push-queue.ts';

export class PostgresPushStore implements PushStore {
  constructor(private readonly pool: pg.Pool) {}

  async getSetting(key: string): Promise<string | null> {
    return ((await this.pool.query('SELECT value FROM push_settings WHERE key = $1', [key])).rows[0]?.value as string | undefined) ?? null;
  }

  async setSettingOnce(key: string, value: string): Promise<string> {
    await this.pool.query('INSERT INTO push_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
    return (await this.getSetting(key))!;
  }

  async upsertSubscription(sub: PushSubscriptionRecord, matchCodes: string[], at: string): Promise<void> {
    await withTransaction(this.pool, async (c) => {
      await c.query(`INSERT INTO push_subscriptions (endpoint, p256dh, auth, regions, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
          ON CONFLICT (endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth, regions = excluded.regions, updated_at = excluded.updated_at`,
      [sub.endpoint, sub.keys.p256dh, sub.keys.auth, JSON.stringify(sub.regions), at]);
      await c.query('DELETE FROM push_subscription_regions WHERE endpoint = $1', [sub.endpoint]);
      await c.query(`INSERT INTO push_subscription_regions (region_code, endpoint) SELECT DISTINCT code, $2::text FROM unnest($1::text[]) AS code
          ON CONFLICT DO NOTHING`, [matchCodes, sub.endpoint]);
    });
  }

  removeSubscription(endpoint: string): Promise<boolean> {
    return withTransaction(this.pool, async (c) => {
      // Jobs still queued for it will never be sent: each counts as gone for its event. Deleting them first (rather
      // than counting what is seen) means a job a dispatcher completes at the same moment is counted once, by
      // whichever statement removed it.
      await c.query(`WITH gone AS (DELETE FROM push_jobs WHERE endpoint = $1 RETURNING seq)
          UPDATE alert_outbox o SET push_gone = push_gone + 1 FROM gone WHERE o.seq = gone.seq`, [endpoint]);
      return (await c.query('DELETE FROM push_subscriptions WHERE endpoint = $1', [endpoint])).rowCount === 1;
    });
  }

  async countSubscriptions(): Promise<number> {
    return (await this.pool.query('SELECT count(*)::int AS n FROM push_subscriptions')).rows[0].n as number;
  }

  enqueuePush(seq: number, regionCodes: string[], expiresMs: number, nowMs: number): Promise<number> {
    if (regionCodes.length === 0) return Promise.resolve(0);
    return withTransaction(this.pool, (c) => queuePushJobs(c, seq, regionCodes, expiresMs, nowMs));
  }

  /**
   * Claims due jobs and leases them in one statement: rows another process is claiming are skipped (SKIP LOCKED), and
   * once its lease commits they are no longer due, so two processes never get the same job.
   */
  async duePushJobs(nowMs: number, limit: number, leaseMs = 60_000): Promise<PushJob[]> {
    const rows = (await this.pool.query(`WITH due AS (
          SELECT j.seq, j.endpoint, j.next_attempt_ms FROM push_jobs j
            JOIN push_subscriptions s ON s.endpoint = j.endpoint JOIN alert_outbox o ON o.seq = j.seq
          WHERE j.next_attempt_ms <= $1 ORDER BY j.next_attempt_ms, j.seq LIMIT $2 FOR UPDATE OF j SKIP LOCKED),
        leased AS (UPDATE push_jobs j SET next_attempt_ms = $3 FROM due WHERE j.seq = due.seq AND j.endpoint = due.endpoint
          RETURNING j.seq, j.endpoint, j.attempts, due.next_attempt_ms AS due_ms)
      SELECT l.seq, l.endpoint, l.attempts, s.p256dh, s.auth, s.regions, o.event_json
        FROM leased l JOIN push_subscriptions s ON s.endpoint = l.endpoint JOIN alert_outbox o ON o.seq = l.seq
        ORDER BY l.due_ms, l.seq`, [nowMs, limit, nowMs + leaseMs])).rows as Array<{
      seq: number; endpoint: string; attempts: number; p256dh: string; auth: string; regions: string; event_json: string;
    }>;
    return rows.map((r) => ({
      seq: r.seq, endpoint: r.endpoint, attempts: r.attempts,
      subscription: { endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth }, regions: JSON.parse(r.regions) as string[] },
      event: { ...JSON.parse(r.event_json), seq: r.seq },
    }));
  }

  async completePushJob(seq: number, endpoint: string, outcome: PushOutcome, atMs: number): Promise<void> {
    await withTransaction(this.pool, async (c) => {
      // Only the call that removes the job counts it (a job whose subscription went meanwhile was counted as gone).
      if ((await c.query('DELETE FROM push_jobs WHERE seq = $1 AND endpoint = $2', [seq, endpoint])).rowCount !== 1) return;
      if (outcome === 'accepted') {
        await c.query(`UPDATE alert_outbox SET push_sent = push_sent + 1, push_first_ms = LEAST(COALESCE(push_first_ms, $1), $1),
            push_last_ms = GREATEST(COALESCE(push_last_ms, $1), $1) WHERE seq = $2`, [atMs, seq]);
      } else {
        await c.query(`UPDATE alert_outbox SET ${outcome === 'failed' ? 'push_failed = push_failed + 1' : 'push_expired = push_expired + 1'} WHERE seq = $1`, [seq]);
      }
    });
  }

  async pushSentFor(seqs: number[]): Promise<Map<number, number>> {
    if (seqs.length === 0) return new Map();
    const rows = (await this.pool.query('SELECT seq, push_sent FROM alert_outbox WHERE seq = ANY($1::int[])', [seqs])).rows as Array<{ seq: number; push_sent: number }>;
    return new Map(rows.map((r) => [r.seq, r.push_sent]));
  }

  async retryPushJob(seq: number, endpoint: string, nextAttemptMs: number, error: string): Promise<void> {
    await this.pool.query('UPDATE push_jobs SET attempts = attempts + 1, next_attempt_ms = $1, last_error = $2 WHERE seq = $3 AND endpoint = $4',
      [nextAttemptMs, error.slice(0, 500), seq, endpoint]);
  }

  async pendingPushJobs(): Promise<number> {
    return (await this.pool.query('SELECT count(*)::int AS n FROM push_jobs')).rows[0].n as number;
  }
}
