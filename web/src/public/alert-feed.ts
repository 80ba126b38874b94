// The live alerts, as the network gives them: the list of what is live now and the stream of every public alert. The
// page's entry module opens both before any other script (or dictionary) is fetched, so nothing on the page is ever
// between an approval and the resident; what arrives before the board is drawn is kept and handed over in order.
// No imports on purpose: this runs first and must stay a few hundred bytes.

export type LiveState = 'connecting' | 'live' | 'lost';

export interface AlertFeed {
  /** The alerts live when the page opened; null when they could not be asked (offline, server away). */
  readonly list: Promise<unknown[] | null>;
  /** Every alert event of the stream; the first listener gets those that came before it first. */
  onAlert(fn: (raw: unknown) => void): void;
  /** The stream's state now and at every change. */
  onState(fn: (state: LiveState) => void): void;
  state(): LiveState;
}

// One id per browser for the reach figures: the board's stream (here) and the position stream (alerts.ts) send the
// same id, so a resident whose page holds both streams counts once (they sent two ids before).
const CLIENT_KEY = 'refuge.client';
/** The key the position stream used before; its id is kept so a returning browser stays one client. */
const OLD_CLIENT_KEY = 'refuge.clientId';
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
let pageClientId: string | undefined;
/** A stream closed for good (the server answered with an error) is opened again after this, doubling up to the cap. */
const RETRY_MS = 1000;
const RETRY_CAP_MS = 30_000;

/** A random id this browser keeps, so its streams and reconnects count once in the delivery figures. */
export function clientId(): string {
  const fresh = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
  try {
    let id = localStorage.getItem(CLIENT_KEY);
    if (!id || !CLIENT_ID.test(id)) {
      const old = localStorage.getItem(OLD_CLIENT_KEY);
      id = old && CLIENT_ID.test(old) ? old : fresh();
      localStorage.setItem(CLIENT_KEY, id);
    }
    localStorage.removeItem(OLD_CLIENT_KEY);
    return id;
  } catch {
    // Storage refused (some private modes): one id for the page's life still makes its two streams one client.
    return (pageClientId ??= fresh());
  }
}

export function openAlertFeed(): AlertFeed {
  /** Events that came before anyone listened (none are kept after that). */
  let early: unknown[] | null = [];
  const alertListeners: Array<(raw: unknown) => void> = [];
  const stateListeners: Array<(state: LiveState) => void> = [];
  let state: LiveState = 'connecting';
  let lastEventId = '';
  let retry = RETRY_MS;
  let stream: EventSource | null = null;
  let reopenTimer: number | undefined;

  const setState = (next: LiveState) => {
    if (next === state) return;
    state = next;
    for (const fn of stateListeners) fn(next);
  };

  const open = () => {
    window.clearTimeout(reopenTimer);
    // The browser sends Last-Event-ID itself when it reconnects a stream; a stream opened anew says where it was, so
    // the server replays what was missed in between.
    stream = new EventSource(`/api/alerts/stream?all=1&client=${clientId()}${lastEventId ? `&lastEventId=${encodeURIComponent(lastEventId)}` : ''}`);
    stream.addEventListener('open', () => { retry = RETRY_MS; setState('live'); });
    stream.addEventListener('error', () => {
      if (stream?.readyState === EventSource.CLOSED) {
        setState('lost');
        reopenTimer = window.setTimeout(open, retry);
        retry = Math.min(retry * 2, RETRY_CAP_MS);
      } else setState(navigator.onLine ? 'connecting' : 'lost');
    });
    stream.addEventListener('alert', (e) => {
      const m = e as MessageEvent<string>;
      if (m.lastEventId) lastEventId = m.lastEventId;
      let raw: unknown;
      try {
        raw = JSON.parse(m.data);
      } catch {
        return; // a malformed event is skipped, the stream goes on
      }
      early?.push(raw);
      for (const fn of alertListeners) fn(raw);
    });
  };
  open();
  // Back online: a stream the browser gave up on is opened again at once.
  window.addEventListener('online', () => { if (stream?.readyState === EventSource.CLOSED) open(); });

  const list = fetch('/api/alerts', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
    .then(async (res) => {
      if (!res.ok) return null;
      const data = (await res.json()) as { alerts?: unknown[] } | unknown[];
      return Array.isArray(data) ? data : data.alerts ?? [];
    })
    .catch(() => null);

  return {
    list,
    onAlert(fn) {
      for (const raw of early ?? []) fn(raw);
      early = null;
      alertListeners.push(fn);
    },
    onState(fn) {
      stateListeners.push(fn);
      fn(state);
    },
    state: () => state,
  };
}
