// Address interpolation (OSM `addr:interpolation` ways): a way whose numbered nodes carry addr:housenumber stands for
// the house numbers between each two of them, spaced evenly along it. Pure functions; src/network/street-names.ts
// reads the ways and nodes and places the numbers on their streets.
import { haversineMeters } from './geometry.ts';

/** A way that would stand for more numbers than this is a mapping error (a typo such as 2..2000): left out whole. */
export const MAX_INTERPOLATED_PER_WAY = 1000;

/** How a way counts: a numeric step (odd and even: 2, all: 1, "3": 3) or letters after one number (12a..12f). */
export type InterpolationKind = { step: number; parity: 0 | 1 | null } | { alphabetic: true };

/** The kind of an addr:interpolation value, or null for values that name no scheme ("yes", "both", "1-10"). */
export function interpolationKind(value: string | undefined): InterpolationKind | null {
  const v = (value ?? '').trim().toLowerCase();
  if (v === 'odd') return { step: 2, parity: 1 };
  if (v === 'even') return { step: 2, parity: 0 };
  if (v === 'all') return { step: 1, parity: null };
  if (v === 'alphabetic') return { alphabetic: true };
  if (/^[1-9]\d{0,2}$/.test(v)) return { step: Number(v), parity: null };
  return null;
}

export type RangeProblem = 'badEnds' | 'tooLong';

const PLAIN = /^\p{Nd}{1,7}$/u;
const LETTERED = /^(\p{Nd}{1,7}) ?(\p{Ll}|\p{Lu})$/u;

/**
 * The numbers strictly between two ends, from `from` towards `to` (a way may run down the street: 25..9 is 23, 21...).
 * Numeric kinds need plain whole numbers on the scheme (both odd for odd, a multiple of the step apart); alphabetic
 * needs one number with a letter at each end (12a..12f, written as the first end writes it: "12 b" after "12 a").
 * Ends that are equal stand for nothing between them.
 */
export function numbersBetween(from: string, to: string, kind: InterpolationKind, cap = MAX_INTERPOLATED_PER_WAY): string[] | RangeProblem {
  if ('alphabetic' in kind) {
    const a = LETTERED.exec(from);
    const b = LETTERED.exec(to);
    if (!a || !b || Number(a[1]) !== Number(b[1])) return 'badEnds';
    const upper = a[2] === a[2].toUpperCase();
    const x = a[2].toLowerCase().charCodeAt(0);
    const y = b[2].toLowerCase().charCodeAt(0);
    // Latin letters only: what comes between two letters of another script is not well defined.
    if (x < 97 || x > 122 || y < 97 || y > 122) return 'badEnds';
    const space = from.includes(' ') ? ' ' : '';
    const out: string[] = [];
    if (x === y) return out;
    const dir = y > x ? 1 : -1;
    for (let c = x + dir; c !== y; c += dir) {
      const letter = String.fromCharCode(c);
      out.push(`${a[1]}${space}${upper ? letter.toUpperCase() : letter}`);
    }
    return out;
  }
  if (!PLAIN.test(from) || !PLAIN.test(to)) return 'badEnds';
  const a = Number(from);
  const b = Number(to);
  if (a === 0 || b === 0) return 'badEnds';
  if (kind.parity !== null && (a % 2 !== kind.parity || b % 2 !== kind.parity)) return 'badEnds';
  if ((b - a) % kind.step !== 0) return 'badEnds';
  if (a === b) return [];
  const count = Math.abs(b - a) / kind.step - 1;
  if (count > cap) return 'tooLong';
  const out: string[] = [];
  const dir = b > a ? kind.step : -kind.step;
  for (let n = a + dir; n !== b; n += dir) out.push(String(n));
  return out;
}

/** `count` points evenly spaced strictly inside a line (at 1/(count+1), 2/(count+1)... of its length). */
export function pointsAlong(coords: ReadonlyArray<readonly [number, number]>, count: number): Array<[number, number]> {
  if (count <= 0 || coords.length === 0) return [];
  const cum = [0];
  for (let i = 1; i < coords.length; i++) cum.push(cum[i - 1] + haversineMeters(coords[i - 1][1], coords[i - 1][0], coords[i][1], coords[i][0]));
  const total = cum[cum.length - 1];
  const out: Array<[number, number]> = [];
  let seg = 1;
  for (let k = 1; k <= count; k++) {
    if (total === 0) { out.push([coords[0][0], coords[0][1]]); continue; }
    const at = (total * k) / (count + 1);
    while (seg < coords.length - 1 && cum[seg] < at) seg++;
    const len = cum[seg] - cum[seg - 1];
    const f = len > 0 ? (at - cum[seg - 1]) / len : 0;
    const [x1, y1] = coords[seg - 1];
    const [x2, y2] = coords[seg];
    out.push([x1 + (x2 - x1) * f, y1 + (y2 - y1) * f]);
  }
  return out;
}
