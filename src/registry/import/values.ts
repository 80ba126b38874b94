// Reading cell values the way people actually write them in registries.
import { LINK_LIMITS, type ProtectionClass, type ShelterKind, type ShelterStatus, type AccessType, type ShelterLink } from '../shelter.ts';
import { isWebUrl } from '../validate.ts';

export type Cell = string | number | boolean | null | undefined;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? m;
    const hex = e[1] === 'x' || e[1] === 'X';
    const code = parseInt(e.slice(hex ? 2 : 1), hex ? 16 : 10);
    // &#x110000; and beyond name no character (fromCodePoint would throw): the text is kept as written.
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/** Trims, drops HTML tags (some exports wrap addresses in links) and decodes entities; empty becomes null. */
export function text(v: Cell): string | null {
  if (v === null || v === undefined) return null;
  let s = String(v);
  if (s.includes('<')) s = s.replace(/<[^>]*>/g, ' ');
  if (s.includes('&')) s = decodeEntities(s);
  s = s.replace(/\s+/g, ' ').trim();
  // Our CSV export guards formula-like text with a leading apostrophe (export.ts); read back, it is taken off.
  if (/^'[=+\-@]/.test(s)) s = s.slice(1);
  return s === '' ? null : s;
}

/**
 * A number written as a number, "400", "400.0", "1,200", "1 200", "55,6761" (decimal comma).
 * Returns NaN when it is not a number and null when the cell is empty.
 */
export function number(v: Cell): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return NaN;
  // Spaces and apostrophes group thousands; a trailing separator is a typing slip ("31.7618,").
  let s = v.trim().replace(/[\s\u00a0\u202f']/g, '').replace(/[,;]+$/, '');
  if (s === '') return null;
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, ''); // 1,200 or 1,200.5
  else if (/^[+-]?\d{1,3}(\.\d{3})+,\d+$/.test(s)) s = s.replace(/\./g, '').replace(',', '.'); // 1.200,5
  else if (/^[+-]?\d+,\d+$/.test(s)) s = s.replace(',', '.'); // 55,6761
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return NaN;
  return Number(s);
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'ja', 'j', 'kylla', 'kyllä', 'так', 'да', 'כן', 'x', 'oui', 'si', 'sí']);
const FALSE = new Set(['false', 'no', 'n', '0', 'nej', 'nei', 'ei', 'ні', 'нет', 'לא', 'non']);

/** true, false, null for empty; undefined when unreadable. */
export function bool(v: Cell): boolean | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  const s = v.trim().toLocaleLowerCase();
  if (s === '') return null;
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return undefined;
}

const KIND_WORDS: Array<[RegExp, ShelterKind]> = [
  [/metro|subway|underground station|u-?bahn|station|метро|מטרו/i, 'metro-station'],
  [/park|garage|p-?k(æ|ae)lder|pysäköinti|паркінг|חניון/i, 'underground-parking'],
  [/underpass|tunnel|passage|подземн|тунел/i, 'underpass'],
  [/basement|cellar|k(æ|ae)lder|kjeller|källare|kellari|підвал|подвал|מרתף/i, 'basement'],
  [/purpose|public shelter|shelter|bunker|bomb|beskyttelsesrum|tilfluktsrom|skyddsrum|väestönsuoja|укриття|сховище|убежище|מקלט|ממ"?ד/i, 'purpose-built'],
];

export function kind(v: Cell): ShelterKind | null {
  const s = text(v);
  if (!s) return null;
  const exact = ['basement', 'purpose-built', 'metro-station', 'underground-parking', 'underpass', 'other'].find((k) => k === s.toLowerCase());
  if (exact) return exact as ShelterKind;
  for (const [re, k] of KIND_WORDS) if (re.test(s)) return k;
  return 'other';
}

export function protectionClass(v: Cell): ProtectionClass | undefined | null {
  const s = text(v);
  if (!s) return null;
  const m = /^(?:class|klasse|klass|luokka)?\s*([abc])$/i.exec(s);
  if (m) return m[1].toUpperCase() as ProtectionClass;
  if (/^unknown|ukendt|tuntematon$/i.test(s)) return 'unknown';
  return undefined;
}

const STATUS_WORDS: Record<string, ShelterStatus> = { open: 'open', åben: 'open', aaben: 'open', auki: 'open', closed: 'closed', lukket: 'closed', kiinni: 'closed', locked: 'locked', låst: 'locked', full: 'full', fuld: 'full', täynnä: 'full', unknown: 'unknown' };

export function status(v: Cell): ShelterStatus | undefined | null {
  const s = text(v);
  if (!s) return null;
  return STATUS_WORDS[s.toLocaleLowerCase()];
}

export function access(v: Cell): AccessType | undefined | null {
  const s = text(v)?.toLocaleLowerCase();
  if (!s) return null;
  if (/always|24\/?7|open|altid|aina/.test(s)) return 'always-open';
  if (/key|nøgle|noegle|avain/.test(s)) return 'key-holder';
  if (s === 'unknown') return 'unknown';
  return undefined;
}

/** What a well-known link is, from its host: the card names it so ("Waze"); null for any other site. */
export function linkLabel(url: string): string | null {
  let host: string;
  let path: string;
  try {
    const u = new URL(url);
    host = u.hostname.toLowerCase();
    path = u.pathname;
  } catch {
    return null;
  }
  const is = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  if (is('waze.com')) return 'Waze';
  if (is('maps.apple.com')) return 'Apple Maps';
  if (is('maps.app.goo.gl') || is('maps.google.com') || (/^(www\.)?google\.[a-z.]+$/.test(host) && path.startsWith('/maps')) || (is('goo.gl') && path.startsWith('/maps'))) return 'Google Maps';
  if (is('openstreetmap.org') || is('osm.org')) return 'OpenStreetMap';
  return null;
}

/** The web addresses inside `<a href="...">` of a cell (some registries wrap the address in a Waze link). */
export function hrefs(v: Cell): string[] {
  if (typeof v !== 'string' || !v.includes('<')) return [];
  const out: string[] = [];
  for (const m of v.matchAll(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const url = decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim());
    if (isWebUrl(url) && url.length <= LINK_LIMITS.url) out.push(url);
  }
  return out;
}

const NO_VALUE = new Set(['-', '–', '—', 'n/a', 'na', 'none', 'null']);

/**
 * The links of a link column: one or more web addresses separated by spaces ("www." is read as https://), or the
 * JSON list our own GeoJSON and CSV exports write ([{"label":…,"url":…}]). Empty (or "-", "n/a") is null; anything
 * that is not an http(s) address is undefined (a row problem naming the cell).
 */
export function links(v: Cell): ShelterLink[] | null | undefined {
  const s = typeof v === 'string' && /^\s*[[{]/.test(v) ? v.trim() : text(v);
  if (s === null || NO_VALUE.has(s.toLowerCase())) return null;
  let items: Array<{ label: string | null; url: string }>;
  if (s.startsWith('[') || s.startsWith('{')) {
    let parsed: unknown;
    try { parsed = JSON.parse(s); } catch { return undefined; }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    items = [];
    for (const l of list) {
      if (typeof l === 'string') items.push({ label: null, url: l.trim() });
      else if (l && typeof l === 'object' && typeof (l as { url?: unknown }).url === 'string') {
        const label = (l as { label?: unknown }).label;
        items.push({ label: typeof label === 'string' && label.trim() ? label.trim() : null, url: (l as { url: string }).url.trim() });
      } else return undefined;
    }
  } else {
    items = s.split(/\s+/).map((url) => ({ label: null, url: /^www\./i.test(url) ? `https://${url}` : url }));
  }
  if (items.some((l) => !isWebUrl(l.url))) return undefined;
  return items.map((l) => ({ label: l.label ?? linkLabel(l.url), url: l.url }));
}
