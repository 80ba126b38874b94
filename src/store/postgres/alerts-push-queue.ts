// Queues an event's Web Push jobs: shared by PostgresPushStore.enqueuePush and PostgresAlertStore.completeOutbox (in
// the transaction that completes the outbox row). The caller owns the transaction.
import type pg from 'pg';

/**
 * One job per subscription in any of `regionCodes`, idempotent per (seq, endpoint) even when two processes queue at
 * once (ON CONFLICT waits for the other's row and skips it); adds the count to push_targeted.
 */
export async function queuePushJobs(c: pg.PoolClient, seq: number, regionCodes: string[], expiresMs: number, nowMs: number): Promise<number> {
  if (regionCodes.length === 0) return 0;
  const queued = (await c.query(`INSERT INTO push_jobs (seq, endpoint, next_attempt_ms, expires_ms)
      SELECT DISTINCT $1::int, endpoint, $2::bigint, $3::bigint FROM push_subscription_regions WHERE region_code = ANY($4::text[])
      ON CONFLICT DO NOTHING`, [seq, nowMs, expiresMs, regionCodes])).rowCount ?? 0;
  if (queued > 0) await c.query('UPDATE alert_outbox SET push_targeted = push_targeted + $1 WHERE seq = $2', [queued, seq]);
  return queued;
}
