// The live count on the console's "Approvals" entry, for approvers and admins, and their choice to be notified on
// this device (Web Push) when a draft waits. The count comes from one Server-Sent-Event stream per console
// (/api/staff/approvals/stream): the server reads the waiting drafts once per process for every console that follows
// them, and the browser reconnects by itself. The nav is redrawn on every screen, so the badge is put back from the
// last count without asking the server.
import { h, clear } from '../lib/dom.ts';
import { request, getJSON } from '../lib/api.ts';
import { t, language } from '../i18n/index.ts';
import { APPROVE_ROLES } from '../../../src/api/types.ts';
import type { User } from './session.ts';

const APPROVERS: readonly string[] = APPROVE_ROLES;
const STRINGS_URL = '/__refuge/notify-strings.json';

export const mayApproveHere = (u: User | null) => !!u && APPROVERS.includes(u.role);

let count = 0;

function paint(): void {
  const link = document.querySelector<HTMLAnchorElement>('#nav a[href="#/approvals"]');
  if (!link) return;
  let el = link.querySelector<HTMLElement>('.nav-badge');
  if (count === 0) {
    el?.remove();
    return;
  }
  // The wording of the console's earlier badge (alog.badge), so the two never disagree while both are in the console.
  const text = t('alog.badge', { count });
  // Unchanged: nothing written (the observer below sees every write in the nav).
  if (el && el.dataset.count === String(count) && el.title === text) return;
  if (!el) link.append((el = h('span', { class: 'nav-badge' })));
  el.dataset.count = String(count);
  el.dataset.live = 'stream';
  el.title = text;
  clear(el, h('span', { 'aria-hidden': 'true' }, new Intl.NumberFormat(language()).format(count)), h('span', { class: 'sr-only' }, text));
}

/** Follows the number of drafts waiting for approval for a signed-in approver; the function returned stops it. */
export function startApprovalsBadge(user: User): () => void {
  if (!mayApproveHere(user) || typeof EventSource === 'undefined') return () => {};
  const nav = document.getElementById('nav');
  const source = new EventSource('/api/staff/approvals/stream');
  source.addEventListener('approvals', (e) => {
    try {
      count = Number((JSON.parse((e as MessageEvent).data) as { waiting?: unknown }).waiting) || 0;
    } catch {
      return;
    }
    paint();
  });
  // Redrawn nav: the badge comes back at once from the last count.
  const observer = nav ? new MutationObserver(() => paint()) : null;
  if (nav) observer!.observe(nav, { childList: true, subtree: true });
  return () => {
    source.close();
    observer?.disconnect();
    count = 0;
    paint();
  };
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const raw = atob(base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4));
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

async function deviceSubscription(create: boolean): Promise<PushSubscription | null> {
  if (create) await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  const reg = create ? await navigator.serviceWorker.ready : await navigator.serviceWorker.getRegistration('/');
  if (!reg) return null;
  const existing = await reg.pushManager.getSubscription();
  if (existing || !create) return existing;
  const { publicKey } = await getJSON<{ publicKey: string }>('/api/push/vapid-public-key');
  return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
}

/** The approval notification's wording in this console's language, where the service worker finds it. */
async function storeStrings(): Promise<void> {
  if (!('caches' in window)) return;
  const cache = await caches.open('refuge-data-v1');
  const old = await cache.match(STRINGS_URL).then((r) => (r ? r.json() as Promise<Record<string, string>> : {})).catch(() => ({}));
  await cache.put(STRINGS_URL, new Response(JSON.stringify({ ...old, approvalTitle: t('apush.sw.title'), approvalBody: t('apush.sw.body') }), { headers: { 'content-type': 'application/json' } }));
}

/**
 * "Notify this device when an alert waits for approval": on or off for this device and this account. Null when the
 * account cannot approve or the browser has no Web Push (nothing offered that cannot work).
 */
export function approvalsPushControl(user: User): HTMLElement | null {
  if (!mayApproveHere(user) || !('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return null;
  const status = h('span', { class: 'hint', role: 'status', id: 'approvals-push-status' });
  const button = h('button', { type: 'button', id: 'approvals-push', 'aria-pressed': 'false' }, t('apush.notify.on'));
  let on = false;
  const show = (isOn: boolean) => {
    on = isOn;
    button.setAttribute('aria-pressed', String(isOn));
    button.textContent = t(isOn ? 'apush.notify.off' : 'apush.notify.on');
  };
  void (async () => {
    const sub = await deviceSubscription(false).catch(() => null);
    if (!sub) return;
    const { endpoints } = await getJSON<{ endpoints: string[] }>('/api/staff/push');
    show(endpoints.includes(sub.endpoint));
  })().catch(() => undefined);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      if (on) {
        const sub = await deviceSubscription(false);
        // Only the approval notices stop: the device's subscription may also carry resident alerts.
        if (sub) await request('POST', '/api/staff/push/unsubscribe', { endpoint: sub.endpoint });
        show(false);
        status.textContent = t('apush.notify.offDone');
        return;
      }
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        status.textContent = t('apush.notify.failed', { message: t(permission === 'denied' ? 'why.denied' : 'push.denied') });
        return;
      }
      const sub = await deviceSubscription(true);
      if (!sub) throw new Error('no push subscription');
      await storeStrings().catch(() => undefined);
      await request('POST', '/api/staff/push/subscribe', { subscription: sub.toJSON() });
      show(true);
      status.textContent = t('apush.notify.onDone');
    } catch (err) {
      status.textContent = t('apush.notify.failed', { message: (err as Error).message });
    } finally {
      button.disabled = false;
    }
  });
  return h('span', { class: 'approvals-push' }, button, ' ', status);
}
