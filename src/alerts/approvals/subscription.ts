// A browser PushSubscription as a staff device sends it, checked as the resident subscription is
// (src/alerts/delivery/push/push-dispatcher.ts), without regions.
import { PushSubscriptionError } from '../delivery/push/push-dispatcher.ts';

export function parseBrowserSubscription(raw: unknown): { endpoint: string; keys: { p256dh: string; auth: string } } {
  const sub = raw as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } } | null;
  if (!sub || typeof sub !== 'object') throw new PushSubscriptionError('subscription', 'required, a PushSubscription object');
  if (typeof sub.endpoint !== 'string' || !/^https:\/\/[^\s]+$/.test(sub.endpoint) || sub.endpoint.length > 2000) {
    throw new PushSubscriptionError('subscription.endpoint', 'must be an https URL');
  }
  const b64 = /^[A-Za-z0-9_-]+={0,2}$/;
  if (typeof sub.keys?.p256dh !== 'string' || !b64.test(sub.keys.p256dh) || Buffer.from(sub.keys.p256dh, 'base64url').length !== 65) {
    throw new PushSubscriptionError('subscription.keys.p256dh', 'must be a base64url P-256 public key (65 bytes)');
  }
  if (typeof sub.keys?.auth !== 'string' || !b64.test(sub.keys.auth) || Buffer.from(sub.keys.auth, 'base64url').length < 16) {
    throw new PushSubscriptionError('subscription.keys.auth', 'must be a base64url secret of 16 bytes');
  }
  return { endpoint: sub.endpoint, keys: { p256dh: sub.keys.p256dh, auth: sub.keys.auth } };
}
