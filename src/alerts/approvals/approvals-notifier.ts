// Web Push to approvers when a draft waits for them: every device of every active account that may approve, except
// the drafter's (they cannot approve their own). The message says only that an alert waits and where to review it:
// no draft text, no names (a draft is for the console only, and push services carry what they are given). Best
// effort, never retried: the console's badge is the dependable path; a device the push service calls gone is dropped.
import type { PushSender } from '../delivery/push/push-sender.ts';
import { PushServiceError } from '../delivery/push/push-sender.ts';
import type { ApprovalsPushStore } from './ports.ts';

/** Where the notification opens: the console's approval queue. */
export const APPROVALS_URL = '/console.html#/approvals';

/** What an approval notification carries (web/sw/sw.js shows it). */
export function approvalPayload(): string {
  return JSON.stringify({ kind: 'approval', url: APPROVALS_URL });
}

export interface ApprovalsNotifierOptions {
  store: Pick<ApprovalsPushStore, 'staffSubscriptionsForRoles' | 'dropStaffEndpoint'>;
  sender: PushSender;
  /** Roles that may approve (src/api/alerts.ts APPROVE_ROLES). */
  approverRoles: readonly string[];
  log?: (msg: string, err?: unknown) => void;
}

export interface NotifyOutcome {
  sent: number;
  failed: number;
  gone: number;
}

export class ApprovalsNotifier {
  readonly stats: NotifyOutcome = { sent: 0, failed: 0, gone: 0 };

  constructor(private readonly o: ApprovalsNotifierOptions) {}

  /** Tells the approvers (not `drafter`) that a draft waits. Never throws: what failed is counted and logged. */
  async draftWaiting(drafter: string | null): Promise<NotifyOutcome> {
    const out: NotifyOutcome = { sent: 0, failed: 0, gone: 0 };
    let subs;
    try {
      subs = await this.o.store.staffSubscriptionsForRoles(this.o.approverRoles, drafter);
    } catch (err) {
      this.o.log?.('approvals push: reading the approvers\' devices failed', err);
      out.failed++;
      return this.count(out);
    }
    const payload = approvalPayload();
    // An hour is plenty: a draft older than that is in the badge anyway. One topic: a second draft replaces the first
    // notification still held by the push service rather than queueing behind it.
    const msg = { ttl: 3600, urgency: 'high' as const, topic: 'refuge-approvals' };
    await Promise.all(subs.map(async (s) => {
      try {
        await this.o.sender.send({ endpoint: s.endpoint, keys: s.keys, regions: [] }, payload, msg);
        out.sent++;
      } catch (err) {
        const status = err instanceof PushServiceError ? err.statusCode : null;
        if (status === 404 || status === 410) {
          out.gone++;
          await this.o.store.dropStaffEndpoint(s.endpoint).catch((e) => this.o.log?.('approvals push: dropping a gone device failed', e));
          return;
        }
        out.failed++;
        this.o.log?.(`approvals push: sending to a device of ${s.userName} failed`, err);
      }
    }));
    return this.count(out);
  }

  private count(out: NotifyOutcome): NotifyOutcome {
    this.stats.sent += out.sent;
    this.stats.failed += out.failed;
    this.stats.gone += out.gone;
    return out;
  }
}
