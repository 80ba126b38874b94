// PostgreSQL implementation of approvals push storage (migration 103); same semantics as
// src/store/sqlite/approvals-push.ts, the test-push claim decided by one conditional upsert (row lock).
import type pg from 'pg';
import type { ApprovalsPushStore, StaffPushSubscription, WaitingDraft } from '../../alerts/approvals/ports.ts';
import type { PushSubscriptionRecord } from '../../alerts/delivery/ports.ts';

interface StaffRow { endpoint: string; user_name: string; p256dh: string; auth: string }
const toStaff = (r: StaffRow): StaffPushSubscription => ({ endpoint: r.endpoint, userName: r.user_name, keys: { p256dh: r.p256dh, auth: r.auth } });

export class PostgresApprovalsPushStore implements ApprovalsPushStore {
  constructor(private readonly pool: pg.Pool) {}

  async upsertStaffSubscription(sub: StaffPushSubscription, at: string): Promise<void> {
    await this.pool.query(`INSERT INTO staff_push_subscriptions (endpoint, user_name, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (endpoint) DO UPDATE SET user_name = excluded.user_name, p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`,
    [sub.endpoint, sub.userName, sub.keys.p256dh, sub.keys.auth, at]);
  }

  async removeStaffSubscription(endpoint: string, userName: string): Promise<boolean> {
    return (await this.pool.query('DELETE FROM staff_push_subscriptions WHERE endpoint = $1 AND user_name = $2', [endpoint, userName])).rowCount === 1;
  }

  async dropStaffEndpoint(endpoint: string): Promise<boolean> {
    return (await this.pool.query('DELETE FROM staff_push_subscriptions WHERE endpoint = $1', [endpoint])).rowCount === 1;
  }

  async staffSubscriptionsOf(userName: string): Promise<StaffPushSubscription[]> {
    return ((await this.pool.query('SELECT endpoint, user_name, p256dh, auth FROM staff_push_subscriptions WHERE user_name = $1 ORDER BY endpoint', [userName])).rows as StaffRow[]).map(toStaff);
  }

  async staffSubscriptionsForRoles(roles: readonly string[], exceptUser: string | null): Promise<StaffPushSubscription[]> {
    if (roles.length === 0) return [];
    return ((await this.pool.query(`SELECT s.endpoint, s.user_name, s.p256dh, s.auth FROM staff_push_subscriptions s JOIN users u ON u.name = s.user_name
        WHERE u.role = ANY($1::text[]) AND u.disabled_at IS NULL AND u.pending_since IS NULL AND ($2::text IS NULL OR s.user_name <> $2::text)
        ORDER BY s.user_name, s.endpoint`, [[...roles], exceptUser])).rows as StaffRow[]).map(toStaff);
  }

  async waitingDrafts(): Promise<WaitingDraft[]> {
    return ((await this.pool.query(`SELECT id, created_by FROM alerts WHERE state = 'draft' AND NOT false_alarm ORDER BY created_at, id`)).rows as Array<{ id: string; created_by: string | null }>)
      .map((r) => ({ id: r.id, createdBy: r.created_by }));
  }

  async deviceSubscription(endpoint: string): Promise<PushSubscriptionRecord | null> {
    const r = (await this.pool.query('SELECT endpoint, p256dh, auth, regions FROM push_subscriptions WHERE endpoint = $1', [endpoint])).rows[0] as { endpoint: string; p256dh: string; auth: string; regions: string } | undefined;
    return r ? { endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth }, regions: (typeof r.regions === 'string' ? JSON.parse(r.regions) : r.regions) as string[] } : null;
  }

  async claimOnce(endpoint: string, nowMs: number, intervalMs: number): Promise<{ claimed: true } | { claimed: false; nextMs: number }> {
    const won = await this.pool.query(`INSERT INTO push_test_sends (endpoint, last_ms) VALUES ($1, $2)
        ON CONFLICT (endpoint) DO UPDATE SET last_ms = excluded.last_ms WHERE push_test_sends.last_ms <= $3 RETURNING endpoint`, [endpoint, nowMs, nowMs - intervalMs]);
    if (won.rowCount === 1) {
      await this.pool.query('DELETE FROM push_test_sends WHERE last_ms < $1', [nowMs - Math.max(intervalMs, 24 * 3600_000)]);
      return { claimed: true };
    }
    const last = (await this.pool.query('SELECT last_ms::float8 AS last_ms FROM push_test_sends WHERE endpoint = $1', [endpoint])).rows[0] as { last_ms: number } | undefined;
    return { claimed: false, nextMs: (last?.last_ms ?? nowMs) + intervalMs };
  }
}
