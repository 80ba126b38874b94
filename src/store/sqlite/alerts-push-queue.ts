// Queues an event's Web Push jobs: shared by SqlitePushStore.enqueuePush and SqliteAlertStore.completeOutbox (which
// does it in the transaction that completes the outbox row). The caller owns the transaction.
import type { Db } from './db.ts';

/** One job per subscription in any of `regionCodes`, idempotent per (seq, endpoint); adds the count to push_targeted. */
export function queuePushJobs(db: Db, seq: number, regionCodes: string[], expiresMs: number, nowMs: number): number {
  if (regionCodes.length === 0) return 0;
  const placeholders = regionCodes.map(() => '?').join(',');
  const queued = db.prepare(`INSERT OR IGNORE INTO push_jobs (seq, endpoint, next_attempt_ms, expires_ms)
      SELECT DISTINCT ?, endpoint, ?, ? FROM push_subscription_regions WHERE region_code IN (${placeholders})`)
    .run(seq, nowMs, expiresMs, ...regionCodes).changes;
  if (queued > 0) db.prepare('UPDATE alert_outbox SET push_targeted = push_targeted + ? WHERE seq = ?').run(queued, seq);
  return queued;
}
