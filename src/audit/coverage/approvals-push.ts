// Audit coverage of the tables approvals push adds (see ../coverage.ts).
import type { AuditedTable } from '../coverage.ts';

export const AUDITED: readonly AuditedTable[] = [];
export const NOT_AUDITED: Readonly<Record<string, string>> = {
  // Like push_subscriptions: where a staff member's device may be notified decides nothing (the drafts and approvals
  // it points to are audited in alerts), and its auth value is a secret the log must not copy.
  staff_push_subscriptions: "a staff member's device address for approval notifications: a delivery preference holding a secret, not a decision",
  push_test_sends: 'rate-limit bookkeeping of the "test my alerts" push (one time per device endpoint)',
};
