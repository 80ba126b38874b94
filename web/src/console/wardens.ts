// "My shelters": the warden's screen. Each shelter they look after, with big Open / Full / Closed buttons and the
// number of people inside now (a stepper and a field, then Save). Reaching the capacity never marks a shelter full
// by itself: the screen offers "Mark full" and the warden decides. Shared with the operator's shelter page: the
// occupancy line and the capacity warnings.
import { h, clear } from '../lib/dom.ts';
import { getJSON, request, ApiError } from '../lib/api.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { configureOccupancy, occupancyView } from '../lib/occupancy.ts';
import { message, errorMessage } from './ui.ts';
import type { ShelterStatus } from '../../../src/api/types.ts';

/** The statuses a warden sets from this screen (locked and unknown are for operators and resident reports). */
const WARDEN_STATUSES = ['open', 'full', 'closed'] as const satisfies readonly ShelterStatus[];

export interface Tended {
  id: string;
  name: string;
  address: string | null;
  capacity: number | null;
  status: string;
  occupancy: number | null;
  occupancyAt: string | null;
  version: number;
}

interface Warning { code: string; field: string; reason: string }

export function toTended(f: GeoJSON.Feature): Tended {
  return tendedFrom({ id: f.id, ...(f.properties ?? {}) });
}

export function tendedFrom(p: Record<string, unknown>): Tended {
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: String(p.id), name: String(p.name ?? ''), address: str(p.address), capacity: num(p.capacity), status: String(p.status ?? 'unknown'),
    occupancy: num(p.occupancy), occupancyAt: str(p.occupancyAt), version: Number(p.version ?? 0),
  };
}

let configLoaded: Promise<void> | null = null;

/** config.json may set occupancyStaleHours; the console reads it once, as the public map does. */
export function loadOccupancyConfig(): Promise<void> {
  configLoaded ??= getJSON<Record<string, unknown>>('/config.json').then(configureOccupancy, (err: unknown) => {
    console.warn(`config.json could not be read (${(err as Error).message}); counts older than the default age are shown as stale`);
  });
  return configLoaded;
}

/** The count as a line ("57 of 200 places taken, reported 14:05"), with an "Out of date" mark when old. */
export function occupancyLine(s: Pick<Tended, 'occupancy' | 'occupancyAt' | 'capacity'>): HTMLElement {
  const view = occupancyView(s);
  if (view.text === null) return h('p', { class: 'occupancy' }, t('occ.none'));
  return h('p', { class: view.stale ? 'occupancy stale' : 'occupancy' }, view.text,
    view.stale ? h('strong', { class: 'stale-mark', style: 'display:block;color:#7a0a0a' }, view.staleText) : null);
}

/** What the server said about the count against the capacity; AT_CAPACITY comes with a "Mark full" button. */
export function warningMessages(s: Tended, warnings: Warning[], markFull: () => void): HTMLElement[] {
  const out: HTMLElement[] = [];
  const params = { count: s.occupancy ?? 0, capacity: s.capacity ?? 0 };
  if (warnings.some((w) => w.code === 'OVER_CAPACITY')) out.push(message('warn', t('war.overCapacity', params)));
  if (warnings.some((w) => w.code === 'AT_CAPACITY')) {
    out.push(h('div', { class: 'msg warn', role: 'group', 'aria-label': t('war.markFull') },
      h('p', { style: 'margin:0 0 8px' }, t('war.atCapacity', params)),
      h('button', { type: 'button', class: 'big primary mark-full', onclick: markFull }, t('war.markFull'))));
  }
  return out;
}

/** A whole number of people, 0 or more, from what was typed; null when it is not one. */
export function parseCount(raw: string): number | null {
  const v = raw.trim();
  return /^\d{1,7}$/.test(v) ? Number(v) : null;
}

/** The number field with − and + buttons around it. */
export function countStepper(id: string, value: number | null): { el: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { id, name: 'occupancy', type: 'number', min: '0', step: '1', inputmode: 'numeric', value: value === null ? '' : String(value), style: 'width:7em;font-size:1.3rem;text-align:center' });
  const step = (d: number) => () => {
    const n = parseCount(input.value) ?? 0;
    input.value = String(Math.max(0, n + d));
    input.removeAttribute('aria-invalid');
  };
  const el = h('div', { class: 'stepper', style: 'display:flex;gap:6px;align-items:center' },
    h('button', { type: 'button', class: 'big step-down', 'aria-label': t('war.fewer'), 'aria-controls': id, onclick: step(-1) }, '−'),
    input,
    h('button', { type: 'button', class: 'big step-up', 'aria-label': t('war.more'), 'aria-controls': id, onclick: step(1) }, '+'));
  return { el, input };
}

export async function myShelters(root: HTMLElement): Promise<void> {
  const title = h('h2', {}, t('con.nav.myShelters'));
  try {
    await loadOccupancyConfig();
    const fc = await getJSON<GeoJSON.FeatureCollection>('/api/wardens/me/shelters');
    const list = fc.features.map(toTended).sort((a, b) => a.name.localeCompare(b.name));
    if (list.length === 0) {
      clear(root, title, h('p', {}, t('war.none')));
      return;
    }
    clear(root, title, h('p', {}, t('war.intro')), ...list.map(tendedCard));
  } catch (err) {
    clear(root, title, errorMessage(err));
  }
}

function tendedCard(initial: Tended): HTMLElement {
  let s = initial;
  const key = s.id.replace(/[^\w-]/g, '_');
  const headingId = `w-name-${key}`;
  const inputId = `w-count-${key}`;
  const hintId = `w-hint-${key}`;
  const msg = h('div', { class: 'w-msg', 'aria-live': 'polite' });
  const statusText = h('p', { class: 'w-status' });
  const occupancyBox = h('div', { class: 'w-occupancy' });
  const buttons = WARDEN_STATUSES.map((st) => h('button', { type: 'button', class: 'big', 'data-status': st, onclick: () => void setStatus(st) }, t(`status.${st}` as MessageKey)));
  const { el: stepper, input } = countStepper(inputId, s.occupancy);
  const hint = h('p', { id: hintId, class: 'hint', hidden: true, style: 'color:#7a0a0a;font-weight:600;margin:4px 0' }, t('war.invalid'));
  const form = h('form', { class: 'w-count', noValidate: true, style: 'display:flex;flex-wrap:wrap;gap:10px;align-items:end' },
    h('div', {}, h('label', { for: inputId, style: 'display:block;font-weight:600;margin-bottom:4px' }, t('war.people')), stepper, hint),
    h('button', { type: 'submit', class: 'big primary' }, t('con.save')));

  const show = () => {
    clear(statusText, `${t('card.status')}: `, h('strong', {}, t(`status.${s.status}` as MessageKey)), s.capacity === null ? '' : ` · ${t('card.capacity')}: ${t('card.persons', { count: s.capacity })}`);
    clear(occupancyBox, occupancyLine(s));
    for (const b of buttons) {
      const on = b.dataset.status === s.status;
      b.setAttribute('aria-pressed', String(on));
      b.className = on ? 'big primary' : 'big';
    }
  };

  async function report(count: number, status?: 'full'): Promise<void> {
    try {
      const { data } = await request<GeoJSON.Feature & { warnings?: Warning[] }>('POST', `/api/shelters/${encodeURIComponent(s.id)}/occupancy`, status ? { occupancy: count, status } : { occupancy: count });
      s = toTended(data);
      show();
      clear(msg, message('ok', status ? t('war.statusSaved', { status: t(`status.${s.status}` as MessageKey) }) : t('war.saved', { count })),
        ...warningMessages(s, data.warnings ?? [], () => void report(count, 'full')));
      // On a phone the prompt must be on screen without scrolling: bring the Mark full button (or the message) in.
      (msg.querySelector('.mark-full') ?? msg).scrollIntoView({ block: 'nearest' });
    } catch (err) {
      clear(msg, errorMessage(err));
    }
  }

  async function setStatus(status: string): Promise<void> {
    try {
      const { data } = await request<GeoJSON.Feature>('POST', `/api/shelters/${encodeURIComponent(s.id)}/status`, { status });
      s = toTended(data);
      show();
      clear(msg, message('ok', t('war.statusSaved', { status: t(`status.${s.status}` as MessageKey) })));
    } catch (err) {
      clear(msg, err instanceof ApiError && err.status === 403 ? message('err', t('con.forbidden')) : errorMessage(err));
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const count = parseCount(input.value);
    if (count === null) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', hintId);
      hint.hidden = false;
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
    hint.hidden = true;
    void report(count);
  });

  show();
  return h('section', { class: 'warden-shelter', 'aria-labelledby': headingId, 'data-shelter': s.id, style: 'border:2px solid #8a8d93;border-radius:12px;padding:12px 16px;margin:0 0 16px' },
    h('h3', { id: headingId, style: 'margin-top:0' }, s.name),
    s.address && s.address !== s.name ? h('p', {}, s.address) : null,
    statusText,
    h('div', { role: 'group', 'aria-label': t('war.statusGroup', { name: s.name }), style: 'display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 14px' }, ...buttons),
    occupancyBox,
    // The answer (and the Mark full prompt) sits just above the count form, where the warden's eyes and thumb are.
    msg,
    form);
}
