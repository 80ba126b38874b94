// When to tell approvers that a draft waits: once per draft, whichever process made it and however many server
// processes run. Two ways in, one claim:
// - this process's lifecycle reports a draft after its commit (AlertLifecycle.observe): told at once;
// - a draft committed by another process (`refuge import cap` from the CLI, another `refuge serve`) is found in the
//   waiting drafts, as the process's one reader (waiting-drafts.ts, shared with the console's badge) reads them every
//   `pollMs`. The notices ask for those reads only while an approver has a device to tell: with none, nothing is read
//   for them (whether there is one is asked of the store at most every `deviceCheckMs`, and at once when this
//   process stores a device: devicesChanged).
// Before telling, a process claims the draft in the store (atomic across processes), so two servers that both see a
// new draft send one notice, not two. A draft older than `maxAgeMs` when first seen (one that waited while no
// server ran, or every waiting draft when a server starts) is not pushed: the badge shows it, and a restart must not
// ring every approver's phone again.
import type { AlertRecord } from '../model.ts';
import type { ApprovalsPushStore } from './ports.ts';
import type { NotifyOutcome } from './approvals-notifier.ts';
import type { WaitingDraft } from './ports.ts';
import type { WaitingDrafts } from './waiting-drafts.ts';

/** The claim key of a draft's notice (in the store's claim table, beside the test pushes' endpoints). */
export const noticeClaimKey = (draftId: string) => `approval-notice:${draftId}`;
/** How long a claim holds: far longer than a draft can be new (maxAgeMs), so a draft is claimed once. */
const CLAIM_HOLD_MS = 24 * 3600_000;

export interface ApprovalNoticesOptions {
  store: Pick<ApprovalsPushStore, 'claimOnce' | 'staffSubscriptionsForRoles'>;
  /** The process's one reader of the waiting drafts (shared with the console's badge). */
  source: WaitingDrafts;
  /** Roles that may approve: whose devices make the notices ask for reads. */
  approverRoles: readonly string[];
  /** Reads a draft (when it was made, whether it still waits). */
  drafts: { get(id: string): Promise<AlertRecord | null> };
  notifier: { draftWaiting(drafter: string | null): Promise<NotifyOutcome> };
  /** How long "an approver has a device" is taken as known before the store is asked again (ms, default 30 s). */
  deviceCheckMs?: number;
  /** A draft first seen older than this is not pushed (ms, default 10 minutes). */
  maxAgeMs?: number;
  now?: () => number;
  log?: (msg: string, err?: unknown) => void;
}

export class ApprovalNotices {
  /** Drafts this process has dealt with (told, lost the claim, or too old), pruned to those still waiting. */
  private readonly seen = new Set<string>();
  private readonly now: () => number;
  private remove: (() => void) | null = null;
  /** Whether an approver had a device, and when the store said so (null: ask). */
  private devices: { any: boolean; atMs: number } | null = null;
  /** polls: reads handed to the notices; deviceChecks: times the store was asked whether an approver has a device. */
  readonly stats = { polls: 0, deviceChecks: 0, notified: 0, claimedElsewhere: 0, tooOld: 0 };

  constructor(private readonly o: ApprovalNoticesOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The reader the notices share (the console's badge follows the same one). */
  get source(): WaitingDrafts {
    return this.o.source;
  }

  start(): void {
    this.remove ??= this.o.source.add({ wants: () => this.anyDevice(), take: (d) => this.readWaiting(d) });
  }

  /** Stops asking for reads (the owner of the source stops it, awaiting a read in progress). */
  stop(): void {
    this.remove?.();
    this.remove = null;
  }

  /** This process stored or removed an approver's device: ask the store again at the next read. */
  devicesChanged(): void {
    this.devices = null;
  }

  /** This process committed a draft that waits: tell the approvers now (unless another process already did). */
  async drafted(draftId: string, createdBy: string | null): Promise<void> {
    if (this.seen.has(draftId)) return;
    this.seen.add(draftId);
    await this.claimAndTell(draftId, createdBy);
  }

  /** Reads the waiting drafts now (if an approver has a device) and tells of each new one; resolves when done. */
  poll(): Promise<void> {
    this.devices = null;
    return this.o.source.kick();
  }

  private async anyDevice(): Promise<boolean> {
    const nowMs = this.now();
    if (this.devices && nowMs - this.devices.atMs < (this.o.deviceCheckMs ?? 30_000)) return this.devices.any;
    this.stats.deviceChecks++;
    const any = (await this.o.store.staffSubscriptionsForRoles(this.o.approverRoles, null)).length > 0;
    this.devices = { any, atMs: nowMs };
    return any;
  }

  private async readWaiting(waiting: readonly WaitingDraft[]): Promise<void> {
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
