// Moves committed outbox rows onto the bus. Runs after every commit (kick) and on a timer, so rows left behind
// by a crash between commit and delivery go out when the process comes back: delayed, never lost.
import { isExpired } from '../lifecycle/alert-event.ts';
import type { AlertBus, AlertEvent, OutboxStore, PushFanOut } from './ports.ts';
import { SerialRunner } from './serial-runner.ts';

export interface OutboxWorkerOptions {
  store: OutboxStore;
  bus: AlertBus;
  /**
   * The Web Push jobs a published event needs (null: none); the store queues them in the transaction that marks the
   * row done, so a row two processes publish at once fans out to push once.
   */
  pushFanOut?: (event: AlertEvent) => PushFanOut | null;
  /** Called after this process completed a row and queued `queued` push jobs (to wake the push dispatcher). */
  onCompleted?: (event: AlertEvent, queued: number) => void;
  pollMs?: number;
  now?: () => number;
  log?: (msg: string, err?: unknown) => void;
}

export class OutboxWorker {
  private readonly o: OutboxWorkerOptions;
  private readonly now: () => number;
  private readonly runner: SerialRunner;
  /** Counters for tests and reporting. */
  readonly stats = { published: 0, expired: 0, failures: 0 };

  constructor(options: OutboxWorkerOptions) {
    this.o = options;
    this.now = options.now ?? Date.now;
    this.runner = new SerialRunner(() => this.drain(), options.pollMs ?? 1000, (err) => {
      this.stats.failures++;
      this.o.log?.('outbox: drain failed, will retry', err);
    });
  }

  start(): void {
    this.runner.start();
  }

  /** Drains now (or right after the drain in progress). Resolves when the outbox is empty or the bus failed. */
  kick(): Promise<void> {
    return this.runner.kick();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const rows = await this.o.store.pendingOutbox(100);
      if (rows.length === 0) return;
      for (const row of rows) {
        const at = new Date(this.now()).toISOString();
        if (isExpired(row.event, this.now())) {
          await this.o.store.completeOutbox(row.seq, 'expired', at);
          this.stats.expired++;
          continue;
        }
        try {
          await this.o.bus.publish(row.event);
        } catch (err) {
          // Keep the row; the next tick retries. Order matters (ids only grow), so stop here.
          this.stats.failures++;
          this.o.log?.(`outbox: publishing event ${row.seq} on ${this.o.bus.name} failed, will retry`, err);
          return;
        }
        const fanOut = this.o.pushFanOut?.(row.event) ?? undefined;
        const { completed, queued } = await this.o.store.completeOutbox(row.seq, 'published', at, this.o.bus.name, fanOut);
        this.stats.published++;
        if (completed) this.o.onCompleted?.(row.event, queued);
      }
    }
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }
}
