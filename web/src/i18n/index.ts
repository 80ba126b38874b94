// Every visible string goes through t(). Languages are plain dictionaries; to add one, copy en.ts, translate it, and
// list it in languages.ts (the type checker refuses a dictionary with a missing key).
//
// Only the resident's language is loaded: each dictionary is a chunk of its own (languages.ts), here before anything
// that imports this module runs (top-level await), so t() is synchronous everywhere. Another language is fetched
// when it is chosen.
import type { Dictionary, MessageKey } from './en.ts';
import { LANGUAGES, STORAGE_KEY, detectLanguage, fetchDictionary, supported } from './languages.ts';

export type { MessageKey };
export { LANGUAGES, detectLanguage };

const loaded = new Map<string, Dictionary>();
let current = 'en';
/** The language last asked for (setLanguage), which may still be on its way. */
let wanted = 'en';

export function language(): string {
  return current;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const dict = loaded.get(current);
  if (!dict) throw new Error(`The ${current} dictionary is not loaded (i18n/index.ts loads it before its importers run)`);
  const text = dict[key] ?? key;
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

/** Fetches a language's dictionary once (an unknown code is English). */
export async function loadLanguage(code: string): Promise<void> {
  const c = supported(code);
  if (!loaded.has(c)) loaded.set(c, await fetchDictionary(c));
}

/**
 * Switches language, sets lang/dir on <html>, translates static markup and tells screens to redraw. A language already
 * loaded (the start language always is) switches at once, before this returns; another switches once it has arrived.
 */
export function setLanguage(code: string): Promise<void> {
  const c = supported(code);
  wanted = c;
  // The choice is kept at once: a page opened next (or a reload) is in it even if this one is still fetching it.
  localStorage.setItem(STORAGE_KEY, c);
  if (loaded.has(c)) {
    apply(c);
    return Promise.resolve();
  }
  // Chosen again meanwhile: only the last choice is applied when its dictionary arrives. One that cannot be fetched
  // (offline before it was ever cached) leaves the page, and the next visit, in the language on screen.
  return loadLanguage(c).then(() => { if (wanted === c) apply(c); }, (err: unknown) => {
    if (wanted === c) { wanted = current; localStorage.setItem(STORAGE_KEY, current); }
    throw err;
  });
}

function apply(code: string): void {
  current = code;
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
  select.addEventListener('change', () => {
    const chosen = select.value;
    void setLanguage(chosen).catch((err: unknown) => {
      select.value = current;
      console.error(`The ${chosen} strings could not be fetched`, err);
    });
  });
}

// In the browser, the resident's language is here before any module that calls t() runs (Node tests import this
// module for LANGUAGES only).
if (typeof document !== 'undefined') {
  let start = detectLanguage();
  try {
    await loadLanguage(start);
  } catch (err) {
    // A page with no words cannot show an alert: English (precached with the app, like every language) instead.
    if (start === 'en') throw err;
    console.error(`The ${start} strings could not be fetched; showing English`, err);
    start = 'en';
    await loadLanguage(start);
  }
  current = wanted = start;
}
