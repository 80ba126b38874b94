// PostgreSQL implementation of the alert store and its delivery outbox (migration 025), for several server processes
// sharing one database. Same semantics as src/store/sqlite/alerts-store.ts; the contract suite
// (test/store/contract/alerts.contract.ts) runs against both.
import type pg from 'pg';
import type { AlertRecord, CapAlert } from '../../alerts/model.ts';
import type { AlertStore, IssueWrite, OutboxEntry } from '../../alerts/lifecycle/ports.ts';
import type { AlertEvent } from '../../alerts/lifecycle/alert-event.ts';
import type { OutboxStore, PushFanOut } from '../../alerts/delivery/ports.ts';
import { LifecycleError } from '../../alerts/lifecycle/errors.ts';
import { withTransaction } from './tx.ts';
import { queuePushJobs } from './alerts-push-queue.ts';

/** Advisory lock key held from allocating an outbox seq to commit (see `issue`). */
const OUTBOX_SEQ_LOCK = 7243025;

type Queryable = pg.Pool | pg.PoolClient;

interface AlertRow {
  id: string; sender: string; identifier: string; state: AlertRecord['state']; cap_json: string; cap_xml: string | null;
  signature: string | null; signature_key_id: string | null; created_by: string | null; created_at: string;
  approved_by: string | null; approved_at: string | null; issued_at: string | null; origin: string | null;
  false_alarm: boolean; prepared_for: string | null; replaced_by: string | null;
  trust: AlertRecord['trust'] | null; authority_name: string | null;
}

interface EntryRow { seq: number; event_json: string; created_at: string }

function toRecord(r: AlertRow): AlertRecord {
  return {
    id: r.id, cap: JSON.parse(r.cap_json) as CapAlert, state: r.state, createdBy: r.created_by, createdAt: r.created_at,
    approvedBy: r.approved_by, approvedAt: r.approved_at, issuedAt: r.issued_at, signature: r.signature, capXml: r.cap_xml,
    origin: r.origin, falseAlarm: r.false_alarm, preparedFor: r.prepared_for, replacedBy: r.replaced_by,
    signatureKeyId: r.signature_key_id, trust: r.trust ?? null, authorityName: r.authority_name ?? null,
  };
}

function expiresMs(cap: CapAlert): number | null {
  const e = cap.info[0]?.expires;
  const ms = e ? Date.parse(e) : NaN;
  return Number.isNaN(ms) ? null : ms;
}

function toEntry(r: EntryRow): OutboxEntry {
  return { seq: r.seq, event: { ...JSON.parse(r.event_json), seq: r.seq }, createdAt: r.created_at };
}

async function insert(q: Queryable, r: AlertRecord): Promise<void> {
  await q.query(`INSERT INTO alerts (id, sender, identifier, state, status, msg_type, cap_json, cap_xml, signature, signature_key_id,
      created_by, created_at, approved_by, approved_at, issued_at, origin, false_alarm, prepared_for, replaced_by, expires_ms, trust, authority_name)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`, [
    r.id, r.cap.sender, r.cap.identifier, r.state, r.cap.status, r.cap.msgType, JSON.stringify(r.cap), r.capXml, r.signature,
    r.signatureKeyId ?? null, r.createdBy, r.createdAt, r.approvedBy, r.approvedAt, r.issuedAt, r.origin, r.falseAlarm === true,
    r.preparedFor ?? null, r.replacedBy ?? null, expiresMs(r.cap), r.trust ?? null, r.authorityName ?? null]);
}

export class PostgresAlertStore implements AlertStore, OutboxStore {
  constructor(private readonly pool: pg.Pool) {}

  async insertDraft(record: AlertRecord): Promise<void> {
    await insert(this.pool, record);
  }

  private async one(sql: string, params: unknown[]): Promise<AlertRecord | null> {
    const row = (await this.pool.query(sql, params)).rows[0] as AlertRow | undefined;
    return row ? toRecord(row) : null;
  }

  private async entries(sql: string, params: unknown[]): Promise<OutboxEntry[]> {
    return ((await this.pool.query(sql, params)).rows as EntryRow[]).map(toEntry);
  }

  get(id: string): Promise<AlertRecord | null> {
    return this.one('SELECT * FROM alerts WHERE id = $1', [id]);
  }

  getByIdentifier(sender: string, identifier: string): Promise<AlertRecord | null> {
    return this.one('SELECT * FROM alerts WHERE sender = $1 AND identifier = $2', [sender, identifier]);
  }

  async withdraw(id: string, by: string, at: string): Promise<boolean> {
    return (await this.pool.query(`UPDATE alerts SET state = 'rejected', withdrawn_by = $1, withdrawn_at = $2 WHERE id = $3 AND state = 'draft'`, [by, at, id])).rowCount === 1;
  }

  issue(write: IssueWrite, expectedState: AlertRecord['state']): Promise<{ seq: number | null }> {
    const r = write.record;
    return withTransaction(this.pool, async (c) => {
      if (expectedState === 'imported') {
        await insert(c, r);
      } else {
        // A concurrent approval of the same draft waits on the row lock, then finds it no longer in expectedState.
        const changed = (await c.query(`UPDATE alerts SET state = $1, cap_json = $2, cap_xml = $3, signature = $4, signature_key_id = $5,
            approved_by = $6, approved_at = $7, issued_at = $8, expires_ms = $9, trust = $10, authority_name = $11 WHERE id = $12 AND state = $13`, [
          r.state, JSON.stringify(r.cap), r.capXml, r.signature, r.signatureKeyId ?? null, r.approvedBy, r.approvedAt, r.issuedAt,
          expiresMs(r.cap), r.trust ?? null, r.authorityName ?? null, r.id, expectedState])).rowCount;
        if (changed !== 1) throw new LifecycleError('conflict', `alert ${r.id} is no longer ${expectedState} (approved twice at once?)`, 'state');
      }
      for (const old of write.replaces) {
        const n = (await c.query('UPDATE alerts SET replaced_by = $1 WHERE id = $2 AND replaced_by IS NULL', [r.id, old])).rowCount;
        if (n !== 1) throw new LifecycleError('conflict', `alert ${old} was replaced meanwhile`, 'references');
        // A replaced alert's prepared cancel would now cancel the wrong thing.
        await c.query(`UPDATE alerts SET state = 'rejected', withdrawn_by = $1, withdrawn_at = $2 WHERE prepared_for = $3 AND state = 'draft' AND id <> $4`,
          ['refuge:replaced', r.issuedAt, old, r.id]);
      }
      if (write.preparedCancel) await insert(c, write.preparedCancel);
      if (!write.event) return { seq: null };
      // Seqs must become visible in seq order: a reader (outbox worker, SSE replay after Last-Event-ID) that has seen
      // seq 6 must never later find a 5. An identity alone does not give that: two transactions take 5 and 6, and 6
      // may commit first. This lock is held from taking the seq to COMMIT, so seqs are taken and committed one
      // transaction at a time, in order. It comes last in the transaction and alerts are rare: it costs nothing.
      await c.query(`SELECT pg_advisory_xact_lock(${OUTBOX_SEQ_LOCK})`);
      const row = (await c.query('INSERT INTO alert_outbox (alert_id, event_json, expires_ms, created_at, committed_ms) VALUES ($1, $2, $3, $4, $5) RETURNING seq', [
        r.id, JSON.stringify(write.event), write.event.expires ? Date.parse(write.event.expires) : null, r.issuedAt ?? new Date().toISOString(), Date.now()])).rows[0] as { seq: number };
      return { seq: row.seq };
    });
  }

  async listActive(now: string): Promise<AlertRecord[]> {
    const rows = (await this.pool.query(`SELECT * FROM alerts WHERE state IN ('issued', 'imported') AND replaced_by IS NULL AND msg_type <> 'Cancel'
        AND (expires_ms IS NULL OR expires_ms > $1) AND id IN (SELECT alert_id FROM alert_outbox) ORDER BY issued_at COLLATE "C" DESC`, [Date.parse(now)])).rows as AlertRow[];
    return rows.map(toRecord);
  }

  activeEvents(nowMs: number): Promise<OutboxEntry[]> {
    return this.entries(`SELECT o.seq, o.event_json, o.created_at FROM alert_outbox o JOIN alerts a ON a.id = o.alert_id
        WHERE a.state IN ('issued', 'imported') AND a.replaced_by IS NULL AND a.msg_type <> 'Cancel'
        AND (o.expires_ms IS NULL OR o.expires_ms > $1) ORDER BY o.seq`, [nowMs]);
  }

  async eventFor(alertId: string): Promise<AlertEvent | null> {
    const [entry] = await this.entries('SELECT seq, event_json, created_at FROM alert_outbox WHERE alert_id = $1 ORDER BY seq DESC LIMIT 1', [alertId]);
    return entry ? entry.event : null;
  }

  async historyEvents(sinceMs: number, maxChains: number): Promise<AlertEvent[]> {
    const entries = await this.entries(`WITH t AS (SELECT seq, event_json, created_at, expires_ms, committed_ms,
          COALESCE(event_json::json ->> 'thread', alert_id) AS thread FROM alert_outbox),
        chains AS (SELECT thread FROM t GROUP BY thread
          HAVING MAX(COALESCE(committed_ms, 0)) >= $1 OR bool_or(expires_ms IS NULL) OR MAX(expires_ms) >= $1
          ORDER BY MIN(seq) DESC LIMIT $2)
      SELECT seq, event_json, created_at FROM t WHERE thread IN (SELECT thread FROM chains) ORDER BY seq`, [sinceMs, maxChains]);
    return entries.map((e) => e.event);
  }

  async listRecent(limit: number): Promise<AlertRecord[]> {
    return ((await this.pool.query('SELECT * FROM alerts ORDER BY created_at COLLATE "C" DESC, pos DESC LIMIT $1', [limit])).rows as AlertRow[]).map(toRecord);
  }

  preparedCancelFor(id: string): Promise<AlertRecord | null> {
    return this.one(`SELECT * FROM alerts WHERE prepared_for = $1 AND state = 'draft' AND false_alarm ORDER BY pos LIMIT 1`, [id]);
  }

  pendingOutbox(limit: number): Promise<OutboxEntry[]> {
    return this.entries('SELECT seq, event_json, created_at FROM alert_outbox WHERE completed_at IS NULL ORDER BY seq LIMIT $1', [limit]);
  }

  completeOutbox(seq: number, outcome: 'published' | 'expired', at: string, via?: string, push?: PushFanOut): Promise<{ completed: boolean; queued: number }> {
    return withTransaction(this.pool, async (c) => {
      // Of two processes completing the row at once, the second waits on the row lock and then updates nothing.
      const completed = (await c.query('UPDATE alert_outbox SET completed_at = $1, outcome = $2, published_via = $3 WHERE seq = $4 AND completed_at IS NULL',
        [at, outcome, outcome === 'published' ? via ?? null : null, seq])).rowCount === 1;
      // Only the process that completed it fans out to push, so its jobs are queued once.
      const queued = completed && push ? await queuePushJobs(c, seq, push.regionCodes, push.expiresMs, push.nowMs) : 0;
      return { completed, queued };
    });
  }

  async liveEvents(nowMs: number, limit: number): Promise<OutboxEntry[]> {
    return (await this.entries(`SELECT seq, event_json, created_at FROM alert_outbox WHERE outcome = 'published' AND (expires_ms IS NULL OR expires_ms > $1)
        ORDER BY seq DESC LIMIT $2`, [nowMs, limit])).reverse();
  }

  eventsAfter(afterSeq: number, limit: number): Promise<OutboxEntry[]> {
    return this.entries(`SELECT seq, event_json, created_at FROM alert_outbox WHERE outcome = 'published' AND seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit]);
  }
}
