// The public "take cover" map: shelters by status, Find shelter with walking routes, alerts for where you are,
// and everything kept working offline by the service worker.
import '../styles.css';
import type { ExpressionSpecification } from 'maplibre-gl';
import { $, h, clear } from '../lib/dom.ts';
import type { LonLat } from '../lib/geo.ts';
import { t, detectLanguage, setLanguage, languagePicker, formatTime, type MessageKey } from '../i18n/index.ts';
import { ShelterMap, STATUS_COLOURS, tileServerReachable } from './map.ts';
import { loadConfig, loadShelters, loadStreets, DEFAULT_CONFIG, type ShelterFeature } from './data.ts';
import { OfflineIndex, findNearest, type NearestAnswer } from './nearest.ts';
import { showResults, showCard } from './panel.ts';
import { AlertWatcher } from './alerts.ts';
import { pushPanel } from './push.ts';
import { MapKeyboard } from './map-keyboard.ts';

const POSITION_KEY = 'refuge.position';

const state = {
  shelters: new Map<string, ShelterFeature>(),
  origin: null as LonLat | null,
  answer: null as NearestAnswer | null,
  selected: 0,
  picking: false,
  freshness: null as { fetchedAt: string; fromCache: boolean } | null,
};

setLanguage(detectLanguage());
languagePicker($<HTMLSelectElement>('#lang'));

const panel = $('#panel');
const offline = new OfflineIndex();

function renderFreshness(): void {
  const el = $('#freshness');
  const f = state.freshness;
  el.className = f?.fromCache || !navigator.onLine ? 'freshness stale' : 'freshness';
  if (!f) el.textContent = navigator.onLine ? t('fresh.never') : t('fresh.offline');
  else el.textContent = f.fromCache || !navigator.onLine ? t('fresh.cached', { time: formatTime(f.fetchedAt) }) : t('fresh.live', { time: formatTime(f.fetchedAt) });
}

function renderLegend(): void {
  clear($('#legend'), ...Object.entries(STATUS_COLOURS).map(([status, colour]) =>
    h('li', {}, h('span', { class: 'dot', style: `background:${colour}`, 'aria-hidden': 'true' }), t(`status.${status}` as MessageKey))));
}

function renderCount(): void {
  const open = $<HTMLInputElement>('#f-open').checked;
  const stepFree = $<HTMLInputElement>('#f-stepfree').checked;
  const pets = $<HTMLInputElement>('#f-pets').checked;
  let n = 0;
  for (const f of state.shelters.values()) {
    const p = f.properties;
    if ((!open || p.status === 'open') && (!stepFree || p.stepFree === true) && (!pets || p.pets === true)) n++;
  }
  $('#f-count').textContent = t('filters.count', { count: n });
}

async function main(): Promise<void> {
  // Fetch the data while the map library starts; the map waits for neither.
  const data = Promise.all([loadShelters().catch(() => null), loadStreets()]);
  // The map starts at once with the built-in defaults; /config.json (tile server, start view) is applied when it arrives.
  const configLoaded = loadConfig();
  const attributions = [t('map.attribution.streets')];
  const stored = localStorage.getItem(POSITION_KEY);
  if (stored) state.origin = JSON.parse(stored) as LonLat;
  const smap = new ShelterMap($('#map'), { ...DEFAULT_CONFIG, center: state.origin ?? DEFAULT_CONFIG.center }, attributions, t('map.basemap.own'));
  void configLoaded.then(async (config) => {
    await smap.ready;
    if (!state.origin && !state.answer) smap.map.jumpTo({ center: config.center, zoom: config.zoom });
    if (config.tileUrl && (await tileServerReachable(config.tileUrl, config.center))) smap.useTiles(config.tileUrl, config.tileAttribution);
  });
  (window as unknown as { refugeMap: ShelterMap }).refugeMap = smap;
  let keyboard: MapKeyboard | null = null;

  const watcher = new AlertWatcher($('#alert'), $('#announcer'), async (at, within) => {
    const answer = await search(at, within);
    return answer;
  });

  async function search(at: LonLat, within: number | null): Promise<NearestAnswer | null> {
    setOrigin(at);
    panel.hidden = false;
    clear(panel, h('p', { class: 'notice' }, t('find.searching')));
    try {
      const answer = await findNearest(offline, at, { k: 3, within, stepFree: $<HTMLInputElement>('#f-stepfree').checked });
      state.answer = answer;
      selectResult(0);
      return answer;
    } catch (err) {
      clear(panel, h('p', { class: 'notice error', role: 'alert' }, t('find.error', { message: (err as Error).message })));
      return null;
    }
  }

  function selectResult(i: number): void {
    const answer = state.answer;
    if (!answer) return;
    state.selected = i;
    showResults(panel, answer, i, { select: selectResult, details: showDetails, close: clearSearch });
    smap.setRoutes(answer.results, i);
    smap.select(answer.results[i]?.id ?? null);
    panel.querySelector<HTMLElement>('.result.selected .result-main')?.focus();
  }

  function clearSearch(): void {
    state.answer = null;
    smap.clearRoutes();
    smap.select(null);
    $('#find').focus();
  }

  function showDetails(id: string): void {
    const f = state.shelters.get(id);
    if (!f) return;
    // Closing the card takes the keyboard back where it came from (the map, or the result list).
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    smap.select(id);
    showCard(panel, f.properties, { close: () => { smap.select(null); if (opener?.isConnected) opener.focus(); } });
    panel.focus();
  }

  function setOrigin(at: LonLat): void {
    state.origin = at;
    localStorage.setItem(POSITION_KEY, JSON.stringify(at));
    smap.setOrigin(at);
  }

  function watchAlerts(at: LonLat): void {
    $('#watch').textContent = t('alert.watching');
    void watcher.watch(at);
  }

  function position(timeout: number): Promise<LonLat | null> {
    return new Promise((resolve) => {
      if (!('geolocation' in navigator)) return resolve(null);
      navigator.geolocation.getCurrentPosition((p) => resolve([p.coords.longitude, p.coords.latitude]), () => resolve(null), { enableHighAccuracy: true, timeout, maximumAge: 30_000 });
    });
  }

  function startPicking(): void {
    state.picking = true;
    document.body.classList.add('picking');
    panel.hidden = false;
    clear(panel, h('p', { class: 'notice' }, t('find.pickHint')));
    keyboard?.renderHint();
    smap.map.getCanvas().focus();
  }

  $('#find').addEventListener('click', async () => {
    panel.hidden = false;
    clear(panel, h('p', { class: 'notice' }, t('find.locating')));
    const at = await position(8000);
    if (!at) {
      clear(panel, h('p', { class: 'notice' }, t('find.noPosition')));
      startPicking();
      return;
    }
    watchAlerts(at);
    await search(at, null);
  });
  $('#pick').addEventListener('click', startPicking);
  // Escape closes the panel (card or results), as its close button does.
  panel.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    const close = panel.querySelector<HTMLButtonElement>(':scope > button.close');
    if (close) { e.preventDefault(); close.click(); }
  });
  $('#push').addEventListener('click', () => pushPanel(panel, state.origin));

  for (const id of ['#f-open', '#f-stepfree', '#f-pets']) $(id).addEventListener('change', applyFilters);
  function applyFilters(): void {
    const f: ExpressionSpecification[] = [];
    if ($<HTMLInputElement>('#f-open').checked) f.push(['==', ['get', 'status'], 'open']);
    if ($<HTMLInputElement>('#f-stepfree').checked) f.push(['==', ['get', 'stepFree'], true]);
    if ($<HTMLInputElement>('#f-pets').checked) f.push(['==', ['get', 'pets'], true]);
    smap.setFilters(f);
    keyboard?.reset();
    renderCount();
  }

  document.addEventListener('refuge:language', () => {
    renderFreshness();
    renderLegend();
    renderCount();
    if (state.answer) selectResult(state.selected);
  });
  window.addEventListener('online', renderFreshness);
  window.addEventListener('offline', renderFreshness);
  renderLegend();
  renderFreshness();
  if (window.matchMedia('(min-width: 700px)').matches) $<HTMLDetailsElement>('#filters').open = true;

  await smap.ready;
  performance.mark('refuge:map-loaded');
  if (state.origin) smap.setOrigin(state.origin);
  /** A point chosen on the map (tap, or Enter on the map's centre): search from there. */
  function picked(at: LonLat): boolean {
    if (!state.picking) return false;
    state.picking = false;
    document.body.classList.remove('picking');
    keyboard?.renderHint();
    watchAlerts(at);
    void search(at, null);
    return true;
  }
  keyboard = new MapKeyboard(smap, {
    open: showDetails,
    pick: picked,
    nameOf: (id) => state.shelters.get(id)?.properties ?? null,
  });
  smap.map.on('click', (e) => {
    if (picked([e.lngLat.lng, e.lngLat.lat])) return;
    const hit = smap.map.queryRenderedFeatures(e.point, { layers: ['shelters'] })[0];
    if (hit) showDetails(String(hit.properties.id));
  });

  const [shelters, streets] = await data;
  performance.mark('refuge:data-fetched');
  // "Drawn" is the first frame after the shelters source is loaded (the streets may still be filling in).
  const drawn = new Promise<void>((resolve) => {
    const onData = (e: { sourceId?: string; isSourceLoaded?: boolean }) => {
      if (e.sourceId !== 'shelters' || !e.isSourceLoaded) return;
      smap.map.off('sourcedata', onData);
      smap.map.once('render', () => resolve());
      smap.map.triggerRepaint();
    };
    smap.map.on('sourcedata', onData);
  });
  if (shelters) {
    for (const f of shelters.data) state.shelters.set(f.properties.id, f);
    smap.setAttributions([...attributions, ...shelters.credits]);
    // The map gets only what it styles and filters by; the details card reads the full record from state.
    smap.setShelters({
      type: 'FeatureCollection',
      features: shelters.data.map((f) => ({ type: 'Feature', geometry: f.geometry, properties: { id: f.properties.id, status: f.properties.status, stepFree: f.properties.stepFree, pets: f.properties.pets } })),
    });
    offline.setShelters(shelters.data);
    state.freshness = { fetchedAt: shelters.fetchedAt, fromCache: shelters.fromCache };
  }
  performance.mark('refuge:data-set');
  renderFreshness();
  renderCount();
  // Ready once the shelters are drawn (the benchmark measures this), then once the whole map is idle (the tests wait for that).
  if (shelters) await drawn;
  performance.mark('refuge:shelters-drawn');
  // The street base map fills in after the shelters are on screen (the tile worker does one thing at a time).
  if (streets) {
    smap.setStreets(streets.data);
    offline.setStreets(streets.data);
  }
  await new Promise<void>((resolve) => (smap.map.loaded() ? resolve() : smap.map.once('idle', () => resolve())));
  performance.mark('refuge:map-idle');
  document.body.dataset.ready = 'true';

  // Alerts for where the user is: the position they already allowed, or the last point they chose.
  const permission = await navigator.permissions?.query({ name: 'geolocation' }).catch(() => null);
  const at = permission?.state === 'granted' ? await position(5000) : null;
  if (at ?? state.origin) watchAlerts((at ?? state.origin)!);
  else $('#watch').textContent = t('alert.notWatching');
}

if ('serviceWorker' in navigator && !new URLSearchParams(location.search).has('nosw')) {
  void navigator.serviceWorker.register('/sw.js', { scope: '/' });
}

void main();
