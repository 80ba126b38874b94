// Web Push: subscribe this device for the alerts at its position (the server stores it per region).
import { request, getJSON } from '../lib/api.ts';
import type { LonLat } from '../lib/geo.ts';
import { t } from '../i18n/index.ts';
import { h, clear } from '../lib/dom.ts';

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Subscribes for the regions at `at`, or for the chosen region codes; returns a message for the user. */
export async function subscribePush(at: LonLat | null, regions: string[] = []): Promise<string> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return t('push.unsupported');
  if (!at && regions.length === 0) return t('push.needPosition');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return t('push.denied');
  try {
    const reg = await navigator.serviceWorker.ready;
    const keyAnswer = await getJSON<{ publicKey?: string; key?: string } | string>('/api/push/vapid-public-key');
    const key = typeof keyAnswer === 'string' ? keyAnswer : (keyAnswer.publicKey ?? keyAnswer.key ?? '');
    const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) }));
    await request('POST', '/api/push/subscribe', regions.length ? { subscription: sub.toJSON(), regions } : { subscription: sub.toJSON(), lat: at![1], lon: at![0] });
    return t('push.subscribed');
  } catch (err) {
    return t('push.failed', { message: (err as Error).message });
  }
}

/** The push panel: this position, or regions picked by name. */
export function pushPanel(panel: HTMLElement, at: LonLat | null): void {
  const chosen = new Map<string, string>();
  const input = h('input', { id: 'push-region', list: 'push-regions', autocomplete: 'off' });
  const options = h('datalist', { id: 'push-regions' });
  const list = h('ul', { class: 'chips', 'aria-live': 'polite' });
  const status = h('p', { class: 'notice', role: 'status' });
  const known = new Map<string, string>();
  void getJSON<{ regions: Array<{ code: string; name: string }> }>('/api/regions').then((r) => {
    for (const x of r.regions) known.set(`${x.name} (${x.code})`, x.code);
    clear(options, ...[...known.keys()].map((v) => h('option', { value: v })));
  }).catch(() => undefined);
  const draw = () => clear(list, ...[...chosen].map(([code, label]) => h('li', {}, h('button', { type: 'button', 'aria-label': t('con.remove', { name: label }), onclick: () => { chosen.delete(code); draw(); } }, `${label} ×`))));
  const add = h('form', { class: 'push-add', onsubmit: (e: Event) => {
    e.preventDefault();
    const code = known.get(input.value.trim());
    if (code) { chosen.set(code, input.value.trim()); input.value = ''; draw(); }
  } }, h('label', { for: 'push-region' }, t('push.regions')), input, options, h('button', { type: 'submit' }, t('con.regionAddButton')));
  panel.hidden = false;
  clear(panel,
    h('button', { type: 'button', class: 'close', 'aria-label': t('close'), onclick: () => { panel.hidden = true; } }, '×'),
    h('h2', {}, t('push.button')),
    h('button', { type: 'button', class: 'big primary', disabled: !at, onclick: async () => { status.textContent = await subscribePush(at); } }, t('push.here')),
    add, list,
    h('button', { type: 'button', class: 'big', onclick: async () => { status.textContent = await subscribePush(null, [...chosen.keys()]); } }, t('push.chosen')),
    status);
}
