// The composer's region choice: a map of the regions (click one to add or remove it), a name field with suggestions,
// and the chosen regions as removable chips. Kept apart from the composer's text so each can grow on its own.
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { h, clear } from '../lib/dom.ts';
import { getJSON } from '../lib/api.ts';
import { t } from '../i18n/index.ts';
import { field } from './ui.ts';

maplibregl.setWorkerUrl(workerUrl);

type Rec = Record<string, unknown>;

export interface PickedRegion {
  code: string;
  name: string;
  warningTime: number | null;
}

export interface RegionPickerOptions {
  /** Fill of the chosen regions (Actual and Exercise differ). */
  colour: string;
  onChange: () => void;
  onError: (err: unknown) => void;
}

export interface RegionPicker {
  element: HTMLElement;
  /** The chosen regions, in the order chosen. */
  selected(): PickedRegion[];
  /** Builds the map; call once the element is in the document. */
  start(): void;
}

export function createRegionPicker(opts: RegionPickerOptions): RegionPicker {
  const regions: PickedRegion[] = [];
  const regionList = h('ul', { class: 'chips', 'aria-live': 'polite' });
  let map: maplibregl.Map | null = null;
  const refresh = () => {
    if (map?.getLayer('regions-selected')) map.setFilter('regions-selected', ['in', ['get', 'code'], ['literal', regions.map((r) => r.code)]]);
    clear(regionList, ...(regions.length ? regions.map((r, i) => h('li', {}, h('button', { type: 'button', 'aria-label': t('con.remove', { name: r.name }), onclick: () => { regions.splice(i, 1); refresh(); } }, `${r.name} (${r.code}) ×`))) : [h('li', {}, t('con.regionsNone'))]));
    opts.onChange();
  };
  const mapBox = h('div', { class: 'map', 'aria-label': t('con.regions') });
  const known = new Map<string, PickedRegion>();
  const regionInput = h('input', { list: 'region-options', name: 'region', autocomplete: 'off' });
  const datalist = h('datalist', { id: 'region-options' });
  const addRegion = (code: string) => {
    const r = known.get(code);
    if (r && !regions.some((x) => x.code === code)) regions.push(r);
    refresh();
  };
  const regionPicker = h('form', { class: 'grid', onsubmit: (e: Event) => {
    e.preventDefault();
    const v = regionInput.value.trim();
    const match = known.get(v) ?? [...known.values()].find((r) => r.name === v || `${r.name} (${r.code})` === v);
    if (match) { addRegion(match.code); regionInput.value = ''; }
    else opts.onError(new Error(`${t('con.regions')}: ${v}?`));
  } }, field(t('con.regionAdd'), regionInput, 'c-region'), datalist, h('button', { type: 'submit' }, t('con.regionAddButton')));
  const element = h('div', { class: 'region-picker' }, mapBox, regionPicker, regionList);

  const start = () => {
    refresh();
    const m = new maplibregl.Map({
      container: mapBox,
      style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#eef0e8' } }] },
      center: [35.2, 31.78], zoom: 7,
      attributionControl: { compact: false, customAttribution: ['Regions: Home Front Command / oblasts', 'Streets © OpenStreetMap contributors (ODbL)'] },
    });
    map = m;
    m.on('load', async () => {
      try {
        const fc = await getJSON<GeoJSON.FeatureCollection>('/api/regions?format=geojson');
        let minX = 180, minY = 90, maxX = -180, maxY = -90;
        for (const f of fc.features) {
          const p = f.properties as Rec;
          known.set(String(p.code), { code: String(p.code), name: String(p.name ?? p.code), warningTime: (p.warningTimeS ?? null) as number | null });
          const walk = (c: unknown): void => {
            if (Array.isArray(c) && typeof c[0] === 'number') {
              minX = Math.min(minX, c[0]); maxX = Math.max(maxX, c[0]); minY = Math.min(minY, c[1] as number); maxY = Math.max(maxY, c[1] as number);
            } else if (Array.isArray(c)) c.forEach(walk);
          };
          walk((f.geometry as GeoJSON.Polygon).coordinates);
        }
        clear(datalist, ...[...known.values()].map((r) => h('option', { value: `${r.name} (${r.code})` })));
        m.addSource('regions', { type: 'geojson', data: fc });
        m.addLayer({ id: 'regions-fill', type: 'fill', source: 'regions', paint: { 'fill-color': '#5f6368', 'fill-opacity': 0.08 } });
        m.addLayer({ id: 'regions-line', type: 'line', source: 'regions', paint: { 'line-color': '#5f6368', 'line-width': 0.6 } });
        m.addLayer({ id: 'regions-selected', type: 'fill', source: 'regions', filter: ['in', ['get', 'code'], ['literal', []]], paint: { 'fill-color': opts.colour, 'fill-opacity': 0.45 } });
        if (fc.features.length) m.fitBounds([[minX, minY], [maxX, maxY]], { padding: 10, duration: 0 });
        refresh();
      } catch (err) {
        opts.onError(err);
      }
    });
    m.on('click', async (e) => {
      try {
        const data = await getJSON<{ regions: Rec[] }>(`/api/regions/at?lat=${e.lngLat.lat}&lon=${e.lngLat.lng}`);
        // The most specific region at the point; clicking a chosen one again removes it.
        const r = data.regions[0];
        if (!r) return;
        const code = String(r.code);
        known.set(code, { code, name: String(r.name ?? code), warningTime: (r.warningTimeS ?? null) as number | null });
        const i = regions.findIndex((x) => x.code === code);
        if (i >= 0) regions.splice(i, 1);
        else regions.push(known.get(code)!);
        refresh();
      } catch (err) {
        opts.onError(err);
      }
    });
  };
  return { element, selected: () => regions, start };
}
