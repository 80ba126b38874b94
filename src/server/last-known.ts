// Reads that residents' answers depend on, kept from the last time the database answered: while PostgreSQL is
// unreachable the nearest shelter and the map are still served from memory (the alert comes first; nobody should
// get a 503 instead of a shelter), marked as possibly stale. Any other error is not hidden.
import { isStoreUnavailable } from '../store/store.ts';

export interface Known<T> {
  value: T;
  /** True when the database could not be reached and `value` is the last one read (or the fallback). */
  stale: boolean;
}

export class LastKnown<T> {
  private last: T;

  /** `fallback` answers until the first successful read (the database away since start). */
  constructor(private readonly read: () => Promise<T>, fallback: T) {
    this.last = fallback;
  }

  async get(): Promise<Known<T>> {
    try {
      this.last = await this.read();
      return { value: this.last, stale: false };
    } catch (err) {
      if (!isStoreUnavailable(err)) throw err;
      return { value: this.last, stale: true };
    }
  }
}
