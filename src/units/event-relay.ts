// Feeds a process's live hub from the durable event log, so call-up events made through any process sharing the
// database (an answer through B, a call-up issued through A) reach this process's streams. Every event goes through
// the log, in seq order, even the ones this process just wrote: seqs are handed out in commit order, so publishing
// straight from the writer could pass over an earlier event another process committed a moment before, and a client
// would then skip it for good (its last id already beyond).
import type { UnitEventHub } from './live.ts';
import type { CallUpRepository } from './ports.ts';

const BATCH = 500;

export class UnitEventRelay {
  private last = 0;
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly repo: Pick<CallUpRepository, 'eventsAfter' | 'lastEventSeq'>,
    private readonly hub: UnitEventHub,
    private readonly opts: { intervalMs?: number; onError?: (err: unknown) => void } = {},
  ) {}

  /** Starts after the events already stored (clients catch up on those through their own replay). */
  async start(): Promise<void> {
    this.last = await this.repo.lastEventSeq();
    this.timer = setInterval(() => this.poke(), this.opts.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** Reads and publishes what is new now (this process just wrote events, or the timer ticked). */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.pump().finally(() => {
      this.running = false;
    });
  }

  private async pump(): Promise<void> {
    do {
      this.again = false;
      try {
        for (;;) {
          const events = await this.repo.eventsAfter(this.last, { memberIds: null, callupId: null }, BATCH);
          if (this.stopped || events.length === 0) break;
          this.last = events[events.length - 1]!.seq;
          this.hub.publish(events);
          if (events.length < BATCH) break;
        }
        this.failing = false;
      } catch (err) {
        // The store is away: the next tick tries again from the same place, so nothing is skipped.
        // Said once per outage, not every second.
        if (!this.stopped && !this.failing) this.opts.onError?.(err);
        this.failing = true;
      }
    } while (this.again && !this.stopped);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
