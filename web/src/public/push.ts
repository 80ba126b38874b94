// Web Push: subscribe this device for the alerts at its position or for regions chosen by name (the server stores
// it per region), and stop again. The service worker (web/sw/sw.js) shows what arrives as a notification.
import { request, getJSON, ApiError } from '../lib/api.ts';
import type { LonLat } from '../lib/geo.ts';
import { t, language, type MessageKey } from '../i18n/index.ts';
import { h, clear } from '../lib/dom.ts';

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function sameBytes(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const x = new Uint8Array(a);
  return x.every((v, i) => v === b[i]);
}

function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** Why push alerts cannot work on this device, in plain words (null: they can). Checked in the order a resident
 * can do something about it: the page's address, the browser, the permission, the server. */
export async function pushUnavailableReason(): Promise<MessageKey | null> {
  if (!window.isSecureContext) return 'why.insecure';
  const ios = /iPhone|iPad|iPod/.test(navigator.userAgent) || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
  const standalone = window.matchMedia?.('(display-mode: standalone)').matches || (navigator as unknown as { standalone?: boolean }).standalone === true;
  if (!('PushManager' in window) && ios && !standalone) return 'why.ios';
  if (!('serviceWorker' in navigator)) return 'why.noWorker';
  if (!('PushManager' in window) || !('Notification' in window)) return 'why.noPush';
  if (Notification.permission === 'denied') return 'why.denied';
  if (!navigator.onLine) return 'why.offline';
  try {
    await serverKey();
  } catch {
    return navigator.onLine ? 'why.server' : 'why.offline';
  }
  return null;
}

/** This device's push subscription, if it has one. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const reg = await navigator.serviceWorker.getRegistration().catch(() => undefined);
  return (await reg?.pushManager.getSubscription().catch(() => null)) ?? null;
}

/** Leaves this device's notification wording, in the page's language, where the service worker reads it (web/sw/sw.js
 * STRINGS_URL): a push carries no language, the device has one. */
export async function storeNotificationStrings(strings: Record<string, string>): Promise<void> {
  if (!('caches' in window)) return;
  const cache = await caches.open('refuge-data-v1');
  const old = await cache.match('/__refuge/notify-strings.json').then((r) => (r ? r.json() as Promise<Record<string, string>> : {})).catch(() => ({}));
  await cache.put('/__refuge/notify-strings.json', new Response(JSON.stringify({ ...old, ...strings }), { headers: { 'content-type': 'application/json' } }));
}

/** How long the page waits for its test push to come back through the push service before saying it did not. */
const TEST_ARRIVAL_GUARD_MS = 30_000;

/**
 * "Test my alerts", end to end: the server sends this device a TEST push through the real Web Push path (POST
 * /api/push/test) and the service worker shows it as it shows a real alert, then tells the page it arrived.
 * 'notified' only when it did; 'not-subscribed' when this device has no push subscription; otherwise why not, in
 * plain words (push unavailable here and why, tested too recently, not registered, the push service refused).
 * `_data` is kept for callers of the former local-only test: the wording now comes from this page's language.
 */
export async function testNotification(_data: Record<string, unknown> = {}): Promise<'notified' | 'not-subscribed' | string> {
  const why = await pushUnavailableReason();
  if (why) return t(why);
  const sub = await currentSubscription();
  if (!sub || Notification.permission !== 'granted') return 'not-subscribed';
  await storeNotificationStrings({ testTitle: t('ptest.sw.title'), testBody: t('ptest.sw.body') }).catch(() => undefined);
  const nonce = Array.from(crypto.getRandomValues(new Uint8Array(9)), (b) => b.toString(16).padStart(2, '0')).join('');
  // Listen before asking, so an answer faster than the request's own reply is not missed.
  let stopListening = () => {};
  const arrived = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), TEST_ARRIVAL_GUARD_MS);
    const onMessage = (e: MessageEvent<{ type?: string; nonce?: string }>) => {
      if (e.data?.type !== 'refuge:test-push-arrived' || e.data.nonce !== nonce) return;
      clearTimeout(timer);
      resolve(true);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    stopListening = () => { clearTimeout(timer); navigator.serviceWorker.removeEventListener('message', onMessage); resolve(false); };
  });
  try {
    const { data } = await request<{ sent: boolean; pushStatus: number | null; gone?: boolean }>('POST', '/api/push/test', { endpoint: sub.endpoint, nonce });
    if (!data.sent) {
      stopListening();
      return data.gone ? t('ptest.gone') : data.pushStatus ? t('ptest.refused', { status: data.pushStatus }) : t('ptest.unreachable');
    }
  } catch (err) {
    stopListening();
    if (err instanceof ApiError && err.status === 404) return t('ptest.notRegistered');
    if (err instanceof ApiError && err.status === 429) {
      const body = (err.body ?? {}) as { retryAfter?: unknown };
      return t('ptest.rateLimited', { seconds: typeof body.retryAfter === 'number' ? body.retryAfter : 60 });
    }
    return (err as Error).message;
  }
  const ok = await arrived;
  stopListening();
  return ok ? 'notified' : t('ptest.notArrived');
}

/** The server's VAPID public key; an answer without one is an error, not an empty key. */
async function serverKey(): Promise<Uint8Array<ArrayBuffer>> {
  const answer = await getJSON<{ publicKey?: unknown }>('/api/push/vapid-public-key');
  if (typeof answer?.publicKey !== 'string' || !answer.publicKey) throw new Error('/api/push/vapid-public-key: publicKey missing');
  return keyBytes(answer.publicKey);
}

/** This device's subscription made with `key`. One made with another key (a server whose keys changed) is replaced. */
async function subscriptionFor(reg: ServiceWorkerRegistration, key: Uint8Array<ArrayBuffer>): Promise<PushSubscription> {
  const existing = await reg.pushManager.getSubscription();
  if (existing && sameBytes(existing.options.applicationServerKey, key)) return existing;
  if (existing) {
    await request('POST', '/api/push/unsubscribe', { endpoint: existing.endpoint }).catch(() => undefined); // the old key's server may not know it
    await existing.unsubscribe();
  }
  return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
}

export interface PushResult {
  ok: boolean;
  message: string;
}

/** Subscribes for the regions at `at`, or for the chosen region codes; `names` turns stored codes into names. */
export async function subscribePush(at: LonLat | null, regions: string[] = [], names: (code: string) => string = (c) => c): Promise<PushResult> {
  if (!pushSupported()) return { ok: false, message: t((await pushUnavailableReason()) ?? 'push.unsupported') };
  if (!at && regions.length === 0) return { ok: false, message: t('push.needPosition') };
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return { ok: false, message: t(permission === 'denied' ? 'why.denied' : 'push.denied') };
  try {
    const reg = await navigator.serviceWorker.ready;
    const sub = await subscriptionFor(reg, await serverKey());
    const answer = await request<{ regions: string[] }>('POST', '/api/push/subscribe', regions.length ? { subscription: sub.toJSON(), regions } : { subscription: sub.toJSON(), lat: at![1], lon: at![0] });
    // The service worker shows a pushed alert in this language when the alert has it (the interface's, not the phone's).
    await storeNotificationStrings({ language: language() }).catch(() => undefined);
    return { ok: true, message: t('push.subscribedFor', { regions: answer.data.regions.map(names).join(', ') }) };
  } catch (err) {
    return { ok: false, message: t('push.failed', { message: (err as Error).message }) };
  }
}

/** Tells the server to forget this device, then ends the browser's subscription. */
export async function unsubscribePush(): Promise<PushResult> {
  try {
    const reg = await navigator.serviceWorker.ready;
    const sub = await reg.pushManager.getSubscription();
    if (sub) {
      await request('POST', '/api/push/unsubscribe', { endpoint: sub.endpoint });
      await sub.unsubscribe();
    }
    return { ok: true, message: t('push.stopped') };
  } catch (err) {
    return { ok: false, message: t('push.stopFailed', { message: (err as Error).message }) };
  }
}

/** The push panel: this position, or regions picked by name; and stopping. */
export function pushPanel(panel: HTMLElement, at: LonLat | null): void {
  const chosen = new Map<string, string>();
  const input = h('input', { id: 'push-region', list: 'push-regions', autocomplete: 'off' });
  const options = h('datalist', { id: 'push-regions' });
  const list = h('ul', { class: 'chips', 'aria-live': 'polite' });
  const status = h('p', { class: 'notice', role: 'status' });
  /** label "Name (CODE)" → code, and code → name. */
  const known = new Map<string, string>();
  const nameOf = new Map<string, string>();
  void getJSON<{ regions: Array<{ code: string; name: string }> }>('/api/regions').then((r) => {
    for (const x of r.regions) {
      known.set(`${x.name} (${x.code})`, x.code);
      nameOf.set(x.code, x.name);
    }
    clear(options, ...[...known.keys()].map((v) => h('option', { value: v })));
  }).catch(() => undefined);
  /** The label as offered, or a region's name or code typed by hand (any case) when it names exactly one region. */
  const lookup = (typed: string): string | null => {
    const exact = known.get(typed);
    if (exact) return exact;
    const want = typed.toLocaleLowerCase();
    const hits = [...nameOf].filter(([code, name]) => code.toLocaleLowerCase() === want || name.toLocaleLowerCase() === want);
    return hits.length === 1 ? hits[0][0] : null;
  };
  const draw = () => clear(list, ...[...chosen].map(([code, label]) => h('li', {}, h('button', { type: 'button', 'aria-label': t('con.remove', { name: label }), onclick: () => { chosen.delete(code); draw(); } }, `${label} ×`))));
  const add = h('form', { class: 'push-add', onsubmit: (e: Event) => {
    e.preventDefault();
    const typed = input.value.trim();
    if (!typed) return;
    const code = lookup(typed);
    if (!code) {
      status.textContent = t('push.unknownRegion', { name: typed });
      return;
    }
    chosen.set(code, `${nameOf.get(code) ?? code} (${code})`);
    input.value = '';
    status.textContent = '';
    draw();
  } }, h('label', { for: 'push-region' }, t('push.regions')), input, options, h('button', { type: 'submit' }, t('con.regionAddButton')));
  const stop = h('button', { type: 'button', class: 'big', id: 'push-stop', hidden: true, onclick: async () => {
    const r = await unsubscribePush();
    status.textContent = r.message;
    if (r.ok) stop.hidden = true;
  } }, t('push.stop'));
  const names = (code: string) => nameOf.get(code) ?? code;
  const done = (r: PushResult) => {
    status.textContent = r.message;
    if (r.ok) stop.hidden = false;
  };
  panel.hidden = false;
  clear(panel,
    h('button', { type: 'button', class: 'close', 'aria-label': t('close'), onclick: () => { panel.hidden = true; } }, '×'),
    h('h2', {}, t('push.button')),
    h('button', { type: 'button', class: 'big primary', id: 'push-here', disabled: !at, onclick: async () => done(await subscribePush(at, [], names)) }, t('push.here')),
    add, list,
    h('button', { type: 'button', class: 'big', id: 'push-chosen', onclick: async () => {
      if (chosen.size === 0) {
        status.textContent = t('push.chooseRegion');
        return;
      }
      done(await subscribePush(null, [...chosen.keys()], names));
    } }, t('push.chosen')),
    stop,
    status);
  // Say at once, in plain words, when push cannot work here (and why), rather than after the resident tried.
  void pushUnavailableReason().then((why) => { if (why && !status.textContent) status.textContent = t(why); });
  // Offer "Stop" only when this device is subscribed.
  if (pushSupported()) {
    void navigator.serviceWorker.getRegistration().then((reg) => reg?.pushManager.getSubscription()).then((sub) => { if (sub) stop.hidden = false; }).catch(() => undefined);
  }
}
