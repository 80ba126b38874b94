// The drafts waiting for approval, read once per process for everything that follows them: the console's live badge
// (approvals-watch.ts) and the approvers' push notices (approval-notices.ts). Before this, each read the store on its
// own timer: two identical queries every 2 s per process, the notices' even when no approver had a device.
//
// Every `pollMs`, and at once when kicked (this process drafted, approved or withdrew), the source asks its consumers
// whether they need the drafts; only when one does is the store read, once, and every consumer is handed that read.
// With no consumer in need (no console following the badge, no approver device), nothing is read.
import type { ApprovalsPushStore, WaitingDraft } from './ports.ts';
import { SerialRunner } from '../delivery/serial-runner.ts';

export interface WaitingDraftsConsumer {
  /** Whether this consumer needs the drafts now. Asked each pass, in order, until one says yes. */
  wants(): boolean | Promise<boolean>;
  /** Handed every read (also those another consumer asked for). */
  take(drafts: readonly WaitingDraft[]): void | Promise<void>;
}

export interface WaitingDraftsOptions {
  store: Pick<ApprovalsPushStore, 'waitingDrafts'>;
  /** How often the waiting drafts are read while a consumer needs them (ms, default 2000). */
  pollMs?: number;
  log?: (msg: string, err?: unknown) => void;
}

export class WaitingDrafts {
  private readonly consumers = new Set<WaitingDraftsConsumer>();
  private readonly runner: SerialRunner;
  private started = false;
  /** The last read, while reads go on; null once a pass found no consumer in need (it would go stale). */
  private last: WaitingDraft[] | null = null;
  /** passes: every pass (timer or kick); reads: those that read the store. */
  readonly stats = { passes: 0, reads: 0 };

  constructor(private readonly o: WaitingDraftsOptions) {
    this.runner = new SerialRunner(() => this.pass(), o.pollMs ?? 2000, (err) => o.log?.('approvals: reading the waiting drafts failed, will retry', err));
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.runner.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.consumers.clear();
    this.last = null;
    await this.runner.stop();
  }

  /** Adds a consumer; returns the removal. */
  add(consumer: WaitingDraftsConsumer): () => void {
    this.consumers.add(consumer);
    return () => {
      this.consumers.delete(consumer);
    };
  }

  /** The drafts of the last read, while reads go on (null when none is current). */
  get latest(): readonly WaitingDraft[] | null {
    return this.last;
  }

  /** One pass now (read if any consumer needs it); resolves when it, and the one a kick during it asked for, is done. */
  kick(): Promise<void> {
    return this.runner.kick();
  }

  private async pass(): Promise<void> {
    this.stats.passes++;
    let needed = false;
    for (const c of [...this.consumers]) {
      try {
        if (await c.wants()) {
          needed = true;
          break;
        }
      } catch (err) {
        this.o.log?.('approvals: asking a consumer of the waiting drafts failed', err);
      }
    }
    if (!needed) {
      this.last = null;
      return;
    }
    const drafts = await this.o.store.waitingDrafts();
    this.stats.reads++;
    this.last = drafts;
    // One consumer's failure (a notice's claim failing) must not keep the read from the others.
    for (const c of [...this.consumers]) {
      try {
        await c.take(drafts);
      } catch (err) {
        this.o.log?.('approvals: a consumer of the waiting drafts failed', err);
      }
    }
  }
}
