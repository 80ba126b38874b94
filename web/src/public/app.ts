// The rest of the public page, loaded once the alert side (alert-start.ts) has drawn the live alerts: shelters by
// status on the map, Find shelter with walking routes, the address search, My places, the alert map and history,
// and everything kept working offline by the service worker. Where WebGL is missing a list replaces the map.
import { registryExtent } from './extent.ts';
import type { ExpressionSpecification } from 'maplibre-gl';
import { $, h, clear } from '../lib/dom.ts';
import type { LonLat } from '../lib/geo.ts';
import { t, formatTime, type MessageKey } from '../i18n/index.ts';
import type { ShelterMap } from './map.ts';
import { STATUS_COLOURS } from './colours.ts';
import { loadConfig, loadShelters, loadStreets, DEFAULT_CONFIG, type ShelterFeature } from './data.ts';
import { OfflineIndex, findNearest, type NearestAnswer } from './nearest.ts';
import { showResults, showCard } from './panel.ts';
import { routeText } from './route-text.ts';
import { pushPanel } from './push.ts';
import { historyButton } from './history.ts';
import type { MapKeyboard } from './map-keyboard.ts';
import { AlertMapView } from './alert-map.ts';
import { placesPanel, placesFor, refreshPlacesPanel } from './places.ts';
import { pace, withinForPace, secondsAtPace } from './pace.ts';
import { AddressSearch, preloadPlaceIndex } from './address-search.ts';
import { pointFor, type PlaceEntry } from '../lib/text-fold.ts';
import type { AlertSide, RestOfPage } from './alert-start.ts';

const state = {
  shelters: new Map<string, ShelterFeature>(),
  origin: null as LonLat | null,
  answer: null as NearestAnswer | null,
  /** The warning time of the last search (null: none), to search again when the pace changes. */
  within: null as number | null,
  selected: 0,
  picking: false,
  freshness: null as { fetchedAt: string; fromCache: boolean } | null,
  /** The place the last search started from when it was chosen in the address search (its marker says so). */
  from: null as { at: LonLat; label: string } | null,
};

const panel = $('#panel');
const offline = new OfflineIndex();

/** Whether this device can draw the map at all (WebGL); without it the page is a list, and still gets alerts. */
function webglAvailable(): boolean {
  try {
    const c = document.createElement('canvas');
    return Boolean(c.getContext('webgl2') ?? c.getContext('webgl'));
  } catch {
    return false;
  }
}

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

/** Starts the rest of the page; resolves with the search as soon as it can run (on the list until a map is drawn). */
export function startApp(side: AlertSide): Promise<RestOfPage> {
  const { board, watcher, watchAlerts, position } = side;
  historyButton($<HTMLButtonElement>('#history'), panel);
  // The place index for the address search loads once the alert stream is live (or on the search box's first focus):
  // never before the alerts.
  let placesPreloaded = false;
  board.onLive((live) => { if (live === 'live' && !placesPreloaded) { placesPreloaded = true; preloadPlaceIndex(); } });
  // My places: the board marks their alerts, and the alert screen takes them as it takes the position's (those live
  // already are taken now).
  const placeRefs = (raw: unknown) => placesFor(raw as { regions?: Array<{ code: string }> }).map((p) => ({ name: p.name, codes: p.covers }));
  const takePlaces = () => {
    watcher.replacePlaces(board.active().map((raw) => ({ raw, places: placeRefs(raw) })));
    board.render();
  };
  board.placesOf = (a) => placesFor(a).map((p) => p.name);
  board.onEvent((raw, isLive) => watcher.receivePlace(raw, placeRefs(raw), isLive));
  board.onChange(() => refreshPlacesPanel());
  document.addEventListener('refuge:places', takePlaces);
  new AlertMapView(panel, $<HTMLButtonElement>('#alert-map'), board);
  takePlaces();
  $('#places').addEventListener('click', () => placesPanel(panel, $('#places'), {
    origin: () => state.origin,
    active: () => board.active(),
    test: (result) => watcher.showTest(t('test.headline'), t('test.instruction'), result),
  }));
  state.origin = side.savedPosition();

  let smap: ShelterMap | null = null;
  let keyboard: MapKeyboard | null = null;
  let fromMarker: { remove(): void } | null = null;
  let provide!: (rest: RestOfPage) => void;
  const ready = new Promise<RestOfPage>((resolve) => { provide = resolve; });
  void main();
  return ready;

  async function main(): Promise<void> {
    provide({ search });
    // Then the data and the map; the map waits for neither.
    const data = Promise.all([loadShelters().catch(() => null), loadStreets()]);
    // The map starts with the built-in defaults; /config.json (tile server, start view) is applied when it arrives.
    const configLoaded = loadConfig();
    const attributions = [t('map.attribution.streets')];
    if (webglAvailable()) {
      try {
        const { ShelterMap: MapClass, tileServerReachable } = await import('./map.ts');
        const m = new MapClass($('#map'), { ...DEFAULT_CONFIG, center: state.origin ?? DEFAULT_CONFIG.center }, attributions, t('map.basemap.own'));
        smap = m;
        void configLoaded.then(async (config) => {
          await m.ready;
          if (config.centerSet && !state.origin && !state.answer) m.map.jumpTo({ center: config.center, zoom: config.zoom });
          if (config.tileUrl && (await tileServerReachable(config.tileUrl, config.center))) m.useTiles(config.tileUrl, config.tileAttribution);
        });
        (window as unknown as { refugeMap: ShelterMap }).refugeMap = m;
      } catch {
        smap = null; // the map library failed to start (no usable WebGL after all): the list serves instead
      }
    }
    // Location already allowed: the map opens where the resident is, with the "you are here" marker (unless they have
    // searched or are choosing a point meanwhile).
    void side.startPosition.then(async (at) => {
      if (!at || state.answer || state.picking) return;
      state.origin = at;
      if (!smap) return;
      await smap.ready;
      if (state.answer || state.picking) return;
      smap.setOrigin(at);
      smap.map.jumpTo({ center: at, zoom: Math.max(smap.map.getZoom(), 15) });
    });
    if (!smap) {
      document.body.classList.add('no-map');
      $('#map').hidden = true;
      $('#pick').hidden = true;
      clear($('#nomap'), t('list.noMap'));
      $('#nomap').hidden = false;
    }

    // Address and place search: a chosen place is searched from as a tapped point is, with a marker saying what it is.
    new AddressSearch($('#address-search'), {
      near: () => {
        if (smap) { const c = smap.map.getCenter(); return [c.lng, c.lat]; }
        return state.origin;
      },
      choose: (entry, label) => { void searchFromPlace(entry, label); },
    });

    async function searchFromPlace(entry: PlaceEntry, label: string): Promise<void> {
      const near: LonLat | null = smap ? [smap.map.getCenter().lng, smap.map.getCenter().lat] : state.origin;
      const at = pointFor(entry, near);
      if (state.picking) {
        state.picking = false;
        document.body.classList.remove('picking');
        keyboard?.renderHint();
      }
      state.from = { at, label };
      if (smap) {
        smap.map.jumpTo({ center: at, zoom: Math.max(smap.map.getZoom(), 15) });
        void showFromMarker(smap, at, label);
      }
      watchAlerts(at);
      await search(at, null);
    }

    async function showFromMarker(m: ShelterMap, at: LonLat, label: string): Promise<void> {
      const { Marker } = await import('maplibre-gl');
      fromMarker?.remove();
      if (state.from?.at !== at) return; // another search started meanwhile
      const el = h('div', { class: 'from-marker', 'data-from': label }, h('span', { class: 'from-label', dir: 'auto' }, t('addr.from', { place: label })));
      fromMarker = new Marker({ element: el, anchor: 'bottom', offset: [0, -10] }).setLngLat(at).addTo(m.map);
    }

    function clearFrom(): void {
      state.from = null;
      fromMarker?.remove();
      fromMarker = null;
    }

    async function search(at: LonLat, within: number | null): Promise<NearestAnswer | null> {
      if (state.from && (state.from.at[0] !== at[0] || state.from.at[1] !== at[1])) clearFrom();
      setOrigin(at);
      panel.hidden = false;
      clear(panel, h('p', { class: 'notice' }, t('find.searching')));
      state.within = within;
      try {
        // The pace decides what is reachable in time: the server is asked with the warning time scaled to its walking
        // speed, and the times shown are at the resident's pace.
        const p = pace();
        const found = await findNearest(offline, at, { k: 3, within: withinForPace(within, p), stepFree: $<HTMLInputElement>('#f-stepfree').checked });
        const answer = { ...found, results: found.results.map((r) => ({ ...r, walkSeconds: secondsAtPace(r.walkSeconds, p) })) };
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
      if (state.from) panel.prepend(h('p', { class: 'searched-from', dir: 'auto' }, t('addr.from', { place: state.from.label })));
      const chosen = answer.results[i];
      if (!smap && chosen?.route?.coordinates?.length) {
        // No map: the way is said in words under the list.
        panel.append(h('section', { class: 'route-text' }, h('h3', {}, t('route.title', { name: chosen.name })),
          h('ol', {}, ...routeText(chosen.route.coordinates as Array<[number, number]>).map((line) => h('li', {}, line)))));
      }
      smap?.setRoutes(answer.results, i);
      smap?.select(chosen?.id ?? null);
      panel.querySelector<HTMLElement>('.result.selected .result-main')?.focus();
    }

    function clearSearch(): void {
      state.answer = null;
      clearFrom();
      smap?.clearRoutes();
      smap?.select(null);
      $('#find').focus();
    }

    function showDetails(id: string): void {
      const f = state.shelters.get(id);
      if (!f) return;
      // Closing the card takes the keyboard back where it came from (the map, or the result list).
      const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
      smap?.select(id);
      showCard(panel, f.properties, { close: () => { smap?.select(null); if (opener?.isConnected) opener.focus(); } });
      panel.focus();
    }

    function setOrigin(at: LonLat): void {
      state.origin = at;
      side.savePosition(at);
      smap?.setOrigin(at);
    }

    function startPicking(): void {
      const m = smap;
      if (!m) return;
      state.picking = true;
      document.body.classList.add('picking');
      panel.hidden = false;
      clear(panel, h('p', { class: 'notice' }, t('find.pickHint')));
      keyboard?.renderHint();
      m.map.getCanvas().focus();
    }

    $('#find').addEventListener('click', async () => {
      panel.hidden = false;
      clear(panel, h('p', { class: 'notice' }, t('find.locating')));
      const at = await position(8000);
      if (!at) {
        clear(panel, h('p', { class: 'notice' }, t(smap ? 'find.noPosition' : 'list.noPosition')));
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
      smap?.setFilters(f);
      keyboard?.reset();
      renderCount();
    }

    // Another pace: search again (the alert screen searches for itself while it is up).
    document.addEventListener('refuge:pace', () => {
      if (state.answer && state.origin && !document.body.classList.contains('alerting')) void search(state.origin, state.within);
    });
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

    if (!smap) {
      // The list needs only the data.
      const [shelters, streets] = await data;
      if (shelters) {
        for (const f of shelters.data) state.shelters.set(f.properties.id, f);
        offline.setShelters(shelters.data);
        state.freshness = { fetchedAt: shelters.fetchedAt, fromCache: shelters.fromCache };
      }
      if (streets) offline.setStreets(streets.data);
      renderFreshness();
      renderCount();
      document.body.dataset.ready = 'true';
      return;
    }
    const sm = smap;
    await sm.ready;
    performance.mark('refuge:map-loaded');
    if (state.origin) sm.setOrigin(state.origin);
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
    const { MapKeyboard } = await import('./map-keyboard.ts');
    keyboard = new MapKeyboard(sm, {
      open: showDetails,
      pick: picked,
      nameOf: (id) => state.shelters.get(id)?.properties ?? null,
    });
    sm.map.on('click', (e) => {
      if (picked([e.lngLat.lng, e.lngLat.lat])) return;
      const hit = sm.map.queryRenderedFeatures(e.point, { layers: ['shelters'] })[0];
      if (hit) showDetails(String(hit.properties.id));
    });

    const [shelters, streets] = await data;
    performance.mark('refuge:data-fetched');
    // "Drawn" is the first frame after the shelters source is loaded (the streets may still be filling in).
    const drawn = new Promise<void>((resolve) => {
      const onData = (e: { sourceId?: string; isSourceLoaded?: boolean }) => {
        if (e.sourceId !== 'shelters' || !e.isSourceLoaded) return;
        sm.map.off('sourcedata', onData);
        sm.map.once('render', () => resolve());
        sm.map.triggerRepaint();
      };
      sm.map.on('sourcedata', onData);
    });
    if (shelters) {
      for (const f of shelters.data) state.shelters.set(f.properties.id, f);
      sm.setAttributions([...attributions, ...shelters.credits]);
      // No start view configured: open on the registry (Jerusalem's registry opens on Jerusalem), unless the resident
      // has already been located or has an answer on screen.
      const registry = shelters.data;
      void configLoaded.then(async (config) => {
        await sm.ready;
        if (config.centerSet || state.origin || state.answer) return;
        const box = registryExtent(registry.map((f) => f.geometry.coordinates as [number, number]));
        if (box) sm.map.fitBounds(box, { padding: 40, maxZoom: 15, duration: 0 });
      });
      // The map gets only what it styles and filters by; the details card reads the full record from state.
      sm.setShelters({
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
      sm.setStreets(streets.data);
      offline.setStreets(streets.data);
    }
    await new Promise<void>((resolve) => (sm.map.loaded() ? resolve() : sm.map.once('idle', () => resolve())));
    performance.mark('refuge:map-idle');
    document.body.dataset.ready = 'true';
  }
}
