// Web Push of call-ups to members' devices: sent after the call-up is durable, retried a few times on a busy or
// unreachable push service, and subscriptions the push service says are gone are removed.
import type { CallUp, Member, Recipient, Unit } from './model.ts';
import type { CallUpPushSender, CallUpRepository } from './ports.ts';

export interface CallUpPushOptions {
  maxAttempts?: number;
  backoffMs?: number;
  log?: (message: string, err?: unknown) => void;
  now?: () => number;
}

export class CallUpPush {
  private readonly inflight = new Set<Promise<void>>();
  private readonly chains = new Map<string, Promise<void>>();
  private stopped = false;
  readonly stats = { sent: 0, failed: 0, gone: 0 };

  constructor(private readonly repo: CallUpRepository, private readonly sender: CallUpPushSender, private readonly o: CallUpPushOptions = {}) {}

  /** Sends the call-up to every subscribed device of its members (in the background). */
  callUp(c: CallUp, recipients: Recipient[], members: Map<string, Member>, units: Map<string, Unit>): void {
    this.track(c, () => this.run(c, recipients, (r) => {
      const unitName = units.get(r.unitId)?.name ?? null;
      // title, body, status and id are what the service worker (web/sw/sw.js) shows: an exercise is marked in the title.
      return {
        type: 'callup', callupId: c.id, memberId: r.memberId, memberName: members.get(r.memberId)?.name ?? null, unitName,
        message: c.message, reportTo: c.reportTo, deadline: c.deadline, exercise: c.exercise, url: `/console.html#/my-callups`,
        id: `callup-${c.id}`, status: c.exercise ? 'Exercise' : 'Actual', title: `Call-up${unitName ? `: ${unitName}` : ''}`,
        body: `${c.message}${c.reportTo ? ` Report to: ${c.reportTo}.` : ''}`,
      };
    }, c.exercise ? 'normal' : 'high', true));
  }

  /** Tells the members' devices that the call-up was cancelled or closed (same topic: it replaces an undelivered call-up). */
  ended(c: CallUp, recipients: Recipient[]): void {
    this.track(c, () => this.run(c, recipients, (r) => ({
      type: 'callup-ended', callupId: c.id, memberId: r.memberId, state: c.state, reason: c.endReason, exercise: c.exercise, url: `/console.html#/my-callups`,
      id: `callup-${c.id}`, status: c.exercise ? 'Exercise' : 'Actual', title: c.state === 'cancelled' ? 'Call-up cancelled' : 'Call-up closed',
      body: `${c.message}${c.endReason ? ` (${c.endReason})` : ''}`,
    }), 'normal', false));
  }

  /** Runs pushes of one call-up one after the other: a cancellation never overtakes its call-up. */
  private track(c: CallUp, work: () => Promise<void>): void {
    const before = this.chains.get(c.id) ?? Promise.resolve();
    const job = before.then(work).catch((err) => this.o.log?.(`call-up push ${c.id} failed`, err));
    this.chains.set(c.id, job);
    this.inflight.add(job);
    void job.finally(() => {
      this.inflight.delete(job);
      if (this.chains.get(c.id) === job) this.chains.delete(c.id);
    });
  }

  /** Waits for the pushes under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  private async run(c: CallUp, recipients: Recipient[], payloadFor: (r: Recipient) => Record<string, unknown>, urgency: 'normal' | 'high', mark: boolean): Promise<void> {
    const subs = await this.repo.pushSubscriptions(recipients.map((r) => r.memberId));
    const now = this.o.now ?? Date.now;
    const ttl = mark && c.deadline ? Math.max(60, Math.floor((Date.parse(c.deadline) - now()) / 1000)) : 24 * 3600;
    const accepted = new Map<string, number>();
    await Promise.all(subs.map(async (sub) => {
      const r = recipients.find((x) => x.memberId === sub.memberId)!;
      const payload = JSON.stringify(payloadFor(r));
      const options = { ttl, urgency, topic: `callup-${c.id.replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}` };
      for (let attempt = 1; ; attempt++) {
        try {
          await this.sender.send({ endpoint: sub.endpoint, keys: sub.keys }, payload, options);
          this.stats.sent++;
          accepted.set(r.memberId, (accepted.get(r.memberId) ?? 0) + 1);
          return;
        } catch (err) {
          const status = (err as { statusCode?: number }).statusCode;
          if (status === 404 || status === 410) {
            this.stats.gone++;
            await this.repo.removePushSubscription(sub.endpoint);
            return;
          }
          const retry = status === undefined || status === 429 || status >= 500;
          if (!retry || attempt >= (this.o.maxAttempts ?? 3) || this.stopped) {
            this.stats.failed++;
            this.o.log?.(`call-up push to ${sub.endpoint} failed`, err);
            return;
          }
          await new Promise((res) => setTimeout(res, (this.o.backoffMs ?? 500) * 2 ** (attempt - 1)));
        }
      }
    }));
    if (!mark) return;
    const at = new Date(now()).toISOString();
    for (const [memberId, n] of accepted) await this.repo.markPushed(c.id, memberId, at, n);
  }
}
