// The public alert history: the header's History button opens a panel with the alerts of the last 7 days per region
// (GET /api/alerts/history), ended ones included, for everyone, without sharing a location.
import { h, clear } from '../lib/dom.ts';
import { getJSON } from '../lib/api.ts';
import { language, formatTime, t as tMain } from '../i18n/index.ts';
import * as historyStrings from '../i18n/parts/history.ts';
import type { HistoryEntry as ApiHistoryEntry } from '../../../src/api/types.ts';
import { isRtlLanguage, textFor } from '../../../src/api/alerts.ts';
import { regionName } from './regions.ts';

/** A region as the regions list gives it: its name and its names in other languages. */
type KnownRegion = { code: string; name: string; names: Record<string, string> };

/** An entry as GET /api/alerts/history sends it: with the headline's language and its other languages. */
type HistoryEntry = ApiHistoryEntry & { language?: string; translations?: Array<{ language: string; headline: string | null }> };

/** The headline in the resident's interface language when the alert has it, else the main one. */
function headline(a: HistoryEntry): HTMLElement {
  const txt = textFor({ language: a.language ?? '', headline: a.headline, description: null, instruction: null },
    a.translations?.map((x) => ({ ...x, description: null, instruction: null })), language());
  if (!txt.headline || !txt.language) return h('strong', { dir: 'auto' }, a.headline ?? a.event);
  return h('strong', { lang: txt.language, dir: isRtlLanguage(txt.language) ? 'rtl' : 'ltr' }, txt.headline);
}

interface HistoryAnswer {
  alerts: HistoryEntry[];
  truncated?: boolean;
}

type Key = keyof typeof historyStrings.en;
const LIMIT = 500;

/** The history strings (web/src/i18n/parts/history.ts), which every dictionary carries. */
function t(key: Key, params: Record<string, string | number> = {}): string {
  return tMain(key, params);
}

export function duration(seconds: number): string {
  const totalMin = Math.max(1, Math.round(seconds / 60));
  const hours = Math.floor(totalMin / 60);
  return hours > 0 ? t('hist.hours', { h: hours, m: totalMin % 60 }) : t('hist.minutes', { m: totalMin });
}

export function entryItem(a: HistoryEntry): HTMLLIElement {
  return h('li', { class: `history-entry history-${a.state}`, 'data-alert-id': a.id },
    h('p', {}, headline(a)),
    h('p', {},
      h('span', { class: 'history-state' }, t(`hist.state.${a.state}` as Key)),
      a.exercise ? ' · ' : null, a.exercise ? h('span', { class: 'history-exercise' }, t('hist.exercise')) : null,
      ' · ', h('time', { datetime: a.sent }, formatTime(a.sent)),
      ' · ', a.active ? t('hist.activeFor', { duration: duration(a.durationS) }) : t('hist.lasted', { duration: duration(a.durationS) })),
    h('p', { class: 'history-from' }, t(a.foreign ? 'hist.foreign' : 'hist.from', { name: a.senderName })));
}

/** Groups the alerts by region (an alert naming several regions is listed under each), regions by name. */
function byRegion(alerts: HistoryEntry[], only: string | null, known: ReadonlyArray<KnownRegion> | null): Array<{ code: string; name: string; alerts: HistoryEntry[] }> {
  const groups = new Map<string, { code: string; name: string; alerts: HistoryEntry[] }>();
  // The region's name in the reader's language when the regions list has it; else the name the alert carries.
  const local = new Map((known ?? []).map((r) => [r.code, regionName(r)]));
  for (const a of alerts) {
    for (const r of a.regions) {
      const g = groups.get(r.code) ?? { code: r.code, name: local.get(r.code) ?? r.name, alerts: [] };
      g.alerts.push(a);
      groups.set(r.code, g);
    }
  }
  const list = [...groups.values()].sort((x, y) => x.name.localeCompare(y.name, language()));
  return only ? list.filter((g) => g.code === only).concat(list.filter((g) => g.code !== only)) : list;
}

/** Wires the header button: its label follows the language; a click opens the history in `panel`. */
export function historyButton(button: HTMLButtonElement, panel: HTMLElement): void {
  let regionsLoaded: KnownRegion[] | null = null;
  let region = '';
  let last: HistoryAnswer | null = null;
  const label = () => { button.textContent = t('hist.button'); };
  label();

  const showing = () => !panel.hidden && panel.querySelector(':scope > .history') !== null;
  const body = (status: string | null): HTMLElement[] => {
    if (status !== null) return [h('p', { class: 'notice', role: 'status' }, status)];
    if (!last) return [];
    if (last.alerts.length === 0) return [h('p', { class: 'notice', role: 'status' }, t('hist.none'))];
    const out: HTMLElement[] = byRegion(last.alerts, region || null, regionsLoaded).map((g) =>
      h('section', { class: 'history-region', 'data-region': g.code }, h('h3', {}, g.name), h('ul', { class: 'history-list' }, ...g.alerts.map(entryItem))));
    if (last.truncated) out.push(h('p', { class: 'notice' }, t('hist.truncated', { n: LIMIT })));
    return out;
  };
  /** The whole panel (on opening and on a language change); the list alone is redrawn when it loads. */
  const render = (status: string | null) => {
    const select = h('select', { id: 'history-region', onchange: (e: Event) => { region = (e.target as HTMLSelectElement).value; void load(); } },
      new Option(t('hist.allRegions'), ''), ...[...(regionsLoaded ?? [])].sort((a, b) => regionName(a).localeCompare(regionName(b), language()))
        .map((r) => new Option(`${regionName(r)} (${r.code})`, r.code, false, r.code === region)));
    clear(panel,
      h('button', { type: 'button', class: 'close', 'aria-label': tMain('close'), onclick: () => { panel.hidden = true; button.focus(); } }, '×'),
      h('h2', {}, t('hist.title')),
      h('p', {}, h('label', { for: 'history-region' }, t('hist.region')), ' ', select),
      h('div', { class: 'history', 'aria-live': 'polite' }, ...body(status)));
  };
  const list = (status: string | null) => {
    const div = panel.querySelector(':scope > .history');
    if (div) clear(div, ...body(status));
  };

  const load = async () => {
    list(t('hist.loading'));
    try {
      if (!regionsLoaded) {
        regionsLoaded = await getJSON<{ regions: KnownRegion[] }>('/api/regions')
          .then((r) => r.regions.map((x) => ({ code: x.code, name: x.name, names: x.names && typeof x.names === 'object' ? x.names : {} })))
          .catch(() => null);
        if (regionsLoaded && showing()) render(t('hist.loading'));
      }
      last = await getJSON<HistoryAnswer>(`/api/alerts/history?limit=${LIMIT}${region ? `&region=${encodeURIComponent(region)}` : ''}`);
      if (showing()) list(null);
    } catch (err) {
      if (showing()) list(t('hist.error', { message: (err as Error).message }));
    }
  };

  button.addEventListener('click', () => {
    panel.hidden = false;
    render(t('hist.loading'));
    panel.focus();
    void load();
  });
  document.addEventListener('refuge:language', () => {
    label();
    if (showing()) render(null);
  });
}
