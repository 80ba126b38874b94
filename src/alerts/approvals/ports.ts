// What approvals push needs from the store: staff devices per user (Web Push to approvers when a draft waits), the
// drafts waiting for approval (the console's live badge), and the "test my alerts" push's per-device limit.
import type { PushSubscriptionRecord } from '../delivery/ports.ts';

/** A staff member's browser push subscription (a device may belong to one user at a time). */
export interface StaffPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  userName: string;
}

/** A draft waiting for a second person: only who drafted it (the console reads the rest itself). */
export interface WaitingDraft {
  id: string;
  createdBy: string | null;
}

export interface ApprovalsPushStore {
  /** Stores the device for the user (an endpoint another user had moves to this one). */
  upsertStaffSubscription(sub: StaffPushSubscription, at: string): Promise<void>;
  /** Forgets the device if it is this user's; false when it was not. */
  removeStaffSubscription(endpoint: string, userName: string): Promise<boolean>;
  /** Forgets the device whoever's it was (the push service answered 404/410). */
  dropStaffEndpoint(endpoint: string): Promise<boolean>;
  staffSubscriptionsOf(userName: string): Promise<StaffPushSubscription[]>;
  /** The devices of active accounts (not disabled, not pending) with one of `roles`, except `exceptUser`'s. */
  staffSubscriptionsForRoles(roles: readonly string[], exceptUser: string | null): Promise<StaffPushSubscription[]>;
  /** Every draft an approver may still approve (prepared false-alarm cancels excluded: they go out through cancel). */
  waitingDrafts(): Promise<WaitingDraft[]>;
  /** The resident push subscription registered (POST /api/push/subscribe) for this endpoint, or null. */
  deviceSubscription(endpoint: string): Promise<PushSubscriptionRecord | null>;
  /**
   * Claims `key` for `intervalMs`: true when nobody claimed it in the last `intervalMs` (the claim is recorded at
   * `nowMs`); otherwise false and the time the next claim is possible. Atomic across processes. Used for a device's
   * test push (key: its endpoint, one a minute) and for the approvers' notice of a draft (one per draft).
   */
  claimOnce(key: string, nowMs: number, intervalMs: number): Promise<{ claimed: true } | { claimed: false; nextMs: number }>;
}
