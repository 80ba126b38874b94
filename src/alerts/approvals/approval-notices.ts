// When to tell approvers that a draft waits: once per draft, whichever process made it and however many server
// processes run. Two ways in, one claim:
// - this process's lifecycle reports a draft after its commit (AlertLifecycle.observe): told at once;
// - a draft committed by another process (`refuge import cap` from the CLI, another `refuge serve`) is found by
//   reading the waiting drafts every `pollMs` (one small query per process; the console's badge reads as often).
// Before telling, a process claims the draft in the store (atomic across processes), so two servers that both see a
// new draft send one notice, not two. A draft older than `maxAgeMs` when first seen (one that waited while no
// server ran, or every waiting draft when a server starts) is not pushed: the badge shows it, and a restart must not
// ring every approver's phone again.
import type { AlertRecord } from '../model.ts';
import type { ApprovalsPushStore } from './ports.ts';
import type { NotifyOutcome } from './approvals-notifier.ts';
import { SerialRunner } from '../delivery/serial-runner.ts';

/** The claim key of a draft's notice (in the store's claim table, beside the test pushes' endpoints). */
export const noticeClaimKey = (draftId: string) => `approval-notice:${draftId}`;
/** How long a claim holds: far longer than a draft can be new (maxAgeMs), so a draft is claimed once. */
const CLAIM_HOLD_MS = 24 * 3600_000;

export interface ApprovalNoticesOptions {
  store: Pick<ApprovalsPushStore, 'waitingDrafts' | 'claimOnce'>;
  /** Reads a draft (when it was made, whether it still waits). */
  drafts: { get(id: string): Promise<AlertRecord | null> };
  notifier: { draftWaiting(drafter: string | null): Promise<NotifyOutcome> };
  /** How often the waiting drafts are read for drafts made elsewhere (ms, default 2000). */
  pollMs?: number;
  /** A draft first seen older than this is not pushed (ms, default 10 minutes). */
  maxAgeMs?: number;
  now?: () => number;
  log?: (msg: string, err?: unknown) => void;
}

export class ApprovalNotices {
  /** Drafts this process has dealt with (told, lost the claim, or too old), pruned to those still waiting. */
  private readonly seen = new Set<string>();
  private readonly runner: SerialRunner;
  private readonly now: () => number;
  readonly stats = { polls: 0, notified: 0, claimedElsewhere: 0, tooOld: 0 };

  constructor(private readonly o: ApprovalNoticesOptions) {
    this.now = o.now ?? Date.now;
    this.runner = new SerialRunner(() => this.readWaiting(), o.pollMs ?? 2000, (err) => o.log?.('approvals push: reading the waiting drafts failed, will retry', err));
  }

  start(): void {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** This process committed a draft that waits: tell the approvers now (unless another process already did). */
  async drafted(draftId: string, createdBy: string | null): Promise<void> {
    if (this.seen.has(draftId)) return;
    this.seen.add(draftId);
    await this.claimAndTell(draftId, createdBy);
  }

  /** Reads the waiting drafts now and tells the approvers of each new one; resolves when done (one read at a time). */
  poll(): Promise<void> {
    return this.runner.kick();
  }

  private async readWaiting(): Promise<void> {
    const waiting = await this.o.store.waitingDrafts();
    this.stats.polls++;
    const ids = new Set(waiting.map((d) => d.id));
    for (const id of this.seen) if (!ids.has(id)) this.seen.delete(id);
    for (const d of waiting) {
      if (this.seen.has(d.id)) continue;
      const record = await this.o.drafts.get(d.id);
      this.seen.add(d.id);
      if (!record || record.state !== 'draft') continue;
      if (this.now() - Date.parse(record.createdAt) > (this.o.maxAgeMs ?? 10 * 60_000)) {
        this.stats.tooOld++;
        continue;
      }
      await this.claimAndTell(d.id, d.createdBy);
    }
  }

  private async claimAndTell(draftId: string, createdBy: string | null): Promise<void> {
    let claim;
    try {
      claim = await this.o.store.claimOnce(noticeClaimKey(draftId), this.now(), CLAIM_HOLD_MS);
    } catch (err) {
      this.seen.delete(draftId); // the next read tries again
      throw err;
    }
    if (!claim.claimed) {
      this.stats.claimedElsewhere++;
      return;
    }
    this.stats.notified++;
    await this.o.notifier.draftWaiting(createdBy);
  }
}
