// Text folding and matching for the residents' address search (pure: no DOM, unit-tested in test/web/text-fold.test.ts).
// Folding makes what people type meet what the registry and OpenStreetMap wrote: case, accents and other marks
// (Danish ø/æ/å, Hebrew points, Arabic vowel marks, Ukrainian й/ї), apostrophes and punctuation.
//
// A query matches an entry when every word of the query is found in the entry: a whole word, the start of a word
// ("nørre" in "Nørrebrogade") or, from three letters on, inside a word ("brogade"). A number must match a number of
// the entry (a house number or postcode; "3" matches "3A"), except that a street without house numbers still matches
// with the number set aside. A street's house numbers (from the extract's addresses) make addresses: "vesterbrogade
// 12" or "12 vesterbrogade" is the house Vesterbrogade 12 (see PlaceMatcher.search).

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

/**
 * The words a query or a place is searched by: folded words, a number and a single letter after it glued ("12 b" is
 * "12b", as "12B" and "12b" are), so "Jagtvej 12 B" and "jagtvej 12b" meet.
 */
export function searchWords(text: string): string[] {
  const ws = words(text);
  const out: string[] = [];
  for (const w of ws) {
    const prev = out[out.length - 1];
    if (prev !== undefined && /^\p{N}+$/u.test(prev) && /^\p{L}$/u.test(w)) out[out.length - 1] = prev + w;
    else out.push(w);
  }
  return out;
}

export type PlaceKind = 'shelter' | 'street' | 'address' | 'region';

/** A house number on a street (from the extract's addresses). */
export interface House {
  /** As written: "12", "12A", "12-14". */
  number: string;
  at: [number, number];
  /** Postcode and city ("1620 København V"), or null. */
  area: string | null;
}

export interface PlaceEntry {
  kind: PlaceKind;
  /** What the list shows first (the shelter's name, the street's name with the house number, the region's name). */
  label: string;
  /** What it shows second (the shelter's address, the street's area, the house's postcode and city), or null. */
  detail: string | null;
  /** The representative point [lon, lat] and, for a long street, more points along it. */
  points: Array<[number, number]>;
  /** The shelter's id, the region's code. */
  id: string | null;
  /** A street's or region's other names (name:he, alt_name...): searched too. */
  alt?: string[];
  /** A street's house numbers: a query with a number finds the house. */
  houses?: House[];
}

/** A house prepared for matching: its number split into the number, a letter part and the end of a range. */
interface PreparedHouse {
  house: House;
  first: number;
  /** The whole number folded, without spaces ("12a", "12-14"). */
  key: string;
  /** Letters after the first number ("a" in "12A"), folded. */
  suffix: string;
  /** The end of a range ("12-14" -> 14), or null. */
  last: number | null;
  areaWords: string[];
}

interface Prepared {
  entry: PlaceEntry;
  /** The name searched by: the entry's label, or one of its other names. */
  label: string;
  /** The label's words, then the detail's. */
  words: string[];
  labelWords: number;
  hasNumbers: boolean;
  houses: PreparedHouse[] | null;
  /** The entry's position, the same for its other names (one result per place). */
  base: number;
}

export interface PlaceMatch {
  entry: PlaceEntry;
  score: number;
  /** The query's numbers were set aside (a street has no house numbers, or none of them is the one asked for). */
  numberIgnored: boolean;
}

/** The place index as served by GET /api/places.json (src/registry/places.ts). */
export interface PlaceIndexDoc {
  version: number;
  shelters: Array<[string, string, string | null, number, number]>;
  /** [name, area, [lon, lat, ...], other names?, houses?: [[area, number, dlon, dlat, ...], ...]] */
  streets: Array<[string, string | null, number[], string[]?, Array<Array<string | number | null>>?]>;
  regions: Array<[string, string, number, number, string[]?]>;
  streetSource?: { file: string | null; available: boolean; reason?: string };
}

/** A street's houses from the document: per area, each house's point in 1e-5 degrees from the one before. */
function housesOf(groups: Array<Array<string | number | null>>, [lon0, lat0]: [number, number]): House[] {
  const out: House[] = [];
  for (const g of groups) {
    const area = typeof g[0] === 'string' ? g[0] : null;
    let x = Math.round(lon0 * 1e5);
    let y = Math.round(lat0 * 1e5);
    for (let i = 1; i + 2 < g.length; i += 3) {
      const dx = g[i + 1], dy = g[i + 2];
      if (typeof dx !== 'number' || typeof dy !== 'number' || g[i] === null) continue;
      x += dx;
      y += dy;
      out.push({ number: String(g[i]), at: [x / 1e5, y / 1e5], area });
    }
  }
  return out;
}

/** The entries of a place index document. */
export function entriesOf(doc: PlaceIndexDoc): PlaceEntry[] {
  const out: PlaceEntry[] = [];
  for (const [id, name, address, lon, lat] of doc.shelters ?? []) out.push({ kind: 'shelter', label: name, detail: address, points: [[lon, lat]], id });
  for (const [name, area, flat, alt, houses] of doc.streets ?? []) {
    const points: Array<[number, number]> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) points.push([flat[i], flat[i + 1]]);
    if (points.length === 0) continue;
    const entry: PlaceEntry = { kind: 'street', label: name, detail: area, points, id: null };
    if (Array.isArray(alt) && alt.length > 0) entry.alt = alt.filter((a) => typeof a === 'string');
    if (Array.isArray(houses) && houses.length > 0) entry.houses = housesOf(houses.filter(Array.isArray), points[0]);
    out.push(entry);
  }
  for (const [code, name, lon, lat, alt] of doc.regions ?? []) {
    const entry: PlaceEntry = { kind: 'region', label: name, detail: null, points: [[lon, lat]], id: code };
    if (Array.isArray(alt) && alt.length > 0) entry.alt = alt.filter((a) => typeof a === 'string');
    out.push(entry);
  }
  return out;
}

const KIND_ORDER: Record<PlaceKind, number> = { street: 0, shelter: 1, address: 2, region: 3 };

const HOUSE_NUMBER = /^(\p{Nd}+)\s*(\p{L}*)(?:\s*[-–]\s*(\p{Nd}+)\s*\p{L}*)?$/u;

/** `areas` folds each postcode and city once (a street has hundreds of houses, a city a few dozen postcodes). */
function prepareHouse(house: House, areas: Map<string, string[]>): PreparedHouse | null {
  const m = HOUSE_NUMBER.exec(house.number.trim());
  if (!m) return null;
  let areaWords: string[] = [];
  if (house.area) {
    areaWords = areas.get(house.area) ?? searchWords(house.area);
    areas.set(house.area, areaWords);
  }
  // Most numbers are plain ASCII ("12", "12A"): lower case is their fold, and much cheaper for 35,000 of them.
  const plain = /^[0-9A-Za-z]+$/.test(house.number);
  const key = plain ? house.number.toLowerCase() : fold(house.number).replace(/ /g, m[3] ? '-' : '');
  return { house, first: Number(m[1]), key, suffix: plain ? m[2].toLowerCase() : fold(m[2]), last: m[3] ? Number(m[3]) : null, areaWords };
}

/** At most this many houses of one street in the results, so other streets still show. */
const HOUSES_PER_STREET = 6;

export class PlaceMatcher {
  private readonly prepared: Prepared[];
  private readonly count: number;

  constructor(entries: PlaceEntry[]) {
    this.count = entries.length;
    this.prepared = [];
    const areas = new Map<string, string[]>();
    entries.forEach((entry, base) => {
      const houses = entry.houses?.length ? entry.houses.map((h) => prepareHouse(h, areas)).filter((h): h is PreparedHouse => h !== null) : null;
      for (const label of [entry.label, ...(entry.alt ?? [])]) {
        const lw = searchWords(label);
        // An other name is shown with the name itself beside it ("Skillnadsgatan" with "Erottajankatu").
        const detail = label === entry.label ? entry.detail : [entry.label, entry.detail].filter(Boolean).join(', ');
        const all = detail ? [...lw, ...searchWords(detail)] : lw;
        this.prepared.push({ entry, label, words: all, labelWords: lw.length, hasNumbers: all.some(isNumber), houses, base });
      }
    });
  }

  get size(): number {
    return this.count;
  }

  /**
   * The best matches for a query, best first: more exact word matches first, a match at the start of the name
   * before one further in, then (on a tie) streets before shelters before addresses before areas, the nearest to
   * `near` ([lon, lat], e.g. the map's centre) first, lower house numbers first, shorter names first.
   *
   * A query with a number finds the houses of a street: "vesterbrogade 12" and "12 vesterbrogade" the house 12, then
   * 12A and 12B (and a range "10-14"); a number still being typed at the end also its continuations ("1" -> 10, 11).
   * A postcode or city in the query must be the house's.
   */
  search(query: string, opts: { limit?: number; near?: [number, number] | null } = {}): PlaceMatch[] {
    const q = searchWords(query);
    if (q.length === 0) return [];
    const limit = opts.limit ?? 8;
    const texts = q.filter((w) => !isNumber(w));
    const numbers = q.filter(isNumber);
    // The last number is still being typed when nothing follows it.
    const typingNumber = isNumber(q[q.length - 1]) && !/[\s,]$/.test(query) ? q[q.length - 1] : null;
    const near = opts.near;
    type Found = PlaceMatch & { distance: number; order: number; labelLength: number };
    const found = new Map<string, Found>();
    const keep = (key: string, f: Found) => {
      const had = found.get(key);
      if (!had || f.score > had.score) found.set(key, f);
    };
    const distanceTo = (points: Array<[number, number]>) => (near ? Math.min(...points.map((p) => approxMeters(near, p))) : 0);

    for (const p of this.prepared) {
      let score = 0;
      const unmatched: string[] = [];
      for (let i = 0; i < texts.length; i++) {
        // The last word may be half typed: the start of a word counts as much as the whole word.
        const s = wordScore(texts[i], p.words, p.labelWords, i === q.length - 1);
        if (s === 0) unmatched.push(texts[i]);
        else score += s + (i === 0 && p.words[0]?.startsWith(texts[0]) ? 2 : 0);
      }
      // A word not in the street's name or area may still be in its houses' postcode and city.
      if (unmatched.length > 0 && !(p.houses && numbers.length > 0 && unmatched.length < texts.length)) continue;
      const entryOf = (): PlaceEntry => (p.label === p.entry.label ? p.entry : { ...p.entry, label: p.label, detail: [p.entry.label, p.entry.detail].filter(Boolean).join(', ') });

      if (p.houses && numbers.length > 0 && texts.length > 0) {
        const hits: Array<{ h: PreparedHouse; s: number }> = [];
        for (const h of p.houses) {
          const s = houseScore(h, numbers, unmatched, typingNumber);
          if (s > 0) hits.push({ h, s });
        }
        hits.sort((a, b) => b.s - a.s || a.h.first - b.h.first || a.h.key.localeCompare(b.h.key));
        for (const { h, s } of hits.slice(0, HOUSES_PER_STREET)) {
          const entry: PlaceEntry = { kind: 'address', label: `${p.label} ${h.house.number}`, detail: h.house.area ?? p.entry.detail, points: [h.house.at], id: null };
          keep(`h:${p.base}:${h.house.number}:${h.house.at.join()}`, { entry, score: score + s, numberIgnored: false, distance: distanceTo([h.house.at]), order: h.first, labelLength: entry.label.length });
        }
        if (hits.length > 0 || unmatched.length > 0) continue;
        // No such house known: the street itself, the number set aside.
        keep(`s:${p.base}`, { entry: entryOf(), score: score - 1, numberIgnored: true, distance: distanceTo(p.entry.points), order: 0, labelLength: p.label.length });
        continue;
      }
      if (unmatched.length > 0) continue;

      let ok = true;
      let numberIgnored = false;
      for (const n of numbers) {
        const s = numberScore(n, p.words);
        if (s > 0) score += s;
        else if (!p.hasNumbers && p.entry.kind === 'street' && texts.length > 0) numberIgnored = true;
        else { ok = false; break; }
      }
      if (!ok) continue;
      if (numberIgnored) score -= 1;
      keep(`s:${p.base}`, { entry: entryOf(), score, numberIgnored, distance: distanceTo(p.entry.points), order: 0, labelLength: p.label.length });
    }
    const sorted = [...found.values()].sort((a, b) => b.score - a.score
      || Number(a.numberIgnored) - Number(b.numberIgnored)
      || KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind]
      || bucket(a.distance) - bucket(b.distance)
      || a.order - b.order
      || a.labelLength - b.labelLength
      || a.entry.label.localeCompare(b.entry.label));
    return sorted.slice(0, limit).map(({ entry, score, numberIgnored }) => ({ entry, score, numberIgnored }));
  }
}

/**
 * How well a house answers the query's numbers (0: not at all). One number must be the house's: 3 the same ("12",
 * "12b" for 12B), 2 inside its range ("13" in 12-14), 1 the house with a letter ("12" for 12A), ½ a number still
 * being typed that the house's continues ("1" for 12). Any other number, and any word not found in the street's name,
 * must be in the house's postcode and city.
 */
function houseScore(h: PreparedHouse, numbers: string[], unmatched: string[], typing: string | null): number {
  let best = 0;
  let bestAt = -1;
  numbers.forEach((n, i) => {
    let s = 0;
    if (n === h.key) s = 3;
    else {
      const m = /^(\p{Nd}+)(\p{L}*)$/u.exec(n);
      if (m) {
        const v = Number(m[1]);
        if (!m[2] && h.last !== null && v >= h.first && v <= h.last) s = 2;
        else if (!m[2] && v === h.first && h.suffix) s = 1;
        else if (n === typing && h.key.startsWith(n)) s = 0.5;
      }
    }
    if (s > best) { best = s; bestAt = i; }
  });
  if (best === 0) return 0;
  let score = best;
  for (let i = 0; i < numbers.length; i++) {
    if (i === bestAt) continue;
    const s = numberScore(numbers[i], h.areaWords);
    if (s === 0 && !(h.last !== null && /^\p{Nd}+$/u.test(numbers[i]) && Number(numbers[i]) >= h.first && Number(numbers[i]) <= h.last)) return 0;
    score += s;
  }
  for (const w of unmatched) {
    const s = wordScore(w, h.areaWords, 0, false);
    if (s === 0) return 0;
    score += s;
  }
  return score;
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
