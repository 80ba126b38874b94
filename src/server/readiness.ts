// What the server still waits for before it can serve residents truthfully (the demo data, a registry load).
// /healthz answers 503 until nothing is pending, and /readyz names what is.
export class Readiness {
  private readonly pending = new Set<string>();

  /** Marks something the server must finish before it is ready. */
  wait(what: string): void {
    this.pending.add(what);
  }

  done(what: string): void {
    this.pending.delete(what);
  }

  get ready(): boolean {
    return this.pending.size === 0;
  }

  waitingFor(): string[] {
    return [...this.pending];
  }
}
