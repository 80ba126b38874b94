// Runs one pass of a job at a time: on a timer, and at once when kicked. A kick during a pass asks for one more pass
// after it (work committed meanwhile is not missed); errors are reported, never thrown into the event loop.
export class SerialRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly pollMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Runs a pass at once (unless `first: 'later'`: the caller has just run one) and then every pollMs. */
  start(first: 'now' | 'later' = 'now'): void {
    this.stopped = false;
    const tick = () => {
      void this.kick();
      this.timer = setTimeout(tick, this.pollMs);
      this.timer.unref();
    };
    if (first === 'now') tick();
    else {
      this.timer = setTimeout(tick, this.pollMs);
      this.timer.unref();
    }
  }

  /** Resolves when the pass in progress (and the one this kick asked for) is done. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          try {
            await this.pass();
          } catch (err) {
            this.onError(err);
            return;
          }
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
