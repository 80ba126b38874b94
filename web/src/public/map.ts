// The public map: our own base map from the street network (or raster tiles when a tile server is configured
// and reachable), shelters coloured by status, the chosen origin and the walking routes.
import * as maplibregl from 'maplibre-gl';
import { type GeoJSONSource, type Map as MapLibreMap, type StyleSpecification, type ExpressionSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { LonLat } from '../lib/geo.ts';
import { h } from '../lib/dom.ts';
import { t } from '../i18n/index.ts';

maplibregl.setWorkerUrl(workerUrl);

/** MapLibre's own strings (the canvas's name, the zoom and credits buttons) in the page's language: its are English. */
function mapLocale(): Record<string, string> {
  return {
    'Map.Title': t('map.label'),
    'NavigationControl.ZoomIn': t('map.zoomIn'),
    'NavigationControl.ZoomOut': t('map.zoomOut'),
    'AttributionControl.ToggleAttribution': t('map.credits'),
  };
}

import { STATUS_COLOURS } from './colours.ts';

export { STATUS_COLOURS };

export interface MapConfig {
  tileUrl: string | null;
  tileAttribution: string | null;
  center: LonLat;
  zoom: number;
  /** Whether the operator set the start view (config.json "center"); if not, the map opens on the registry's extent. */
  centerSet?: boolean;
}

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

const STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef0e8' } }],
};

/** Probes the configured tile server with one tile; without an answer in 3 s we draw our own base map. */
export async function tileServerReachable(template: string, center: LonLat): Promise<boolean> {
  const z = 12;
  const x = Math.floor(((center[0] + 180) / 360) * 2 ** z);
  const latRad = (center[1] * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * 2 ** z);
  const url = template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000), mode: 'cors' });
    return res.ok;
  } catch {
    return false;
  }
}

export class ShelterMap {
  readonly map: MapLibreMap;
  readonly ready: Promise<void>;
  private filters: ExpressionSpecification[] = [];
  private attribution: maplibregl.AttributionControl;
  /** The "you are here" marker on the origin (the resident's position, or the point they chose as theirs). */
  private here: maplibregl.Marker | null = null;

  constructor(container: HTMLElement, config: MapConfig, attributions: string[], private readonly ownBaseMapCredit: string) {
    this.map = new maplibregl.Map({
      container,
      style: STYLE,
      center: config.center,
      zoom: config.zoom,
      attributionControl: false,
      // Keyboard panning and zooming stay on; the canvas gets a label for screen readers.
      keyboard: true,
      cooperativeGestures: false,
      // Screenshots (docs) read the canvas back; everyday use keeps the faster default.
      canvasContextAttributes: { preserveDrawingBuffer: new URLSearchParams(location.search).has('screenshot') },
      locale: mapLocale(),
    });
    // Responsive: expanded on a wide map, a compact (i) button on a phone so the credits do not cover the map there.
    this.attribution = new maplibregl.AttributionControl({ customAttribution: attributions });
    this.map.addControl(this.attribution);
    foldCredits(this.map);
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    this.map.getCanvas().setAttribute('tabindex', '0');
    // Another language chosen on the page: MapLibre has no way to change its strings later, so they are set here.
    document.addEventListener('refuge:language', () => this.translateControls());
    // An address searched from has its own label ("Searched from …") on the same point: ours then stays a dot.
    new MutationObserver(() => this.syncHereLabel()).observe(this.map.getCanvasContainer(), { childList: true });
    this.ready = new Promise((resolve) => this.map.once('load', () => {
      this.addLayers();
      resolve();
    }));
  }

  private addLayers(): void {
    const m = this.map;
    // Street lines and shelters are cut into tiles up to zoom 15 and over-zoomed beyond: far less work on a phone.
    m.addSource('streets', { type: 'geojson', data: EMPTY, maxzoom: 15, tolerance: 0.5, attribution: this.ownBaseMapCredit });
    m.addLayer({ id: 'streets-casing', type: 'line', source: 'streets', paint: { 'line-color': '#c9c4b8', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 1.5, 17, 10] }, layout: { 'line-cap': 'round', 'line-join': 'round' } });
    m.addLayer({ id: 'streets', type: 'line', source: 'streets', paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.8, 17, 7] }, layout: { 'line-cap': 'round', 'line-join': 'round' } });
    m.addSource('routes', { type: 'geojson', data: EMPTY });
    m.addLayer({ id: 'route-alt', type: 'line', source: 'routes', filter: ['!=', ['get', 'primary'], true], paint: { 'line-color': '#1a4fa0', 'line-width': 4, 'line-opacity': 0.7, 'line-dasharray': [1.5, 1.5] } });
    m.addLayer({ id: 'route-casing', type: 'line', source: 'routes', filter: ['==', ['get', 'primary'], true], paint: { 'line-color': '#ffffff', 'line-width': 11 }, layout: { 'line-cap': 'round', 'line-join': 'round' } });
    m.addLayer({ id: 'route', type: 'line', source: 'routes', filter: ['==', ['get', 'primary'], true], paint: { 'line-color': '#0b3d91', 'line-width': 7 }, layout: { 'line-cap': 'round', 'line-join': 'round' } });
    m.addSource('shelters', { type: 'geojson', data: EMPTY, maxzoom: 15 });
    m.addLayer({
      id: 'shelters',
      type: 'circle',
      source: 'shelters',
      paint: {
        'circle-color': ['match', ['get', 'status'], 'open', STATUS_COLOURS.open, 'full', STATUS_COLOURS.full, 'locked', STATUS_COLOURS.locked, 'closed', STATUS_COLOURS.closed, STATUS_COLOURS.unknown],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 3, 14, 6, 17, 10],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    });
    m.addLayer({ id: 'shelter-selected', type: 'circle', source: 'shelters', filter: ['==', ['get', 'id'], ''], paint: { 'circle-color': 'rgba(0,0,0,0)', 'circle-radius': 16, 'circle-stroke-color': '#0b3d91', 'circle-stroke-width': 4 } });
    m.addSource('origin', { type: 'geojson', data: EMPTY });
    m.addLayer({ id: 'origin', type: 'circle', source: 'origin', paint: { 'circle-color': '#0b3d91', 'circle-radius': 9, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 } });
    m.on('mouseenter', 'shelters', () => (m.getCanvas().style.cursor = 'pointer'));
    m.on('mouseleave', 'shelters', () => (m.getCanvas().style.cursor = ''));
  }

  private translateControls(): void {
    const strings = mapLocale();
    (this.map as unknown as { _locale: Record<string, string> })._locale = { ...(this.map as unknown as { _locale: Record<string, string> })._locale, ...strings };
    const container = this.map.getContainer();
    this.map.getCanvas().setAttribute('aria-label', strings['Map.Title']);
    const name = (selector: string, text: string) => {
      for (const el of container.querySelectorAll(selector)) { el.setAttribute('title', text); el.setAttribute('aria-label', text); }
    };
    name('.maplibregl-ctrl-zoom-in', strings['NavigationControl.ZoomIn']);
    name('.maplibregl-ctrl-zoom-out', strings['NavigationControl.ZoomOut']);
    name('.maplibregl-ctrl-attrib-button', strings['AttributionControl.ToggleAttribution']);
    const here = this.here?.getElement();
    if (here) {
      here.setAttribute('aria-label', t('map.here'));
      here.firstElementChild!.textContent = t('map.here');
    }
  }

  private syncHereLabel(): void {
    const label = this.here?.getElement().firstElementChild as HTMLElement | null | undefined;
    if (label) label.hidden = this.map.getCanvasContainer().querySelector('.from-marker:not(.here-marker)') !== null;
  }

  private source(id: string): GeoJSONSource {
    return this.map.getSource(id) as GeoJSONSource;
  }

  /** A reachable tile server replaces the street-network base map (the streets stay for the offline search). */
  useTiles(url: string, attribution: string | null): void {
    this.map.addSource('basemap', { type: 'raster', tiles: [url], tileSize: 256, attribution: attribution ?? '' });
    this.map.addLayer({ id: 'basemap', type: 'raster', source: 'basemap' }, 'streets-casing');
    for (const id of ['streets-casing', 'streets']) this.map.setLayoutProperty(id, 'visibility', 'none');
  }

  setStreets(fc: GeoJSON.FeatureCollection): void {
    this.source('streets').setData(fc);
  }

  /** Credits come with the data (each registry's attribution and licence), so they are right for any city. */
  setAttributions(attributions: string[]): void {
    this.map.removeControl(this.attribution);
    // Responsive: expanded on a wide map, a compact (i) button on a phone so the credits do not cover the map there.
    this.attribution = new maplibregl.AttributionControl({ customAttribution: attributions });
    this.map.addControl(this.attribution);
    foldCredits(this.map);
  }

  setShelters(fc: GeoJSON.FeatureCollection): void {
    this.source('shelters').setData(fc);
  }

  /** Filters are expressions over the flattened shelter properties (status, stepFree, pets). */
  setFilters(filters: ExpressionSpecification[]): void {
    this.filters = filters;
    this.map.setFilter('shelters', filters.length ? (['all', ...filters] as ExpressionSpecification) : null);
  }

  get activeFilters(): ExpressionSpecification[] {
    return this.filters;
  }

  /** The shelters drawn in the current view (filters applied), nearest to the centre of the map first. */
  sheltersInView(): Array<{ id: string; at: LonLat }> {
    const m = this.map;
    const centre = m.project(m.getCenter());
    const { clientWidth: width, clientHeight: height } = m.getContainer();
    const seen = new Map<string, { id: string; at: LonLat; d: number }>();
    // A point near a tile edge is drawn from both tiles: keep one of each.
    for (const f of m.queryRenderedFeatures({ layers: ['shelters'] })) {
      const id = String(f.properties.id);
      if (seen.has(id) || f.geometry.type !== 'Point') continue;
      const at = f.geometry.coordinates as LonLat;
      const p = m.project(at);
      // A dot whose centre is off screen may still show its edge: it is not "in view".
      if (p.x < 0 || p.y < 0 || p.x > width || p.y > height) continue;
      seen.set(id, { id, at, d: (p.x - centre.x) ** 2 + (p.y - centre.y) ** 2 });
    }
    return [...seen.values()].sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1)).map(({ id, at }) => ({ id, at }));
  }

  select(id: string | null): void {
    this.map.setFilter('shelter-selected', ['==', ['get', 'id'], id ?? '']);
  }

  setOrigin(at: LonLat | null): void {
    this.source('origin').setData(at ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: at } }] } : EMPTY);
    // The dot is drawn in the canvas, which nobody can read: a marker says in words whose it is, above it.
    this.here?.remove();
    this.here = null;
    if (!at) return;
    // The look of the address search's label (.from-marker in styles.css), so both read as labels of the map's points.
    const el = h('div', { class: 'from-marker here-marker', role: 'img', 'aria-label': t('map.here') }, h('span', { class: 'from-label', 'aria-hidden': 'true' }, t('map.here')));
    this.here = new maplibregl.Marker({ element: el, anchor: 'bottom', offset: [0, -12] }).setLngLat(at).addTo(this.map);
    this.syncHereLabel();
  }

  /** Draws the routes; the one at `primary` bold, the others dashed; fits the view around them. */
  setRoutes(routes: Array<{ id: string; route: GeoJSON.LineString }>, primary: number): void {
    const features = routes.map((r, i) => ({ type: 'Feature' as const, properties: { id: r.id, primary: i === primary }, geometry: r.route }));
    this.source('routes').setData({ type: 'FeatureCollection', features });
    this.map.getContainer().dataset.routes = String(features.length);
    const coords = routes[primary]?.route.coordinates ?? [];
    if (coords.length) {
      const b = new maplibregl.LngLatBounds(coords[0] as LonLat, coords[0] as LonLat);
      for (const c of coords) b.extend(c as LonLat);
      // Fit the route into the part of the map nothing covers (the search box and watch line on top, the results
      // panel below): a fixed padding drew it under them on a phone.
      this.map.fitBounds(b, { padding: uncoveredPadding(this.map.getContainer()), maxZoom: 17, duration: 0 });
    }
  }

  clearRoutes(): void {
    this.source('routes').setData(EMPTY);
    this.map.getContainer().dataset.routes = '0';
  }
}

/**
 * MapLibre opens its compact credits at first and folds them only once the map is dragged: on a phone they then lie
 * over the bottom of the map (and the route). Folded from the start; the (i) button opens them.
 */
function foldCredits(map: MapLibreMap): void {
  const el = map.getContainer().querySelector('.maplibregl-ctrl-attrib.maplibregl-compact-show');
  if (!el) return;
  el.classList.remove('maplibregl-compact-show');
  el.setAttribute('open', ''); // as MapLibre's own toggle leaves a folded <details>
}

/**
 * Padding that leaves the largest band of the map no other element covers (found with elementFromPoint on a coarse
 * grid), plus a margin for the route's line and markers; the old fixed padding when too little of the map is clear
 * to fit anything sensibly.
 */
export function uncoveredPadding(container: HTMLElement): { top: number; bottom: number; left: number; right: number } {
  const r = container.getBoundingClientRect();
  const panel = document.getElementById('panel');
  const fallback = { top: 110, bottom: panel && !panel.hidden ? Math.min(panel.offsetHeight + 40, r.height * 0.6) : 60, left: 40, right: 60 };
  if (r.width < 50 || r.height < 50) return fallback;
  const onMap = (x: number, y: number): boolean => {
    const el = document.elementFromPoint(x, y);
    return el !== null && container.contains(el) && !el.closest('.maplibregl-ctrl');
  };
  const STEP = 8, MARGIN = 24;
  const xs = [0.15, 0.3, 0.5, 0.7, 0.85].map((f) => r.left + r.width * f);
  // Rows where every sampled point shows the map; the longest run of them is the band to fit into.
  let bestStart = -1, bestLen = 0, runStart = -1, lastClear = -1;
  for (let y = r.top + 2; y <= r.bottom - 2; y += STEP) {
    if (xs.every((x) => onMap(x, y))) {
      if (runStart < 0) runStart = y;
      lastClear = y;
    } else if (runStart >= 0) {
      if (lastClear - runStart > bestLen) { bestLen = lastClear - runStart; bestStart = runStart; }
      runStart = -1;
    }
  }
  if (runStart >= 0 && lastClear - runStart > bestLen) { bestLen = lastClear - runStart; bestStart = runStart; }
  if (bestStart < 0 || bestLen < Math.min(120, r.height * 0.3)) return fallback;
  const top = bestStart - r.top + MARGIN;
  const bottom = r.bottom - (bestStart + bestLen) + MARGIN;
  // Within that band, the columns nothing covers (a control at one side).
  const ys = [0.2, 0.5, 0.8].map((f) => bestStart + bestLen * f);
  let left = r.left + 2, right = r.right - 2;
  while (left < right && !ys.every((y) => onMap(left, y))) left += STEP;
  while (right > left && !ys.every((y) => onMap(right, y))) right -= STEP;
  if (right - left < Math.min(160, r.width * 0.4)) return { ...fallback, top, bottom };
  return { top, bottom, left: left - r.left + MARGIN, right: r.right - right + MARGIN };
}
