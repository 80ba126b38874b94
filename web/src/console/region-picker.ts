// The composer's region choice: a map of the regions over the configured base map (click one to add or remove it, or
// draw an area to add every region it touches), a search field (ARIA 1.2 combobox: names in any language, accents and
// partial words forgiven) and the chosen regions as removable chips. Choosing a region with sub-regions chooses it
// alone: the server delivers an alert for a region to the subscribers of every region inside it (withAncestors in
// src/alerts/lifecycle/regions.ts), so the sub-regions are reached through it and are not listed again.
// With a jurisdiction (the regions an admin made the operator responsible for), the map opens on those regions, they
// are offered first (a row of buttons, and first among search results); without one, on every region there is.
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { h, clear } from '../lib/dom.ts';
import { getJSON } from '../lib/api.ts';
import { t, language } from '../i18n/index.ts';
import { RegionSearch, type SearchHit } from '../lib/region-search.ts';
import { areaTouches, boundsOf, RegionFamily, type RegionGeometry } from '../lib/region-area.ts';
import { tileServerReachable } from '../public/map.ts';

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
  /** Region codes the operator is responsible for (from /api/auth/me); empty or absent: none. */
  jurisdiction?: readonly string[] | Promise<readonly string[]>;
}

export interface RegionPicker {
  element: HTMLElement;
  /** The chosen regions, in the order chosen. */
  selected(): PickedRegion[];
  /** Builds the map; call once the element is in the document. */
  start(): void;
}

interface KnownRegion extends PickedRegion {
  code: string;
  names: string[];
  parentCode: string | null;
  geometry: RegionGeometry | null;
}

interface Loaded {
  fc: GeoJSON.FeatureCollection;
  /** The jurisdiction's codes that are imported regions (others are ignored: a region removed since). */
  mine: string[];
  known: Map<string, KnownRegion>;
  search: RegionSearch<KnownRegion>;
  family: RegionFamily;
}

let pickerCount = 0;
const MAX_JURISDICTION_BUTTONS = 12;

export function createRegionPicker(opts: RegionPickerOptions): RegionPicker {
  const uid = `rp${pickerCount++}`;
  const regions: PickedRegion[] = [];
  let loaded: Loaded | null = null;
  let loading: Promise<Loaded> | null = null;
  let map: maplibregl.Map | null = null;

  const status = h('p', { class: 'rp-status', role: 'status', 'aria-live': 'polite' });
  const say = (text: string, kind: 'ok' | 'warn' | '' = '') => {
    status.className = kind ? `rp-status msg ${kind}` : 'rp-status';
    status.textContent = text;
  };
  const regionList = h('ul', { class: 'chips', 'aria-live': 'polite' });
  const descendantsOf = (code: string) => loaded?.family.descendants(code) ?? [];

  const refresh = () => {
    if (map?.getLayer('regions-selected')) {
      const chosen = regions.map((r) => r.code);
      map.setFilter('regions-selected', ['in', ['get', 'code'], ['literal', chosen]]);
      map.setFilter('regions-included', ['in', ['get', 'code'], ['literal', chosen.flatMap(descendantsOf)]]);
    }
    clear(regionList, ...(regions.length ? regions.map((r, i) => {
      const n = descendantsOf(r.code).length;
      return h('li', { 'data-code': r.code },
        h('button', { type: 'button', 'aria-label': t('con.remove', { name: r.name }), onclick: () => { regions.splice(i, 1); say(t('rp.removed', { name: r.name })); refresh(); } }, `${r.name} (${r.code}) ×`),
        n ? h('span', { class: 'rp-includes' }, ` ${t('rp.includes', { n })}`) : null);
    }) : [h('li', {}, t('con.regionsNone'))]));
    opts.onChange();
  };

  /** Adds a region unless a chosen one already contains it; drops chosen regions inside it. Returns the message. */
  const add = (code: string): { added: boolean; text: string } => {
    const r = loaded?.known.get(code);
    if (!r || !loaded) return { added: false, text: '' };
    if (regions.some((x) => x.code === code)) return { added: false, text: t('rp.added', { name: r.name }) };
    const chosenAncestor = loaded.family.ancestors(code).find((a) => regions.some((x) => x.code === a));
    if (chosenAncestor) return { added: false, text: t('rp.covered', { name: r.name, parent: loaded.known.get(chosenAncestor)?.name ?? chosenAncestor }) };
    const inside = new Set(loaded.family.descendants(code));
    const before = regions.length;
    for (let i = regions.length - 1; i >= 0; i--) if (inside.has(regions[i].code)) regions.splice(i, 1);
    regions.push({ code: r.code, name: r.name, warningTime: r.warningTime });
    const absorbed = before - (regions.length - 1);
    return { added: true, text: absorbed ? t('rp.absorbed', { name: r.name, n: absorbed }) : t('rp.added', { name: r.name }) };
  };

  const load = (): Promise<Loaded> => {
    loading ??= getJSON<GeoJSON.FeatureCollection>('/api/regions?format=geojson').then((fc) => {
      const known = new Map<string, KnownRegion>();
      for (const f of fc.features) {
        const p = f.properties as Rec;
        const code = String(p.code);
        const alt = otherNames(p.names);
        // Shown in the console's language when the source has that name; found by the name in any language.
        const name = alt[language()] ?? String(p.name ?? code);
        known.set(code, {
          code, name, names: [...new Set([name, String(p.name ?? code), ...Object.values(alt)])], warningTime: (p.warningTimeS ?? null) as number | null,
          parentCode: typeof p.parentCode === 'string' ? p.parentCode : null, geometry: (f.geometry as RegionGeometry | null) ?? null,
        });
      }
      return Promise.resolve(opts.jurisdiction ?? []).catch(() => [] as readonly string[]).then((codes) => {
        const mine = codes.filter((c) => known.has(c));
        loaded = { fc, known, mine, search: new RegionSearch(known.values()), family: new RegionFamily(known.values()) };
        return loaded;
      });
    });
    return loading;
  };

  // --- The search combobox (ARIA 1.2, list autocomplete with automatic selection) ---
  const listId = `c-region-list`;
  const input = h('input', {
    name: 'region', autocomplete: 'off', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    'aria-controls': listId, 'aria-describedby': `${uid}-hint`, spellcheck: 'false',
  });
  const listbox = h('ul', { id: listId, role: 'listbox', 'aria-label': t('rp.search'), hidden: true,
    style: 'position:absolute;z-index:5;inset-inline:0;top:100%;margin:2px 0 0;padding:0;list-style:none;max-height:280px;overflow:auto;background:#fff;border:1px solid #5f6368;border-radius:8px;box-shadow:0 4px 12px rgba(0,0,0,.15)' });
  let hits: SearchHit<KnownRegion>[] = [];
  /** Whether a region is in the jurisdiction: one of its regions or inside one. */
  const inJurisdiction = (code: string) => !!loaded?.mine.length && [code, ...loaded.family.ancestors(code)].some((c) => loaded!.mine.includes(c));
  /** Search hits, those in the jurisdiction first (each group keeps the search's order). */
  const find = (q: string): SearchHit<KnownRegion>[] => {
    if (!loaded) return [];
    const all = loaded.search.search(q, loaded.mine.length ? 200 : 20);
    return [...all.filter((x) => inJurisdiction(x.entry.code)), ...all.filter((x) => !inJurisdiction(x.entry.code))].slice(0, 20);
  };
  /** The text `hits` were found for. */
  let hitsFor = '';
  let active = -1;
  const optionId = (i: number) => `${uid}-opt-${i}`;
  const setActive = (i: number) => {
    active = i;
    listbox.querySelectorAll<HTMLElement>('[role=option]').forEach((el, j) => {
      el.setAttribute('aria-selected', String(j === i));
      el.style.background = j === i ? '#dbe7f7' : '';
      el.style.outline = j === i ? '2px solid #003d73' : '';
    });
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', optionId(i));
      document.getElementById(optionId(i))?.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  /** Hides the list; `keep` remembers the active option (leaving the field for the Add button keeps the choice). */
  const close = (keep = false) => {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    if (!keep) setActive(-1);
  };
  const choose = (hit: SearchHit<KnownRegion>) => {
    const { text, added } = add(hit.entry.code);
    say(text, added ? 'ok' : 'warn');
    input.value = '';
    close();
    if (added) showRegion(hit.entry.code);
    refresh();
  };
  const renderOptions = () => {
    const family = loaded?.family;
    clear(listbox, ...hits.map((hit, i) => {
      const r = hit.entry;
      const n = family?.descendants(r.code).length ?? 0;
      const details = [hit.matched !== r.name && hit.matched !== r.code ? t('rp.alsoNamed', { name: hit.matched }) : '', n ? t('rp.includes', { n }) : '',
        inJurisdiction(r.code) ? t('jur.inYours') : ''].filter(Boolean).join(' · ');
      return h('li', { id: optionId(i), role: 'option', 'aria-selected': 'false', 'data-code': r.code, style: 'padding:6px 10px;cursor:pointer',
        onmousedown: (e: Event) => e.preventDefault(), onclick: () => choose(hit) },
      `${r.name} (${r.code})`, details ? h('span', { class: 'rp-detail', style: 'display:block;font-size:.85em;color:#3c4043' }, details) : null);
    }));
  };
  const update = () => {
    const q = input.value;
    if (!loaded || !q.trim()) { hits = []; close(); return; }
    hits = find(q);
    hitsFor = q;
    renderOptions();
    if (hits.length) {
      listbox.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      setActive(0);
      say(t('rp.matches', { n: hits.length }));
    } else {
      close();
      say(t('rp.noMatch', { q: q.trim() }), 'warn');
    }
  };
  input.addEventListener('input', () => { if (loaded) update(); else void load().then(update, opts.onError); });
  input.addEventListener('blur', () => close(true));
  input.addEventListener('keydown', (e) => {
    const open = !listbox.hidden;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) { update(); return; }
      setActive(Math.min(active + 1, hits.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (open) setActive(Math.max(active - 1, 0));
    } else if (e.key === 'Escape') {
      if (open) { e.preventDefault(); close(); } else if (input.value) { e.preventDefault(); input.value = ''; }
    }
    // Enter submits the form below, which adds the active option (the Add button does the same).
  });
  const regionPicker = h('form', { class: 'rp-search', onsubmit: async (e: Event) => {
    e.preventDefault();
    if (!input.value.trim()) return;
    try {
      if (!loaded) { say(t('rp.loading')); await load(); }
      if (hitsFor !== input.value || active < 0) {
        hits = find(input.value);
        hitsFor = input.value;
        active = hits.length ? 0 : -1;
      }
      const hit = hits[active];
      if (hit) choose(hit);
      else say(t('rp.noMatch', { q: input.value.trim() }), 'warn');
    } catch (err) {
      opts.onError(err);
    }
  } },
  // The list opens below the field and the Add button beside it, so it never covers the button.
  h('div', { style: 'position:relative;display:flex;gap:8px;align-items:end' },
    h('label', { for: 'c-region', style: 'flex:1;display:flex;flex-direction:column;gap:2px;font-weight:600' }, t('rp.search'), input),
    h('button', { type: 'submit' }, t('con.regionAddButton')),
    listbox),
  h('p', { id: `${uid}-hint`, class: 'hint' }, t('rp.searchHint')));
  input.id = 'c-region';

  // --- Drawing an area ---
  let drawing = false;
  let points: [number, number][] = [];
  const drawButton = h('button', { type: 'button', 'aria-pressed': 'false', class: 'rp-draw' }, t('rp.draw'));
  const finishButton = h('button', { type: 'button', class: 'rp-finish', hidden: true, disabled: true }, t('rp.drawFinish'));
  const cancelButton = h('button', { type: 'button', class: 'rp-cancel', hidden: true }, t('rp.drawCancel'));
  const drawInfo = h('p', { class: 'hint rp-draw-hint', hidden: true });
  const drawData = (): GeoJSON.FeatureCollection => ({
    type: 'FeatureCollection',
    features: [
      ...(points.length >= 3 ? [{ type: 'Feature' as const, properties: {}, geometry: { type: 'Polygon' as const, coordinates: [[...points, points[0]]] } }] : []),
      ...(points.length >= 2 ? [{ type: 'Feature' as const, properties: {}, geometry: { type: 'LineString' as const, coordinates: points } }] : []),
      ...points.map((p) => ({ type: 'Feature' as const, properties: {}, geometry: { type: 'Point' as const, coordinates: p } })),
    ],
  });
  const redraw = () => {
    (map?.getSource('draw-area') as maplibregl.GeoJSONSource | undefined)?.setData(drawData());
    finishButton.disabled = points.length < 3;
    drawInfo.textContent = `${t('rp.drawHint')} ${t('rp.drawPoints', { n: points.length })}`;
  };
  const onEscape = (e: KeyboardEvent) => { if (e.key === 'Escape' && drawing) { e.preventDefault(); stopDrawing(); } };
  const stopDrawing = () => {
    drawing = false;
    points = [];
    drawButton.setAttribute('aria-pressed', 'false');
    drawButton.hidden = false;
    finishButton.hidden = true;
    cancelButton.hidden = true;
    drawInfo.hidden = true;
    map?.doubleClickZoom.enable();
    if (map) map.getCanvas().style.cursor = '';
    document.removeEventListener('keydown', onEscape);
    redraw();
  };
  drawButton.addEventListener('click', () => {
    drawing = true;
    points = [];
    drawButton.setAttribute('aria-pressed', 'true');
    drawButton.hidden = true;
    finishButton.hidden = false;
    cancelButton.hidden = false;
    drawInfo.hidden = false;
    map?.doubleClickZoom.disable();
    if (map) map.getCanvas().style.cursor = 'crosshair';
    document.addEventListener('keydown', onEscape);
    redraw();
    cancelButton.focus();
  });
  cancelButton.addEventListener('click', () => stopDrawing());
  finishButton.addEventListener('click', () => finishArea());
  const finishArea = () => {
    if (points.length < 3) { say(t('rp.drawTooFew'), 'warn'); return; }
    const area = points;
    stopDrawing();
    if (!loaded) return;
    const touched = [...loaded.known.values()].filter((r) => r.geometry && areaTouches(area, r.geometry)).map((r) => r.code);
    // The most specific regions: an oblast is not added because the area touches one of its hromadas.
    const picked = loaded.family.mostSpecific(touched);
    if (!picked.length) { say(t('rp.drawNone'), 'warn'); return; }
    for (const code of picked) add(code);
    say(t('rp.drawAdded', { n: picked.length, names: picked.map((c) => loaded!.known.get(c)?.name ?? c).join(', ') }), 'ok');
    refresh();
  };

  const mapBox = h('div', { class: 'map', 'aria-label': t('con.regions') });
  const baseNote = h('p', { class: 'hint rp-basemap-note', hidden: true }, t('rp.noBaseMap'));
  // The jurisdiction's regions, one button each (filled in once the regions are loaded).
  const yours = h('div', { class: 'rp-jurisdiction', role: 'group', 'aria-labelledby': `${uid}-yours`, hidden: true, style: 'display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:6px 0' });
  const showJurisdiction = (l: Loaded) => {
    if (!l.mine.length) return;
    const byName = l.mine.map((c) => l.known.get(c)!).sort((a, b) => a.name.localeCompare(b.name, language()));
    // A jurisdiction of many hromadas: a row of buttons, not a wall; the rest are first in the search anyway.
    const shown = byName.slice(0, MAX_JURISDICTION_BUTTONS);
    clear(yours, h('span', { id: `${uid}-yours`, style: 'font-weight:600' }, t('jur.yours')),
      ...shown.map((r) => h('button', { type: 'button', 'data-code': r.code, onclick: () => {
        const { text, added } = add(r.code);
        say(text, added ? 'ok' : 'warn');
        refresh();
      } }, t('jur.add', { name: r.name }))),
      byName.length > shown.length ? h('span', { class: 'hint' }, t('jur.more', { n: byName.length - shown.length })) : null);
    yours.hidden = false;
  };
  const element = h('div', { class: 'region-picker' }, mapBox, baseNote, yours,
    h('div', { class: 'rp-draw-bar', style: 'display:flex;flex-wrap:wrap;gap:8px;margin:6px 0' }, drawButton, finishButton, cancelButton), drawInfo,
    regionPicker, status, regionList);

  const fit = (geometries: RegionGeometry[]) => {
    const b = boundsOf(geometries);
    if (b && map) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 10, duration: 0, maxZoom: 15 });
  };
  /** Brings a region chosen by name into view (so the operator sees where it is). */
  const showRegion = (code: string) => {
    const g = loaded?.known.get(code)?.geometry;
    if (g) fit([g]);
  };

  const start = () => {
    refresh();
    const m = new maplibregl.Map({
      container: mapBox,
      style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#eef0e8' } }] },
      center: [0, 20], zoom: 1,
      attributionControl: { compact: true },
    });
    map = m;
    const config = getJSON<{ tileUrl?: string | null; tileAttribution?: string | null }>('/config.json').catch(() => ({ tileUrl: null, tileAttribution: null }));
    m.on('load', async () => {
      try {
        const loadedNow = await load();
        const { fc, known, mine } = loadedNow;
        m.addSource('regions', { type: 'geojson', data: fc });
        m.addLayer({ id: 'regions-fill', type: 'fill', source: 'regions', paint: { 'fill-color': '#5f6368', 'fill-opacity': 0.08 } });
        m.addLayer({ id: 'regions-line', type: 'line', source: 'regions', paint: { 'line-color': '#5f6368', 'line-width': 0.6 } });
        m.addLayer({ id: 'regions-included', type: 'fill', source: 'regions', filter: ['in', ['get', 'code'], ['literal', []]], paint: { 'fill-color': opts.colour, 'fill-opacity': 0.2 } });
        m.addLayer({ id: 'regions-selected', type: 'fill', source: 'regions', filter: ['in', ['get', 'code'], ['literal', []]], paint: { 'fill-color': opts.colour, 'fill-opacity': 0.45 } });
        m.addSource('draw-area', { type: 'geojson', data: drawData() });
        m.addLayer({ id: 'draw-fill', type: 'fill', source: 'draw-area', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#ffbf47', 'fill-opacity': 0.3 } });
        m.addLayer({ id: 'draw-line', type: 'line', source: 'draw-area', filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#7a4d00', 'line-width': 2, 'line-dasharray': [2, 1] } });
        m.addLayer({ id: 'draw-points', type: 'circle', source: 'draw-area', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 5, 'circle-color': '#7a4d00', 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5 } });
        // The operator's jurisdiction (the union of its regions' extents); without one, every region there is.
        const opening = mine.length ? mine.map((c) => known.get(c)!) : [...known.values()];
        fit(opening.flatMap((r) => (r.geometry ? [r.geometry] : [])));
        element.dataset.opening = mine.length ? 'jurisdiction' : 'all';
        showJurisdiction(loadedNow);
        refresh();
        const { tileUrl, tileAttribution } = await config;
        const c = m.getCenter();
        if (tileUrl && (await tileServerReachable(tileUrl, [c.lng, c.lat]))) {
          m.addSource('basemap', { type: 'raster', tiles: [tileUrl], tileSize: 256, attribution: tileAttribution ?? '' });
          m.addLayer({ id: 'basemap', type: 'raster', source: 'basemap' }, 'regions-fill');
          element.dataset.basemap = 'tiles';
        } else {
          baseNote.hidden = false;
          element.dataset.basemap = 'none';
        }
      } catch (err) {
        opts.onError(err);
      }
    });
    m.on('click', async (e) => {
      if (drawing) {
        // Clicking the first point again closes the area.
        if (points.length >= 3) {
          const first = m.project(points[0]);
          if (Math.hypot(first.x - e.point.x, first.y - e.point.y) < 10) { finishArea(); return; }
        }
        points.push([e.lngLat.lng, e.lngLat.lat]);
        redraw();
        return;
      }
      try {
        await load();
        const data = await getJSON<{ regions: Rec[] }>(`/api/regions/at?lat=${e.lngLat.lat}&lon=${e.lngLat.lng}`);
        // The most specific region at the point; clicking a chosen one again removes it.
        const r = data.regions[0];
        if (!r) return;
        const code = String(r.code);
        const i = regions.findIndex((x) => x.code === code);
        if (i >= 0) {
          const [gone] = regions.splice(i, 1);
          say(t('rp.removed', { name: gone.name }));
        } else {
          const { text, added } = add(code);
          say(text, added ? 'ok' : 'warn');
        }
        refresh();
      } catch (err) {
        opts.onError(err);
      }
    });
  };
  return { element, selected: () => regions, start };
}

/** The server's `names` (language -> name); an array of names (older servers' shape) has no language to show. */
function otherNames(v: unknown): Record<string, string> {
  if (Array.isArray(v)) return Object.fromEntries(v.filter((n): n is string => typeof n === 'string').map((n, i) => [`#${i}`, n]));
  if (!v || typeof v !== 'object') return {};
  return Object.fromEntries(Object.entries(v as Rec).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
