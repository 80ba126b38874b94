// Refuge service worker: keeps the app, the registry snapshot, the street lines, the place index (address search) and
// the last alerts, so the map, the address search and the nearest-shelter search keep working without a network.
// The build fills in the file list and version.
/* eslint-disable no-restricted-globals */
const PRECACHE = self.__PRECACHE__;
const VERSION = self.__VERSION__;
const APP_CACHE = `refuge-app-${VERSION}`;
const DATA_CACHE = 'refuge-data-v1';
const CACHED_AT = 'x-refuge-cached-at';
const NETWORK_TIMEOUT_MS = 4000;

/** API answers worth keeping for offline use (GET only). */
const DATA_PATHS = [/^\/api\/shelters$/, /^\/api\/shelters\/snapshot$/, /^\/api\/network\/lines$/, /^\/api\/alerts$/, /^\/api\/regions\/at$/, /^\/config\.json$/, /^\/api\/places\.json$/];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(APP_CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('refuge-app-') && k !== APP_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function offlineProblem() {
  return new Response(JSON.stringify({ type: 'about:blank', title: 'Offline', status: 503, detail: 'No network and nothing cached for this request.' }), {
    status: 503,
    headers: { 'content-type': 'application/problem+json' },
  });
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

/** Network first; a good answer is stored with the time it was fetched; on failure the stored copy says when that was. */
async function networkFirstData(request) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const res = await withTimeout(fetch(request), NETWORK_TIMEOUT_MS);
    if (res.ok) {
      const body = await res.clone().arrayBuffer();
      const headers = new Headers(res.headers);
      headers.set(CACHED_AT, new Date().toISOString());
      await cache.put(request, new Response(body, { status: res.status, statusText: res.statusText, headers }));
    }
    return res;
  } catch {
    return (await cache.match(request)) ?? offlineProblem();
  }
}

async function networkFirstPage(request) {
  const cache = await caches.open(APP_CACHE);
  try {
    const res = await withTimeout(fetch(request), NETWORK_TIMEOUT_MS);
    if (res.ok) await cache.put(request, res.clone());
    return res;
  } catch {
    const url = new URL(request.url);
    return (await cache.match(request, { ignoreSearch: true })) ?? (await cache.match(url.pathname === '/' ? '/' : url.pathname)) ?? (await cache.match('/')) ?? offlineProblem();
  }
}

async function cacheFirst(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  try {
    const res = await fetch(request);
    if (res.ok) (await caches.open(APP_CACHE)).put(request, res.clone());
    return res;
  } catch {
    return offlineProblem();
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === '/api/alerts/stream') return; // live stream: never cached
  if (request.mode === 'navigate') return event.respondWith(networkFirstPage(request));
  if (DATA_PATHS.some((re) => re.test(url.pathname))) return event.respondWith(networkFirstData(request));
  if (url.pathname.startsWith('/api/')) {
    event.respondWith(fetch(request).catch(() => offlineProblem()));
    return;
  }
  if (url.pathname.startsWith('/assets/') || PRECACHE.includes(url.pathname)) event.respondWith(cacheFirst(request));
});

/** The mark every non-Actual message carries (as the server writes it: "EXERCISE - ..."). */
const MARKS = { Exercise: 'EXERCISE', Test: 'TEST', System: 'SYSTEM MESSAGE', Draft: 'DRAFT' };

/**
 * The notification for a pushed alert (the server's compact event, src/alerts/delivery/push/push-message.ts, or a
 * CAP-shaped object). Anything but Actual is marked in the title, once. One notification per alert thread: an Update
 * or Cancel (which lists the alert in `replaces`) takes the place of the alert's notification.
 */
function notificationFor(data, lang) {
  const info = inLanguage((data.cap && data.cap.info && data.cap.info[0]) || data.info?.[0] || data, data.translations, lang);
  const status = (data.cap && data.cap.status) || data.status || 'Actual';
  const mark = status === 'Actual' ? '' : MARKS[status] || String(status).toUpperCase();
  const text = info.headline || info.event || data.title || 'Refuge alert';
  const title = !mark || text.startsWith(`${mark} - `) || text.startsWith(`${mark}: `) ? text : `${mark}: ${text}`;
  const thread = (Array.isArray(data.replaces) && data.replaces[0]) || data.id || data.identifier || (data.cap && data.cap.identifier) || 'alert';
  const ending = data.msgType === 'Cancel' || data.stage === 'all-clear';
  const text2 = info.instruction || info.description || data.body || '';
  // An alert from another authority (imported) says whose it is, first: residents always know who speaks.
  const from = data.foreign === true ? `From ${String(data.senderName || data.sender || 'another authority').slice(0, 100)} (another authority, relayed by Refuge).` : '';
  return {
    title,
    options: {
      body: from && text2 ? `${from} ${text2}` : from || text2,
      tag: `refuge-${thread}`,
      renotify: true,
      requireInteraction: status === 'Actual' && !ending,
      // Where the device allows: a long pattern for a real alert, a short one for anything else.
      vibrate: status === 'Actual' && !ending ? [800, 300, 800, 300, 800, 300, 800] : [200, 150, 200],
      data: { url: '/', id: data.id || null, status },
    },
  };
}

/**
 * The alert's text in `lang` when it carries that language (exact tag, then the same primary language: "he" reads
 * "he-IL"), else the main text; as textFor in src/api/alerts.ts does for the pages.
 */
function inLanguage(info, translations, lang) {
  if (!lang || !Array.isArray(translations) || translations.length === 0) return info;
  const want = String(lang).toLowerCase();
  const base = want.split('-')[0];
  const main = String(info.language || '').toLowerCase();
  if (main === want || main.split('-')[0] === base) return info;
  const hit = translations.find((x) => String(x.language).toLowerCase() === want) || translations.find((x) => String(x.language).toLowerCase().split('-')[0] === base);
  return hit ? { ...info, headline: hit.headline || info.headline, instruction: hit.instruction || info.instruction } : info;
}

/** Where the pages leave this device's notification wording in its language (web/src/public/push.ts, console). */
const STRINGS_URL = '/__refuge/notify-strings.json';

async function localStrings() {
  try {
    const hit = await (await caches.open(DATA_CACHE)).match(STRINGS_URL);
    return hit ? await hit.json() : {};
  } catch {
    return {};
  }
}

/** A URL of this site only (a notification never opens another site). */
function ownUrl(url) {
  try {
    const u = new URL(url || '/', self.location.origin);
    return u.origin === self.location.origin ? u.href : self.location.origin + '/';
  } catch {
    return self.location.origin + '/';
  }
}

/**
 * A staff notification: an alert waits for approval. It carries no draft text (nothing of a draft leaves the
 * console); it opens the console's approval queue. One at a time: a later draft replaces it.
 */
function approvalNotification(data, s) {
  return {
    title: s.approvalTitle || 'An alert waits for your approval',
    options: { body: s.approvalBody || 'Open the console to review it.', tag: 'refuge-approvals', renotify: true, requireInteraction: true, data: { url: ownUrl(data.url || '/console.html#/approvals') } },
  };
}

/** "Test my alerts" sent by the server: shown as a real alert is (long vibration, stays until touched), marked TEST. */
function testNotification(data, s) {
  const n = notificationFor({ ...data, headline: s.testTitle || data.headline, instruction: s.testBody || data.instruction, status: 'Test' });
  n.options.requireInteraction = true;
  n.options.vibrate = [800, 300, 800, 300, 800, 300, 800];
  n.options.tag = 'refuge-test';
  // The page's own title already says "test" in the resident's language: no English mark before it.
  if (s.testTitle) n.title = s.testTitle;
  return n;
}

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: event.data ? event.data.text() : 'Refuge' };
  }
  if (data.kind === 'approval' || data.kind === 'test') {
    event.waitUntil((async () => {
      const s = await localStrings();
      const n = data.kind === 'approval' ? approvalNotification(data, s) : testNotification(data, s);
      await self.registration.showNotification(n.title, n.options);
      // The page that asked for the test hears that it arrived, through the real push path.
      if (data.kind === 'test') for (const c of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) c.postMessage({ type: 'refuge:test-push-arrived', nonce: data.nonce || null });
    })());
    return;
  }
  // An Update or Cancel also closes the notification of the message it replaces when that one sits under another tag
  // (a Cancel of an Update lists the Update, whose notification is under the original alert's tag).
  const replaced = Array.isArray(data.replaces) ? data.replaces : [];
  event.waitUntil((async () => {
    const s = await localStrings();
    const n = notificationFor(data, s.language || self.navigator.language);
    if (replaced.length > 0) {
      for (const old of await self.registration.getNotifications()) {
        if (old.tag !== n.options.tag && old.data && replaced.includes(old.data.id)) old.close();
      }
    }
    await self.registration.showNotification(n.title, n.options);
  })());
});

// "Test my alerts" on the page: the same notification a push would show, through the same code, marked TEST.
self.addEventListener('message', (event) => {
  if (!event.data || event.data.type !== 'refuge:test-push') return;
  const port = event.ports && event.ports[0];
  const n = notificationFor({ ...event.data.data, status: 'Test' });
  event.waitUntil(self.registration.showNotification(n.title, n.options).then(
    () => port && port.postMessage({ ok: true }),
    (err) => port && port.postMessage({ ok: false, error: String(err && err.message || err) }),
  ));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data && event.notification.data.url ? ownUrl(event.notification.data.url) : null;
  event.waitUntil(self.clients.matchAll({ type: 'window' }).then((list) => {
    if (!url) return list[0] ? list[0].focus() : self.clients.openWindow('/');
    // An approval opens the console's queue: a console window already open goes there, otherwise a new one opens.
    const same = list.find((c) => c.url.split('#')[0] === url.split('#')[0]);
    if (same) return same.navigate(url).then((c) => (c || same).focus()).catch(() => same.focus());
    return self.clients.openWindow(url);
  }));
});
