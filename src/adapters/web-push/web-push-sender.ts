// Prepares and sends Web Push requests (RFC 8030 + 8291 encryption + 8292 VAPID) with the web-push package: the
// adapter behind the domain's PushSender port (src/alerts/delivery/push/push-sender.ts).
// The VAPID JWT is an ECDSA signature per push-service origin; it is cached until shortly before it expires,
// which is what makes preparing thousands of notifications a second possible.
import { Agent } from 'node:https';
import { guardedLookup } from './egress-guard.ts';
import webpush from 'web-push';
import type { PushSubscriptionRecord } from '../../alerts/delivery/ports.ts';
import { PushServiceError, type PushMessageOptions, type PushSender } from '../../alerts/delivery/push/push-sender.ts';
import type { VapidKeys } from '../../alerts/delivery/push/vapid.ts';

export interface PreparedPush {
  endpoint: string;
  method: 'POST';
  headers: Record<string, string | number>;
  body: Buffer | null;
}

/** The HTTPS agent for the push services: keep-alive, connections only to public addresses (checked when each
 * connection is made, see egress-guard.ts) unless `allowPrivate`, and extra trusted CAs when given. */
export function createPushAgent(o: { ca?: string | Buffer | Array<string | Buffer>; allowPrivate?: boolean } = {}): Agent {
  return new Agent({ keepAlive: true, lookup: guardedLookup(o.allowPrivate ?? false) as never, ...(o.ca ? { ca: o.ca } : {}) });
}

export interface WebPushSenderOptions {
  /** The HTTPS agent for the push services; default createPushAgent() (public addresses only). */
  agent?: Agent;
  timeoutMs?: number;
  now?: () => number;
}

const JWT_LIFETIME_S = 12 * 3600;
const JWT_RENEW_BEFORE_S = 3600;

export class WebPushSender implements PushSender {
  private readonly cache = new Map<string, { authorization: string; expiresAt: number }>();
  readonly stats = { vapidSigned: 0, vapidCached: 0 };

  private readonly agent: Agent;
  private readonly ownAgent: boolean;

  constructor(private readonly vapid: VapidKeys, private readonly options: WebPushSenderOptions = {}) {
    this.ownAgent = !options.agent;
    this.agent = options.agent ?? createPushAgent();
  }

  /** Closes the keep-alive connections of the agent it made (a given agent is the giver's to close). */
  close(): void {
    if (this.ownAgent) this.agent.destroy();
  }

  /** The Authorization header for a push service origin, signed at most once per ~11 hours. */
  vapidAuthorization(endpoint: string): string {
    const u = new URL(endpoint);
    const audience = `${u.protocol}//${u.host}`;
    const nowS = Math.floor((this.options.now ?? Date.now)() / 1000);
    const hit = this.cache.get(audience);
    if (hit && hit.expiresAt - JWT_RENEW_BEFORE_S > nowS) {
      this.stats.vapidCached++;
      return hit.authorization;
    }
    const expiresAt = nowS + JWT_LIFETIME_S;
    const { Authorization } = webpush.getVapidHeaders(audience, this.vapid.subject, this.vapid.publicKey, this.vapid.privateKey, 'aes128gcm', expiresAt);
    this.cache.set(audience, { authorization: Authorization, expiresAt });
    this.stats.vapidSigned++;
    return Authorization;
  }

  private requestOptions(sub: PushSubscriptionRecord, msg: PushMessageOptions): webpush.RequestOptions {
    return {
      // null, not undefined: never let a global setVapidDetails() re-sign; the cached header below is used.
      vapidDetails: null as unknown as undefined,
      TTL: Math.max(0, Math.floor(msg.ttl)),
      urgency: msg.urgency,
      topic: msg.topic,
      contentEncoding: 'aes128gcm',
      headers: { Authorization: this.vapidAuthorization(sub.endpoint) },
      timeout: this.options.timeoutMs ?? 10_000,
      agent: this.agent,
    };
  }

  /** Encrypts the payload and builds the request without sending it (benchmarks, inspection). */
  prepare(sub: PushSubscriptionRecord, payload: string, msg: PushMessageOptions): PreparedPush {
    const d = webpush.generateRequestDetails(sub, payload, this.requestOptions(sub, msg));
    return { endpoint: d.endpoint, method: 'POST', headers: d.headers as Record<string, string | number>, body: d.body as Buffer | null };
  }

  /** Sends one message. Resolves with the status code; rejects with PushServiceError (an error status) or a network error. */
  async send(sub: PushSubscriptionRecord, payload: string, msg: PushMessageOptions): Promise<number> {
    try {
      const res = await webpush.sendNotification(sub, payload, this.requestOptions(sub, msg));
      return res.statusCode;
    } catch (err) {
      if (err instanceof webpush.WebPushError) {
        const retryAfter = err.headers?.['retry-after'];
        throw new PushServiceError(sub.endpoint, err.statusCode, typeof retryAfter === 'string' ? retryAfter : null, typeof err.body === 'string' ? err.body.slice(0, 200) : '');
      }
      throw err;
    }
  }
}
