// Region search by name: tolerant of case, accents and other marks (Danish, Hebrew niqqud, Arabic harakat), of the
// ways an apostrophe is typed (Ukrainian ʼ ' ’), and of partial words ("kob v" finds "København V"). Pure: the
// composer's combobox and the tests use the same code.

import { fold } from './text-fold.ts';

/** One searchable region: its names in any language (the first is the display name) and its code. */
export interface SearchEntry {
  code: string;
  names: readonly string[];
}

/** How a name matched, best first. */
export const MatchRank = { Exact: 0, Prefix: 1, WordPrefix: 2, Substring: 3 } as const;
export type MatchRank = (typeof MatchRank)[keyof typeof MatchRank];

export interface SearchHit<E extends SearchEntry = SearchEntry> {
  entry: E;
  rank: MatchRank;
  /** The name (or code) that matched best: shown when it is not the display name, e.g. another language. */
  matched: string;
}

/** The form names are compared in: the web app's one fold (text-fold.ts). */
export const normalizeName = fold;

interface Prepared<E extends SearchEntry> {
  entry: E;
  /** [original, normalized, its words] per name and the code. */
  forms: Array<{ text: string; norm: string; words: string[] }>;
}

/** Normalizes every name once; search() then costs a few string comparisons per name. */
export class RegionSearch<E extends SearchEntry = SearchEntry> {
  private readonly items: Prepared<E>[];

  constructor(entries: Iterable<E>) {
    const form = (text: string, norm = normalizeName(text)) => ({ text, norm, words: norm ? norm.split(' ') : [] });
    this.items = [...entries].map((entry) => ({
      entry,
      forms: [
        ...[...new Set([...entry.names, entry.code])].map((text) => form(text)),
        // "Indre By (DK-IB)", the way the composer shows a region, matches it exactly.
        ...(entry.names[0] ? [form(entry.names[0], normalizeName(`${entry.names[0]} ${entry.code}`))] : []),
      ].filter((f) => f.norm),
    }));
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * Regions matching `query`, best first: exact name > name starting with the query > every query word the start of
   * a different word of the name (in any order) > the query inside the name. Ties: shorter name, then alphabetical.
   */
  search(query: string, limit = 20): SearchHit<E>[] {
    const q = normalizeName(query);
    if (!q) return [];
    const qWords = q.split(' ');
    const qCompact = q.replace(/ /g, '');
    const hits: Array<SearchHit<E> & { len: number }> = [];
    for (const item of this.items) {
      let best: { rank: MatchRank; text: string; len: number } | null = null;
      for (const f of item.forms) {
        const rank = rankOf(f.norm, f.words, q, qWords, qCompact);
        if (rank === null) continue;
        if (!best || rank < best.rank || (rank === best.rank && f.norm.length < best.len)) best = { rank, text: f.text, len: f.norm.length };
      }
      if (best) hits.push({ entry: item.entry, rank: best.rank, matched: best.text, len: best.len });
    }
    hits.sort((a, b) => a.rank - b.rank || a.len - b.len || a.entry.names[0].localeCompare(b.entry.names[0]) || (a.entry.code < b.entry.code ? -1 : a.entry.code > b.entry.code ? 1 : 0));
    return hits.slice(0, limit).map(({ entry, rank, matched }) => ({ entry, rank, matched }));
  }
}

function rankOf(norm: string, words: string[], q: string, qWords: string[], qCompact: string): MatchRank | null {
  if (norm === q) return MatchRank.Exact;
  if (norm.startsWith(q)) return MatchRank.Prefix;
  if (wordPrefixes(words, qWords)) return MatchRank.WordPrefix;
  if (norm.includes(q) || norm.replace(/ /g, '').includes(qCompact)) return MatchRank.Substring;
  return null;
}

/** Whether each query word starts a different word of the name (greedy over the query's longer words first). */
function wordPrefixes(words: string[], qWords: string[]): boolean {
  if (qWords.length > words.length) return false;
  const used = new Array<boolean>(words.length).fill(false);
  const order = [...qWords].sort((a, b) => b.length - a.length);
  return assign(order, 0, words, used);
}

function assign(qWords: string[], i: number, words: string[], used: boolean[]): boolean {
  if (i === qWords.length) return true;
  for (let w = 0; w < words.length; w++) {
    if (used[w] || !words[w].startsWith(qWords[i])) continue;
    used[w] = true;
    if (assign(qWords, i + 1, words, used)) return true;
    used[w] = false;
  }
  return false;
}
