// The bottom panel: the list of nearest shelters with walking times, or one shelter's details card.
import { h, clear } from '../lib/dom.ts';
import { t, formatTime, type MessageKey } from '../i18n/index.ts';
import { postJSON, request } from '../lib/api.ts';
import type { ShelterProps } from './data.ts';
import { openReportsFor, noteOwnReport, setSeenReports, type NearestAnswer, type OpenReports } from './nearest.ts';
import { REPORT_KINDS, type ReportKind } from '../../../src/api/types.ts';
import { STATUS_COLOURS } from './colours.ts';
import { occupancyView } from '../lib/occupancy.ts';
import { paceSelect } from './pace.ts';
import { noShelterAdvice } from './no-shelter.ts';
import { walkText } from './walk-text.ts';


function closeButton(panel: HTMLElement, onClose: () => void): HTMLButtonElement {
  return h('button', { type: 'button', class: 'close', 'aria-label': t('close'), onclick: () => { panel.hidden = true; onClose(); } }, '×');
}

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `badge status-${status}`, style: `--c:${STATUS_COLOURS[status] ?? STATUS_COLOURS.unknown}` }, t(`status.${status}` as MessageKey));
}

/** "Residents report it locked (2); not yet checked by an operator." — shown until an operator decides. */
export function reportWarning(open: OpenReports | null | undefined): HTMLElement | null {
  if (!open) return null;
  const kinds = REPORT_KINDS.filter((k) => open[k] > 0);
  if (kinds.length === 0) return null;
  const count = kinds.reduce((n, k) => n + open[k], 0);
  return h('span', { class: 'report-warning', 'data-kinds': kinds.join(' ') },
    h('span', { 'aria-hidden': 'true' }, '⚠ '),
    t('reported.warning', { kinds: kinds.map((k) => t(`reported.kind.${k}` as MessageKey)).join(', '), count }));
}

export function showResults(panel: HTMLElement, answer: NearestAnswer, selected: number, handlers: { select: (i: number) => void; details: (id: string) => void; close: () => void }): void {
  const modeKey: MessageKey = answer.mode === 'network' ? 'find.mode.network' : answer.mode === 'offline-network' ? 'find.mode.offline' : 'find.mode.straight';
  panel.hidden = false;
  if (answer.results.length === 0) {
    clear(panel, closeButton(panel, handlers.close), h('h2', {}, t('find.title')), h('p', { class: 'notice' }, t('find.none')));
    return;
  }
  const items = answer.results.map((r, i) =>
    h('li', { class: i === selected ? 'result selected' : 'result', 'data-id': r.id },
      h('button', { type: 'button', class: 'result-main', 'aria-pressed': String(i === selected), title: t('find.show', { name: r.name }), onclick: () => handlers.select(i) },
        h('span', { class: 'rank' }, i === 0 ? t('find.primary') : t('find.alternative')),
        h('strong', { class: 'name' }, r.name),
        h('span', { class: 'walk' }, walkText(r.walkSeconds)),
        h('span', { class: 'meters' }, t('find.meters', { meters: Math.round(r.meters) })),
        r.reachableInTime === null ? null : h('span', { class: r.reachableInTime ? 'intime yes' : 'intime no' }, r.reachableInTime ? t('find.inTime') : t('find.notInTime')),
        reportWarning(r.openReports)),
      h('button', { type: 'button', class: 'link', onclick: () => handlers.details(r.id) }, t('find.details'))),
  );
  // During an alert with nothing reachable in time, what to do where you are comes first.
  const noneInTime = answer.results.every((r) => r.reachableInTime === false);
  clear(panel, closeButton(panel, handlers.close), h('h2', {}, t('find.title')), h('p', { class: answer.mode === 'network' ? 'mode' : 'mode warn' }, t(modeKey)),
    noneInTime ? noShelterAdvice('results') : null,
    paceSelect('results'),
    h('ol', { class: 'results' }, ...items));
}

function yesNo(v: boolean | null): string {
  return v === null ? t('unknown') : v ? t('yes') : t('no');
}

/** Coordinates as the navigation apps take them (6 decimals: about 10 cm). */
function coord(v: number): string {
  return String(Number(v.toFixed(6)));
}

/**
 * The hand-off to a navigation app, on foot: the phone's own (geo: URI, which Android offers to every map app) and the
 * common apps by their web links (they open the app where it is installed). All go to the shelter's position.
 */
export function navigationLinks(s: Pick<ShelterProps, 'lat' | 'lon' | 'name'>): Array<{ key: MessageKey; app: string; href: string }> {
  const ll = `${coord(s.lat)},${coord(s.lon)}`;
  // geo: takes the label in parentheses; they and the separators are taken out of the name rather than escaped
  // (apps differ in what they decode).
  const label = encodeURIComponent(s.name.replace(/[()]/g, ' ').trim());
  return [
    { key: 'sc.navigate.geo', app: 'geo', href: `geo:${ll}?q=${ll}(${label})` },
    { key: 'sc.navigate.google', app: 'google', href: `https://www.google.com/maps/dir/?api=1&destination=${ll}&travelmode=walking` },
    { key: 'sc.navigate.apple', app: 'apple', href: `https://maps.apple.com/?daddr=${ll}&dirflg=w` },
    { key: 'sc.navigate.waze', app: 'waze', href: `https://waze.com/ul?ll=${ll}&navigate=yes` },
  ];
}

/** A link to another site: a new window that cannot reach back into this page, and says that it opens one. */
function outLink(href: string, text: string, attrs: Record<string, string> = {}): HTMLAnchorElement {
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer', ...attrs }, text, h('span', { class: 'sr-only' }, ` ${t('sc.newWindow')}`));
}

function linkText(l: { label: string | null; url: string }): string {
  if (l.label) return l.label;
  try { return new URL(l.url).hostname.replace(/^www\./, ''); } catch { return l.url; }
}

/** A photo on the card: its URL and the operator's caption (null: none; undefined: not known yet, a bare URL). */
interface CardPhoto { url: string; caption: string | null | undefined }

const PHOTO_PATH = /^\/api\/shelters\/[^/]+\/photos\/[^/]+$/;

/** The card's photos from the map's record ({ url, caption }, data.ts) or bare URLs (older cached copies of it). */
function cardPhotos(s: ShelterProps): CardPhoto[] {
  return (s.photos as unknown[]).flatMap((p): CardPhoto[] => {
    if (typeof p === 'string') return PHOTO_PATH.test(p) ? [{ url: p, caption: undefined }] : [];
    const o = p as { url?: unknown; caption?: unknown } | null;
    return o && typeof o.url === 'string' && PHOTO_PATH.test(o.url) ? [{ url: o.url, caption: typeof o.caption === 'string' && o.caption.trim() ? o.caption : null }] : [];
  });
}

/**
 * One photo as a figure: the caption under it (dir=auto: a Hebrew or Arabic caption reads right whatever the page's
 * language) and as its alt text, so a blind resident hears what a sighted one sees; the generated "Photo 1 of <name>"
 * only when there is no caption.
 */
function photoFigure(s: ShelterProps, p: CardPhoto, i: number): HTMLElement {
  const img = h('img', { src: p.url, loading: 'lazy', decoding: 'async', alt: p.caption ?? t('sc.photoAlt', { n: i + 1, name: s.name }), style: 'height:120px;max-width:200px;object-fit:cover;border-radius:4px;display:block' });
  const caption = h('figcaption', { dir: 'auto', style: 'font-size:0.9em;max-width:200px;margin-top:4px;overflow-wrap:anywhere' }, p.caption ?? '');
  caption.hidden = !p.caption;
  return h('li', { 'data-photo-url': p.url },
    h('figure', { style: 'margin:0' },
      // The link's name is the image's alt text; the caption is not repeated inside it.
      h('a', { href: p.url, target: '_blank', rel: 'noopener noreferrer' }, img),
      caption));
}

/** Sets the captions the server has on figures drawn without them (the map's record may carry only the URLs). */
function fillCaptions(list: HTMLElement, photos: Array<{ url?: unknown; caption?: unknown }>): void {
  for (const p of photos) {
    if (typeof p.url !== 'string' || typeof p.caption !== 'string' || !p.caption.trim()) continue;
    const li = Array.from(list.querySelectorAll<HTMLElement>('li[data-photo-url]')).find((el) => el.dataset.photoUrl === p.url);
    const img = li?.querySelector('img');
    const caption = li?.querySelector('figcaption');
    if (!img || !caption) continue;
    img.alt = p.caption;
    caption.textContent = p.caption;
    caption.hidden = false;
  }
}

/** Photos (lazy: a card opened on a phone during an alert must not wait for them), the source's links, navigation. */
function cardExtras(s: ShelterProps): HTMLElement[] {
  const out: HTMLElement[] = [];
  const photos = cardPhotos(s);
  if (photos.length) {
    const list = h('ul', { style: 'list-style:none;margin:0;padding:0;display:flex;gap:8px;overflow-x:auto;align-items:flex-start' },
      ...photos.map((p, i) => photoFigure(s, p, i)));
    out.push(h('section', { class: 'card-photos', 'aria-label': t('sc.photos') }, list));
    // Captions missing from the map's record are asked of the server (offline: the generated alt text stays).
    if (photos.some((p) => p.caption === undefined)) {
      void request<{ properties?: { photos?: Array<{ url?: unknown; caption?: unknown }> } }>('GET', `/api/shelters/${encodeURIComponent(s.id)}`)
        .then(({ data }) => fillCaptions(list, data.properties?.photos ?? []), () => undefined);
    }
  }
  if (s.links.length) {
    out.push(h('section', { class: 'card-links' },
      h('h3', {}, t('sc.links')),
      h('ul', {}, ...s.links.map((l) => h('li', {}, outLink(l.url, linkText(l)))))));
  }
  out.push(h('section', { class: 'card-navigate', 'aria-labelledby': `nav-${s.id}` },
    h('h3', { id: `nav-${s.id}` }, t('sc.navigate')),
    h('p', { class: 'hint' }, t('sc.navigate.hint')),
    h('ul', { class: 'navigate-links' }, ...navigationLinks(s).map((n) => h('li', {},
      n.app === 'geo' ? h('a', { href: n.href, 'data-app': n.app }, t(n.key)) : outLink(n.href, t(n.key), { 'data-app': n.app }))))));
  return out;
}

/** "57 of 200 places taken, reported 14:05", marked out of date when older than config.json's occupancyStaleHours. */
function occupancyValue(s: ShelterProps): HTMLElement | null {
  const view = occupancyView(s);
  if (view.text === null) return null;
  return h('span', { class: view.stale ? 'occupancy stale' : 'occupancy' },
    view.text,
    view.stale ? h('strong', { class: 'stale-mark', style: 'display:block;color:#7a0a0a' }, view.staleText) : null);
}

export function showCard(panel: HTMLElement, s: ShelterProps, handlers: { close: () => void }): void {
  const row = (label: string, value: Node | string) => [h('dt', {}, label), h('dd', {}, value)];
  const occupancy = occupancyValue(s);
  const status = h('p', { class: 'report-status', role: 'status' });
  const noteId = `report-note-${s.id}`;
  const note = h('textarea', { id: noteId, name: 'note', rows: '2', maxlength: '500', placeholder: t('report.notePlaceholder') }) as HTMLTextAreaElement;
  const warning = h('p', { class: 'card-warning' });
  const showWarning = () => {
    const w = reportWarning(openReportsFor(s.id));
    warning.hidden = !w;
    clear(warning, ...(w ? [w] : []));
  };
  showWarning();
  // The shelter may not be in the last answer (tapped on the map): ask the server for its open reports.
  void request<{ openReports: OpenReports }>('GET', `/api/reports/open?shelterId=${encodeURIComponent(s.id)}`).then(({ data }) => {
    setSeenReports(s.id, data.openReports);
    if (warning.isConnected) showWarning();
  }, () => undefined);
  const report = (kind: ReportKind) => async () => {
    try {
      const text = note.value.trim();
      const data = await postJSON<{ created?: boolean }>('/api/reports', { shelterId: s.id, kind, ...(text ? { note: text } : {}) });
      if (data?.created !== false) noteOwnReport(s.id, kind);
      showWarning();
      note.value = '';
      status.textContent = t('report.thanks');
    } catch (err) {
      status.textContent = t('report.failed', { message: (err as Error).message });
    }
  };
  panel.hidden = false;
  clear(panel,
    closeButton(panel, handlers.close),
    h('h2', {}, s.name),
    h('p', { class: 'sr-only' }, t('card.title')),
    warning,
    h('dl', { class: 'card', 'data-id': s.id },
      ...row(t('card.status'), statusBadge(s.status)),
      ...row(t('card.capacity'), s.capacity === null ? t('unknown') : t('card.persons', { count: s.capacity })),
      ...(occupancy ? row(t('card.occupancy'), occupancy) : []),
      ...row(t('card.kind'), t(`kind.${s.kind}` as MessageKey)),
      ...(s.entrance ? row(t('sc.entrance'), s.entrance) : []),
      ...(s.floor ? row(t('sc.floor'), h('bdi', {}, s.floor)) : []),
      ...(s.openingHours ? row(t('sc.openingHours'), h('bdi', {}, s.openingHours)) : []),
      ...row(t('card.access'), t(`access.${s.access}` as MessageKey)),
      ...(s.keyHolderPhone ? row(t('card.keyHolder'), h('a', { href: `tel:${s.keyHolderPhone}` }, s.keyHolderPhone)) : []),
      ...row(t('card.stepFree'), yesNo(s.stepFree)),
      ...row(t('card.pets'), yesNo(s.pets)),
      ...row(t('card.lastVerified'), formatTime(s.lastVerifiedAt)),
      ...(s.address ? row(t('card.address'), s.address) : []),
      ...(s.source ? row(t('card.source'), s.source) : []),
    ),
    ...cardExtras(s),
    h('fieldset', { class: 'report' },
      h('legend', {}, t('report.title')),
      h('label', { for: noteId, class: 'report-note' }, t('report.note'), note),
      h('button', { type: 'button', onclick: report('locked') }, t('report.locked')),
      h('button', { type: 'button', onclick: report('closed') }, t('report.closed')),
      h('button', { type: 'button', onclick: report('missing') }, t('report.missing')),
    ),
    status,
  );
}
