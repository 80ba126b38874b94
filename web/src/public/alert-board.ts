// Every public alert live now, for everyone: no location, no map, no WebGL needed. The page draws this before it
// fetches anything else, so a resident who shares nothing still sees at once that an alert is on, where and since when.
import { h, clear } from '../lib/dom.ts';
import { t, formatTime, language } from '../i18n/index.ts';
import type { AlertEvent, AlertEventRegion } from '../../../src/api/types.ts';
import { isRtlLanguage, textFor } from '../../../src/api/alerts.ts';
import type { AlertFeed, LiveState } from './alert-feed.ts';

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

export type { LiveState };

export class AlertBoard {
  private alerts = new Map<string, BoardAlert>();
  private listed = false;
  private changeListeners: Array<(active: BoardAlert[]) => void> = [];
  private eventListeners: Array<(raw: unknown, live: boolean) => void> = [];
  private liveListeners: Array<(state: LiveState) => void> = [];
  live: LiveState = 'connecting';
  /** The resident's saved places an alert concerns (My places), said on its line. */
  placesOf: (a: BoardAlert) => string[] = () => [];
  /** Opens the public alert map (a button on the board). */
  openMap: (() => void) | null = null;

  constructor(private readonly el: HTMLElement, private readonly feed: AlertFeed) {
    document.addEventListener('refuge:language', () => this.render());
  }

  /** What is live now, then the stream of changes (the entry module asked for both before this module ran). */
  async start(): Promise<void> {
    this.feed.onState((state) => this.setLive(state));
    const list = await this.feed.list;
    for (const raw of list ?? []) { const a = raw as BoardAlert; this.receive(a); this.emitEvent(a, false); }
    this.listed = true;
    this.render();
    this.markReady();
    // What the stream said meanwhile is newer than the list: applied after it.
    this.feed.onAlert((raw) => {
      this.receive(raw as BoardAlert);
      this.emitEvent(raw, true);
      this.render();
    });
    window.setInterval(() => this.render(), 30_000);
  }

  /** Called with the stream's state now and at every change. */
  onLive(fn: (state: LiveState) => void): void {
    this.liveListeners.push(fn);
    fn(this.live);
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
    for (const fn of this.liveListeners) fn(state);
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
