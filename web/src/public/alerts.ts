// The alert side of the public app: active alerts for the user's position (at start, over SSE, and from the
// last known copy when offline), the full-screen banner with the countdown from the region's warning time,
// the nearest reachable shelter, and the all-clear that ends it.
import { h, clear } from '../lib/dom.ts';
import { clock, type LonLat } from '../lib/geo.ts';
import { language, t, type MessageKey } from '../i18n/index.ts';
import type * as trustStrings from '../i18n/parts/alerts-trust.ts';
import { request } from '../lib/api.ts';
import { isRtlLanguage, textFor, type AlertEventTranslation } from '../../../src/api/alerts.ts';
import { regionsAt, type Region } from './data.ts';
import type { NearestAnswer } from './nearest.ts';
import { walkText } from './walk-text.ts';
import { noShelterAdvice } from './no-shelter.ts';
import { paceChooser } from './pace.ts';
import { sound, vibrate, silence, isPlaying, type SoundState } from './siren.ts';
import { clientId } from './alert-feed.ts';

export interface BannerAlert {
  id: string;
  identifier: string;
  status: string;
  msgType: string;
  event: string;
  stage: string | null;
  headline: string | null;
  instruction: string | null;
  description: string | null;
  sent: string;
  expires: string | null;
  areas: string[];
  regionCodes: string[];
  references: string[];
  /** Refuge ids of the alerts this one updates or cancels. */
  replaces: string[];
  /** Warning times the server attached per region (seconds), when it sent them. */
  regionWarnings: Array<{ code: string; seconds: number | null }>;
  falseAlarm: boolean;
  verified: boolean;
  /** CAP sender, and the name residents see: who speaks. */
  sender: string;
  senderName: string | null;
  /** From another authority (imported), shown as such. */
  foreign: boolean;
  /** The resident's saved places it concerns (My places), and their region codes (for the countdown). */
  places?: string[];
  placeCodes?: string[];
  /** "Test my alerts": an exercise made on this device only, never from the server. */
  localTest?: boolean;
  /** Language of headline/description/instruction (CAP <language>), and the same texts in other languages. */
  language?: string;
  translations?: AlertEventTranslation[];
}

/** The alert's text in the resident's interface language when it carries that language, else its main text. */
export function localText(a: BannerAlert): AlertEventTranslation {
  return textFor({ language: a.language ?? 'en', headline: a.headline, description: a.description, instruction: a.instruction }, a.translations, language());
}

/** lang and dir for an element holding text in `lang`: Hebrew and Arabic right to left, so punctuation lands right. */
export function langAttrs(lang: string): { lang: string; dir: 'rtl' | 'ltr' } {
  return { lang, dir: isRtlLanguage(lang) ? 'rtl' : 'ltr' };
}

type TrustKey = keyof typeof trustStrings.en;

/** The who-speaks strings (web/src/i18n/parts/alerts-trust.ts) in the current language. */
function tt(key: TrustKey, params: Record<string, string>): string {
  return t(key, params);
}

/** Accepts the alert as the API gives it (a record with its CAP message, or the CAP message itself). */
export function normalizeAlert(raw: unknown): BannerAlert | null {
  if (!raw || typeof raw !== 'object') return null;
  const rec = raw as Record<string, unknown>;
  const cap = (rec.cap && typeof rec.cap === 'object' ? rec.cap : rec) as Record<string, unknown>;
  const infos = Array.isArray(cap.info) ? (cap.info as Array<Record<string, unknown>>) : [];
  const info = infos[0] ?? (cap as Record<string, unknown>);
  const areas = Array.isArray(info.areas) ? (info.areas as Array<Record<string, unknown>>) : [];
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  const identifier = str(cap.identifier) ?? str(rec.identifier) ?? str(rec.id);
  if (!identifier) return null;
  return {
    id: String(rec.id ?? identifier),
    identifier,
    status: String(cap.status ?? 'Actual'),
    msgType: String(cap.msgType ?? 'Alert'),
    event: str(info.event) ?? str(info.eventType) ?? '',
    stage: str(info.stage),
    headline: str(info.headline),
    instruction: str(info.instruction),
    description: str(info.description),
    sent: str(rec.issuedAt) ?? str(cap.sent) ?? new Date().toISOString(),
    expires: str(info.expires),
    areas: areas.map((a) => String(a.areaDesc ?? '')).filter(Boolean),
    regionCodes: [...new Set([
      ...areas.flatMap((a) => (Array.isArray(a.regionCodes) ? a.regionCodes.map(String) : [])),
      ...(Array.isArray(rec.regions) ? (rec.regions as Array<Record<string, unknown>>).map((r) => String(r.code)) : []),
    ])],
    references: Array.isArray(cap.references) ? cap.references.map(String) : [],
    replaces: Array.isArray(rec.replaces) ? rec.replaces.map(String) : [],
    regionWarnings: Array.isArray(rec.regions) ? (rec.regions as Array<Record<string, unknown>>).map((r) => ({ code: String(r.code), seconds: typeof r.warningTimeS === 'number' ? r.warningTimeS : null })) : [],
    falseAlarm: rec.falseAlarm === true,
    verified: rec.verified === true,
    sender: str(cap.sender) ?? str(rec.sender) ?? '',
    senderName: str(rec.senderName) ?? str(info.senderName) ?? str(cap.sender) ?? str(rec.sender),
    foreign: rec.foreign === true,
    language: str(info.language) ?? str(rec.language) ?? undefined,
    translations: translationsOf(rec, infos),
  };
}

/** Other languages: the event's `translations`, or the record's further CAP info blocks (first per language). */
function translationsOf(rec: Record<string, unknown>, infos: Array<Record<string, unknown>>): AlertEventTranslation[] {
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  const list = Array.isArray(rec.translations) ? (rec.translations as Array<Record<string, unknown>>) : infos.slice(1);
  const seen = new Set([String(infos[0]?.language ?? rec.language ?? '').toLowerCase()]);
  const out: AlertEventTranslation[] = [];
  for (const x of list) {
    const lang = str(x.language);
    if (!lang || seen.has(lang.toLowerCase())) continue;
    seen.add(lang.toLowerCase());
    out.push({ language: lang, headline: str(x.headline), description: str(x.description), instruction: str(x.instruction) });
  }
  return out;
}

const STORE = 'refuge.lastAlerts';

/** "sender,identifier" of what this message updates or cancels: only a message of the same sender replaces another. */
function referencedKeys(a: BannerAlert): string[] {
  return a.references.map((r) => r.split(',').slice(0, 2).join(','));
}

export class AlertWatcher {
  private alerts = new Map<string, BannerAlert>();
  /** Alerts for the resident's saved places (from the board's stream of every alert), kept apart from the position's. */
  private placeAlerts = new Map<string, BannerAlert>();
  private soundState: SoundState | null = null;
  private sounding: Promise<void> = Promise.resolve();
  private stream: EventSource | null = null;
  private regions: Region[] = [];
  private position: LonLat | null = null;
  private timer: number | undefined;
  private shown: BannerAlert | null = null;
  private collapsed = false;
  private nearest: NearestAnswer | null = null;
  private lastAnnounced = Infinity;

  constructor(
    private readonly screen: HTMLElement,
    private readonly announcer: HTMLElement,
    private readonly findShelter: (at: LonLat, within: number | null) => Promise<NearestAnswer | null>,
  ) {
    for (const a of JSON.parse(localStorage.getItem(STORE) ?? '[]') as BannerAlert[]) this.alerts.set(a.identifier, a);
    document.addEventListener('refuge:language', () => this.render());
    // Another pace changes which shelters are reachable in time: search again.
    document.addEventListener('refuge:pace', () => {
      const a = this.shown;
      if (!a || !this.position) return;
      void this.findShelter(this.position, this.warningSeconds(a)).then((n) => { if (this.shown === a) { this.nearest = n; this.render(); } });
    });
  }

  /** An alert event from the stream of every alert that concerns the resident's places (`places`: their names). */
  receivePlace(raw: unknown, places: Array<{ name: string; codes: string[] }>, live: boolean): void {
    const a = normalizeAlert(raw);
    if (!a) return;
    const refs = new Set(referencedKeys(a));
    const replaced = (old: BannerAlert) => refs.has(`${old.sender},${old.identifier}`) || a.replaces.includes(old.id);
    let ended = false;
    for (const [k, old] of this.placeAlerts) if (replaced(old)) { this.placeAlerts.delete(k); ended = true; }
    if (a.msgType === 'Cancel' || a.stage === 'all-clear') {
      if (live && ended && this.shown && replaced(this.shown)) this.showAllClear(a);
    } else if (places.length) {
      this.placeAlerts.set(a.identifier, { ...a, places: places.map((p) => p.name), placeCodes: [...new Set(places.flatMap((p) => p.codes))] });
    }
    if (live || ended || places.length) this.update();
  }

  /** My places changed: forget the place alerts and take the live ones again (`events`: every alert live now). */
  replacePlaces(events: Array<{ raw: unknown; places: Array<{ name: string; codes: string[] }> }>): void {
    this.placeAlerts.clear();
    for (const e of events) this.receivePlace(e.raw, e.places, false);
    this.update();
  }

  /** "Test my alerts": an exercise shown on this device only, with the alarm and vibration as a real one would get. */
  async showTest(headline: string, instruction: string, result: HTMLElement): Promise<{ sound: SoundState; vibrated: boolean }> {
    this.testResult = result;
    const now = new Date();
    const a: BannerAlert = {
      id: `local-test-${now.getTime()}`, identifier: `local-test-${now.getTime()}`, status: 'Exercise', msgType: 'Alert', event: headline, stage: null,
      headline, instruction, description: null, sent: now.toISOString(), expires: new Date(now.getTime() + 5 * 60_000).toISOString(),
      areas: [], regionCodes: [], references: [], replaces: [], regionWarnings: [], falseAlarm: false, verified: false, sender: '', senderName: null, foreign: false, localTest: true,
    };
    const shown = this.show(a);
    await this.sounding;
    void shown;
    return { sound: this.soundState ?? 'silent', vibrated: this.lastVibrated };
  }

  private lastVibrated = false;
  /** Where "Test my alerts" reports what worked: on the test screen itself, where the resident is looking. */
  private testResult: HTMLElement | null = null;

  /** Watches the regions at this position: active alerts now, then the live stream. */
  async watch(at: LonLat): Promise<void> {
    this.position = at;
    this.regions = await regionsAt(at);
    this.stream?.close();
    const q = `lat=${at[1]}&lon=${at[0]}`;
    try {
      const { data } = await request<unknown>('GET', `/api/alerts?${q}`);
      const list = Array.isArray(data) ? data : ((data as Record<string, unknown>).alerts as unknown[]) ?? [];
      // The server's list is the truth for this position: forget what it no longer lists.
      this.alerts.clear();
      for (const raw of list) this.receive(raw, false);
    } catch {
      /* offline: keep the last known alerts */
    }
    this.update();
    this.stream = new EventSource(`/api/alerts/stream?${q}&client=${clientId()}`);
    const onEvent = (e: MessageEvent) => {
      try {
        this.receive(JSON.parse(e.data), true);
      } catch {
        /* heartbeat or a message we do not understand */
      }
    };
    for (const name of ['message', 'alert', 'update', 'cancel']) this.stream.addEventListener(name, onEvent as EventListener);
  }

  private receive(raw: unknown, live: boolean): void {
    const a = normalizeAlert(raw);
    if (!a) return;
    const refs = new Set(referencedKeys(a));
    for (const [k, old] of this.alerts) if (refs.has(`${old.sender},${old.identifier}`) || a.replaces.includes(old.id)) this.alerts.delete(k);
    if (a.msgType === 'Cancel' || a.stage === 'all-clear') {
      if (live || this.shown) this.showAllClear(a);
    } else this.alerts.set(a.identifier, a);
    if (live) this.update();
  }

  private update(): void {
    const now = Date.now();
    for (const map of [this.alerts, this.placeAlerts]) for (const [k, a] of map) if (a.expires && Date.parse(a.expires) < now) map.delete(k);
    localStorage.setItem(STORE, JSON.stringify([...this.alerts.values()]));
    // Where you are and your places together; an alert for both says so.
    const all = new Map(this.placeAlerts);
    for (const [k, a] of this.alerts) {
      const p = this.placeAlerts.get(k);
      all.set(k, p ? { ...a, places: p.places, placeCodes: p.placeCodes } : a);
    }
    // An Actual alert always wins over an exercise or a test; then the newest. A device test gives way to any alert.
    const rank = (a: BannerAlert) => (a.status === 'Actual' ? 1 : 0);
    const next = [...all.values()].sort((x, y) => rank(y) - rank(x) || Date.parse(y.sent) - Date.parse(x.sent))[0] ?? null;
    if (this.shown?.localTest && !next) return;
    if (next && next.identifier !== this.shown?.identifier) void this.show(next);
    else if (next && this.shown && next.places?.join() !== this.shown.places?.join()) { this.shown = next; this.render(); }
    else if (!next && this.shown && !this.screen.classList.contains('all-clear')) this.hide();
  }

  /** Seconds of warning time for this alert here: the shortest among the alert's regions at this point. */
  private warningSeconds(a: BannerAlert): number | null {
    const mine = new Set([...this.regions.map((r) => r.code), ...(a.placeCodes ?? [])]);
    const sent = a.regionWarnings.filter((r) => r.seconds !== null && (mine.size === 0 || mine.has(r.code))).map((r) => r.seconds!);
    if (sent.length) return Math.min(...sent);
    const here = this.regions.filter((r) => r.warningTimeSeconds !== null && (a.regionCodes.length === 0 || a.regionCodes.includes(r.code)));
    const list = (here.length ? here : this.regions.filter((r) => r.warningTimeSeconds !== null)).map((r) => r.warningTimeSeconds!);
    return list.length ? Math.min(...list) : a.localTest ? 90 : null;
  }

  private deadline(a: BannerAlert): number | null {
    const w = this.warningSeconds(a);
    return w === null ? null : Date.parse(a.sent) + w * 1000;
  }

  private async show(a: BannerAlert): Promise<void> {
    this.shown = a;
    this.collapsed = false;
    this.nearest = null;
    this.lastAnnounced = Infinity;
    this.soundState = null;
    this.render();
    // The alarm and the vibration, where the browser allows (an exercise beeps; only a real alert sounds the siren).
    const kind = a.status === 'Actual' ? 'actual' : 'exercise';
    this.lastVibrated = vibrate(kind);
    this.sounding = sound(kind).then((state) => { if (this.shown === a) { this.soundState = state; this.render(); } });
    // Keyboard and screen-reader users land in the alert, not behind it.
    // (Without scrolling: the headline and the countdown stay on screen.)
    this.screen.querySelector<HTMLElement>(':scope > button.big')?.focus({ preventScroll: true });
    const d = this.deadline(a);
    this.announce(d === null ? t('alert.announceCover', { event: this.title(a) }) : t('alert.announce', { event: this.title(a), seconds: Math.max(0, Math.round((d - Date.now()) / 1000)) }));
    clearInterval(this.timer);
    this.timer = window.setInterval(() => this.tick(), 250);
    if (this.position) {
      this.nearest = await this.findShelter(this.position, this.warningSeconds(a));
      if (this.shown === a) this.render();
    }
  }

  private hide(): void {
    silence();
    clearInterval(this.timer);
    this.shown = null;
    this.screen.hidden = true;
    this.screen.className = 'alert-screen';
    document.body.classList.remove('alerting');
  }

  private showAllClear(a: BannerAlert): void {
    silence();
    clearInterval(this.timer);
    this.shown = null;
    this.screen.hidden = false;
    this.screen.className = `alert-screen all-clear ${kindClass(a.status)}`;
    this.screen.setAttribute('role', 'alertdialog');
    this.screen.setAttribute('aria-labelledby', 'alert-title');
    clear(this.screen,
      exerciseBand(a.status),
      h('h2', { id: 'alert-title' }, t('alert.allClear')),
      whoSpeaks(a),
      a.falseAlarm ? h('p', { class: 'instruction' }, t('alert.falseAlarm')) : null,
      localText(a).instruction ? h('p', { class: 'instruction', ...langAttrs(localText(a).language) }, localText(a).instruction) : h('p', { class: 'instruction' }, t('alert.allClearText')),
      h('button', { type: 'button', class: 'big', onclick: () => { this.hide(); this.update(); } }, t('alert.dismiss')),
    );
    this.announce(`${t('alert.allClear')}. ${t('alert.allClearText')}`);
    (this.screen.querySelector('button') as HTMLButtonElement).focus();
  }

  private title(a: BannerAlert): string {
    return localText(a).headline ?? a.event ?? t('alert.actual');
  }

  /** lang/dir of the title: the chosen block's language when it has a headline, else the interface's. */
  private titleAttrs(a: BannerAlert): { lang: string; dir: 'rtl' | 'ltr' } {
    const txt = localText(a);
    return langAttrs(txt.headline ? txt.language : language());
  }

  private tick(): void {
    const a = this.shown;
    if (!a) return;
    const d = this.deadline(a);
    const left = d === null ? null : Math.max(0, (d - Date.now()) / 1000);
    const el = this.screen.querySelector<HTMLElement>('.countdown');
    if (el && left !== null) {
      el.textContent = left > 0 ? clock(left) : t('alert.takeCoverNow');
      el.setAttribute('aria-label', t('alert.countdownLabel', { seconds: Math.ceil(left) }));
    }
    // Announce at a pace a screen reader can speak: every 15 s, then at 10 and 5 seconds.
    if (left !== null) {
      const s = Math.ceil(left);
      const mark = s > 10 ? Math.ceil(s / 15) * 15 : s > 5 ? 10 : s > 0 ? 5 : 0;
      if (mark < this.lastAnnounced && (s === mark || mark === 0)) {
        this.lastAnnounced = mark;
        this.announce(s > 0 ? t('alert.countdownLabel', { seconds: s }) : t('alert.takeCoverNow'));
      }
    }
    if (a.expires && Date.parse(a.expires) < Date.now()) this.update();
  }

  private announce(text: string): void {
    this.announcer.textContent = text;
  }

  /** "Silence alarm" while it sounds; "Turn on the alarm sound" when the browser held it back (a tap lets it play). */
  private soundControl(a: BannerAlert): HTMLElement | null {
    if (this.soundState === 'playing' && isPlaying()) {
      return h('button', { type: 'button', class: 'sound silence', onclick: () => { silence(); this.soundState = 'silent'; this.render(); } }, t('sound.silence'));
    }
    if (this.soundState === 'blocked') {
      return h('button', { type: 'button', class: 'sound enable', onclick: async () => {
        this.soundState = await sound(a.status === 'Actual' ? 'actual' : 'exercise');
        this.render();
      } }, t('sound.enable'));
    }
    return null;
  }

  private render(): void {
    const a = this.shown;
    if (!a) return;
    document.body.classList.add('alerting');
    this.screen.hidden = false;
    this.screen.className = `alert-screen ${kindClass(a.status)}${this.collapsed ? ' collapsed' : ''}`;
    this.screen.setAttribute('role', this.collapsed ? 'region' : 'alertdialog');
    this.screen.setAttribute('aria-labelledby', 'alert-title');
    // aria-modal belongs to the dialog only: on the folded bar (role=region) it is not allowed at all, even as false.
    if (this.collapsed) this.screen.removeAttribute('aria-modal');
    else this.screen.setAttribute('aria-modal', 'true');
    const d = this.deadline(a);
    const left = d === null ? null : Math.max(0, (d - Date.now()) / 1000);
    const stageKey = a.stage ? (`alert.stage.${a.stage}` as MessageKey) : null;
    const best = this.nearest?.results[0];
    const countdown = h('div', { class: 'countdown', role: 'timer', 'aria-live': 'off', 'aria-label': left === null ? t('alert.takeCoverNow') : t('alert.countdownLabel', { seconds: Math.ceil(left) }) },
      left === null ? t('alert.takeCoverNow') : left > 0 ? clock(left) : t('alert.takeCoverNow'));
    if (this.collapsed) {
      clear(this.screen,
        exerciseBand(a.status),
        whoSpeaks(a),
        h('div', { class: 'bar' }, h('strong', { id: 'alert-title', ...this.titleAttrs(a) }, this.title(a)), countdown,
          h('button', { type: 'button', onclick: () => { this.collapsed = false; this.render(); } }, t('alert.expand'))));
      return;
    }
    // No shelter reachable in time (or none at all): what to do where you are comes before the authority's words.
    const noneInTime = !this.position || (this.nearest !== null && (!best || best.reachableInTime === false));
    clear(this.screen,
      exerciseBand(a.status),
      h('h2', { id: 'alert-title', ...this.titleAttrs(a) }, this.title(a)),
      whoSpeaks(a),
      a.places?.length ? h('p', { class: 'place' }, t('places.atPlace', { places: a.places.join(', ') })) : null,
      stageKey ? h('p', { class: 'stage' }, t(stageKey)) : null,
      a.areas.length ? h('p', { class: 'areas', dir: 'auto' }, t('alert.region', { areas: a.areas.join(', ') })) : null,
      this.soundControl(a),
      h('p', { class: 'label' }, t('alert.timeLeft')),
      countdown,
      this.position ? h('section', { class: 'nearest', 'aria-label': t('alert.nearest') },
        h('h3', {}, t('alert.nearest')),
        best ? h('p', {}, h('strong', {}, best.name), ' · ', walkText(best.walkSeconds)) : this.nearest ? h('p', {}, t('alert.noShelter')) : h('p', {}, t('find.searching')),
        best && best.reachableInTime === false ? h('p', { class: 'late' }, t('find.notInTime')) : null,
        paceChooser('alert')) : null,
      noneInTime ? noShelterAdvice('alert') : null,
      localText(a).instruction ? h('p', { class: 'instruction', ...langAttrs(localText(a).language) }, localText(a).instruction) : null,
      a.verified ? h('p', { class: 'verified' }, '✔ ', t('alert.verified')) : null,
      a.localTest ? this.testResult : null,
      a.localTest ? h('button', { type: 'button', class: 'big end-test', onclick: () => { this.hide(); this.update(); } }, t('test.end'))
        : h('button', { type: 'button', class: 'big', onclick: () => { this.collapsed = true; this.render(); } }, this.position ? t('alert.showMap') : t('find.button')),
    );
    if (!this.position && !a.localTest) {
      // Without a position the big button finds one: the alert shrinks to its bar and Find shelter runs.
      const last = this.screen.querySelector<HTMLButtonElement>(':scope > button.big:last-of-type');
      last?.addEventListener('click', () => document.getElementById('find')?.click());
    }
  }
}

/** Who speaks, on every alert screen; another authority's alert says so plainly. */
function whoSpeaks(a: BannerAlert): HTMLElement | null {
  const name = a.senderName ?? a.sender;
  if (!name) return null;
  return a.foreign
    ? h('p', { class: 'from other-authority', 'data-sender': a.sender }, h('strong', {}, tt('alert.fromOther', { name })))
    : h('p', { class: 'from', 'data-sender': a.sender }, tt('alert.from', { name }));
}

function kindClass(status: string): string {
  return status === 'Actual' ? 'actual' : status === 'Exercise' ? 'exercise' : 'test';
}

/** Exercise and Test alerts carry a band saying so at the top, in a colour an Actual alert never uses. */
function exerciseBand(status: string): HTMLElement | null {
  if (status === 'Actual') return h('p', { class: 'band' }, h('span', {}, t('alert.actual')));
  return h('p', { class: 'band' }, h('span', {}, status === 'Exercise' ? t('alert.exercise') : t('alert.test')));
}
