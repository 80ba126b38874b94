// The alert side of the public page, drawn before anything else is fetched: the board of every live alert (for
// everyone, no location needed), the full-screen alert with its countdown for where the resident is, the language
// picker and the "live alerts cannot arrive" notice. Only once the board is drawn and the stream has opened (or
// failed) does the rest of the page (map, search, places, history) load, so it never delays an alert.
import { $ } from '../lib/dom.ts';
import type { LonLat } from '../lib/geo.ts';
import { t, detectLanguage, setLanguage, languagePicker } from '../i18n/index.ts';
import { AlertBoard, type LiveState } from './alert-board.ts';
import { AlertWatcher } from './alerts.ts';
import { armSound } from './siren.ts';
import type { AlertFeed } from './alert-feed.ts';
import type { NearestAnswer } from './nearest.ts';

const POSITION_KEY = 'refuge.position';
/** The rest of the page loads at the latest this long after the alert side started, even if the stream never opens. */
const REST_AT_THE_LATEST_MS = 3000;

/** What the rest of the page (app.ts) gets from the alert side. */
export interface AlertSide {
  board: AlertBoard;
  watcher: AlertWatcher;
  /** Watches the alerts (full screen, with the countdown) and the readiness regime at this point. */
  watchAlerts(at: LonLat): void;
  /** The device's position; null when refused, unavailable or not in time. */
  position(timeout: number): Promise<LonLat | null>;
  /** The last point searched from on this device (kept across visits), and keeping a new one. */
  savedPosition(): LonLat | null;
  savePosition(at: LonLat): void;
  /** The device's position at the start, when location was already allowed (no prompt is shown); null otherwise. */
  startPosition: Promise<LonLat | null>;
}

/** The rest of the page, once loaded: the nearest-shelter search the alert screen runs. */
export interface RestOfPage {
  search(at: LonLat, within: number | null): Promise<NearestAnswer | null>;
}

export function startAlerts(feed: AlertFeed): void {
  void setLanguage(detectLanguage()); // the start language is loaded (i18n/index.ts): this switches at once
  languagePicker($<HTMLSelectElement>('#lang'));
  // Browsers play sound only after a first touch: that touch readies the alarm (even before the rest has loaded).
  armSound();

  const board = new AlertBoard($('#alert-board'), feed);
  const liveEl = $('#live');
  // Offline, or with the stream lost, the page must not look as if alerts could still arrive.
  const renderLive = () => {
    const lost = board.live === 'lost' || !navigator.onLine;
    liveEl.hidden = !lost;
    liveEl.textContent = t('board.liveLost');
    // "Receiving alerts for your position" would contradict the banner: it shows only while the stream is live.
    $('#watch').hidden = lost;
  };
  board.onLive(renderLive);
  window.addEventListener('online', renderLive);
  window.addEventListener('offline', renderLive);
  document.addEventListener('refuge:language', renderLive);
  const listed = board.start();

  let rest: Promise<RestOfPage | null> = new Promise(() => {});
  // The alert screen shows at once; the nearest shelter on it comes with the rest of the page (it needs the search).
  const watcher = new AlertWatcher($('#alert'), $('#announcer'), async (at, within) => (await rest)?.search(at, within) ?? null);

  // The position the resident already allowed (never a prompt): the alerts are watched there, and the map opens there.
  const startPosition = (async () => {
    const permission = await navigator.permissions?.query({ name: 'geolocation' }).catch(() => null);
    return permission?.state === 'granted' ? await position(5000) : null;
  })();
  const side: AlertSide = {
    board,
    startPosition,
    watcher,
    watchAlerts(at) {
      $('#watch').textContent = t('alert.watching');
      void watcher.watch(at);
      void import('./regime.ts').then(({ showRegime }) => showRegime($('#regime'), at));
    },
    position,
    savedPosition,
    savePosition: (at) => localStorage.setItem(POSITION_KEY, JSON.stringify(at)),
  };

  // The alerts for where the resident is: the position they already allowed, or the last point they chose.
  const origin = savedPosition();
  void (async () => {
    const at = await startPosition;
    if (at ?? origin) side.watchAlerts((at ?? origin)!);
    else $('#watch').textContent = t('alert.notWatching');
  })();

  const settled = new Promise<void>((resolve) => {
    let drawn = false;
    const check = (state: LiveState) => { if (drawn && state !== 'connecting') resolve(); };
    void listed.then(() => { drawn = true; check(board.live); });
    board.onLive(check);
    window.setTimeout(resolve, REST_AT_THE_LATEST_MS);
  });
  rest = settled.then(() => import('./app.ts')).then(({ startApp }) => startApp(side), (err: unknown) => {
    // Said on the page: the alerts still work, the rest needs a reload.
    console.error(err);
    const notice = $('#nomap');
    const say = () => { notice.textContent = t('ready.restFailed'); };
    notice.setAttribute('role', 'alert');
    say();
    notice.hidden = false;
    document.addEventListener('refuge:language', say);
    return null;
  });
  // The service worker precaches every file of the app: not while the alert side is still loading.
  void rest.then(registerServiceWorker);
}

function savedPosition(): LonLat | null {
  const stored = localStorage.getItem(POSITION_KEY);
  return stored ? (JSON.parse(stored) as LonLat) : null;
}

function position(timeout: number): Promise<LonLat | null> {
  return new Promise((resolve) => {
    if (!('geolocation' in navigator)) return resolve(null);
    navigator.geolocation.getCurrentPosition((p) => resolve([p.coords.longitude, p.coords.latitude]), () => resolve(null), { enableHighAccuracy: true, timeout, maximumAge: 30_000 });
  });
}

function registerServiceWorker(): void {
  if ('serviceWorker' in navigator && !new URLSearchParams(location.search).has('nosw')) {
    void navigator.serviceWorker.register('/sw.js', { scope: '/' });
  }
}
