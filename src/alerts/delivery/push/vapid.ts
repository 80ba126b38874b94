// VAPID keys: generated on first start, stored, and the same ever after (subscriptions are bound to the public key).
import webpush from 'web-push';
import type { PushStore } from '../ports.ts';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** The contact push services may use: a mailto: or https: URL. */
  subject: string;
}

export function ensureVapidKeys(store: PushStore, subject: string): VapidKeys & { generated: boolean } {
  if (!/^(mailto:|https:\/\/)/.test(subject)) throw new Error(`VAPID subject must be a mailto: or https: URL (got ${JSON.stringify(subject)})`);
  const existing = store.getSetting('vapid');
  if (existing) return { ...(JSON.parse(existing) as { publicKey: string; privateKey: string }), subject, generated: false };
  const fresh = webpush.generateVAPIDKeys();
  // First writer wins: two processes starting together on one database end up with the same pair.
  const stored = store.setSettingOnce('vapid', JSON.stringify(fresh));
  const keys = JSON.parse(stored) as { publicKey: string; privateKey: string };
  return { ...keys, subject, generated: keys.publicKey === fresh.publicKey };
}
