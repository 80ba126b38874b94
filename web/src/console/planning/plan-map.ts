// The planning screen's map (issue 11): the current plan's population cells coloured by the mean walking time to
// their assigned places (viridis, safe for colour-blind readers, with a legend in minutes), cells with people left
// without a place hatched and outlined in black (× on point cells), shelters sized by places and shaded by the share
// assigned (full ones ringed in black), and proposed siting sites as labelled markers with their gain. Layer
// toggles; the legend says whether walking times came from the street network or straight line × detour, and
// whether the population is an estimate. The cells reach the map as a URL: MapLibre's worker fetches, parses and
// tiles them, so 100,000 cells do not block the page.
import * as maplibregl from 'maplibre-gl';
import type { ExpressionSpecification, MapGeoJSONFeature } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import './plan-map.css';
import { h, clear } from '../../lib/dom.ts';
import { t } from '../../i18n/index.ts';
import { table } from '../ui.ts';

maplibregl.setWorkerUrl(workerUrl);

export interface PlanMapInfo {
  mode: 'network' | 'straight-line';
  detour: number | null;
  minutes: number;
  regionWarningTimes: boolean;
  populationEstimated: boolean;
  /** [west, south, east, north] of the population. */
  extent: [number, number, number, number] | null;
  /** A stored plan to draw instead of the current one (the plan selector). */
  planId?: string;
}

export interface ProposedSite { id: string; lat: number; lon: number; capacity: number; gain: number; coveredAfter: number }

/** Viridis in five steps, short walks light, long walks dark: readable with every common colour-vision deficiency. */
export const WALK_COLOURS = ['#fde725', '#5ec962', '#21918c', '#3b528b', '#440154'] as const;
const NOBODY_COVERED = '#bdbdbd';
/** Shelter load: under half, half or more, full (these also differ in lightness, and full ones carry a black ring). */
const LOAD_COLOURS = { low: '#fee6ce', mid: '#fd8d3c', full: '#7f2704', none: '#9e9e9e' } as const;

const POLY: ExpressionSpecification = ['==', ['geometry-type'], 'Polygon'];
const POINT: ExpressionSpecification = ['==', ['geometry-type'], 'Point'];
const UNCOVERED: ExpressionSpecification = ['>', ['get', 'u'], 0];

type LayerKey = 'cells' | 'uncovered' | 'shelters' | 'sites';
const LAYERS: Record<Exclude<LayerKey, 'sites'>, string[]> = {
  cells: ['pm-cells-fill', 'pm-cells-points'],
  uncovered: ['pm-uncovered-fill', 'pm-uncovered-line', 'pm-uncovered-points'],
  shelters: ['pm-shelters'],
};

/** The upper edges of the walking-time classes, in minutes: five equal steps up to the threshold. */
export function walkBreaks(minutes: number): number[] {
  return [1, 2, 3, 4].map((i) => Math.round((minutes * i / 5) * 10) / 10);
}

const num = (n: number): string => n.toLocaleString(document.documentElement.lang || undefined);

export function walkText(seconds: number | null): string {
  if (seconds === null) return '–';
  const m = Math.floor(seconds / 60), s = Math.round(seconds % 60);
  return t('pm.minSec', { m, s });
}

function hatch(): ImageData {
  const size = 8;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const g = canvas.getContext('2d')!;
  // A black diagonal on a white one, so the hatching shows on light and dark cells alike.
  for (const [colour, width] of [['#ffffff', 4], ['#000000', 2]] as const) {
    g.strokeStyle = colour;
    g.lineWidth = width;
    g.beginPath();
    g.moveTo(-1, size + 1); g.lineTo(size + 1, -1);
    g.moveTo(-1, 1); g.lineTo(1, -1);
    g.moveTo(size - 1, size + 1); g.lineTo(size + 1, size - 1);
    g.stroke();
  }
  return g.getImageData(0, 0, size, size);
}

function cross(): ImageData {
  const size = 18;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const g = canvas.getContext('2d')!;
  for (const [colour, width] of [['#ffffff', 6], ['#000000', 3]] as const) {
    g.strokeStyle = colour;
    g.lineWidth = width;
    g.lineCap = 'round';
    g.beginPath();
    g.moveTo(4, 4); g.lineTo(size - 4, size - 4);
    g.moveTo(size - 4, 4); g.lineTo(4, size - 4);
    g.stroke();
  }
  return g.getImageData(0, 0, size, size);
}

function walkColour(minutes: number): ExpressionSpecification {
  const [b1, b2, b3, b4] = walkBreaks(minutes);
  return ['case', ['==', ['get', 'w'], null], NOBODY_COVERED,
    ['step', ['/', ['get', 'w'], 60], WALK_COLOURS[0], b1, WALK_COLOURS[1], b2, WALK_COLOURS[2], b3, WALK_COLOURS[3], b4, WALK_COLOURS[4]]];
}

const LOAD: ExpressionSpecification = ['case', ['<=', ['get', 'places'], 0], LOAD_COLOURS.none,
  ['>=', ['get', 'assigned'], ['get', 'places']], LOAD_COLOURS.full,
  ['>=', ['*', 2, ['get', 'assigned']], ['get', 'places']], LOAD_COLOURS.mid, LOAD_COLOURS.low];
const FULL: ExpressionSpecification = ['all', ['>', ['get', 'places'], 0], ['>=', ['get', 'assigned'], ['get', 'places']]];

export interface PlanMap {
  element: HTMLElement;
  /** Draws the current plan; call once the element is in the document. */
  show(info: PlanMapInfo): void;
  /** Proposed sites (from a siting job) as markers with their gain, and a table. */
  setSites(sites: ProposedSite[]): void;
  destroy(): void;
}

function swatch(style: string, cls = 'pm-swatch'): HTMLElement {
  return h('span', { class: cls, style, 'aria-hidden': 'true' });
}

function legendView(info: PlanMapInfo): HTMLElement {
  const breaks = walkBreaks(info.minutes);
  const edges = [0, ...breaks];
  const walkRows = WALK_COLOURS.map((c, i) => h('li', {}, swatch(`background:${c}`),
    i < 4 ? t('pm.range', { from: num(edges[i]), to: num(edges[i + 1]) }) : t('pm.over', { from: num(edges[4]) })));
  return h('div', { class: 'pm-legend', id: 'pm-legend', role: 'group', 'aria-labelledby': 'pm-legend-title' },
    h('h4', { id: 'pm-legend-title' }, t('pm.legend')),
    h('p', { 'data-mode': info.mode }, info.mode === 'network' ? t('pm.mode.network') : t('pm.mode.straight', { detour: num(info.detour ?? 1.3) })),
    h('p', { 'data-population': info.populationEstimated ? 'estimate' : 'counted', class: info.populationEstimated ? 'pm-estimate' : '' },
      info.populationEstimated ? t('pm.pop.estimate') : t('pm.pop.counted')),
    info.regionWarningTimes ? h('p', {}, t('pm.regional', { minutes: num(info.minutes) })) : null,
    h('p', { class: 'pm-legend-sub' }, t('pm.walk')),
    h('ul', { class: 'pm-walk' }, ...walkRows, h('li', {}, swatch(`background:${NOBODY_COVERED}`), t('pm.noneCovered'))),
    h('ul', {},
      h('li', { 'data-legend': 'uncovered' }, swatch('', 'pm-swatch pm-hatch'), h('span', { class: 'pm-x', 'aria-hidden': 'true' }, '×'), t('pm.uncovered', { minutes: num(info.minutes) })),
      h('li', {}, swatch(`background:${LOAD_COLOURS.low}`, 'pm-swatch pm-dot'), t('pm.shelter.low')),
      h('li', {}, swatch(`background:${LOAD_COLOURS.mid}`, 'pm-swatch pm-dot'), t('pm.shelter.mid')),
      h('li', {}, swatch(`background:${LOAD_COLOURS.full}`, 'pm-swatch pm-dot pm-full'), t('pm.shelter.full')),
      h('li', {}, swatch(`background:${LOAD_COLOURS.none}`, 'pm-swatch pm-dot'), t('pm.shelter.none')),
      h('li', {}, h('span', { class: 'pm-site pm-site-sample', 'aria-hidden': 'true' }, '+n'), t('pm.site'))),
    h('p', { class: 'pm-legend-sub' }, t('pm.sizeNote')));
}

function cellPopup(p: Record<string, unknown>): HTMLElement {
  const people = Number(p.p), unc = Number(p.u), covered = people - unc;
  const w = p.w === null || p.w === undefined ? null : Number(p.w), m = p.m === null || p.m === undefined ? null : Number(p.m);
  return h('div', { class: 'pm-popup', 'data-cell': String(p.k) },
    h('strong', {}, t('pm.cell.title', { key: String(p.k) })),
    h('p', {}, t('pm.cell.people', { n: num(people) })),
    h('p', {}, covered > 0 ? t('pm.cell.covered', { n: num(covered), walk: walkText(w), max: walkText(m) }) : t('pm.cell.coveredNone')),
    unc > 0 ? h('p', { class: 'pm-unc' }, t('pm.cell.uncovered', { n: num(unc) })) : null);
}

function shelterPopup(p: Record<string, unknown>): HTMLElement {
  const w = p.meanWalkSeconds === null || p.meanWalkSeconds === undefined ? null : Number(p.meanWalkSeconds);
  return h('div', { class: 'pm-popup', 'data-shelter': String(p.id) },
    h('strong', {}, String(p.name)),
    h('p', {}, t('pm.shelter.load', { assigned: num(Number(p.assigned)), places: num(Number(p.places)) })),
    w !== null ? h('p', {}, t('pm.shelter.walk', { walk: walkText(w) })) : null);
}

export function createPlanMap(): PlanMap {
  const mapBox = h('div', { class: 'pm-map', role: 'region', 'aria-label': t('pm.mapLabel') });
  const legendBox = h('div', {});
  const visible: Record<LayerKey, boolean> = { cells: true, uncovered: true, shelters: true, sites: true };
  let map: maplibregl.Map | null = null;
  let markers: maplibregl.Marker[] = [];

  const applyVisibility = (): void => {
    for (const [key, ids] of Object.entries(LAYERS) as Array<[LayerKey, string[]]>) {
      for (const id of ids) if (map?.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible[key] ? 'visible' : 'none');
    }
    for (const mk of markers) mk.getElement().hidden = !visible.sites;
  };
  const toggle = (key: LayerKey, label: string): HTMLElement => {
    const box = h('input', { type: 'checkbox', id: `pm-toggle-${key}`, checked: true, onchange: (e: Event) => { visible[key] = (e.target as HTMLInputElement).checked; applyVisibility(); } });
    return h('label', { for: `pm-toggle-${key}` }, box, ' ', label);
  };
  const toggles = h('fieldset', { class: 'pm-toggles' }, h('legend', {}, t('pm.layers')),
    toggle('cells', t('pm.layer.cells')), toggle('uncovered', t('pm.layer.uncovered')), toggle('shelters', t('pm.layer.shelters')), toggle('sites', t('pm.layer.sites')));
  const element = h('section', { class: 'pm', 'aria-labelledby': 'pm-heading' },
    h('h3', { id: 'pm-heading' }, t('pm.heading')), toggles, h('div', { class: 'pm-body' }, mapBox, legendBox));

  const show = (info: PlanMapInfo): void => {
    clear(legendBox, legendView(info));
    map?.remove();
    const m = new maplibregl.Map({
      container: mapBox,
      style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#f4f4f0' } }] },
      bounds: info.extent ?? undefined,
      fitBoundsOptions: { padding: 20 },
      ...(info.extent ? {} : { center: [0, 0] as [number, number], zoom: 1 }),
      attributionControl: { compact: false, customAttribution: [t('pm.attribution')] },
    });
    map = m;
    (mapBox as HTMLElement & { maplibre?: maplibregl.Map }).maplibre = m;
    mapBox.dataset.plan = info.planId ?? 'current';
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    m.getCanvas().setAttribute('aria-label', t('pm.mapLabel'));
    // A missing street network (404) leaves the streets layer empty; every other layer still draws.
    m.on('error', (e) => { if ((e as { sourceId?: string }).sourceId !== 'pm-streets') console.warn('plan map:', e.error?.message ?? e); });
    m.on('load', () => {
      m.addImage('pm-hatch', hatch());
      m.addImage('pm-x', cross());
      if (info.extent) {
        const [w, s, e, n] = info.extent;
        m.addSource('pm-streets', { type: 'geojson', data: `/api/network/lines?bbox=${w},${s},${e},${n}`, maxzoom: 15, tolerance: 0.5 });
        m.addLayer({ id: 'pm-streets', type: 'line', source: 'pm-streets', paint: { 'line-color': '#c9c4b8', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.5, 17, 4] } });
      }
      // The cells as a URL: fetched, parsed and tiled in MapLibre's worker, not on the page's thread.
      const base = info.planId ? `/api/plan/plans/${encodeURIComponent(info.planId)}` : '/api/plan/current';
      m.addSource('pm-cells', { type: 'geojson', data: `${base}/cells?compact=true`, tolerance: 0.3 });
      m.addLayer({ id: 'pm-cells-fill', type: 'fill', source: 'pm-cells', filter: POLY, paint: { 'fill-color': walkColour(info.minutes), 'fill-opacity': 0.75, 'fill-outline-color': 'rgba(0,0,0,0.15)' } });
      m.addLayer({ id: 'pm-cells-points', type: 'circle', source: 'pm-cells', filter: POINT, paint: { 'circle-color': walkColour(info.minutes), 'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 2, 16, 6], 'circle-stroke-color': 'rgba(0,0,0,0.3)', 'circle-stroke-width': 0.5 } });
      m.addLayer({ id: 'pm-uncovered-fill', type: 'fill', source: 'pm-cells', filter: ['all', POLY, UNCOVERED], paint: { 'fill-pattern': 'pm-hatch', 'fill-opacity': 0.8 } });
      m.addLayer({ id: 'pm-uncovered-line', type: 'line', source: 'pm-cells', filter: ['all', POLY, UNCOVERED], paint: { 'line-color': '#000000', 'line-width': 2 } });
      m.addLayer({ id: 'pm-uncovered-points', type: 'symbol', source: 'pm-cells', filter: ['all', POINT, UNCOVERED], layout: { 'icon-image': 'pm-x', 'icon-allow-overlap': true, 'icon-size': ['interpolate', ['linear'], ['zoom'], 10, 0.6, 16, 1] } });
      m.addSource('pm-shelters', { type: 'geojson', data: `${base}/shelters?compact=true` });
      m.addLayer({
        id: 'pm-shelters', type: 'circle', source: 'pm-shelters',
        paint: {
          'circle-color': LOAD,
          // By places (the square root, so the area grows with them), smaller when zoomed out over a whole city.
          'circle-radius': ['interpolate', ['linear'], ['zoom'],
            11, ['interpolate', ['linear'], ['sqrt', ['max', ['get', 'places'], 0]], 0, 1.5, 30, 5],
            15, ['interpolate', ['linear'], ['sqrt', ['max', ['get', 'places'], 0]], 0, 4, 30, 14]],
          'circle-stroke-color': ['case', FULL, '#000000', '#ffffff'],
          'circle-stroke-width': ['case', FULL, 3, 1.5],
        },
      });
      applyVisibility();
    });
    const popupAt = (lngLat: maplibregl.LngLat, content: HTMLElement) => new maplibregl.Popup({ maxWidth: '280px' }).setLngLat(lngLat).setDOMContent(content).addTo(m);
    m.on('click', (e) => {
      if ((e.originalEvent.target as Element | null)?.closest?.('.pm-site')) return; // a site's own popup
      const hits: MapGeoJSONFeature[] = m.queryRenderedFeatures(e.point, { layers: ['pm-shelters', 'pm-cells-points', 'pm-cells-fill'].filter((id) => m.getLayer(id) && m.getLayoutProperty(id, 'visibility') !== 'none') });
      const hit = hits[0];
      if (!hit) return;
      popupAt(e.lngLat, hit.layer.id === 'pm-shelters' ? shelterPopup(hit.properties) : cellPopup(hit.properties));
    });
    for (const id of ['pm-shelters', 'pm-cells-fill', 'pm-cells-points']) {
      m.on('mouseenter', id, () => (m.getCanvas().style.cursor = 'pointer'));
      m.on('mouseleave', id, () => (m.getCanvas().style.cursor = ''));
    }
  };

  const setSites = (sites: ProposedSite[]): void => {
    for (const mk of markers) mk.remove();
    markers = [];
    if (!map) return;
    sites.forEach((s, i) => {
      const label = t('pm.site.label', { i: i + 1, gain: num(s.gain), capacity: num(s.capacity) });
      const el = h('button', { type: 'button', class: 'pm-site', 'aria-label': label, title: label, 'data-site': s.id }, `+${num(s.gain)}`);
      const popup = new maplibregl.Popup({ offset: 14, maxWidth: '280px' }).setDOMContent(h('div', { class: 'pm-popup', 'data-site': s.id },
        h('strong', {}, t('pm.site.title', { i: i + 1 })),
        h('p', {}, t('pm.site.gain', { gain: num(s.gain), after: num(s.coveredAfter) })),
        h('p', {}, t('pm.site.places', { capacity: num(s.capacity) })),
        h('p', {}, `${s.lat.toFixed(5)}, ${s.lon.toFixed(5)}`)));
      // The popup is opened here, not by Marker.setPopup: a button's click (mouse, Enter or Space) toggles it once.
      el.addEventListener('click', (ev) => {
        ev.stopPropagation();
        if (popup.isOpen()) popup.remove();
        else popup.setLngLat([s.lon, s.lat]).addTo(map!);
      });
      markers.push(new maplibregl.Marker({ element: el }).setLngLat([s.lon, s.lat]).addTo(map!));
    });
    applyVisibility();
  };

  return {
    element,
    show,
    setSites,
    destroy: () => { for (const mk of markers) mk.remove(); map?.remove(); map = null; },
  };
}

/** The proposed sites as a table beside the map (the same figures as the markers, for reading and for screen readers). */
export function sitesTable(sites: ProposedSite[]): HTMLElement {
  return table([t('pm.col.n'), t('pm.col.position'), t('pm.col.places'), t('pm.col.gain')], sites.map((s, i) => h('tr', { 'data-site': s.id },
    h('td', {}, String(i + 1)), h('td', {}, `${s.lat.toFixed(5)}, ${s.lon.toFixed(5)}`), h('td', {}, num(s.capacity)), h('td', {}, `+${num(s.gain)}`))));
}
