// Alert screens: the composer (Actual and Exercise are different screens), the approval queue for the second
// person, the active alerts with delivery figures, and one alert's page with update, cancel and false alarm.
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { h, clear } from '../lib/dom.ts';
import { request, getJSON, postJSON } from '../lib/api.ts';
import { t, formatTime, language } from '../i18n/index.ts';
import { message, errorMessage, field, select, table } from './ui.ts';
import type { User } from './session.ts';

maplibregl.setWorkerUrl(workerUrl);

const EVENTS = ['missile', 'air-raid', 'drone', 'artillery', 'chemical', 'radiological', 'urban-fighting', 'other'];
const STAGES = ['alert', 'pre-alert', 'all-clear'];
const URGENCY = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'];
const SEVERITY = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'];
const CERTAINTY = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'];

type Rec = Record<string, unknown>;

export interface AlertView {
  id: string;
  identifier: string;
  state: string;
  status: string;
  msgType: string;
  event: string;
  headline: string;
  areas: string;
  createdBy: string | null;
  sent: string | null;
  raw: Rec;
}

export function view(raw: Rec): AlertView {
  const cap = (raw.cap ?? raw) as Rec;
  const info = ((cap.info as Rec[] | undefined)?.[0] ?? cap) as Rec;
  const areas = (info.areas as Rec[] | undefined) ?? [];
  return {
    id: String(raw.id ?? cap.identifier),
    identifier: String(cap.identifier ?? raw.id),
    state: String(raw.state ?? ''),
    status: String(cap.status ?? raw.status ?? ''),
    msgType: String(cap.msgType ?? raw.msgType ?? ''),
    event: String(info.event ?? raw.event ?? ''),
    headline: String(info.headline ?? raw.headline ?? ''),
    areas: areas.map((a) => String(a.areaDesc ?? '')).join(', ') || (Array.isArray(raw.regions) ? raw.regions.join(', ') : ''),
    createdBy: (raw.createdBy as string | null) ?? null,
    sent: (raw.issuedAt as string | null) ?? (cap.sent as string | null) ?? null,
    raw,
  };
}

function list(data: unknown): Rec[] {
  return (Array.isArray(data) ? data : ((data as Rec).alerts as Rec[]) ?? []) as Rec[];
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** A preview of the CAP message the server will produce; the signed document comes from the server on issue. */
export function capPreview(a: { status: string; msgType: string; event: string; stage: string; urgency: string; severity: string; certainty: string; headline: string; description: string; instruction: string; expiresMinutes: number; regions: Array<{ code: string; name: string }> }, sender: string): string {
  const now = new Date();
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">',
    '  <identifier>(assigned on save)</identifier>',
    `  <sender>${escapeXml(sender)}</sender>`,
    `  <sent>${iso(now)}</sent>`,
    `  <status>${a.status}</status>`,
    `  <msgType>${a.msgType}</msgType>`,
    '  <scope>Public</scope>',
    '  <info>',
    '    <language>en</language>',
    '    <category>Safety</category>',
    `    <event>${escapeXml(a.event)}</event>`,
    `    <urgency>${a.urgency}</urgency>`,
    `    <severity>${a.severity}</severity>`,
    `    <certainty>${a.certainty}</certainty>`,
    `    <expires>${iso(new Date(now.getTime() + a.expiresMinutes * 60_000))}</expires>`,
    a.headline ? `    <headline>${escapeXml(a.headline)}</headline>` : '',
    a.description ? `    <description>${escapeXml(a.description)}</description>` : '',
    a.instruction ? `    <instruction>${escapeXml(a.instruction)}</instruction>` : '',
    `    <parameter><valueName>refuge-stage</valueName><value>${a.stage}</value></parameter>`,
    ...a.regions.map((r) => `    <area>\n      <areaDesc>${escapeXml(r.name)}</areaDesc>\n      <geocode><valueName>refuge-region</valueName><value>${escapeXml(r.code)}</value></geocode>\n    </area>`),
    '  </info>',
    '</alert>',
  ];
  return lines.filter(Boolean).join('\n');
}

export function composeScreen(root: HTMLElement, user: User, status: 'Actual' | 'Exercise'): void {
  document.body.classList.remove('mode-actual', 'mode-exercise');
  document.body.classList.add(status === 'Actual' ? 'mode-actual' : 'mode-exercise');
  const regions: Array<{ code: string; name: string; warningTime: number | null }> = [];
  const event = select('event', EVENTS.map((e) => [e, e]), 'missile');
  const stage = select('stage', STAGES.map((e) => [e, e]), 'alert');
  const urgency = select('urgency', URGENCY.map((e) => [e, e]), 'Immediate');
  const severity = select('severity', SEVERITY.map((e) => [e, e]), 'Extreme');
  const certainty = select('certainty', CERTAINTY.map((e) => [e, e]), 'Observed');
  const headline = h('input', { name: 'headline', value: status === 'Exercise' ? 'EXERCISE: missile alert' : 'Missile alert', required: true });
  const description = h('textarea', { name: 'description' });
  const instruction = h('textarea', { name: 'instruction' }, 'Go to the nearest shelter now and stay there for 10 minutes.');
  const expires = h('input', { name: 'expires', type: 'number', min: '1', max: '1440', value: '30' });
  const regionList = h('ul', { class: 'chips', 'aria-live': 'polite' });
  const preview = h('pre', { class: 'cap', tabindex: '0', 'aria-label': t('con.capPreview') });
  const msg = h('div', { 'aria-live': 'polite' });
  const values = () => ({
    status, msgType: 'Alert', event: event.value, stage: stage.value, urgency: urgency.value, severity: severity.value, certainty: certainty.value,
    headline: headline.value, description: description.value, instruction: instruction.value, expiresMinutes: Number(expires.value) || 30, regions,
  });
  let map: maplibregl.Map | null = null;
  const refresh = () => {
    preview.textContent = capPreview(values(), location.host);
    if (map?.getLayer('regions-selected')) map.setFilter('regions-selected', ['in', ['get', 'code'], ['literal', regions.map((r) => r.code)]]);
    clear(regionList, ...(regions.length ? regions.map((r, i) => h('li', {}, h('button', { type: 'button', 'aria-label': t('con.remove', { name: r.name }), onclick: () => { regions.splice(i, 1); refresh(); } }, `${r.name} (${r.code}) ×`))) : [h('li', {}, t('con.regionsNone'))]));
  };
  const mapBox = h('div', { class: 'map', 'aria-label': t('con.regions') });
  const known = new Map<string, { code: string; name: string; warningTime: number | null }>();
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
    else clear(msg, message('err', t('con.error', { message: `${t('con.regions')}: ${v}?` })));
  } }, field(t('con.regionAdd'), regionInput, 'c-region'), datalist, h('button', { type: 'submit' }, t('con.regionAddButton')));
  const form = h('form', { class: 'grid' },
    field(t('con.event'), event, 'c-event'), field(t('con.stage'), stage, 'c-stage'), field(t('con.urgency'), urgency, 'c-urgency'),
    field(t('con.severity'), severity, 'c-severity'), field(t('con.certainty'), certainty, 'c-certainty'), field(t('con.expires'), expires, 'c-expires'),
    field(t('con.headline'), headline, 'c-headline'), field(t('con.description'), description, 'c-description'), field(t('con.instruction'), instruction, 'c-instruction'),
    h('button', { type: 'submit', class: 'primary big' }, t('con.submitDraft')));
  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = values();
    try {
      const created = await postJSON<Rec>('/api/alerts', {
        status: v.status, msgType: 'Alert', event: v.event, stage: v.stage, urgency: v.urgency, severity: v.severity, certainty: v.certainty,
        headline: v.headline, description: v.description || undefined, instruction: v.instruction || undefined,
        regions: regions.map((r) => r.code), expires: new Date(Date.now() + v.expiresMinutes * 60_000).toISOString(),
      });
      clear(msg, message('ok', t('con.drafted')), h('a', { href: `#/alert/${encodeURIComponent(String(created.id))}` }, t('con.alertPage')));
    } catch (err) {
      clear(msg, errorMessage(err));
    }
  });
  const other = status === 'Actual' ? 'Exercise' : 'Actual';
  clear(root,
    h('p', { class: `mode-banner ${status.toLowerCase()}` }, status === 'Actual' ? t('con.compose.actual') : t('con.compose.exercise')),
    h('p', {}, status === 'Actual' ? t('con.compose.warnActual') : t('con.compose.warnExercise'), ' ',
      h('a', { href: `#/compose/${other.toLowerCase()}` }, other === 'Exercise' ? t('con.compose.switchExercise') : t('con.compose.switchActual'))),
    h('h2', {}, status === 'Actual' ? t('con.compose.actual') : t('con.compose.exercise')),
    msg,
    h('div', { class: 'composer' },
      h('div', {}, form),
      h('div', {}, h('h3', {}, t('con.regions')), h('p', {}, t('con.regionsHint')), mapBox, regionPicker, regionList, h('h3', {}, t('con.capPreview')), preview)));
  refresh();
  const m = new maplibregl.Map({
    container: mapBox,
    style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#eef0e8' } }] },
    center: [35.2, 31.78], zoom: 7,
    attributionControl: { compact: false, customAttribution: ['Regions: Home Front Command / oblasts', 'Streets © OpenStreetMap contributors (ODbL)'] },
  });
  map = m;
  const colour = status === 'Actual' ? '#a50e0e' : '#003d73';
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
      m.addLayer({ id: 'regions-selected', type: 'fill', source: 'regions', filter: ['in', ['get', 'code'], ['literal', []]], paint: { 'fill-color': colour, 'fill-opacity': 0.45 } });
      if (fc.features.length) m.fitBounds([[minX, minY], [maxX, maxY]], { padding: 10, duration: 0 });
      refresh();
    } catch (err) {
      clear(msg, errorMessage(err));
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
      clear(msg, errorMessage(err));
    }
  });
}

export async function approvalsScreen(root: HTMLElement, user: User): Promise<void> {
  clear(root, h('h2', {}, t('con.approvals')), message('warn', t('con.loading')));
  try {
    const drafts = list(await getJSON<unknown>('/api/alerts?state=draft')).map(view).filter((a) => a.state === 'draft' || a.state === '');
    const rows = drafts.map((a) => h('tr', {},
      h('td', {}, h('span', { class: `tag ${a.status}` }, a.status)),
      h('td', {}, h('a', { href: `#/alert/${encodeURIComponent(a.id)}` }, a.headline || a.event)),
      h('td', {}, a.areas),
      h('td', {}, t('con.createdBy', { name: a.createdBy ?? '?' })),
      h('td', {}, h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'primary', disabled: a.createdBy === user.name, onclick: () => act(root, user, `/api/alerts/${encodeURIComponent(a.id)}/approve`, t('con.approved')) }, t('con.approve'))))));
    clear(root, h('h2', {}, t('con.approvals')), drafts.length ? table([t('con.state'), t('con.headline'), t('con.regions'), '', ''], rows) : h('p', {}, t('con.approvalsEmpty')));
  } catch (err) {
    clear(root, h('h2', {}, t('con.approvals')), errorMessage(err));
  }
}

async function act(root: HTMLElement, user: User, url: string, ok: string): Promise<void> {
  try {
    await postJSON(url, {});
    await approvalsScreen(root, user);
    root.prepend(message('ok', ok));
  } catch (err) {
    root.prepend(errorMessage(err));
  }
}

export async function activeScreen(root: HTMLElement): Promise<() => void> {
  const body = h('div', { 'aria-live': 'polite' });
  clear(root, h('h2', {}, t('con.active')), body);
  let shown = '';
  const render = async () => {
    try {
      const data = await getJSON<unknown>('/api/alerts');
      // Redraw only on a change, so the polite live region is not re-read on every poll.
      const json = JSON.stringify(data);
      if (json === shown) return;
      shown = json;
      const active = list(data).map(view);
      clear(body, active.length ? table([t('con.state'), t('con.headline'), t('con.regions'), t('con.when'), t('con.dl.stream'), t('con.dl.push'), t('con.dl.failed')], active.map((a) => {
        const d = a.raw.delivery as Delivery | undefined;
        return h('tr', { 'data-alert': a.id },
          h('td', {}, h('span', { class: `tag ${a.status}` }, a.status)),
          h('td', {}, h('a', { href: `#/alert/${encodeURIComponent(a.id)}` }, a.headline || a.event)),
          h('td', {}, a.areas),
          h('td', {}, formatTime(a.sent)),
          h('td', { class: 'num', 'data-figure': 'stream' }, d ? num(d.stream.reached) : ''),
          h('td', { class: 'num', 'data-figure': 'push' }, d ? t(d.push.pending > 0 ? 'con.dl.pushPendingCell' : 'con.dl.pushCell', { accepted: d.push.accepted, targeted: d.push.targeted, pending: d.push.pending }) : ''),
          h('td', { class: 'num', 'data-figure': 'failed' }, d ? num(d.push.failed + d.push.expired) : ''));
      })) : h('p', {}, t('con.activeEmpty')));
    } catch (err) {
      shown = '';
      clear(body, errorMessage(err));
    }
  };
  await render();
  // Live: redraw when anything is issued or cancelled.
  const stream = new EventSource('/api/alerts/stream?all=1');
  stream.onmessage = () => void render();
  for (const n of ['alert', 'update', 'cancel']) stream.addEventListener(n, () => void render());
  const timer = setInterval(() => void render(), 5000);
  return () => { stream.close(); clearInterval(timer); };
}

/** The delivery figures of GET /api/alerts/:id/delivery (and `delivery` in the staff list). */
interface Delivery {
  alertId: string;
  seq: number;
  issuedAt: string;
  expired: boolean;
  bus: { state: 'pending' | 'published' | 'expired'; via: string | null; publishedAt: string | null; mqtt: { configured: boolean; publishedAt: string | null } };
  stream: { reached: number; processes: number; silentProcesses: number; silentReached: number; firstAt: string | null };
  push: { targeted: number; accepted: number; pending: number; retrying: number; failed: number; expired: number; gone: number; firstAcceptedAt: string | null; lastAcceptedAt: string | null };
  timing: { committedAt: string; toBusMs: number | null; toStreamMs: number | null; toFirstPushMs: number | null; toLastPushMs: number | null };
}

const num = (n: number) => new Intl.NumberFormat(language()).format(n);

/** A time to the second (delivery happens in seconds, not minutes). */
function clock(iso: string): string {
  return new Intl.DateTimeFormat(language(), { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

function atAfterIssue(iso: string | null, ms: number | null): string {
  return iso && ms !== null ? t('con.dl.at', { time: clock(iso), ms }) : t('con.dl.notYet');
}

/** The "Delivery" section of an alert's page: every figure, with a polite summary for screen readers. */
function deliveryRows(d: Delivery): HTMLElement[] {
  const row = (label: string, value: string, key: string) => [h('dt', {}, label), h('dd', { 'data-figure': key }, value)];
  const bus = d.bus.state === 'published' ? t('con.dl.busPublished', { bus: d.bus.via ?? '?', time: d.bus.publishedAt ? clock(d.bus.publishedAt) : '?', ms: d.timing.toBusMs ?? 0 })
    : d.bus.state === 'expired' ? t('con.dl.busExpired') : t('con.dl.busPending');
  const mqtt = d.bus.mqtt.publishedAt ? t('con.dl.mqttPublished', { time: clock(d.bus.mqtt.publishedAt) }) : d.bus.mqtt.configured ? t('con.dl.mqttWaiting') : t('con.dl.mqttOff');
  const stream = t('con.dl.streamReached', { reached: d.stream.reached, processes: d.stream.processes })
    + (d.stream.silentProcesses > 0 ? `; ${t('con.dl.streamSilent', { reached: d.stream.silentReached, processes: d.stream.silentProcesses })}` : '');
  return [
    ...row(t('con.dl.issued'), clock(d.timing.committedAt), 'issued'),
    ...row(t('con.dl.bus'), bus, 'bus'),
    ...row(t('con.dl.mqtt'), mqtt, 'mqtt'),
    ...row(t('con.dl.stream'), stream, 'stream'),
    ...row(t('con.dl.firstStream'), atAfterIssue(d.stream.firstAt, d.timing.toStreamMs), 'first-stream'),
    ...row(t('con.dl.pushTargeted'), num(d.push.targeted), 'push-targeted'),
    ...row(t('con.dl.pushAccepted'), num(d.push.accepted), 'push-accepted'),
    ...row(t('con.dl.pushPending'), t('con.dl.pushPendingValue', { pending: d.push.pending, retrying: d.push.retrying }), 'push-pending'),
    ...row(t('con.dl.pushFailed'), num(d.push.failed), 'push-failed'),
    ...row(t('con.dl.pushExpired'), num(d.push.expired), 'push-expired'),
    ...row(t('con.dl.pushGone'), num(d.push.gone), 'push-gone'),
    ...row(t('con.dl.firstPush'), atAfterIssue(d.push.firstAcceptedAt, d.timing.toFirstPushMs), 'first-push'),
    ...row(t('con.dl.lastPush'), atAfterIssue(d.push.lastAcceptedAt, d.timing.toLastPushMs), 'last-push'),
  ];
}

/**
 * Shows the alert's delivery figures in `section` and keeps them live: on every event of the alert stream, every 3 s
 * while push notifications are pending, else every 15 s (people keep connecting). Stops by itself once the section
 * has left the page.
 */
function liveDelivery(section: HTMLElement, id: string): void {
  const summary = h('p', { 'aria-live': 'polite', 'data-figure': 'summary' });
  const list = h('dl', { class: 'card delivery' });
  const problem = h('div');
  section.append(summary, list, problem);
  let last = '';
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stream: EventSource | null = null;
  const stop = () => {
    if (timer) clearTimeout(timer);
    stream?.close();
  };
  const load = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!section.isConnected) return stop();
    let pending = false;
    try {
      const d = await getJSON<Delivery>(`/api/alerts/${encodeURIComponent(id)}/delivery`);
      pending = d.push.pending > 0 || d.bus.state === 'pending';
      const text = t('con.dl.summary', { reached: d.stream.reached, accepted: d.push.accepted, targeted: d.push.targeted, pending: d.push.pending, failed: d.push.failed + d.push.expired, gone: d.push.gone });
      // Only a change is written, so the polite live region speaks when a figure moves, not on every poll.
      if (text !== summary.textContent) summary.textContent = text;
      const json = JSON.stringify(d);
      if (json !== last) { last = json; clear(list, ...deliveryRows(d)); }
      clear(problem);
    } catch (err) {
      clear(problem, errorMessage(err));
    }
    if (!section.isConnected) return stop();
    timer = setTimeout(() => void load(), pending ? 3000 : 15_000);
  };
  stream = new EventSource('/api/alerts/stream?all=1');
  stream.addEventListener('alert', () => void load());
  window.addEventListener('hashchange', stop, { once: true });
  void load();
}

export async function alertScreen(root: HTMLElement, user: User, id: string): Promise<void> {
  const msg = h('div', { 'aria-live': 'polite' });
  try {
    const a = view(await getJSON<Rec>(`/api/alerts/${encodeURIComponent(id)}`));
    let cap = '';
    try {
      const res = await request<string>('GET', `/api/alerts/${encodeURIComponent(id)}.cap`);
      cap = typeof res.data === 'string' ? res.data : JSON.stringify(res.data, null, 2);
    } catch { /* drafts have no CAP document yet */ }
    const cancel = async (falseAlarm: boolean) => {
      if (falseAlarm && !confirm(t('con.falseAlarmConfirm'))) return;
      try {
        await postJSON(`/api/alerts/${encodeURIComponent(id)}/cancel`, falseAlarm ? { reason: 'false-alarm', falseAlarm: true } : {});
        clear(msg, message('ok', t('con.cancelled')));
      } catch (err) {
        clear(msg, errorMessage(err));
      }
    };
    const update = async () => {
      const instruction = prompt(t('con.instruction'), '');
      if (instruction === null) return;
      try {
        const info = ((a.raw.cap as Rec | undefined)?.info as Rec[] | undefined)?.[0] ?? {};
        const expires = typeof info.expires === 'string' && Date.parse(info.expires) > Date.now() ? new Date(Date.parse(info.expires)).toISOString() : new Date(Date.now() + 30 * 60_000).toISOString();
        await postJSON('/api/alerts', { status: a.status, msgType: 'Update', references: [a.id], eventType: info.eventType ?? 'other', stage: info.stage ?? 'alert', urgency: info.urgency, severity: info.severity, certainty: info.certainty, headline: a.headline, instruction, expires, regions: ((info.areas as Rec[] | undefined) ?? []).flatMap((x) => (x.regionCodes as string[]) ?? []) });
        clear(msg, message('ok', t('con.drafted')));
      } catch (err) {
        clear(msg, errorMessage(err));
      }
    };
    const delivery = a.state === 'issued' || a.state === 'imported'
      ? h('section', { class: 'delivery', 'aria-labelledby': 'delivery-title' }, h('h3', { id: 'delivery-title' }, t('con.dl.title')))
      : null;
    clear(root,
      h('p', { class: `mode-banner ${a.status === 'Actual' ? 'actual' : 'exercise'}` }, a.status),
      h('h2', {}, a.headline || a.event),
      msg,
      h('dl', { class: 'card' }, h('dt', {}, t('con.state')), h('dd', {}, a.state), h('dt', {}, 'msgType'), h('dd', {}, a.msgType), h('dt', {}, t('con.regions')), h('dd', {}, a.areas), h('dt', {}, t('con.createdBy', { name: '' })), h('dd', {}, a.createdBy ?? ''), h('dt', {}, t('con.when')), h('dd', {}, formatTime(a.sent))),
      h('div', { class: 'row-actions' },
        a.state === 'draft' ? h('button', { type: 'button', class: 'primary', disabled: a.createdBy === user.name, onclick: async () => { try { await postJSON(`/api/alerts/${encodeURIComponent(id)}/approve`, {}); void alertScreen(root, user, id); } catch (err) { clear(msg, errorMessage(err)); } } }, t('con.approve')) : null,
        a.state === 'issued' ? h('button', { type: 'button', onclick: update }, t('con.update')) : null,
        a.state === 'issued' ? h('button', { type: 'button', onclick: () => cancel(false) }, t('con.cancelAlert')) : null,
        a.state === 'issued' ? h('button', { type: 'button', class: 'primary', onclick: () => cancel(true) }, t('con.falseAlarm')) : null,
        cap ? h('a', { href: `/api/alerts/${encodeURIComponent(id)}.cap` }, t('con.downloadCap')) : null),
      delivery,
      cap ? h('pre', { class: 'cap', tabindex: '0', 'aria-label': 'CAP' }, cap) : null);
    if (delivery) {
      if (a.raw.event) liveDelivery(delivery, id);
      else delivery.append(h('p', {}, t('con.dl.none')));
    }
  } catch (err) {
    clear(root, errorMessage(err));
  }
}
