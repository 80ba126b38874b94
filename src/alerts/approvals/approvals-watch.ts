// The drafts waiting for approval, as every console of this process follows them (the live badge on "Approvals").
// One reader per process, not one per console nor one beside the notices: while anyone listens, the process's
// WaitingDrafts source (waiting-drafts.ts) reads every `pollMs` (a draft made through another process shows within
// that time) and at once when this process drafts, approves or withdraws one (kick). Each listener hears its counts
// when they change: every waiting draft (what the console's approval queue lists) and those it may approve itself (not
// its own: the two-person rule).
import type { WaitingDraft } from './ports.ts';
import type { WaitingDrafts } from './waiting-drafts.ts';

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
  /** The process's one reader of the waiting drafts (shared with the approvers' notices). */
  source: WaitingDrafts;
  log?: (msg: string, err?: unknown) => void;
}

/** How many of `drafts` `userName` may approve: the two-person rule leaves out their own. */
export function waitingFor(drafts: readonly WaitingDraft[], userName: string): number {
  return drafts.filter((d) => d.createdBy !== userName).length;
}

export class ApprovalsWatch {
  private readonly listeners = new Set<Listener>();
  private drafts: readonly WaitingDraft[] | null = null;
  private remove: (() => void) | null = null;
  readonly stats = { reads: 0 };

  constructor(private readonly o: ApprovalsWatchOptions) {}

  /** Follows the counts for `userName`; told at once when known, then on every change. Returns the unsubscribe. */
  subscribe(userName: string, onCount: (counts: WaitingCounts) => void): () => void {
    const l: Listener = { userName, last: null, onCount };
    this.listeners.add(l);
    if (!this.remove) {
      this.remove = this.o.source.add({ wants: () => this.listeners.size > 0, take: (d) => this.take(d) });
      // Reads already going on for the notices are current: the first listener is told from them at once.
      this.drafts = this.o.source.latest;
    }
    if (this.drafts) this.tell(l);
    else void this.o.source.kick();
    return () => {
      this.listeners.delete(l);
      if (this.listeners.size === 0 && this.remove) {
        this.remove();
        this.remove = null;
        this.drafts = null; // stale by the next listener: read afresh then
      }
    };
  }

  /** Reads the waiting drafts now (this process changed them); nothing when nobody needs them. */
  kick(): Promise<void> {
    return this.remove ? this.o.source.kick() : Promise.resolve();
  }

  get listening(): number {
    return this.listeners.size;
  }

  async stop(): Promise<void> {
    this.listeners.clear();
    this.remove?.();
    this.remove = null;
    this.drafts = null;
  }

  private take(drafts: readonly WaitingDraft[]): void {
    if (this.listeners.size === 0) return;
    this.drafts = drafts;
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
