// The public alert map, as alerts.in.ua and the Red Alert apps have it: every region coloured by whether it is under
// alert now and for how long, for everyone, without a location, and each region's alerts of the last 7 days.
// Drawn as SVG from the region outlines (no map library, no WebGL: it works on every device the alerts reach).
import { h, clear } from '../lib/dom.ts';
import { getJSON } from '../lib/api.ts';
import { t, formatTime, language } from '../i18n/index.ts';
import type { HistoryEntry } from '../../../src/api/types.ts';
import type { AlertBoard, BoardAlert } from './alert-board.ts';
import { loadRegions, regionName, withAncestors, type AlertRegion } from './regions.ts';
import { duration, entryItem } from './history.ts';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 360;

export type RegionState = 'alert' | 'exercise' | 'quiet';

export interface RegionAlertState {
  region: AlertRegion;
  state: RegionState;
  /** When the longest-running alert over it began (the first message of its chain). */
  since: string | null;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/** Each region's state now: an alert for a region covers every region below it; an Actual alert wins over exercises. */
export function regionStates(regions: AlertRegion[], active: BoardAlert[], chainStart: (a: BoardAlert) => string): RegionAlertState[] {
  return regions.map((region) => {
    const covering = new Set(withAncestors(regions, region.code));
    const over = active.filter((a) => a.regions.some((r) => covering.has(r.code)));
    const real = over.filter((a) => !a.exercise);
    const counted = real.length ? real : over;
    const since = counted.map(chainStart).sort()[0] ?? null;
    return { region, state: real.length ? 'alert' : over.length ? 'exercise' : 'quiet', since };
  });
}

function rings(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): GeoJSON.Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

/** Equirectangular, corrected for latitude: plenty for a city or a country at phone size. */
function projection(regions: AlertRegion[]): { project: (p: GeoJSON.Position) => [number, number]; height: number } | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const r of regions) for (const ring of r.geometry ? rings(r.geometry) : []) for (const [x, y] of ring) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  if (!Number.isFinite(minX) || maxX === minX || maxY === minY) return null;
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const scale = WIDTH / ((maxX - minX) * k);
  const height = Math.min(WIDTH * 1.4, Math.max(120, (maxY - minY) * scale));
  const sy = height / (maxY - minY);
  const s = Math.min(scale, sy);
  return { project: ([x, y]) => [+((x - minX) * k * s).toFixed(1), +((maxY - y) * s).toFixed(1)], height: Math.ceil((maxY - minY) * s) };
}

function area(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): number {
  let a = 0;
  for (const ring of rings(g)) for (let i = 1; i < ring.length; i++) a += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
  return Math.abs(a / 2);
}

export class AlertMapView {
  private active: BoardAlert[] = [];
  private regions: AlertRegion[] | null = null;
  /** First-message time of each alert chain in force, by the id of any of its messages (from the history). */
  private chainSent = new Map<string, string>();
  private selected: string | null = null;
  private historyFor: { code: string; alerts: HistoryEntry[] | null; error: string | null } | null = null;

  constructor(private readonly panel: HTMLElement, private readonly button: HTMLButtonElement, board: AlertBoard) {
    this.label();
    board.openMap = () => void this.open();
    board.onChange((list) => {
      const unknown = list.some((a) => !this.chainSent.has(a.id));
      this.active = list;
      if (!this.showing()) return;
      if (unknown) void this.loadChains().then(() => this.redraw());
      else this.redraw();
    });
    button.addEventListener('click', () => void this.open());
    document.addEventListener('refuge:language', () => {
      this.label();
      if (this.showing()) this.redraw();
    });
  }

  private label(): void {
    this.button.textContent = t('amap.button');
  }

  private showing(): boolean {
    return !this.panel.hidden && this.panel.querySelector(':scope > .alert-map') !== null;
  }

  async open(): Promise<void> {
    this.panel.hidden = false;
    clear(this.panel, ...this.frame(h('p', { class: 'notice', role: 'status' }, t('amap.loading'))));
    this.panel.focus();
    try {
      [this.regions] = await Promise.all([loadRegions(), this.loadChains()]);
    } catch (err) {
      if (this.showing()) clear(this.panel, ...this.frame(h('p', { class: 'notice error', role: 'status' }, t('amap.error', { message: (err as Error).message }))));
      return;
    }
    if (this.showing()) this.redraw();
  }

  /** The chain start of every alert in force (an Update's own time is when it was updated, not when the alert began). */
  private async loadChains(): Promise<void> {
    try {
      const answer = await getJSON<{ alerts: HistoryEntry[] }>('/api/alerts/history?limit=500');
      for (const e of answer.alerts) {
        this.chainSent.set(e.id, e.sent);
        this.chainSent.set(e.latestId, e.sent);
      }
    } catch {
      /* offline: each alert's own time is used */
    }
  }

  private frame(...body: Array<HTMLElement | null>): HTMLElement[] {
    return [
      h('button', { type: 'button', class: 'close', 'aria-label': t('close'), onclick: () => { this.panel.hidden = true; this.button.focus(); } }, '×'),
      h('h2', {}, t('amap.title')),
      h('div', { class: 'alert-map' }, ...body),
    ];
  }

  private redraw(): void {
    const regions = this.regions;
    if (!regions) return;
    const states = regionStates(regions, this.active, (a) => this.chainSent.get(a.id) ?? a.sent);
    const under = states.filter((s) => s.state !== 'quiet').sort((a, b) => (a.state === b.state ? (a.since ?? '').localeCompare(b.since ?? '') : a.state === 'alert' ? -1 : 1));
    const quiet = states.filter((s) => s.state === 'quiet').sort((a, b) => regionName(a.region).localeCompare(regionName(b.region), language()));
    const scroll = this.panel.scrollTop;
    clear(this.panel, ...this.frame(
      this.drawing(states, under.length),
      h('ul', { class: 'amap-legend' },
        h('li', {}, h('span', { class: 'swatch state-alert', 'aria-hidden': 'true' }), t('amap.legendAlert')),
        h('li', {}, h('span', { class: 'swatch state-exercise', 'aria-hidden': 'true' }), t('amap.legendExercise')),
        h('li', {}, h('span', { class: 'swatch state-quiet', 'aria-hidden': 'true' }), t('amap.legendQuiet'))),
      under.length ? h('ul', { class: 'amap-list amap-under' }, ...under.map((s) => this.item(s))) : h('p', { class: 'notice', role: 'status' }, t('amap.none')),
      quiet.length ? h('details', { class: 'amap-quiet', open: under.length === 0 || quiet.some((s) => s.region.code === this.selected) },
        h('summary', {}, t('amap.all')),
        h('ul', { class: 'amap-list' }, ...quiet.map((s) => this.item(s)))) : null,
      this.historySection(),
    ));
    this.panel.scrollTop = scroll;
  }

  private drawing(states: RegionAlertState[], count: number): HTMLElement {
    const drawable = states.filter((s) => s.region.geometry);
    const proj = projection(drawable.map((s) => s.region));
    const caption = t('amap.figure', { count, total: states.length });
    if (!proj) return h('p', { class: 'sr-only' }, caption);
    // Largest first, so a region inside another is drawn over it.
    const ordered = [...drawable].sort((a, b) => area(b.region.geometry!) - area(a.region.geometry!));
    const paths = ordered.map((s) => {
      const d = rings(s.region.geometry!).map((ring) => 'M' + ring.map((p) => proj.project(p).join(' ')).join('L') + 'Z').join('');
      const path = svg('path', { d, class: `amap-region state-${s.state}${s.region.code === this.selected ? ' selected' : ''}`, 'data-code': s.region.code, 'data-state': s.state }, svg('title', {}, regionName(s.region)));
      path.addEventListener('click', () => this.select(s.region.code));
      return path;
    });
    const figure = svg('svg', { viewBox: `-4 -4 ${WIDTH + 8} ${proj.height + 8}`, role: 'img', 'aria-label': caption, class: 'amap-svg', 'data-under': String(count) }, ...paths);
    return h('figure', { class: 'amap-figure' }, figure);
  }

  private item(s: RegionAlertState): HTMLLIElement {
    const line = s.state === 'quiet' || !s.since ? t('amap.quiet')
      : t(s.state === 'alert' ? 'amap.under' : 'amap.underExercise', { time: formatTime(s.since), duration: duration((Date.now() - Date.parse(s.since)) / 1000) });
    return h('li', { class: `amap-item state-${s.state}`, 'data-code': s.region.code, 'data-state': s.state },
      h('button', { type: 'button', class: 'link', 'aria-pressed': String(this.selected === s.region.code), 'aria-label': t('amap.showHistory', { region: regionName(s.region) }), onclick: () => this.select(s.region.code) },
        h('span', { class: 'swatch', 'aria-hidden': 'true' }), h('strong', {}, regionName(s.region))),
      ' ', h('span', { class: 'amap-since' }, line));
  }

  private select(code: string): void {
    this.selected = code;
    this.historyFor = { code, alerts: null, error: null };
    this.redraw();
    void getJSON<{ alerts: HistoryEntry[] }>(`/api/alerts/history?limit=100&region=${encodeURIComponent(code)}`).then(
      (a) => { if (this.historyFor?.code === code) this.historyFor.alerts = a.alerts; },
      (err: Error) => { if (this.historyFor?.code === code) this.historyFor.error = err.message; },
    ).then(() => {
      if (!this.showing()) return;
      this.redraw();
      this.panel.querySelector<HTMLElement>('.amap-history h3')?.scrollIntoView({ block: 'nearest' });
    });
  }

  private historySection(): HTMLElement | null {
    const hf = this.historyFor;
    const region = hf && this.regions?.find((r) => r.code === hf.code);
    if (!hf || !region) return null;
    const body = hf.error ? h('p', { class: 'notice error' }, t('hist.error', { message: hf.error }))
      : !hf.alerts ? h('p', { class: 'notice' }, t('hist.loading'))
      : hf.alerts.length === 0 ? h('p', { class: 'notice' }, t('amap.historyNone', { region: regionName(region) }))
      : h('ul', { class: 'history-list' }, ...hf.alerts.map(entryItem));
    return h('section', { class: 'amap-history', 'data-region': region.code, 'aria-live': 'polite' }, h('h3', { tabindex: '-1' }, t('amap.history', { region: regionName(region) })), body);
  }
}
