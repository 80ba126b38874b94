// Web Push: subscribe this device for the alerts at its position (the server stores it per region).
import { request, getJSON } from '../lib/api.ts';
import type { LonLat } from '../lib/geo.ts';
import { t } from '../i18n/index.ts';

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Returns a message for the user: what happened. */
export async function subscribePush(at: LonLat | null): Promise<string> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return t('push.unsupported');
  if (!at) return t('push.needPosition');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return t('push.denied');
  try {
    const reg = await navigator.serviceWorker.ready;
    const keyAnswer = await getJSON<{ publicKey?: string; key?: string } | string>('/api/push/vapid-public-key');
    const key = typeof keyAnswer === 'string' ? keyAnswer : (keyAnswer.publicKey ?? keyAnswer.key ?? '');
    const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) }));
    await request('POST', '/api/push/subscribe', { subscription: sub.toJSON(), lat: at[1], lon: at[0] });
    return t('push.subscribed');
  } catch (err) {
    return t('push.failed', { message: (err as Error).message });
  }
}
