// Alert templates in the console: the wording the composer starts from, per event type, stage and language
// (GET /api/alert-templates), and a small editor for approvers and admins (PUT/DELETE /api/alert-templates/...).
// The composer (alerts.ts) opens the editor in place; it can also be routed as #/templates (see templatesScreen).
import { h, clear } from '../lib/dom.ts';
import { request, getJSON } from '../lib/api.ts';
import { t, formatTime, LANGUAGES, type MessageKey } from '../i18n/index.ts';
import { message, errorMessage, field, select } from './ui.ts';
import type { User } from './session.ts';
import { ALERT_STAGES, EVENT_TYPES } from '../../../src/api/types.ts';
import { isRtlLanguage } from '../../../src/api/alerts.ts';

export interface TemplateEntry {
  eventType: string;
  stage: string;
  language: string;
  headline: string;
  description: string | null;
  instruction: string | null;
  custom: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
  builtIn: { headline: string; description: string | null; instruction: string | null };
}

export interface TemplateTable {
  languages: string[];
  templates: TemplateEntry[];
}

/** Who may change a template (the server's TEMPLATE_EDIT_ROLES; the server decides). */
export const mayEditTemplates = (u: User) => u.role === 'approver' || u.role === 'admin';

export async function loadTemplates(): Promise<TemplateTable> {
  return getJSON<TemplateTable>('/api/alert-templates');
}

export function findTemplate(table: TemplateTable | null, eventType: string, stage: string, lang: string): TemplateEntry | null {
  return table?.templates.find((x) => x.eventType === eventType && x.stage === stage && x.language === lang) ?? null;
}

/** The name of a language in that language (English, Українська, …), or its tag. */
export function languageName(code: string): string {
  return LANGUAGES[code]?.name ?? code;
}

/** lang and dir for a field holding text in `lang`. */
export function textAttrs(lang: string): { lang: string; dir: 'rtl' | 'ltr' } {
  return { lang, dir: isRtlLanguage(lang) ? 'rtl' : 'ltr' };
}

/** The template editor. `back`, when given, is a link back to where it was opened from (the composer). */
export async function templatesScreen(root: HTMLElement, user: User, back?: () => void): Promise<void> {
  const msg = h('div', { 'aria-live': 'polite' });
  let table: TemplateTable;
  try {
    table = await loadTemplates();
  } catch (err) {
    clear(root, h('h2', {}, t('altl.templates')), errorMessage(err));
    return;
  }
  const editable = mayEditTemplates(user);
  const event = select('tpl-event', EVENT_TYPES.map((e) => [e, t(`event.${e}` as MessageKey)]), 'missile');
  const stage = select('tpl-stage', ALERT_STAGES.map((e) => [e, t(`alert.stage.${e}` as MessageKey)]), 'alert');
  const lang = select('tpl-language', table.languages.map((l) => [l, languageName(l)]), table.languages[0] ?? 'en');
  const headline = h('input', { name: 'headline', maxlength: '160', required: true });
  const description = h('textarea', { name: 'description', maxlength: '4000' });
  const instruction = h('textarea', { name: 'instruction', maxlength: '2000' });
  const state = h('p', { class: 'hint tpl-state' });
  const builtIn = h('details', { class: 'tpl-builtin' });
  for (const c of [headline, description, instruction]) c.disabled = !editable;
  const current = () => findTemplate(table, event.value, stage.value, lang.value);
  const show = () => {
    const x = current();
    if (!x) return;
    for (const c of [headline, description, instruction]) Object.assign(c, textAttrs(x.language));
    headline.value = x.headline;
    description.value = x.description ?? '';
    instruction.value = x.instruction ?? '';
    state.textContent = x.custom ? t('altl.tpl.custom', { name: x.updatedBy ?? '', time: formatTime(x.updatedAt) }) : t('altl.tpl.builtIn');
    clear(builtIn, h('summary', {}, t('altl.tpl.builtIn')),
      h('p', textAttrs(x.language), h('strong', {}, x.builtIn.headline)),
      x.builtIn.description ? h('p', textAttrs(x.language), x.builtIn.description) : null,
      x.builtIn.instruction ? h('p', textAttrs(x.language), x.builtIn.instruction) : null);
    builtIn.hidden = !x.custom;
    reset.disabled = !editable || !x.custom;
  };
  const replace = (entry: TemplateEntry) => {
    table = { ...table, templates: table.templates.map((x) => (x.eventType === entry.eventType && x.stage === entry.stage && x.language === entry.language ? entry : x)) };
    show();
  };
  const path = () => `/api/alert-templates/${encodeURIComponent(event.value)}/${encodeURIComponent(stage.value)}/${encodeURIComponent(lang.value)}`;
  const reset = h('button', { type: 'button', class: 'tpl-reset' }, t('altl.tpl.reset'));
  reset.addEventListener('click', async () => {
    try {
      replace((await request<TemplateEntry>('DELETE', path())).data);
      clear(msg, message('ok', t('altl.tpl.resetDone')));
    } catch (err) {
      clear(msg, errorMessage(err));
    }
  });
  const form = h('form', { class: 'grid tpl-form' },
    field(t('altl.tpl.event'), event, 'tpl-event'), field(t('altl.tpl.stage'), stage, 'tpl-stage'), field(t('altl.language'), lang, 'tpl-language'),
    field(t('con.headline'), headline, 'tpl-headline'), field(t('con.description'), description, 'tpl-description'), field(t('con.instruction'), instruction, 'tpl-instruction'),
    state, builtIn,
    editable ? h('div', { class: 'row-actions' }, h('button', { type: 'submit', class: 'primary' }, t('altl.tpl.save')), reset) : h('p', { class: 'hint' }, t('altl.tpl.readOnly')));
  for (const s of [event, stage, lang]) s.addEventListener('change', () => { clear(msg); show(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const saved = (await request<TemplateEntry>('PUT', path(), {
        headline: headline.value, description: description.value || null, instruction: instruction.value || null,
      })).data;
      replace(saved);
      clear(msg, message('ok', t('altl.tpl.saved')));
    } catch (err) {
      clear(msg, errorMessage(err));
    }
  });
  clear(root,
    back ? h('p', {}, h('a', { href: location.hash || '#', class: 'tpl-back', onclick: (ev: Event) => { ev.preventDefault(); back(); } }, t('altl.backToComposer'))) : null,
    h('h2', {}, t('altl.templates')),
    h('p', { class: 'hint' }, t('altl.tpl.intro')),
    msg, form);
  show();
}
