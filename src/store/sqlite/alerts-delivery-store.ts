// SQLite side of the delivery figures (migration 050): each process's stream reach, and everything counted per
// event on the outbox row and in the push queue, read back for GET /api/alerts/:id/delivery and the console.
import type { Db } from './db.ts';
import type { ReachRow, ReachStore } from '../../alerts/delivery/ports.ts';
import type { DeliveryRecord } from '../../alerts/delivery/figures.ts';

interface OutboxFiguresRow {
  seq: number; alert_id: string; created_at: string; committed_ms: number | null; expires_ms: number | null;
  outcome: 'published' | 'expired' | null; completed_at: string | null; published_via: string | null; mqtt_published_ms: number | null;
  push_targeted: number; push_sent: number; push_failed: number; push_expired: number; push_gone: number;
  push_first_ms: number | null; push_last_ms: number | null;
}

const OUTBOX_COLUMNS = `seq, alert_id, created_at, committed_ms, expires_ms, outcome, completed_at, published_via, mqtt_published_ms,
  push_targeted, push_sent, push_failed, push_expired, push_gone, push_first_ms, push_last_ms`;

export class SqliteDeliveryStore implements ReachStore {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  async recordReach(processId: string, rows: ReachRow[], nowMs: number): Promise<void> {
    const up = this.db.prepare(`INSERT INTO alert_reach (process_id, seq, reached, first_ms, updated_ms, final) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(seq, process_id) DO UPDATE SET reached = excluded.reached, first_ms = excluded.first_ms, updated_ms = excluded.updated_ms, final = excluded.final`);
    this.db.transaction(() => {
      for (const r of rows) up.run(processId, r.seq, r.reached, r.firstMs, nowMs, r.final ? 1 : 0);
    })();
  }

  /** When MQTT first took the event (kept if already set: every process publishes it, the first time counts). */
  async markMqttPublished(seq: number, atMs: number): Promise<void> {
    this.db.prepare('UPDATE alert_outbox SET mqtt_published_ms = coalesce(mqtt_published_ms, ?) WHERE seq = ?').run(atMs, seq);
  }

  /** The figures of the latest event delivered for an alert, or null if it has none. */
  async recordForAlert(alertId: string): Promise<DeliveryRecord | null> {
    const row = this.db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM alert_outbox WHERE alert_id = ? ORDER BY seq DESC LIMIT 1`).get(alertId) as OutboxFiguresRow | undefined;
    return row ? this.records([row])[0] : null;
  }

  /** The figures of these events (in the order given; unknown seqs are left out). */
  async recordsFor(seqs: number[]): Promise<DeliveryRecord[]> {
    if (seqs.length === 0) return [];
    const rows = this.db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM alert_outbox WHERE seq IN (${seqs.map(() => '?').join(',')})`).all(...seqs) as OutboxFiguresRow[];
    const bySeq = new Map(this.records(rows).map((r) => [r.seq, r]));
    return seqs.flatMap((s) => (bySeq.has(s) ? [bySeq.get(s)!] : []));
  }

  private records(rows: OutboxFiguresRow[]): DeliveryRecord[] {
    if (rows.length === 0) return [];
    const seqs = rows.map((r) => r.seq);
    const marks = seqs.map(() => '?').join(',');
    const pending = new Map((this.db.prepare(`SELECT seq, count(*) AS pending, sum(attempts > 0) AS retrying FROM push_jobs WHERE seq IN (${marks}) GROUP BY seq`)
      .all(...seqs) as Array<{ seq: number; pending: number; retrying: number }>).map((p) => [p.seq, p]));
    const reach = new Map<number, DeliveryRecord['reach']>();
    for (const x of this.db.prepare(`SELECT seq, process_id, reached, first_ms, updated_ms, final FROM alert_reach WHERE seq IN (${marks}) ORDER BY seq, process_id`)
      .all(...seqs) as Array<{ seq: number; process_id: string; reached: number; first_ms: number | null; updated_ms: number; final: number }>) {
      let list = reach.get(x.seq);
      if (!list) reach.set(x.seq, (list = []));
      list.push({ processId: x.process_id, reached: x.reached, firstMs: x.first_ms, updatedMs: x.updated_ms, final: x.final === 1 });
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
}
