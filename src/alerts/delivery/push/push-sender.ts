// The port through which Web Push delivery reaches the browsers' push services. The domain decides who gets what,
// when and how often to retry; an adapter (src/adapters/web-push) encrypts (RFC 8291), signs (RFC 8292) and sends
// (RFC 8030).
import type { PushSubscriptionRecord } from '../ports.ts';

export interface PushMessageOptions {
  /** Seconds the push service may hold the message (RFC 8030 TTL). */
  ttl: number;
  urgency: 'very-low' | 'low' | 'normal' | 'high';
  /** Replaces an undelivered message with the same topic (an Update or Cancel overtakes its alert). */
  topic: string;
}

export interface PushSender {
  /**
   * Sends one message. Resolves with the push service's status code (2xx); rejects with a PushServiceError when the
   * push service answered with an error status, or with any other error when it could not be reached.
   */
  send(sub: PushSubscriptionRecord, payload: string, msg: PushMessageOptions): Promise<number>;
}

/** The push service answered, with an error status. `retryAfter` is its Retry-After header, when given. */
export class PushServiceError extends Error {
  constructor(readonly endpoint: string, readonly statusCode: number, readonly retryAfter: string | null, detail = '') {
    super(`push service answered HTTP ${statusCode} for ${endpoint}${detail ? `: ${detail}` : ''}`);
    this.name = 'PushServiceError';
  }
}
