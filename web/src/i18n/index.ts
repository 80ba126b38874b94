// Every visible string goes through t(). Languages are plain dictionaries; to add one, copy en.ts,
// translate it, and list it in LANGUAGES (the type checker refuses a dictionary with a missing key).
import en, { type Dictionary, type MessageKey } from './en.ts';
import uk from './uk.ts';
import he from './he.ts';
import da from './da.ts';
import ar from './ar.ts';
import ru from './ru.ts';

export type { MessageKey };

export const LANGUAGES: Record<string, { name: string; dir: 'ltr' | 'rtl'; dict: Dictionary }> = {
  en: { name: 'English', dir: 'ltr', dict: en },
  uk: { name: 'Українська', dir: 'ltr', dict: uk },
  he: { name: 'עברית', dir: 'rtl', dict: he },
  da: { name: 'Dansk', dir: 'ltr', dict: da },
  ar: { name: 'العربية', dir: 'rtl', dict: ar },
  ru: { name: 'Русский', dir: 'ltr', dict: ru },
};

const STORAGE_KEY = 'refuge.lang';
let current = 'en';

export function language(): string {
  return current;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = LANGUAGES[current].dict[key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? formatParam(params[name]) : `{${name}}`));
}

function formatParam(v: string | number): string {
  return typeof v === 'number' ? new Intl.NumberFormat(current).format(v) : v;
}

export function formatTime(iso: string | null): string {
  if (!iso) return t('card.never');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function detectLanguage(): string {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl && LANGUAGES[fromUrl]) return fromUrl;
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && LANGUAGES[stored]) return stored;
  for (const l of navigator.languages ?? []) {
    const code = l.slice(0, 2).toLowerCase();
    if (LANGUAGES[code]) return code;
  }
  return 'en';
}

/** Switches language, sets lang/dir on <html>, translates static markup and tells screens to redraw. */
export function setLanguage(code: string): void {
  current = LANGUAGES[code] ? code : 'en';
  localStorage.setItem(STORAGE_KEY, current);
  document.documentElement.lang = current;
  document.documentElement.dir = LANGUAGES[current].dir;
  translateStatic(document);
  document.dispatchEvent(new CustomEvent('refuge:language', { detail: current }));
}

/** Markup says what to translate: data-i18n="key" for text, data-i18n-attr="aria-label:key;title:key" for attributes. */
export function translateStatic(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as MessageKey);
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr!.split(';')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr, t(key as MessageKey));
    }
  }
}

export function languagePicker(select: HTMLSelectElement): void {
  select.replaceChildren(...Object.entries(LANGUAGES).map(([code, l]) => new Option(l.name, code, false, code === current)));
  for (const opt of select.options) opt.lang = opt.value;
  select.addEventListener('change', () => setLanguage(select.value));
}
