// The drafts waiting for approval, as every console of this process follows them (the live badge on "Approvals").
// One reader per process, not one per console: while anyone listens, the waiting drafts are read every `pollMs`
// (a draft made through another process shows within that time) and at once when this process drafts, approves or
// withdraws one (kick). Each listener hears its counts when they change: every waiting draft (what the console's
// approval queue lists) and those it may approve itself (not its own: the two-person rule).
import type { ApprovalsPushStore, WaitingDraft } from './ports.ts';
import { SerialRunner } from '../delivery/serial-runner.ts';

export interface WaitingCounts {
  /** Drafts waiting for a second person. */
  waiting: number;
  /** Of those, the ones this user may approve (drafted by someone else). */
  forYou: number;
}

interface Listener {
  userName: string;
  last: string | null;
  onCount: (counts: WaitingCounts) => void;
}

export interface ApprovalsWatchOptions {
  store: Pick<ApprovalsPushStore, 'waitingDrafts'>;
  /** How often the waiting drafts are read while anyone listens (ms, default 2000). */
  pollMs?: number;
  log?: (msg: string, err?: unknown) => void;
}

/** How many of `drafts` `userName` may approve: the two-person rule leaves out their own. */
export function waitingFor(drafts: readonly WaitingDraft[], userName: string): number {
  return drafts.filter((d) => d.createdBy !== userName).length;
}

export class ApprovalsWatch {
  private readonly listeners = new Set<Listener>();
  private drafts: WaitingDraft[] | null = null;
  private readonly runner: SerialRunner;
  private running = false;
  readonly stats = { reads: 0 };

  constructor(private readonly o: ApprovalsWatchOptions) {
    this.runner = new SerialRunner(() => this.read(), o.pollMs ?? 2000, (err) => o.log?.('approvals: reading the waiting drafts failed, will retry', err));
  }

  /** Follows the counts for `userName`; told at once when known, then on every change. Returns the unsubscribe. */
  subscribe(userName: string, onCount: (counts: WaitingCounts) => void): () => void {
    const l: Listener = { userName, last: null, onCount };
    this.listeners.add(l);
    if (this.drafts) this.tell(l);
    if (!this.running) {
      this.running = true;
      this.runner.start();
    } else if (!this.drafts) void this.runner.kick();
    return () => {
      this.listeners.delete(l);
      if (this.listeners.size === 0 && this.running) {
        this.running = false;
        this.drafts = null; // stale by the next listener: read afresh then
        void this.runner.stop();
      }
    };
  }

  /** Reads the waiting drafts now (this process changed them); nothing when nobody listens. */
  kick(): Promise<void> {
    return this.running ? this.runner.kick() : Promise.resolve();
  }

  get listening(): number {
    return this.listeners.size;
  }

  async stop(): Promise<void> {
    this.listeners.clear();
    this.running = false;
    await this.runner.stop();
  }

  private async read(): Promise<void> {
    if (this.listeners.size === 0) return;
    this.drafts = await this.o.store.waitingDrafts();
    this.stats.reads++;
    for (const l of this.listeners) this.tell(l);
  }

  private tell(l: Listener): void {
    const drafts = this.drafts ?? [];
    const counts: WaitingCounts = { waiting: drafts.length, forYou: waitingFor(drafts, l.userName) };
    const key = `${counts.waiting}/${counts.forYou}`;
    if (key === l.last) return;
    l.last = key;
    try {
      l.onCount(counts);
    } catch (err) {
      this.o.log?.('approvals: a listener failed', err);
    }
  }
}
