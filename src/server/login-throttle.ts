// The sign-in throttle of one process: slows down password guessing. After 5 failures for a key (name and address)
// it waits 1 s, then double each time up to 15 minutes. On PostgreSQL the shared one (shared-limits.ts) replaces it,
// so the count holds across processes; this one is exact and cheaper when one process owns the database (SQLite).
import type { LoginThrottlePort } from './shared-limits.ts';

export class LoginThrottle implements LoginThrottlePort {
  private failures = new Map<string, { count: number; until: number }>();

  async retryAfter(key: string, now = Date.now()): Promise<number> {
    const f = this.failures.get(key);
    return f && f.until > now ? Math.ceil((f.until - now) / 1000) : 0;
  }

  async fail(key: string, now = Date.now()): Promise<void> {
    const f = this.failures.get(key) ?? { count: 0, until: 0 };
    f.count++;
    if (f.count >= 5) f.until = now + Math.min(15 * 60_000, 1000 * 2 ** (f.count - 5));
    this.failures.set(key, f);
    if (this.failures.size > 100_000) this.failures.clear(); // bounded memory under a flood
  }

  async succeed(key: string): Promise<void> {
    this.failures.delete(key);
  }
}
