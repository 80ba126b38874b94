// A fresh VAPID key pair (P-256) from the web-push package; src/alerts/delivery/push/vapid.ts keeps it.
import webpush from 'web-push';
import type { VapidKeyPair } from '../../alerts/delivery/push/vapid.ts';

export function generateVapidKeys(): VapidKeyPair {
  const { publicKey, privateKey } = webpush.generateVAPIDKeys();
  return { publicKey, privateKey };
}
