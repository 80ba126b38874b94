// The interface languages, which one the resident reads, and where each dictionary comes from. No dictionary is in
// here and nothing waits: the page's entry module asks for the resident's dictionary from this module at once, while
// the alert stream connects (i18n/index.ts, which the screens import, waits for it).
import type { Dictionary } from './en.ts';

export const LANGUAGES: Record<string, { name: string; dir: 'ltr' | 'rtl' }> = {
  en: { name: 'English', dir: 'ltr' },
  uk: { name: 'Українська', dir: 'ltr' },
  he: { name: 'עברית', dir: 'rtl' },
  da: { name: 'Dansk', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
  ru: { name: 'Русский', dir: 'ltr' },
};

/** Each dictionary is a chunk of its own (the build makes it one JSON literal: web/vite.config.ts). */
const DICTIONARIES: Record<string, () => Promise<{ default: Dictionary }>> = {
  en: () => import('./en.ts'),
  uk: () => import('./uk.ts'),
  he: () => import('./he.ts'),
  da: () => import('./da.ts'),
  ar: () => import('./ar.ts'),
  ru: () => import('./ru.ts'),
};

export const STORAGE_KEY = 'refuge.lang';

/** The language a code names, English for one the app does not have. */
export function supported(code: string): string {
  return LANGUAGES[code] ? code : 'en';
}

/** The language asked for in the address (?lang=), else the one chosen before on this device, else the browser's. */
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

/** A language's dictionary (the browser fetches each chunk once, however often it is asked). */
export async function fetchDictionary(code: string): Promise<Dictionary> {
  return (await DICTIONARIES[supported(code)]()).default;
}
