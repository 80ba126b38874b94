// VAPID keys: generated on first start, stored, and the same ever after (subscriptions are bound to the public key).
// Generating a key pair is the adapter's job (src/adapters/web-push/vapid-keys.ts); keeping it is the domain's.
import type { PushStore } from '../ports.ts';

export interface VapidKeyPair {
  /** base64url, uncompressed P-256 point (65 bytes): the browser's applicationServerKey. */
  publicKey: string;
  /** base64url, 32-byte P-256 private scalar. */
  privateKey: string;
}

export interface VapidKeys extends VapidKeyPair {
  /** The contact push services may use: a mailto: or https: URL. */
  subject: string;
}

export async function ensureVapidKeys(store: PushStore, subject: string, generate: () => VapidKeyPair): Promise<VapidKeys & { generated: boolean }> {
  if (!/^(mailto:|https:\/\/)/.test(subject)) throw new Error(`VAPID subject must be a mailto: or https: URL (got ${JSON.stringify(subject)})`);
  const existing = await store.getSetting('vapid');
  if (existing) return { ...(JSON.parse(existing) as VapidKeyPair), subject, generated: false };
  const fresh = generate();
  // First writer wins: two processes starting together on one database end up with the same pair.
  const stored = await store.setSettingOnce('vapid', JSON.stringify({ publicKey: fresh.publicKey, privateKey: fresh.privateKey }));
  const keys = JSON.parse(stored) as VapidKeyPair;
  return { ...keys, subject, generated: keys.publicKey === fresh.publicKey };
}
