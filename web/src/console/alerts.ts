// Alert screens: the composer (Actual and Exercise are different screens), the approval queue for the second
// person, the active alerts with delivery figures, and one alert's page with update, cancel and false alarm.
import { h, clear } from '../lib/dom.ts';
import { request, getJSON, postJSON } from '../lib/api.ts';
import { t, formatTime, language, LANGUAGES, type MessageKey } from '../i18n/index.ts';
import { message, errorMessage, field, select, table } from './ui.ts';
import { currentUser, type User } from './session.ts';
import { createRegionPicker } from './region-picker.ts';
import { findTemplate, languageName, loadTemplates, templatesScreen, textAttrs, type TemplateTable } from './templates.ts';
import {
  ALERT_STAGES, APPROVE_ROLES, CAP_CERTAINTIES, CAP_SEVERITIES, CAP_URGENCIES, DRAFT_ROLES, EVENT_TYPES, type DeliveryFigures,
} from '../../../src/api/types.ts';

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

/** The roles the server enforces (src/alerts/lifecycle: DRAFT_ROLES, APPROVE_ROLES): nobody is offered more. */
const DRAFTERS: readonly string[] = DRAFT_ROLES;
const APPROVERS: readonly string[] = APPROVE_ROLES;
export const mayDraft = (u: User) => DRAFTERS.includes(u.role);
export const mayApprove = (u: User) => APPROVERS.includes(u.role);

/** Where an alert stands for people: the stored state plus what replaced it and whether it ran out. */
export type LifeState = 'draft' | 'withdrawn' | 'issued' | 'imported' | 'updated' | 'cancelled' | 'false-alarm' | 'expired' | 'approved';

export function lifeState(raw: Rec, replacement: Rec | null, now = Date.now()): LifeState {
  const state = String(raw.state ?? '');
  if (state === 'draft') return 'draft';
  if (state === 'rejected') return 'withdrawn';
  if (state !== 'issued' && state !== 'imported') return state === 'approved' ? 'approved' : 'withdrawn';
  if (raw.replacedBy) {
    if (!replacement) return 'cancelled';
    if (replacement.falseAlarm === true) return 'false-alarm';
    return String(((replacement.cap as Rec | undefined)?.msgType) ?? replacement.msgType) === 'Update' ? 'updated' : 'cancelled';
  }
  const expires = ((raw.cap as Rec | undefined)?.info as Rec[] | undefined)?.[0]?.expires;
  if (typeof expires === 'string' && Date.parse(expires) <= now) return 'expired';
  return state === 'imported' ? 'imported' : 'issued';
}

/** Still live: the only states an update, a cancel or a false alarm can act on. */
export const isLive = (s: LifeState) => s === 'issued' || s === 'imported';

export function lifeLabel(s: LifeState): string {
  return t(`alog.state.${s}` as MessageKey);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** One language of a composed message. */
export interface ComposedText { language: string; headline: string; description: string; instruction: string }

/** A preview of the CAP message the server will produce (one <info> per language); the signed document comes from the server on issue. */
export function capPreview(a: { status: string; msgType: string; event: string; stage: string; urgency: string; severity: string; certainty: string; headline: string; description: string; instruction: string; expiresMinutes: number; regions: Array<{ code: string; name: string }>; language?: string; translations?: ComposedText[] }, sender: string): string {
  const now = new Date();
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const mark = a.status === 'Exercise' ? 'EXERCISE' : a.status === 'Test' ? 'TEST' : null;
  const marked = (x: string) => (mark && x && !x.startsWith(`${mark} - `) ? `${mark} - ${x}` : x);
  const info = (x: ComposedText) => [
    '  <info>',
    `    <language>${escapeXml(x.language)}</language>`,
    '    <category>Safety</category>',
    `    <event>${escapeXml(a.event)}</event>`,
    `    <urgency>${a.urgency}</urgency>`,
    `    <severity>${a.severity}</severity>`,
    `    <certainty>${a.certainty}</certainty>`,
    `    <expires>${iso(new Date(now.getTime() + a.expiresMinutes * 60_000))}</expires>`,
    x.headline ? `    <headline>${escapeXml(marked(x.headline))}</headline>` : '',
    x.description ? `    <description>${escapeXml(x.description)}</description>` : '',
    x.instruction ? `    <instruction>${escapeXml(marked(x.instruction))}</instruction>` : '',
    `    <parameter><valueName>refuge-stage</valueName><value>${a.stage}</value></parameter>`,
    ...a.regions.map((r) => `    <area>\n      <areaDesc>${escapeXml(r.name)}</areaDesc>\n      <geocode><valueName>refuge-region</valueName><value>${escapeXml(r.code)}</value></geocode>\n    </area>`),
    '  </info>',
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">',
    '  <identifier>(assigned on save)</identifier>',
    `  <sender>${escapeXml(sender)}</sender>`,
    `  <sent>${iso(now)}</sent>`,
    `  <status>${a.status}</status>`,
    `  <msgType>${a.msgType}</msgType>`,
    '  <scope>Public</scope>',
    ...info({ language: a.language ?? 'en', headline: a.headline, description: a.description, instruction: a.instruction }),
    ...(a.translations ?? []).flatMap(info),
    '</alert>',
  ];
  return lines.filter(Boolean).join('\n');
}

/**
 * Text fields that follow the templates (event type × stage × language) until the operator edits them by hand.
 * One per language of the message.
 */
class TextBlock {
  readonly headline = h('input', { name: 'headline', required: true, maxlength: '160' });
  readonly description = h('textarea', { name: 'description', maxlength: '4000' });
  readonly instruction = h('textarea', { name: 'instruction', maxlength: '2000' });
  private readonly edited = new Set<HTMLElement>();

  constructor(public language: string) {
    for (const c of [this.headline, this.description, this.instruction]) c.addEventListener('input', () => this.edited.add(c));
    this.setLanguage(language);
  }

  setLanguage(lang: string): void {
    this.language = lang;
    for (const c of [this.headline, this.description, this.instruction]) Object.assign(c, textAttrs(lang));
  }

  /** Fills every field the operator has not edited from the template (nothing when there is none for this language). */
  follow(table: TemplateTable | null, eventType: string, stage: string): void {
    const tpl = findTemplate(table, eventType, stage, this.language);
    if (!tpl) return;
    if (!this.edited.has(this.headline)) this.headline.value = tpl.headline;
    if (!this.edited.has(this.description)) this.description.value = tpl.description ?? '';
    if (!this.edited.has(this.instruction)) this.instruction.value = tpl.instruction ?? '';
  }

  /** A new language for the main block: its text starts from the template again. */
  forget(): void {
    this.edited.clear();
  }

  text(): ComposedText {
    return { language: this.language, headline: this.headline.value, description: this.description.value, instruction: this.instruction.value };
  }
}

export function composeScreen(root: HTMLElement, user: User, status: 'Actual' | 'Exercise'): void {
  document.body.classList.remove('mode-actual', 'mode-exercise');
  document.body.classList.add(status === 'Actual' ? 'mode-actual' : 'mode-exercise');
  const event = select('event', EVENT_TYPES.map((e) => [e, t(`event.${e}` as MessageKey)]), 'missile');
  const stage = select('stage', ALERT_STAGES.map((e) => [e, t(`alert.stage.${e}` as MessageKey)]), 'alert');
  const urgency = select('urgency', CAP_URGENCIES.map((e) => [e, e]), 'Immediate');
  const severity = select('severity', CAP_SEVERITIES.map((e) => [e, e]), 'Extreme');
  const certainty = select('certainty', CAP_CERTAINTIES.map((e) => [e, e]), 'Observed');
  // The main language: the operator's interface language when Refuge has templates in it (the six it ships).
  const languages = Object.keys(LANGUAGES);
  const mainLanguage = select('language', languages.map((l) => [l, languageName(l)]), languages.includes(language()) ? language() : 'en');
  const main = new TextBlock(mainLanguage.value);
  const { headline, description, instruction } = main;
  // Until the templates arrive (or if they cannot be read) the composer starts from the built-in English wording.
  headline.value = 'Missile alert';
  instruction.value = 'Go to the nearest shelter now and stay there for 10 minutes.';
  let templates: TemplateTable | null = null;
  const others: TextBlock[] = [];
  const othersBox = h('div', { class: 'translations-list' });
  const addWhich = h('select', { name: 'add-language' });
  const addButton = h('button', { type: 'button', class: 'add-language' }, t('altl.add'));
  const follow = () => {
    for (const b of [main, ...others]) b.follow(templates, event.value, stage.value);
  };
  const fillAddChoices = () => {
    const used = new Set([main.language, ...others.map((b) => b.language)]);
    clear(addWhich, ...languages.filter((l) => !used.has(l)).map((l) => new Option(languageName(l), l)));
    addButton.disabled = addWhich.options.length === 0 || others.length >= 8;
  };
  const drawOthers = () => {
    clear(othersBox, ...others.map((b) => h('fieldset', { class: 'translation', 'data-language': b.language },
      h('legend', {}, t('altl.block', { language: languageName(b.language) })),
      field(t('con.headline'), b.headline, `c-tr-${b.language}-headline`),
      field(t('con.description'), b.description, `c-tr-${b.language}-description`),
      field(t('con.instruction'), b.instruction, `c-tr-${b.language}-instruction`),
      h('button', { type: 'button', class: 'remove-language', onclick: () => { others.splice(others.indexOf(b), 1); drawOthers(); refresh(); } },
        t('altl.remove', { language: languageName(b.language) })))));
    fillAddChoices();
  };
  addButton.addEventListener('click', () => {
    const lang = addWhich.value;
    if (!lang || others.some((b) => b.language === lang) || lang === main.language) return;
    const b = new TextBlock(lang);
    b.follow(templates, event.value, stage.value);
    others.push(b);
    drawOthers();
    refresh();
    b.headline.focus();
  });
  mainLanguage.addEventListener('change', () => {
    // A language given twice is refused by the server: the other block of that language goes.
    const dup = others.findIndex((b) => b.language === mainLanguage.value);
    if (dup >= 0) others.splice(dup, 1);
    main.setLanguage(mainLanguage.value);
    main.forget();
    main.follow(templates, event.value, stage.value);
    drawOthers();
  });
  for (const s of [event, stage]) s.addEventListener('change', () => { follow(); refresh(); });
  const expires = h('input', { name: 'expires', type: 'number', min: '1', max: '1440', value: '30' });
  const preview = h('pre', { class: 'cap', tabindex: '0', 'aria-label': t('con.capPreview') });
  const msg = h('div', { 'aria-live': 'polite' });
  const picker = createRegionPicker({
    colour: status === 'Actual' ? '#a50e0e' : '#003d73',
    onChange: () => refresh(),
    onError: (err) => clear(msg, errorMessage(err)),
    // The map opens on the regions this operator is responsible for (none: every region).
    jurisdiction: getJSON<{ user: { jurisdiction?: string[] } | null }>('/api/auth/me').then((me) => me.user?.jurisdiction ?? []),
  });
  const values = () => ({
    status, msgType: 'Alert', event: event.value, stage: stage.value, urgency: urgency.value, severity: severity.value, certainty: certainty.value,
    headline: headline.value, description: description.value, instruction: instruction.value, expiresMinutes: Number(expires.value) || 30, regions: picker.selected(),
    language: main.language, translations: others.map((b) => b.text()),
  });
  const refresh = () => {
    preview.textContent = capPreview(values(), location.host);
  };
  const form = h('form', { class: 'grid' },
    field(t('con.event'), event, 'c-event'), field(t('con.stage'), stage, 'c-stage'), field(t('con.urgency'), urgency, 'c-urgency'),
    field(t('con.severity'), severity, 'c-severity'), field(t('con.certainty'), certainty, 'c-certainty'), field(t('con.expires'), expires, 'c-expires'),
    field(t('altl.language'), mainLanguage, 'c-language'),
    field(t('con.headline'), headline, 'c-headline'), field(t('con.description'), description, 'c-description'), field(t('con.instruction'), instruction, 'c-instruction'),
    h('p', { class: 'hint' }, t('altl.follows'), ' ',
      h('a', { href: location.hash || '#', class: 'open-templates', onclick: (ev: Event) => { ev.preventDefault(); void templatesScreen(root, user, () => composeScreen(root, user, status)); } }, t('altl.openTemplates'))),
    h('fieldset', { class: 'translations' },
      h('legend', {}, t('altl.others')),
      h('p', { class: 'hint' }, t('altl.othersHint')),
      othersBox,
      h('div', { class: 'row-actions' }, field(t('altl.addWhich'), addWhich, 'c-add-language'), addButton)),
    h('button', { type: 'submit', class: 'primary big' }, t('con.submitDraft')));
  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = values();
    try {
      const created = await postJSON<Rec>('/api/alerts', {
        status: v.status, msgType: 'Alert', event: v.event, stage: v.stage, urgency: v.urgency, severity: v.severity, certainty: v.certainty,
        headline: v.headline, description: v.description || undefined, instruction: v.instruction || undefined, language: v.language,
        ...(v.translations.length ? { translations: v.translations.map((x) => ({ language: x.language, headline: x.headline, description: x.description || undefined, instruction: x.instruction || undefined })) } : {}),
        regions: v.regions.map((r) => r.code), expires: new Date(Date.now() + v.expiresMinutes * 60_000).toISOString(),
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
      h('div', {}, h('h3', {}, t('con.regions')), h('p', {}, t('con.regionsHint')), picker.element, h('h3', {}, t('con.capPreview')), preview)));
  drawOthers();
  refresh();
  picker.start();
  // The templates (overrides included) fill what the operator has not typed yet.
  void loadTemplates().then((table) => { templates = table; follow(); refresh(); }).catch((err) => clear(msg, errorMessage(err)));
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
        // Approving is for approvers, and never one's own draft (the two-person rule): others are not offered it.
        !mayApprove(user) ? h('span', { class: 'hint' }, t('alog.needsApprover'))
          : a.createdBy === user.name ? h('span', { class: 'hint' }, t('alog.ownDraft'))
          : h('a', { class: 'button primary', href: `#/alert/${encodeURIComponent(a.id)}` }, t('alog.review'))))));
    clear(root, h('h2', {}, t('con.approvals')), drafts.length ? table([t('con.state'), t('con.headline'), t('con.regions'), '', ''], rows) : h('p', {}, t('con.approvalsEmpty')));
  } catch (err) {
    clear(root, h('h2', {}, t('con.approvals')), errorMessage(err));
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
  // The log of every alert under the active ones (also its own screen: alertLogScreen).
  const logBox = h('section', { class: 'alert-log', 'aria-labelledby': 'alog-title' });
  root.append(logBox);
  const reloadLog = await alertLog(logBox);
  // Live: redraw when anything is issued or cancelled.
  const stream = new EventSource('/api/alerts/stream?all=1');
  stream.onmessage = () => void render();
  for (const n of ['alert', 'update', 'cancel']) stream.addEventListener(n, () => { void render(); void reloadLog(); });
  const timer = setInterval(() => void render(), 5000);
  return () => { stream.close(); clearInterval(timer); };
}

/** One row of the alert log: an alert with where it stands and who drafted and approved it. */
export interface LogRow {
  id: string;
  when: string | null;
  status: string;
  msgType: string;
  headline: string;
  regions: string;
  life: LifeState;
  createdBy: string;
  approvedBy: string;
  /** Issued or imported: it went out, so it has delivery figures (GET /api/alerts/:id/delivery). */
  delivered: boolean;
}

export function logRows(records: Rec[], now = Date.now()): LogRow[] {
  const byId = new Map(records.map((r) => [String(r.id), r]));
  // A prepared false-alarm cancel that was never sent (withdrawn when its alert was updated) is machinery, not an alert.
  return records.filter((raw) => !(raw.falseAlarm === true && raw.state !== 'issued')).map((raw) => {
    const a = view(raw);
    const replacement = raw.replacedBy ? byId.get(String(raw.replacedBy)) ?? null : null;
    return {
      id: a.id, when: (raw.issuedAt as string | null) ?? (raw.createdAt as string | null) ?? null, status: a.status, msgType: a.msgType,
      headline: a.headline || a.event, regions: a.areas, life: lifeState(raw, replacement, now),
      createdBy: String(raw.createdBy ?? ''), approvedBy: String(raw.approvedBy ?? ''),
      delivered: raw.state === 'issued' || raw.state === 'imported',
    };
  }).sort((x, y) => String(y.when ?? '').localeCompare(String(x.when ?? '')));
}

/**
 * The alert log as a spreadsheet file: RFC 4180 CSV in UTF-8 with a byte-order mark (without it Excel reads the file
 * as the Windows code page and Hebrew or Arabic headlines turn to mojibake). The headings and the state are in the
 * console's language, as on the screen, for the people who open it; ids, CAP codes (status, msgType), names and
 * figures are data and stay as they are; times are ISO 8601 UTC so that they sort. A cell a spreadsheet would run as
 * a formula (= + - @, tab, carriage return first) gets an apostrophe in front.
 */
export function logCsv(rows: LogRow[], figures: ReadonlyMap<string, Delivery> = new Map()): string {
  const cell = (v: string) => {
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const head = [t('con.id'), `${t('con.when')} (UTC)`, t('alog.csv.status'), t('alog.csv.msgType'), t('con.state'), t('con.headline'), t('con.regions'),
    t('alog.drafted'), t('alog.approvedCol'), t('con.dl.stream'), t('con.dl.pushTargeted'), t('con.dl.push'), t('con.dl.failed')];
  const body = rows.map((r) => {
    const d = figures.get(r.id);
    // Failed counts the pushes given up and those the alert's expiry dropped, as the active alerts' table does.
    const delivery = d ? [d.stream.reached, d.push.targeted, d.push.accepted, d.push.failed + d.push.expired].map(String) : ['', '', '', ''];
    return [r.id, r.when ?? '', r.status, r.msgType, lifeLabel(r.life), r.headline, r.regions, r.createdBy, r.approvedBy, ...delivery];
  });
  return '\uFEFF' + [head, ...body].map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The delivery figures of the alerts that went out, a few requests at a time (drafts and withdrawn ones have none). */
async function deliveryFigures(rows: LogRow[]): Promise<Map<string, Delivery>> {
  const out = new Map<string, Delivery>();
  const todo = rows.filter((r) => r.delivered);
  const worker = async () => {
    for (let r = todo.shift(); r; r = todo.shift()) {
      const id = r.id;
      // An alert whose delivery record is missing (ALERT_NOT_DELIVERED) gets empty cells rather than failing the file.
      await getJSON<Delivery>(`/api/alerts/${encodeURIComponent(id)}/delivery`).then((d) => out.set(id, d), () => undefined);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return out;
}

/**
 * A table that fits a phone: its six columns' unbreakable words (headings, codes, a region file's long names) made it
 * about 1000 px wide on a 390 px screen; breaking anywhere lets every column shrink to the screen.
 */
function fitting(el: HTMLTableElement): HTMLTableElement {
  el.style.overflowWrap = 'anywhere';
  // The status tag ("Exercise") stays one word: it is short, and broken in two it reads as two tags.
  for (const tag of el.querySelectorAll<HTMLElement>('.tag')) tag.style.overflowWrap = 'normal';
  return el;
}

/** The alert log in `box`: every alert (GET /api/alerts?state=any), searchable, exportable as CSV. Returns a reload. */
async function alertLog(box: HTMLElement): Promise<() => Promise<void>> {
  const search = h('input', { type: 'search', name: 'q', autocomplete: 'off' });
  const count = h('p', { class: 'alog-count', 'aria-live': 'polite' });
  const body = h('div');
  const exportLink = h('a', { class: 'button export', download: 'refuge-alerts.csv', href: '#' }, t('alog.export'));
  let rows: LogRow[] = [];
  let shown: LogRow[] = [];
  let url: string | null = null;
  let building = false;
  // The file is made when asked for: the delivery figures are read then (one request per alert that went out), and
  // the link is followed again by itself once it points at the file.
  exportLink.addEventListener('click', async (ev) => {
    if (exportLink.dataset.ready === '1') { delete exportLink.dataset.ready; return; }
    ev.preventDefault();
    if (building) return;
    building = true;
    exportLink.setAttribute('aria-busy', 'true');
    try {
      const these = shown;
      const csv = logCsv(these, await deliveryFigures(these));
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      exportLink.href = url;
      exportLink.dataset.ready = '1';
      exportLink.click();
    } finally {
      building = false;
      exportLink.removeAttribute('aria-busy');
    }
  });
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    shown = q ? rows.filter((r) => [r.id, r.headline, r.regions, r.status, r.msgType, r.createdBy, r.approvedBy, lifeLabel(r.life), r.life].some((v) => v.toLowerCase().includes(q))) : rows;
    count.textContent = t('alog.count', { shown: shown.length, total: rows.length });
    clear(body, shown.length ? fitting(table([t('con.when'), t('con.state'), t('con.headline'), t('con.regions'), t('alog.drafted'), t('alog.approvedCol')], shown.map((r) =>
      h('tr', { 'data-alert': r.id, 'data-life': r.life },
        h('td', {}, formatTime(r.when)),
        h('td', {}, h('span', { class: `tag ${r.status}` }, r.status), ' ', h('span', { class: `life life-${r.life}` }, lifeLabel(r.life)), r.msgType !== 'Alert' ? ` (${r.msgType})` : ''),
        h('td', {}, h('a', { href: `#/alert/${encodeURIComponent(r.id)}` }, r.headline)),
        h('td', {}, r.regions),
        h('td', {}, r.createdBy),
        h('td', {}, r.approvedBy))))) : h('p', {}, t('alog.empty')));
  };
  const load = async () => {
    try {
      rows = logRows(list(await getJSON<unknown>('/api/alerts?state=any&limit=1000')));
      draw();
    } catch (err) {
      clear(body, errorMessage(err));
    }
  };
  search.addEventListener('input', draw);
  clear(box, h('h2', { id: 'alog-title' }, t('alog.title')),
    h('div', { class: 'alert-log-tools' }, field(t('alog.search'), search, 'alog-q'), exportLink), count, body);
  await load();
  return load;
}

/** The alert log as a screen of its own (for a `#/alert-log` route). */
export async function alertLogScreen(root: HTMLElement): Promise<void> {
  const box = h('section', { class: 'alert-log', 'aria-labelledby': 'alog-title' });
  clear(root, box);
  await alertLog(box);
}

/** The delivery figures of GET /api/alerts/:id/delivery (and `delivery` in the staff list). */
type Delivery = DeliveryFigures;

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

/** Every field of every info block (one per language), as the approver must see it before approving. */
function wholeMessage(cap: Rec): HTMLElement {
  const show = (v: unknown): string => v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const top = ['status', 'msgType', 'scope', 'sender', 'sent', 'note', 'references'].filter((k) => cap[k] !== undefined && cap[k] !== null);
  const infos = (cap.info as Rec[] | undefined) ?? [];
  return h('section', { class: 'whole-message', 'aria-labelledby': 'whole-title' },
    h('h3', { id: 'whole-title' }, t('alog.message')),
    table([t('alog.field'), t('alog.value')], top.map((k) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, show(cap[k]))))),
    ...infos.map((info, i) => h('div', { class: 'info-block', 'data-info': String(i), 'data-language': String(info.language ?? ''), ...textAttrs(String(info.language ?? 'en')) },
      h('h4', {}, t('alog.infoBlock', { language: String(info.language ?? '?') })),
      table([t('alog.field'), t('alog.value')], Object.entries(info).filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) =>
        h('tr', { 'data-field': k }, h('th', { scope: 'row' }, k), h('td', {}, k === 'areas' && Array.isArray(v) ? v.map((a) => String((a as Rec).areaDesc ?? '')).join(', ') : show(v))))))));
}

/** A phone-sized mock of the public alert screen: what residents see, from the first info block. */
function phonePreview(a: AlertView): HTMLElement {
  const info = (((a.raw.cap as Rec | undefined)?.info as Rec[] | undefined)?.[0] ?? {}) as Rec;
  const exercise = a.status !== 'Actual';
  return h('section', { class: 'phone-preview-box', 'aria-labelledby': 'preview-title' },
    h('h3', { id: 'preview-title' }, t('alog.preview')),
    h('div', { class: `phone-preview ${exercise ? 'exercise' : 'actual'}`, role: 'img', 'aria-label': t('alog.preview') },
      h('p', { class: 'pp-mark' }, exercise ? a.status.toUpperCase() : String(info.event ?? a.event)),
      h('p', { class: 'pp-headline' }, String(info.headline ?? a.headline ?? '')),
      info.instruction ? h('p', { class: 'pp-instruction' }, String(info.instruction)) : null,
      info.description ? h('p', { class: 'pp-description' }, String(info.description)) : null,
      h('p', { class: 'pp-areas' }, a.areas),
      h('span', { class: 'pp-button' }, t('alog.previewFind'))));
}

/** The alert page's live stream: one at a time (a redraw replaces it). */
let pageStream: EventSource | null = null;

export async function alertScreen(root: HTMLElement, user: User, id: string, said?: HTMLElement): Promise<void> {
  pageStream?.close();
  pageStream = null;
  // A live redraw reads the alert again before drawing: if the console has gone to another screen meanwhile, that
  // screen owns the page and this draws nothing (it once drew the alert over the screen the address said).
  const here = location.hash;
  const msg = h('div', { 'aria-live': 'polite' }, ...(said ? [said] : []));
  try {
    const a = view(await getJSON<Rec>(`/api/alerts/${encodeURIComponent(id)}`));
    const replacement = a.raw.replacedBy ? await getJSON<Rec>(`/api/alerts/${encodeURIComponent(String(a.raw.replacedBy))}`).catch(() => null) : null;
    const life = lifeState(a.raw, replacement);
    let cap = '';
    try {
      const res = await request<string>('GET', `/api/alerts/${encodeURIComponent(id)}.cap`);
      cap = typeof res.data === 'string' ? res.data : JSON.stringify(res.data, null, 2);
    } catch { /* drafts have no CAP document yet */ }
    const again = (text: string) => alertScreen(root, user, id, message('ok', text));
    const post = (url: string, body: unknown, done: (data: Rec) => string) => async () => {
      try {
        const data = await postJSON<Rec>(url, body);
        await again(done(data ?? {}));
      } catch (err) {
        clear(msg, errorMessage(err));
      }
    };
    const base = `/api/alerts/${encodeURIComponent(id)}`;
    const cancel = async (falseAlarm: boolean) => {
      if (falseAlarm && !confirm(t('con.falseAlarmConfirm'))) return;
      await post(`${base}/cancel`, falseAlarm ? { reason: 'false-alarm', falseAlarm: true } : {}, (d) => d.needsApproval ? t('alog.cancelDrafted') : t('con.cancelled'))();
    };
    const requestFalseAlarm = async () => {
      if (!confirm(t('alog.requestFalseAlarmConfirm'))) return;
      await post(`${base}/cancel`, { reason: t('alog.falseAlarmReason') }, () => t('alog.cancelDrafted'))();
    };
    const update = async () => {
      const instruction = prompt(t('con.instruction'), '');
      if (instruction === null) return;
      try {
        const info = ((a.raw.cap as Rec | undefined)?.info as Rec[] | undefined)?.[0] ?? {};
        const expires = typeof info.expires === 'string' && Date.parse(info.expires) > Date.now() ? new Date(Date.parse(info.expires)).toISOString() : new Date(Date.now() + 30 * 60_000).toISOString();
        await postJSON('/api/alerts', { status: a.status, msgType: 'Update', references: [a.id], eventType: info.eventType ?? 'other', stage: info.stage ?? 'alert', urgency: info.urgency, severity: info.severity, certainty: info.certainty, headline: a.headline, instruction, expires, regions: ((info.areas as Rec[] | undefined) ?? []).flatMap((x) => (x.regionCodes as string[]) ?? []),
          // The other languages keep their headline and description; their old instruction would contradict the new one.
          language: info.language ?? 'en',
          translations: (((a.raw.cap as Rec | undefined)?.info as Rec[] | undefined) ?? []).slice(1).filter((x) => typeof x.headline === 'string' && x.headline !== '').map((x) => ({ language: x.language, headline: x.headline, description: x.description ?? undefined })) });
        clear(msg, message('ok', t('con.drafted')));
      } catch (err) {
        clear(msg, errorMessage(err));
      }
    };
    const isDraft = life === 'draft' && a.raw.falseAlarm !== true;
    const own = a.createdBy === user.name;
    // Only what the server lets this role do to an alert in this state (src/alerts/lifecycle): nothing else is offered.
    const live = isLive(life) && a.msgType !== 'Cancel';
    const actions = [
      isDraft && mayApprove(user) && !own ? h('button', { type: 'button', class: 'primary', onclick: post(`${base}/approve`, {}, () => t('con.approved')) }, t('con.approve')) : null,
      isDraft && (own || mayApprove(user)) ? h('button', { type: 'button', onclick: post(`${base}/cancel`, {}, () => t('alog.withdrawn')) }, t('alog.withdraw')) : null,
      live && mayDraft(user) ? h('button', { type: 'button', onclick: update }, t('con.update')) : null,
      live && mayDraft(user) ? h('button', { type: 'button', onclick: () => cancel(false) }, t('con.cancelAlert')) : null,
      live && mayApprove(user) ? h('button', { type: 'button', class: 'primary', onclick: () => cancel(true) }, t('con.falseAlarm')) : null,
      live && mayDraft(user) && !mayApprove(user) ? h('button', { type: 'button', onclick: requestFalseAlarm }, t('alog.requestFalseAlarm')) : null,
      cap ? h('a', { href: `${base}.cap` }, t('con.downloadCap')) : null,
    ];
    const hint = isDraft && !mayApprove(user) ? t('alog.needsApprover') : isDraft && own ? t('alog.ownDraft')
      : !isLive(life) && life !== 'draft' && life !== 'withdrawn' ? t('alog.ended') : null;
    const delivery = a.state === 'issued' || a.state === 'imported'
      ? h('section', { class: 'delivery', 'aria-labelledby': 'delivery-title' }, h('h3', { id: 'delivery-title' }, t('con.dl.title')))
      : null;
    const info = ((a.raw.cap as Rec | undefined)?.info as Rec[] | undefined)?.[0] ?? {};
    const row = (label: string, value: Node | string, key: string) => [h('dt', {}, label), h('dd', { 'data-field': key }, value)];
    if (location.hash !== here) return;
    clear(root,
      h('p', { class: `mode-banner ${a.status === 'Actual' ? 'actual' : 'exercise'}` }, a.status),
      h('h2', {}, a.headline || a.event),
      msg,
      h('dl', { class: 'card' },
        ...row(t('con.state'), h('span', { class: `life life-${life}`, 'data-life': life }, lifeLabel(life)), 'state'),
        ...row('msgType', a.msgType, 'msgType'),
        ...row(t('con.regions'), a.areas, 'regions'),
        ...row(t('con.createdBy', { name: '' }), a.createdBy ?? '', 'createdBy'),
        ...(a.raw.approvedBy ? row(t('alog.approvedBy'), String(a.raw.approvedBy), 'approvedBy') : []),
        ...row(t('con.when'), formatTime(a.sent), 'sent'),
        ...(typeof info.expires === 'string' ? row(t('alog.expires'), formatTime(info.expires), 'expires') : []),
        ...(replacement ? row(t('alog.replacedBy'), h('a', { href: `#/alert/${encodeURIComponent(String(replacement.id))}` }, String((replacement.cap as Rec | undefined)?.msgType ?? replacement.id)), 'replacedBy') : [])),
      hint ? h('p', { class: 'hint role-hint' }, hint) : null,
      h('div', { class: 'row-actions' }, ...actions),
      life === 'draft' ? h('div', { class: 'review' }, wholeMessage((a.raw.cap ?? {}) as Rec), phonePreview(a)) : null,
      delivery,
      cap ? h('pre', { class: 'cap', tabindex: '0', 'aria-label': 'CAP' }, cap) : null);
    if (delivery) {
      if (a.raw.event) liveDelivery(delivery, id);
      else delivery.append(h('p', {}, t('con.dl.none')));
    }
    // Live state: when someone else approves, updates or cancels it, the page redraws. One stream for the page (it
    // replays the alerts in force on connect: those find the record unchanged and do nothing), closed when left.
    if (life === 'draft' || isLive(life)) {
      const stream = new EventSource('/api/alerts/stream?all=1');
      pageStream = stream;
      let checking = false;
      const check = async () => {
        if (location.hash !== here || !root.isConnected || pageStream !== stream) return stream.close();
        if (checking) return;
        checking = true;
        try {
          const now = await getJSON<Rec>(`/api/alerts/${encodeURIComponent(id)}`);
          // An action of this page may have redrawn it meanwhile (with its message): then this stream is done.
          if (pageStream !== stream) return stream.close();
          if (now.state !== a.raw.state || String(now.replacedBy ?? '') !== String(a.raw.replacedBy ?? '')) {
            stream.close();
            if (location.hash === here) await alertScreen(root, user, id);
          }
        } catch { /* the next event tries again */ } finally {
          checking = false;
        }
      };
      for (const n of ['alert', 'update', 'cancel']) stream.addEventListener(n, () => void check());
      // A change made between this page's reading and the stream's opening sends no event to it (a cancelled alert is
      // not replayed): the alert is read again once the stream is open (and on every reconnect).
      stream.addEventListener('open', () => void check());
      window.addEventListener('hashchange', () => stream.close(), { once: true });
    }
  } catch (err) {
    if (location.hash === here) clear(root, errorMessage(err));
  }
}

// The approvals badge in the nav is live, fed by the server's stream: see approvals-badge.ts.

