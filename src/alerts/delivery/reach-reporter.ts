// Writes this process's Server-Sent-Event reach to the shared store every ~2 s (one upsert per live event, in one
// transaction, whatever the number of clients) and once more on stop, so the figures of every process sharing a
// database can be summed. Rows written on stop, and those of events that expired here, are final; a process whose
// live rows stop being written for REACH_SILENT_AFTER_MS (crashed, stuck) stops counting (see figures.ts).
import type { ReachRow, ReachStore } from './ports.ts';
import type { SseHub } from './sse-hub.ts';

export interface ReachReporterOptions {
  hub: SseHub;
  store: ReachStore;
  processId: string;
  intervalMs?: number;
  now?: () => number;
  log?: (msg: string, err?: unknown) => void;
}

export class ReachReporter {
  private readonly o: Required<Omit<ReachReporterOptions, 'log'>> & Pick<ReachReporterOptions, 'log'>;
  private timer: NodeJS.Timeout | null = null;
  private unwritten: ReachRow[] = [];
  /** The write under way: writes run one at a time, so a slow interim write never lands after (and over) the final one. */
  private writing: Promise<void> = Promise.resolve();
  readonly stats = { flushes: 0, rowsWritten: 0, failures: 0 };

  constructor(options: ReachReporterOptions) {
    this.o = { intervalMs: 2000, now: Date.now, ...options };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), this.o.intervalMs);
    this.timer.unref();
  }

  /**
   * Writes the current figures now. Never throws: a failed write (say, the database busy) is logged and its rows are
   * written with the next interval's, so the final figures of an event pruned meanwhile are not lost.
   */
  flush(final = false): Promise<void> {
    const next = this.writing.then(() => this.write(final));
    this.writing = next;
    return next;
  }

  private async write(final: boolean): Promise<void> {
    const bySeq = new Map<number, ReachRow>();
    for (const r of this.unwritten) bySeq.set(r.seq, r);
    for (const r of this.o.hub.reachRows()) bySeq.set(r.seq, final ? { ...r, final: true } : r); // newer figures win
    this.unwritten = [];
    if (bySeq.size === 0) return;
    const rows = [...bySeq.values()];
    try {
      await this.o.store.recordReach(this.o.processId, rows, this.o.now());
      this.stats.flushes++;
      this.stats.rowsWritten += rows.length;
    } catch (err) {
      this.unwritten = rows;
      this.stats.failures++;
      this.o.log?.(`delivery: recording stream reach of ${rows.length} events failed, will retry`, err);
    }
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // A clean stop: this process will write nothing more, so its figures are final and keep counting. Queued behind
    // any interval write still running, so the store is not closed under it ("pool used after end").
    return this.flush(true);
  }
}
