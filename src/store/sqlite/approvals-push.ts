// SQLite implementation of approvals push storage (migration 103): staff devices per user, the waiting drafts, and
// the "test my alerts" push's per-device claim.
import type { Db } from './db.ts';
import type { ApprovalsPushStore, StaffPushSubscription, WaitingDraft } from '../../alerts/approvals/ports.ts';
import type { PushSubscriptionRecord } from '../../alerts/delivery/ports.ts';

interface StaffRow { endpoint: string; user_name: string; p256dh: string; auth: string }
const toStaff = (r: StaffRow): StaffPushSubscription => ({ endpoint: r.endpoint, userName: r.user_name, keys: { p256dh: r.p256dh, auth: r.auth } });

export class SqliteApprovalsPushStore implements ApprovalsPushStore {
  constructor(private readonly db: Db) {}

  async upsertStaffSubscription(sub: StaffPushSubscription, at: string): Promise<void> {
    this.db.prepare(`INSERT INTO staff_push_subscriptions (endpoint, user_name, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(endpoint) DO UPDATE SET user_name = excluded.user_name, p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`)
      .run(sub.endpoint, sub.userName, sub.keys.p256dh, sub.keys.auth, at);
  }

  async removeStaffSubscription(endpoint: string, userName: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM staff_push_subscriptions WHERE endpoint = ? AND user_name = ?').run(endpoint, userName).changes === 1;
  }

  async dropStaffEndpoint(endpoint: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM staff_push_subscriptions WHERE endpoint = ?').run(endpoint).changes === 1;
  }

  async staffSubscriptionsOf(userName: string): Promise<StaffPushSubscription[]> {
    return (this.db.prepare('SELECT endpoint, user_name, p256dh, auth FROM staff_push_subscriptions WHERE user_name = ? ORDER BY endpoint').all(userName) as StaffRow[]).map(toStaff);
  }

  async staffSubscriptionsForRoles(roles: readonly string[], exceptUser: string | null): Promise<StaffPushSubscription[]> {
    if (roles.length === 0) return [];
    return (this.db.prepare(`SELECT s.endpoint, s.user_name, s.p256dh, s.auth FROM staff_push_subscriptions s JOIN users u ON u.name = s.user_name
        WHERE u.role IN (SELECT value FROM json_each(?)) AND u.disabled_at IS NULL AND u.pending_since IS NULL AND (? IS NULL OR s.user_name <> ?)
        ORDER BY s.user_name, s.endpoint`).all(JSON.stringify(roles), exceptUser, exceptUser) as StaffRow[]).map(toStaff);
  }

  async waitingDrafts(): Promise<WaitingDraft[]> {
    return (this.db.prepare(`SELECT id, created_by FROM alerts WHERE state = 'draft' AND false_alarm = 0 ORDER BY created_at, id`).all() as Array<{ id: string; created_by: string | null }>)
      .map((r) => ({ id: r.id, createdBy: r.created_by }));
  }

  async deviceSubscription(endpoint: string): Promise<PushSubscriptionRecord | null> {
    const r = this.db.prepare('SELECT endpoint, p256dh, auth, regions FROM push_subscriptions WHERE endpoint = ?').get(endpoint) as { endpoint: string; p256dh: string; auth: string; regions: string } | undefined;
    return r ? { endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth }, regions: JSON.parse(r.regions) as string[] } : null;
  }

  async claimOnce(endpoint: string, nowMs: number, intervalMs: number): Promise<{ claimed: true } | { claimed: false; nextMs: number }> {
    return this.db.transaction(() => {
      const changed = this.db.prepare(`INSERT INTO push_test_sends (endpoint, last_ms) VALUES (?, ?)
          ON CONFLICT(endpoint) DO UPDATE SET last_ms = excluded.last_ms WHERE push_test_sends.last_ms <= ?`).run(endpoint, nowMs, nowMs - intervalMs).changes;
      if (changed === 1) {
        // Old claims are of no use once their interval is over: the table stays as small as the devices tested lately.
        this.db.prepare('DELETE FROM push_test_sends WHERE last_ms < ?').run(nowMs - Math.max(intervalMs, 24 * 3600_000));
        return { claimed: true as const };
      }
      const last = this.db.prepare('SELECT last_ms FROM push_test_sends WHERE endpoint = ?').pluck().get(endpoint) as number;
      return { claimed: false as const, nextMs: last + intervalMs };
    }).immediate();
  }
}
