// PostgreSQL side of the delivery figures (migration 025): each process's stream reach, and everything counted per
// event on the outbox row and in the push queue. Same semantics as src/store/sqlite/alerts-delivery-store.ts.
import type pg from 'pg';
import type { ReachRow, ReachStore } from '../../alerts/delivery/ports.ts';
import type { DeliveryRecord } from '../../alerts/delivery/figures.ts';
import { withTransaction } from './tx.ts';

interface OutboxFiguresRow {
  seq: number; alert_id: string; created_at: string; committed_ms: number | null; expires_ms: number | null;
  outcome: 'published' | 'expired' | null; completed_at: string | null; published_via: string | null; mqtt_published_ms: number | null;
  push_targeted: number; push_sent: number; push_failed: number; push_expired: number; push_gone: number;
  push_first_ms: number | null; push_last_ms: number | null;
}

// Milliseconds are BIGINT, which pg returns as strings: read them as float8 (exact up to 2^53) to get numbers.
const OUTBOX_COLUMNS = `seq, alert_id, created_at, committed_ms::float8 AS committed_ms, expires_ms::float8 AS expires_ms, outcome, completed_at,
  published_via, mqtt_published_ms::float8 AS mqtt_published_ms, push_targeted, push_sent, push_failed, push_expired, push_gone,
  push_first_ms::float8 AS push_first_ms, push_last_ms::float8 AS push_last_ms`;

export class PostgresDeliveryStore implements ReachStore {
  constructor(private readonly pool: pg.Pool) {}

  async recordReach(processId: string, rows: ReachRow[], nowMs: number): Promise<void> {
    if (rows.length === 0) return;
    // One row per seq (the last given wins, as SQLite's upserts one after another): one statement may not upsert a row twice.
    rows = [...new Map(rows.map((r) => [r.seq, r])).values()];
    // One statement for all rows: atomic, and rows locked in seq order whatever order they come in.
    await withTransaction(this.pool, (c) => c.query(`INSERT INTO alert_reach (process_id, seq, reached, first_ms, updated_ms, final)
        SELECT $1, r.seq, r.reached, r.first_ms, $2, r.final
          FROM unnest($3::int[], $4::int[], $5::bigint[], $6::boolean[]) AS r(seq, reached, first_ms, final) ORDER BY r.seq
        ON CONFLICT (seq, process_id) DO UPDATE SET reached = excluded.reached, first_ms = excluded.first_ms, updated_ms = excluded.updated_ms, final = excluded.final`,
    [processId, nowMs, rows.map((r) => r.seq), rows.map((r) => r.reached), rows.map((r) => r.firstMs), rows.map((r) => r.final === true)]));
  }

  async markMqttPublished(seq: number, atMs: number): Promise<void> {
    await this.pool.query('UPDATE alert_outbox SET mqtt_published_ms = COALESCE(mqtt_published_ms, $1) WHERE seq = $2', [atMs, seq]);
  }

  async recordForAlert(alertId: string): Promise<DeliveryRecord | null> {
    const [record] = await this.read(`SELECT ${OUTBOX_COLUMNS} FROM alert_outbox WHERE alert_id = $1 ORDER BY seq DESC LIMIT 1`, [alertId]);
    return record ?? null;
  }

  async recordsFor(seqs: number[]): Promise<DeliveryRecord[]> {
    if (seqs.length === 0) return [];
    const bySeq = new Map((await this.read(`SELECT ${OUTBOX_COLUMNS} FROM alert_outbox WHERE seq = ANY($1::int[])`, [seqs])).map((r) => [r.seq, r]));
    return seqs.flatMap((s) => (bySeq.has(s) ? [bySeq.get(s)!] : []));
  }

  /** The outbox rows `sql` selects with their pending jobs and reach, read in one snapshot so the figures add up. */
  private read(sql: string, params: unknown[]): Promise<DeliveryRecord[]> {
    return withTransaction(this.pool, async (c) => {
      const rows = (await c.query(sql, params)).rows as OutboxFiguresRow[];
      if (rows.length === 0) return [];
      const seqs = rows.map((r) => r.seq);
      const pendingRows = (await c.query(`SELECT seq, count(*)::int AS pending, (count(*) FILTER (WHERE attempts > 0))::int AS retrying FROM push_jobs
          WHERE seq = ANY($1::int[]) GROUP BY seq`, [seqs])).rows as Array<{ seq: number; pending: number; retrying: number }>;
      const reachRows = (await c.query(`SELECT seq, process_id, reached, first_ms::float8 AS first_ms, updated_ms::float8 AS updated_ms, final FROM alert_reach
          WHERE seq = ANY($1::int[]) ORDER BY seq, process_id COLLATE "C"`, [seqs])).rows as Array<{
        seq: number; process_id: string; reached: number; first_ms: number | null; updated_ms: number; final: boolean;
      }>;
      return records(rows, pendingRows, reachRows);
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }
}

function records(rows: OutboxFiguresRow[], pendingRows: Array<{ seq: number; pending: number; retrying: number }>,
  reachRows: Array<{ seq: number; process_id: string; reached: number; first_ms: number | null; updated_ms: number; final: boolean }>): DeliveryRecord[] {
  const pending = new Map(pendingRows.map((p) => [p.seq, p]));
  const reach = new Map<number, DeliveryRecord['reach']>();
  for (const x of reachRows) {
    let list = reach.get(x.seq);
    if (!list) reach.set(x.seq, (list = []));
    list.push({ processId: x.process_id, reached: x.reached, firstMs: x.first_ms, updatedMs: x.updated_ms, final: x.final });
  }
  return rows.map((r) => ({
    seq: r.seq, alertId: r.alert_id, issuedAt: r.created_at, committedMs: r.committed_ms, expiresMs: r.expires_ms,
    outcome: r.outcome, completedAt: r.completed_at, via: r.published_via, mqttPublishedMs: r.mqtt_published_ms,
    push: {
      targeted: r.push_targeted, accepted: r.push_sent, failed: r.push_failed, expired: r.push_expired, gone: r.push_gone,
      pending: pending.get(r.seq)?.pending ?? 0, retrying: pending.get(r.seq)?.retrying ?? 0, firstMs: r.push_first_ms, lastMs: r.push_last_ms,
    },
    reach: reach.get(r.seq) ?? [],
  }));
}
