// My places: home, work, parents... saved on this device by region, never as a live location. Their alerts come from
// the stream of every alert the page already has (the board), push subscribes for their regions, and the panel holds
// the alarm switch and "Test my alerts".
import { h, clear } from '../lib/dom.ts';
import { t } from '../i18n/index.ts';
import { request } from '../lib/api.ts';
import type { LonLat } from '../lib/geo.ts';
import type { BoardAlert } from './alert-board.ts';
import { loadRegions, findRegion, withAncestors, type AlertRegion } from './regions.ts';
import { subscribePush, pushUnavailableReason, testNotification } from './push.ts';
import { soundEnabled, setSoundEnabled } from './siren.ts';

export interface Place {
  id: string;
  name: string;
  /** The region chosen (the most specific one at a chosen point). */
  region: { code: string; name: string };
  /** That region and every region above it: an alert for any of them concerns the place. */
  covers: string[];
}

const KEY = 'refuge.places';

export function loadPlaces(): Place[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]') as Place[];
    return Array.isArray(list) ? list.filter((p) => p && typeof p.name === 'string' && Array.isArray(p.covers)) : [];
  } catch {
    return [];
  }
}

function savePlaces(list: Place[]): void {
  localStorage.setItem(KEY, JSON.stringify(list));
  document.dispatchEvent(new CustomEvent('refuge:places'));
}

/** The saved places an alert concerns. */
export function placesFor(alert: { regions?: Array<{ code: string }> }, places = loadPlaces()): Place[] {
  const codes = new Set((alert.regions ?? []).map((r) => r.code));
  return places.filter((p) => p.covers.some((c) => codes.has(c)));
}

export interface PlacesHooks {
  /** The point the resident last chose (Find shelter or a point on the map), if any. */
  origin: () => LonLat | null;
  /** The alerts live now (the board's). */
  active: () => BoardAlert[];
  /** Runs the alert screen with a local exercise; says whether the alarm sounded and the device vibrated. */
  test: (result: HTMLElement) => Promise<{ sound: string; vibrated: boolean }>;
}

/** The My places panel. */
export function placesPanel(panel: HTMLElement, opener: HTMLElement, hooks: PlacesHooks): void {
  let regions: AlertRegion[] = [];
  const status = h('p', { class: 'notice', role: 'status', id: 'places-status' });
  const why = h('p', { class: 'notice push-why', id: 'push-why' });
  const list = h('ul', { class: 'places-list', id: 'places-list' });
  const nameInput = h('input', { id: 'place-name', autocomplete: 'off', maxlength: '60' });
  const regionInput = h('input', { id: 'place-region', list: 'place-regions', autocomplete: 'off' });
  const options = h('datalist', { id: 'place-regions' });
  const result = h('section', { class: 'test-result', id: 'test-result', 'aria-live': 'polite' });

  const drawList = () => {
    const places = loadPlaces();
    const active = hooks.active();
    if (places.length === 0) { clear(list, h('li', { class: 'notice' }, t('places.none'))); return; }
    clear(list, ...places.map((p) => {
      const alerts = active.filter((a) => placesFor(a, [p]).length > 0);
      const real = alerts.find((a) => !a.exercise) ?? alerts[0];
      return h('li', { class: real ? (real.exercise ? 'place exercise' : 'place alerting') : 'place', 'data-place': p.name },
        h('strong', {}, p.name), ' · ', h('span', {}, p.region.name), ' · ',
        h('span', { class: 'place-state' }, real ? t('places.alertNow', { headline: real.headline || real.event || '' }) : t('places.quiet')),
        h('button', { type: 'button', class: 'link', 'aria-label': t('places.remove', { name: p.name }), onclick: () => {
          savePlaces(loadPlaces().filter((x) => x.id !== p.id));
          drawList();
        } }, '×'));
    }));
  };

  const add = (name: string, region: AlertRegion) => {
    if (!name) { status.textContent = t('places.needName'); nameInput.focus(); return; }
    const place: Place = { id: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, name, region: { code: region.code, name: region.name }, covers: withAncestors(regions, region.code) };
    savePlaces([...loadPlaces().filter((p) => p.name !== name), place]);
    nameInput.value = '';
    regionInput.value = '';
    status.textContent = '';
    drawList();
  };

  const form = h('form', { class: 'place-add', onsubmit: (e: Event) => {
    e.preventDefault();
    const region = findRegion(regions, regionInput.value);
    if (!region) { status.textContent = t('places.unknownRegion', { name: regionInput.value.trim() }); regionInput.focus(); return; }
    add(nameInput.value.trim(), region);
  } },
    h('div', { class: 'quick-names' }, ...(['places.home', 'places.work', 'places.parents'] as const).map((k) =>
      h('button', { type: 'button', class: 'small', onclick: () => { nameInput.value = t(k); regionInput.focus(); } }, t(k)))),
    h('label', { for: 'place-name' }, t('places.name')), nameInput,
    h('label', { for: 'place-region' }, t('places.where')), regionInput, options,
    h('button', { type: 'submit', id: 'place-add' }, t('places.add')),
    h('button', { type: 'button', id: 'place-here', onclick: async () => {
      const at = hooks.origin();
      if (!at) { status.textContent = t('places.noPoint'); return; }
      try {
        const { data } = await request<{ regions: Array<{ code: string }> }>('GET', `/api/regions/at?lat=${at[1]}&lon=${at[0]}`);
        const region = regions.find((r) => r.code === data.regions[0]?.code);
        if (!region) { status.textContent = t('places.noPoint'); return; }
        add(nameInput.value.trim(), region);
      } catch (err) {
        status.textContent = t('con.error', { message: (err as Error).message });
      }
    } }, t('places.addHere')));

  const sound = h('input', { type: 'checkbox', id: 'sound-on', checked: soundEnabled(), onchange: (e: Event) => setSoundEnabled((e.target as HTMLInputElement).checked) });

  panel.hidden = false;
  clear(panel,
    h('button', { type: 'button', class: 'close', 'aria-label': t('close'), onclick: () => { panel.hidden = true; opener.focus(); } }, '×'),
    h('h2', {}, t('places.title')),
    h('p', {}, t('places.intro')),
    list,
    form,
    status,
    h('button', { type: 'button', class: 'big', id: 'places-push', onclick: async () => {
      const codes = [...new Set(loadPlaces().map((p) => p.region.code))];
      if (codes.length === 0) { status.textContent = t('places.needPlace'); return; }
      const names = new Map(regions.map((r) => [r.code, r.name]));
      const r = await subscribePush(null, codes, (c) => names.get(c) ?? c);
      status.textContent = r.ok ? t('places.pushFor', { regions: codes.map((c) => names.get(c) ?? c).join(', ') }) : r.message;
    } }, t('places.push')),
    why,
    h('p', { class: 'sound-switch' }, h('label', {}, sound, ' ', t('places.sound'))),
    h('button', { type: 'button', class: 'big', id: 'test-alerts', onclick: async () => {
      clear(result);
      const outcome = await hooks.test(result);
      const push = await testNotification({ id: `local-test-${Date.now()}`, msgType: 'Alert', headline: t('test.headline'), instruction: t('test.instruction') }).catch((err: Error) => err.message);
      const line = (ok: boolean, text: string, what: string) => h('li', { class: ok ? 'ok' : 'not', 'data-check': what }, h('span', { 'aria-hidden': 'true' }, ok ? '✔ ' : '✖ '), text);
      clear(result, h('h3', {}, t('test.result')), h('ul', {},
        line(true, t('test.screen'), 'screen'),
        line(outcome.sound === 'playing', t(outcome.sound === 'playing' ? 'test.soundOn' : outcome.sound === 'off' ? 'test.soundOff' : 'test.soundBlocked'), 'sound'),
        line(outcome.vibrated, t(outcome.vibrated ? 'test.vibrated' : 'test.noVibrate'), 'vibration'),
        line(push === 'notified', push === 'notified' ? t('test.notified') : push === 'not-subscribed' ? t('test.notSubscribed') : t('test.notifyFailed', { message: push }), 'notification')));
    } }, t('test.button')),
    result,
  );
  drawList();
  panel.focus();
  void loadRegions().then((r) => {
    regions = r;
    clear(options, ...r.map((x) => h('option', { value: `${x.name} (${x.code})` })));
  }).catch(() => undefined);
  void pushUnavailableReason().then((reason) => { why.textContent = t(reason ?? 'why.ok'); why.dataset.reason = reason ?? 'ok'; });
  redrawOpen = () => { if (list.isConnected) drawList(); };
}

let redrawOpen: (() => void) | null = null;

/** Redraws the open panel's alert lines (the board calls it on every change). */
export function refreshPlacesPanel(): void {
  redrawOpen?.();
}
