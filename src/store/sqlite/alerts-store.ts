// SQLite implementation of the alert store and its delivery outbox (migration 025).
import type { Db } from './db.ts';
import type { AlertRecord, CapAlert } from '../../alerts/model.ts';
import type { AlertStore, IssueWrite, OutboxEntry } from '../../alerts/lifecycle/ports.ts';
import type { AlertEvent } from '../../alerts/lifecycle/alert-event.ts';
import type { OutboxStore, PushFanOut } from '../../alerts/delivery/ports.ts';
import { queuePushJobs } from './alerts-push-queue.ts';
import { LifecycleError } from '../../alerts/lifecycle/errors.ts';

interface AlertRow {
  id: string; sender: string; identifier: string; state: AlertRecord['state']; cap_json: string; cap_xml: string | null;
  signature: string | null; signature_key_id: string | null; created_by: string | null; created_at: string;
  approved_by: string | null; approved_at: string | null; issued_at: string | null; origin: string | null;
  false_alarm: number; prepared_for: string | null; replaced_by: string | null;
  trust: AlertRecord['trust'] | null; authority_name: string | null;
}

function toRecord(r: AlertRow): AlertRecord {
  return {
    id: r.id, cap: JSON.parse(r.cap_json) as CapAlert, state: r.state, createdBy: r.created_by, createdAt: r.created_at,
    approvedBy: r.approved_by, approvedAt: r.approved_at, issuedAt: r.issued_at, signature: r.signature, capXml: r.cap_xml,
    origin: r.origin, falseAlarm: r.false_alarm === 1, preparedFor: r.prepared_for, replacedBy: r.replaced_by,
    signatureKeyId: r.signature_key_id, trust: r.trust ?? null, authorityName: r.authority_name ?? null,
  };
}

function expiresMs(cap: CapAlert): number | null {
  const e = cap.info[0]?.expires;
  const ms = e ? Date.parse(e) : NaN;
  return Number.isNaN(ms) ? null : ms;
}

function toEntry(r: { seq: number; event_json: string; created_at: string }): OutboxEntry {
  return { seq: r.seq, event: { ...JSON.parse(r.event_json), seq: r.seq }, createdAt: r.created_at };
}

export class SqliteAlertStore implements AlertStore, OutboxStore {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  async insertDraft(record: AlertRecord): Promise<void> {
    this.insert(record);
  }

  private insert(r: AlertRecord): void {
    this.db.prepare(`INSERT INTO alerts (id, sender, identifier, state, status, msg_type, cap_json, cap_xml, signature, signature_key_id,
        created_by, created_at, approved_by, approved_at, issued_at, origin, false_alarm, prepared_for, replaced_by, expires_ms, trust, authority_name)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      r.id, r.cap.sender, r.cap.identifier, r.state, r.cap.status, r.cap.msgType, JSON.stringify(r.cap), r.capXml, r.signature,
      r.signatureKeyId ?? null, r.createdBy, r.createdAt, r.approvedBy, r.approvedAt, r.issuedAt, r.origin, r.falseAlarm ? 1 : 0,
      r.preparedFor ?? null, r.replacedBy ?? null, expiresMs(r.cap), r.trust ?? null, r.authorityName ?? null);
  }

  async get(id: string): Promise<AlertRecord | null> {
    const row = this.db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
    return row ? toRecord(row) : null;
  }

  async getByIdentifier(sender: string, identifier: string): Promise<AlertRecord | null> {
    const row = this.db.prepare('SELECT * FROM alerts WHERE sender = ? AND identifier = ?').get(sender, identifier) as AlertRow | undefined;
    return row ? toRecord(row) : null;
  }

  async withdraw(id: string, by: string, at: string): Promise<boolean> {
    return this.db.prepare(`UPDATE alerts SET state = 'rejected', withdrawn_by = ?, withdrawn_at = ? WHERE id = ? AND state = 'draft'`).run(by, at, id).changes === 1;
  }

  async issue(write: IssueWrite, expectedState: AlertRecord['state']): Promise<{ seq: number | null }> {
    const r = write.record;
    return this.db.transaction(() => {
      if (expectedState === 'imported') {
        this.insert(r);
      } else {
        const changed = this.db.prepare(`UPDATE alerts SET state = ?, cap_json = ?, cap_xml = ?, signature = ?, signature_key_id = ?,
            approved_by = ?, approved_at = ?, issued_at = ?, expires_ms = ?, trust = ?, authority_name = ? WHERE id = ? AND state = ?`).run(
          r.state, JSON.stringify(r.cap), r.capXml, r.signature, r.signatureKeyId ?? null, r.approvedBy, r.approvedAt, r.issuedAt,
          expiresMs(r.cap), r.trust ?? null, r.authorityName ?? null, r.id, expectedState).changes;
        if (changed !== 1) throw new LifecycleError('conflict', `alert ${r.id} is no longer ${expectedState} (approved twice at once?)`, 'state');
      }
      for (const old of write.replaces) {
        const n = this.db.prepare('UPDATE alerts SET replaced_by = ? WHERE id = ? AND replaced_by IS NULL').run(r.id, old).changes;
        if (n !== 1) throw new LifecycleError('conflict', `alert ${old} was replaced meanwhile`, 'references');
        // A replaced alert's prepared cancel would now cancel the wrong thing.
        this.db.prepare(`UPDATE alerts SET state = 'rejected', withdrawn_by = ?, withdrawn_at = ? WHERE prepared_for = ? AND state = 'draft' AND id <> ?`)
          .run('refuge:replaced', r.issuedAt, old, r.id);
      }
      if (write.preparedCancel) this.insert(write.preparedCancel);
      if (!write.event) return { seq: null };
      const info = this.db.prepare('INSERT INTO alert_outbox (alert_id, event_json, expires_ms, created_at, committed_ms) VALUES (?, ?, ?, ?, ?)').run(
        r.id, JSON.stringify(write.event), write.event.expires ? Date.parse(write.event.expires) : null, r.issuedAt ?? new Date().toISOString(), Date.now());
      return { seq: Number(info.lastInsertRowid) };
    }).immediate();
  }

  async listActive(now: string): Promise<AlertRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM alerts WHERE state IN ('issued', 'imported') AND replaced_by IS NULL AND msg_type <> 'Cancel'
        AND (expires_ms IS NULL OR expires_ms > ?) AND id IN (SELECT alert_id FROM alert_outbox) ORDER BY issued_at DESC`).all(Date.parse(now)) as AlertRow[];
    return rows.map(toRecord);
  }

  /** The delivered event of every active alert (see listActive), oldest first: what GET /api/alerts serves. */
  async activeEvents(nowMs: number): Promise<OutboxEntry[]> {
    return (this.db.prepare(`SELECT o.seq, o.event_json, o.created_at FROM alert_outbox o JOIN alerts a ON a.id = o.alert_id
        WHERE a.state IN ('issued', 'imported') AND a.replaced_by IS NULL AND a.msg_type <> 'Cancel'
        AND (o.expires_ms IS NULL OR o.expires_ms > ?) ORDER BY o.seq`).all(nowMs) as Array<{ seq: number; event_json: string; created_at: string }>).map(toEntry);
  }

  /** The event delivered for an alert, if any. */
  async eventFor(alertId: string): Promise<AlertEvent | null> {
    const row = this.db.prepare('SELECT seq, event_json, created_at FROM alert_outbox WHERE alert_id = ? ORDER BY seq DESC LIMIT 1').get(alertId) as { seq: number; event_json: string; created_at: string } | undefined;
    return row ? toEntry(row).event : null;
  }

  /**
   * Every delivered event of the alert chains (thread) that may have been in force at or after `sinceMs`: a message
   * committed since then, or one without expiry or expiring since then. At most `maxChains` chains, the newest first.
   * The public history (src/alerts/lifecycle/history.ts) decides from these what ended when.
   */
  async historyEvents(sinceMs: number, maxChains: number): Promise<AlertEvent[]> {
    const rows = this.db.prepare(`WITH t AS (SELECT seq, event_json, created_at, expires_ms, committed_ms,
          COALESCE(json_extract(event_json, '$.thread'), alert_id) AS thread FROM alert_outbox),
        chains AS (SELECT thread FROM t GROUP BY thread
          HAVING MAX(COALESCE(committed_ms, 0)) >= ? OR MAX(CASE WHEN expires_ms IS NULL THEN 1 ELSE 0 END) = 1 OR MAX(expires_ms) >= ?
          ORDER BY MIN(seq) DESC LIMIT ?)
      SELECT seq, event_json, created_at FROM t WHERE thread IN (SELECT thread FROM chains) ORDER BY seq`)
      .all(sinceMs, sinceMs, maxChains) as Array<{ seq: number; event_json: string; created_at: string }>;
    return rows.map((r) => toEntry(r).event);
  }

  /** Every alert in any state, newest first (operator console). */
  async listRecent(limit: number): Promise<AlertRecord[]> {
    return (this.db.prepare('SELECT * FROM alerts ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as AlertRow[]).map(toRecord);
  }

  async preparedCancelFor(id: string): Promise<AlertRecord | null> {
    const row = this.db.prepare(`SELECT * FROM alerts WHERE prepared_for = ? AND state = 'draft' AND false_alarm = 1`).get(id) as AlertRow | undefined;
    return row ? toRecord(row) : null;
  }

  async pendingOutbox(limit: number): Promise<OutboxEntry[]> {
    return (this.db.prepare('SELECT seq, event_json, created_at FROM alert_outbox WHERE completed_at IS NULL ORDER BY seq LIMIT ?').all(limit) as Array<{ seq: number; event_json: string; created_at: string }>).map(toEntry);
  }

  async completeOutbox(seq: number, outcome: 'published' | 'expired', at: string, via?: string, push?: PushFanOut): Promise<{ completed: boolean; queued: number }> {
    return this.db.transaction(() => {
      const completed = this.db.prepare('UPDATE alert_outbox SET completed_at = ?, outcome = ?, published_via = ? WHERE seq = ? AND completed_at IS NULL')
        .run(at, outcome, outcome === 'published' ? via ?? null : null, seq).changes === 1;
      // Another process completed it first: its push jobs are queued (and maybe sent and removed) already.
      const queued = completed && push ? queuePushJobs(this.db, seq, push.regionCodes, push.expiresMs, push.nowMs) : 0;
      return { completed, queued };
    }).immediate();
  }

  async liveEvents(nowMs: number, limit: number): Promise<OutboxEntry[]> {
    return (this.db.prepare(`SELECT seq, event_json, created_at FROM alert_outbox WHERE outcome = 'published' AND (expires_ms IS NULL OR expires_ms > ?)
        ORDER BY seq DESC LIMIT ?`).all(nowMs, limit) as Array<{ seq: number; event_json: string; created_at: string }>).map(toEntry).reverse();
  }

  async eventsAfter(afterSeq: number, limit: number): Promise<OutboxEntry[]> {
    return (this.db.prepare(`SELECT seq, event_json, created_at FROM alert_outbox WHERE outcome = 'published' AND seq > ? ORDER BY seq LIMIT ?`)
      .all(afterSeq, limit) as Array<{ seq: number; event_json: string; created_at: string }>).map(toEntry);
  }
}
