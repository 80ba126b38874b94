// Text folding and matching for the residents' address search (pure: no DOM, unit-tested in test/web/text-fold.test.ts).
// Folding makes what people type meet what the registry and OpenStreetMap wrote: case, accents and other marks
// (Danish ø/æ/å, Hebrew points, Arabic vowel marks, Ukrainian й/ї), apostrophes and punctuation.
//
// A query matches an entry when every word of the query is found in the entry: a whole word, the start of a word
// ("nørre" in "Nørrebrogade") or, from three letters on, inside a word ("brogade"). A number must match a number of
// the entry (a house number or postcode; "3" matches "3A"), except that a street without house numbers still matches
// with the number set aside.

/** Letters that do not decompose into a base letter and a mark, as a reader types them without it. */
const SPECIAL: Record<string, string> = {
  ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't',
  // Hebrew final letters -> their ordinary forms (a prefix typed mid-word uses the ordinary form).
  ך: 'כ', ם: 'מ', ן: 'נ', ף: 'פ', ץ: 'צ',
  // Arabic: the forms of alef, teh marbuta and alef maksura as people type them; tatweel is decoration.
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ة': 'ه', 'ى': 'ي', 'ـ': '',
  // Ukrainian ґ is often typed as г.
  'ґ': 'г',
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL).join('')}]`, 'g');
// Apostrophes and look-alikes (Ukrainian uses U+02BC officially, U+2019 and U+0027 in practice; Hebrew geresh and
// gershayim mark abbreviations): dropped, so "Знам'янка", "Знамʼянка", "Знам’янка" and "Знамянка" are one word.
const APOSTROPHES = /['\u2018\u2019\u02BC\u02B9\u02BB\u0060\u00B4\u2032\u05F3\u05F4"\u201C\u201D]/g;

/**
 * Lower case, marks removed (accents, Hebrew points, Arabic harakat), special letters spelt out, apostrophes
 * dropped, anything else that is not a letter or digit a single space. The one fold of the web app: the address
 * search and the composer's region search (region-search.ts) compare in it.
 */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}+/gu, '')
    .replace(SPECIAL_RE, (c) => SPECIAL[c]!)
    .replace(APOSTROPHES, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The folded words of a text; a number glued to letters is split off ("12b" stays, "nr.12" gives "nr", "12"). */
export function words(text: string): string[] {
  const f = fold(text);
  return f ? f.split(' ') : [];
}

const isNumber = (w: string) => /^\p{N}/u.test(w);

export type PlaceKind = 'shelter' | 'street' | 'region';

export interface PlaceEntry {
  kind: PlaceKind;
  /** What the list shows first (the shelter's name, the street's name, the region's name). */
  label: string;
  /** What it shows second (the shelter's address, the street's area), or null. */
  detail: string | null;
  /** The representative point [lon, lat] and, for a long street, more points along it. */
  points: Array<[number, number]>;
  /** The shelter's id, the region's code. */
  id: string | null;
}

interface Prepared {
  entry: PlaceEntry;
  /** The label's words, then the detail's. */
  words: string[];
  labelWords: number;
  hasNumbers: boolean;
}

export interface PlaceMatch {
  entry: PlaceEntry;
  score: number;
  /** The query's numbers were set aside (a street has no house numbers). */
  numberIgnored: boolean;
}

/** The place index as served by GET /api/places.json (src/registry/places.ts). */
export interface PlaceIndexDoc {
  version: number;
  shelters: Array<[string, string, string | null, number, number]>;
  streets: Array<[string, string | null, number[]]>;
  regions: Array<[string, string, number, number]>;
  streetSource?: { file: string | null; available: boolean; reason?: string };
}

/** The entries of a place index document. */
export function entriesOf(doc: PlaceIndexDoc): PlaceEntry[] {
  const out: PlaceEntry[] = [];
  for (const [id, name, address, lon, lat] of doc.shelters ?? []) out.push({ kind: 'shelter', label: name, detail: address, points: [[lon, lat]], id });
  for (const [name, area, flat] of doc.streets ?? []) {
    const points: Array<[number, number]> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) points.push([flat[i], flat[i + 1]]);
    if (points.length > 0) out.push({ kind: 'street', label: name, detail: area, points, id: null });
  }
  for (const [code, name, lon, lat] of doc.regions ?? []) out.push({ kind: 'region', label: name, detail: null, points: [[lon, lat]], id: code });
  return out;
}

const KIND_ORDER: Record<PlaceKind, number> = { street: 0, shelter: 1, region: 2 };

export class PlaceMatcher {
  private readonly prepared: Prepared[];

  constructor(entries: PlaceEntry[]) {
    this.prepared = entries.map((entry) => {
      const label = words(entry.label);
      const all = entry.detail ? [...label, ...words(entry.detail)] : label;
      return { entry, words: all, labelWords: label.length, hasNumbers: all.some(isNumber) };
    });
  }

  get size(): number {
    return this.prepared.length;
  }

  /**
   * The best matches for a query, best first: more exact word matches first, a match at the start of the name
   * before one further in, then (on a tie) streets before shelters before areas, the nearest to `near` ([lon, lat],
   * e.g. the map's centre) first, shorter names first.
   */
  search(query: string, opts: { limit?: number; near?: [number, number] | null } = {}): PlaceMatch[] {
    const q = words(query);
    if (q.length === 0) return [];
    const limit = opts.limit ?? 8;
    const texts = q.filter((w) => !isNumber(w));
    const numbers = q.filter(isNumber);
    const found: Array<PlaceMatch & { distance: number; labelLength: number }> = [];
    for (const p of this.prepared) {
      let score = 0;
      let ok = true;
      for (let i = 0; i < texts.length && ok; i++) {
        // The last word may be half typed: the start of a word counts as much as the whole word.
        const s = wordScore(texts[i], p.words, p.labelWords, i === q.length - 1);
        if (s === 0) ok = false;
        else score += s + (i === 0 && p.words[0]?.startsWith(texts[0]) ? 2 : 0);
      }
      if (!ok) continue;
      let numberIgnored = false;
      for (const n of numbers) {
        const s = numberScore(n, p.words);
        if (s > 0) score += s;
        else if (!p.hasNumbers && p.entry.kind === 'street' && texts.length > 0) numberIgnored = true;
        else { ok = false; break; }
      }
      if (!ok) continue;
      if (numberIgnored) score -= 1;
      const near = opts.near;
      const distance = near ? Math.min(...p.entry.points.map(([lon, lat]) => approxMeters(near, [lon, lat]))) : 0;
      found.push({ entry: p.entry, score, numberIgnored, distance, labelLength: p.entry.label.length });
    }
    found.sort((a, b) => b.score - a.score
      || Number(a.numberIgnored) - Number(b.numberIgnored)
      || KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind]
      || bucket(a.distance) - bucket(b.distance)
      || a.labelLength - b.labelLength
      || a.entry.label.localeCompare(b.entry.label));
    return found.slice(0, limit).map(({ entry, score, numberIgnored }) => ({ entry, score, numberIgnored }));
  }
}

/**
 * 5 for a whole word of the name, 4 for the start of one (5 too when the word is still being typed), 3/2 the same in
 * the detail, 1 inside a word (3+ letters).
 */
function wordScore(token: string, ws: string[], labelWords: number, typing: boolean): number {
  let best = 0;
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    const inLabel = i < labelWords;
    let s = 0;
    if (w === token) s = inLabel ? 5 : 3;
    else if (w.startsWith(token)) s = (inLabel ? 4 : 2) + (typing ? 1 : 0);
    else if (token.length >= 3 && w.includes(token)) s = 1;
    if (s > best) best = s;
  }
  return best;
}

/** 3 for the same number, 1 for a number starting with it ("3" in "3a"); 0 otherwise. */
function numberScore(n: string, ws: string[]): number {
  let best = 0;
  for (const w of ws) {
    if (!isNumber(w)) continue;
    if (w === n) return 3;
    if (w.startsWith(n) && !/^\p{N}/u.test(w.slice(n.length))) best = 1;
  }
  return best;
}

/** Distances in 500 m steps, so a small difference does not outrank a better name. */
const bucket = (m: number) => Math.floor(m / 500);

export function approxMeters(a: [number, number], b: [number, number]): number {
  const kx = 111_320 * Math.cos(((a[1] + b[1]) / 2) * Math.PI / 180);
  return Math.hypot((a[0] - b[0]) * kx, (a[1] - b[1]) * 110_574);
}

/** Of a place's points, the one to search from: the one nearest `near` when that is within `within` metres, else the first. */
export function pointFor(entry: PlaceEntry, near: [number, number] | null, within = 1500): [number, number] {
  if (!near || entry.points.length === 1) return entry.points[0];
  let best = entry.points[0];
  let bestD = Infinity;
  for (const p of entry.points) {
    const d = approxMeters(near, p);
    if (d < bestD) { bestD = d; best = p; }
  }
  return bestD <= within ? best : entry.points[0];
}
