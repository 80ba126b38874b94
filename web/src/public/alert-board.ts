// Every public alert live now, for everyone: no location, no map, no WebGL needed. The page starts this before
// anything else, so a resident who shares nothing still sees within seconds that an alert is on, where and since when.
import { h, clear } from '../lib/dom.ts';
import { request } from '../lib/api.ts';
import { t, formatTime, language } from '../i18n/index.ts';
import type { AlertEvent, AlertEventRegion } from '../../../src/api/types.ts';
import { isRtlLanguage, textFor } from '../../../src/api/alerts.ts';

/** The fields of a live alert event the board shows (AlertEvent in src/api/alerts.ts). */
export type BoardAlert = Pick<AlertEvent, 'id' | 'msgType' | 'headline' | 'event' | 'sent' | 'expires' | 'exercise' | 'sender' | 'senderName' | 'foreign' | 'replaces'> & {
  regions: Array<Pick<AlertEventRegion, 'code' | 'name'>>;
} & Partial<Pick<AlertEvent, 'language' | 'description' | 'instruction' | 'translations'>>;

/** The headline in the resident's interface language when the alert has it, with its lang and direction. */
function headlineOf(a: BoardAlert): { text: string; lang: string | null; dir: 'rtl' | 'ltr' | 'auto' } {
  const txt = textFor({ language: a.language ?? '', headline: a.headline, description: a.description ?? null, instruction: a.instruction ?? null }, a.translations, language());
  if (txt.headline && txt.language) return { text: txt.headline, lang: txt.language, dir: isRtlLanguage(txt.language) ? 'rtl' : 'ltr' };
  return { text: txt.headline || a.event || '', lang: null, dir: 'auto' };
}

const CLIENT_KEY = 'refuge.client';

/** A random id this browser keeps, so its streams and reconnects count once in the delivery figures. */
export function clientId(): string {
  let id = localStorage.getItem(CLIENT_KEY);
  if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    id = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem(CLIENT_KEY, id);
  }
  return id;
}

export type LiveState = 'connecting' | 'live' | 'lost';

export class AlertBoard {
  private alerts = new Map<string, BoardAlert>();
  private stream: EventSource | null = null;
  private timer: number | undefined;
  private listed = false;
  private changeListeners: Array<(active: BoardAlert[]) => void> = [];
  private eventListeners: Array<(raw: unknown, live: boolean) => void> = [];
  live: LiveState = 'connecting';
  /** The resident's saved places an alert concerns (My places), said on its line. */
  placesOf: (a: BoardAlert) => string[] = () => [];
  /** Opens the public alert map (a button on the board). */
  openMap: (() => void) | null = null;

  constructor(private readonly el: HTMLElement, private readonly onLive: (state: LiveState) => void = () => {}) {
    document.addEventListener('refuge:language', () => this.render());
  }

  /** What is live now, then the stream of changes. Never waits for anything else on the page. */
  async start(): Promise<void> {
    this.connect();
    try {
      const { data } = await request<{ alerts?: BoardAlert[] } | BoardAlert[]>('GET', '/api/alerts');
      const list = Array.isArray(data) ? data : data.alerts ?? [];
      for (const a of list) { this.receive(a); this.emitEvent(a, false); }
    } catch {
      /* offline: the stream says so; nothing is known */
    }
    this.listed = true;
    this.render();
    this.markReady();
    this.timer = window.setInterval(() => this.render(), 30_000);
  }

  stop(): void {
    this.stream?.close();
    window.clearInterval(this.timer);
  }

  private connect(): void {
    this.stream = new EventSource(`/api/alerts/stream?all=1&client=${clientId()}`);
    this.stream.addEventListener('open', () => this.setLive('live'));
    this.stream.addEventListener('error', () => this.setLive(this.stream?.readyState === EventSource.CLOSED ? 'lost' : navigator.onLine ? 'connecting' : 'lost'));
    this.stream.addEventListener('alert', (e) => {
      try {
        const raw = JSON.parse((e as MessageEvent).data) as BoardAlert;
        this.receive(raw);
        this.emitEvent(raw, true);
        this.render();
      } catch {
        /* a malformed event is skipped, the stream goes on */
      }
    });
  }

  /** Called with the active alerts after every change (and every 30 s, for the durations). */
  onChange(fn: (active: BoardAlert[]) => void): void {
    this.changeListeners.push(fn);
    if (this.listed) fn(this.active());
  }

  /** Called with every alert event as it arrives (the whole event: My places shows it full screen). */
  onEvent(fn: (raw: unknown, live: boolean) => void): void {
    this.eventListeners.push(fn);
  }

  private emitEvent(raw: unknown, live: boolean): void {
    for (const fn of this.eventListeners) fn(raw, live);
  }

  private setLive(state: LiveState): void {
    if (state === this.live) return;
    this.live = state;
    this.onLive(state);
    this.markReady();
  }

  /** "Alert-ready": what is live now is on screen and the stream is open (bench/web-alert-ready.ts measures it). */
  private markReady(): void {
    if (!this.listed || this.live !== 'live' || performance.getEntriesByName('refuge:alerts-ready').length) return;
    performance.mark('refuge:alerts-ready');
    document.body.dataset.alertsReady = 'true';
  }

  /** An Update replaces what it names; a Cancel ends it. */
  receive(a: BoardAlert): void {
    for (const id of a.replaces ?? []) this.alerts.delete(id);
    if (a.msgType !== 'Cancel') this.alerts.set(a.id, a);
  }

  active(now = Date.now()): BoardAlert[] {
    return [...this.alerts.values()]
      .filter((a) => !a.expires || Date.parse(a.expires) > now)
      .sort((a, b) => Number(a.exercise) - Number(b.exercise) || Date.parse(b.sent) - Date.parse(a.sent));
  }

  private placeLine(a: BoardAlert): Array<HTMLElement | string> {
    const places = this.placesOf(a);
    return places.length ? [' ', h('strong', { class: 'board-place' }, t('places.atPlace', { places: places.join(', ') }))] : [];
  }

  render(): void {
    const list = this.active();
    this.el.hidden = list.length === 0;
    document.body.classList.toggle('alert-active', list.some((a) => !a.exercise));
    for (const fn of this.changeListeners) fn(list);
    if (!list.length) { clear(this.el); return; }
    clear(this.el,
      h('h2', { class: 'sr-only' }, t('board.title')),
      h('ul', {}, ...list.map((a) => h('li', { class: a.exercise ? 'board-alert exercise' : 'board-alert', 'data-id': a.id },
        a.exercise ? h('strong', { class: 'board-mark' }, t('board.exercise')) : null,
        ((hl) => h('strong', { class: 'board-headline', dir: hl.dir, ...(hl.lang ? { lang: hl.lang } : {}) }, hl.text))(headlineOf(a)),
        ' ',
        h('span', { class: 'board-where' }, a.regions.map((r) => r.name).join(', ')),
        ' ',
        h('span', { class: 'board-who' }, t(a.foreign ? 'board.fromOther' : 'board.from', { sender: a.senderName || a.sender })),
        ' ',
        h('span', { class: 'board-since' }, t('board.since', { time: formatTime(a.sent), minutes: Math.max(0, Math.round((Date.now() - Date.parse(a.sent)) / 60_000)) })),
        ...this.placeLine(a),
      ))),
      this.openMap ? h('button', { type: 'button', class: 'board-map', onclick: () => this.openMap?.() }, t('amap.boardLink')) : null,
    );
  }
}
