// Detects latitude and longitude given the wrong way round. Hard evidence first (a "latitude" beyond ±90), then
// where the points fall. Registries list buildings, so the reading that puts most of them on land wins:
//
// - Land is Natural Earth 1:50m (src/geo/land.ts). Its coasts are generalised by a few kilometres (central
//   Copenhagen lies up to 2 km "offshore" at that scale), so a point counts as ashore when it is on land or
//   within COAST_KM of the coast: a waterfront shelter never counts as at sea.
// - A reading is decided when it has at least CLEAR of the sampled points ashore and MARGIN more of them than the
//   other reading. With one or two rows this means all of them ashore one way and none the other way.
// - Points south of 60°S never count as ashore (no shelter registries in Antarctica).
// - Otherwise country borders (country-coder, the iD editor's offline border set) are consulted. They include
//   territorial waters (Copenhagen read the other way round is in Oman's waters), so they only decide when one
//   reading is in no country at all. When both readings stay plausible (both on land, in different countries,
//   or both at sea), shelters already in the registry decide, and failing that the labels stand and the report
//   says the reading is uncertain.
//
// Known limit: a registry of a small island that the 1:50m map leaves out reads as "at sea"; if its points read
// the other way round happened to fall on land, the file would be swapped. `--coordinates as-labelled` overrides.
import { createRequire } from 'node:module';
import { landIndex } from '../../geo/land.ts';

// Loaded on first use: building its border index takes a few hundred milliseconds that most commands never need.
let iso1A2Code: ((loc: [number, number]) => string | null) | null = null;
function countryAt(loc: [number, number]): string | null {
  iso1A2Code ??= (createRequire(import.meta.url)('@rapideditor/country-coder') as { iso1A2Code: (loc: [number, number]) => string | null }).iso1A2Code;
  return iso1A2Code(loc);
}

export interface SwapVerdict {
  swap: boolean;
  reason: string | null;
  /** Set when both readings are plausible (or neither is) and the labels were kept. */
  uncertain: string | null;
}

type LatLon = [lat: number, lon: number];
const SAMPLE = 400;
/** A point this close to the 1:50m coast counts as ashore (the map's coasts are off by up to ~2 km). */
export const COAST_KM = 5;
/**
 * South of this no point counts as ashore: nobody keeps a civil-protection shelter registry in Antarctica, and
 * without this rule every city near the equator read the other way round lands on it (Quito becomes 78°S).
 */
const ANTARCTIC = -60;
/** Share of sampled points ashore a reading needs to be decided... */
const CLEAR = 0.6;
/** ...and how much larger that share must be than the other reading's. */
const MARGIN = 0.5;

function commonest(codes: Array<string | null>): string {
  const count = new Map<string, number>();
  for (const c of codes) if (c) count.set(c, (count.get(c) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Reading {
  ashore: number;
  countries: Array<string | null>;
  inCountry: number;
}

function read(points: LatLon[]): Reading {
  const land = landIndex();
  let ashore = 0;
  const countries: Array<string | null> = [];
  for (const [lat, lon] of points) {
    if (Math.abs(lat) > 90) {
      countries.push(null);
      continue;
    }
    if (lat >= ANTARCTIC && land.ashore(lat, lon, COAST_KM)) ashore++;
    countries.push(countryAt([lon, lat]));
  }
  return { ashore, countries, inCountry: countries.filter(Boolean).length };
}

/** Which reading the shelters already in the registry point to, if clearly one. */
function byContext(finite: LatLon[], context: LatLon[]): 'labelled' | 'swapped' | null {
  if (context.length === 0) return null;
  const c: LatLon = [median(context.map((p) => p[0])), median(context.map((p) => p[1]))];
  const m: LatLon = [median(finite.map((p) => p[0])), median(finite.map((p) => p[1]))];
  const dA = Math.hypot(m[0] - c[0], m[1] - c[1]), dB = Math.hypot(m[1] - c[0], m[0] - c[1]);
  if (dB < dA / 10) return 'swapped';
  if (dA < dB / 10) return 'labelled';
  return null;
}

/** `context`: positions of shelters already known to the registry, used to break a tie. */
export function detectSwap(points: LatLon[], context: LatLon[] = []): SwapVerdict {
  const finite = points.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (finite.length === 0) return { swap: false, reason: null, uncertain: null };
  const latOut = finite.filter(([lat]) => Math.abs(lat) > 90).length;
  const lonOut = finite.filter(([, lon]) => Math.abs(lon) > 90).length;
  if (latOut > 0 && lonOut === 0) return { swap: true, reason: `${latOut} latitude values lie beyond ±90°`, uncertain: null };
  if (latOut > 0) return { swap: false, reason: null, uncertain: null };

  const step = Math.max(1, Math.floor(finite.length / SAMPLE));
  const sample: LatLon[] = [];
  for (let i = 0; i < finite.length; i += step) sample.push(finite[i]);
  const n = sample.length;
  const A = read(sample);
  const B = read(sample.map(([lat, lon]): LatLon => [lon, lat]));
  const shares = `as labelled, ${A.ashore} of ${n} sampled ${n === 1 ? 'point is' : 'points are'} on land or within ${COAST_KM} km of the coast; swapped, ${B.ashore} ${B.ashore === 1 ? 'is' : 'are'}`;

  // 1. Land decides the clear cases.
  if (B.ashore >= CLEAR * n && B.ashore - A.ashore >= MARGIN * n) {
    return { swap: true, reason: `${shares} (${commonest(B.countries)})`, uncertain: null };
  }
  if (A.ashore >= CLEAR * n && A.ashore - B.ashore >= MARGIN * n) return { swap: false, reason: null, uncertain: null };

  // 2. A reading in no country at all (open sea) loses to one that is in a country.
  if (B.inCountry >= 0.9 * n && A.inCountry <= 0.5 * n && B.ashore > A.ashore) {
    return { swap: true, reason: `${shares}; as labelled, ${A.inCountry} fall in a country, swapped, ${B.inCountry} do (${commonest(B.countries)})`, uncertain: null };
  }
  const bothLow = A.ashore < CLEAR * n && B.ashore < CLEAR * n;
  const differ = commonest(A.countries) !== commonest(B.countries);
  if (!bothLow && !differ) return { swap: false, reason: null, uncertain: null };
  if (!bothLow && A.inCountry >= 0.9 * n && B.inCountry <= 0.5 * n) return { swap: false, reason: null, uncertain: null };

  // 3. Still plausible both ways (or neither): the registry's own shelters, else keep the labels and say so.
  const near = byContext(finite, context);
  if (near === 'swapped') return { swap: true, reason: `both readings are plausible (${shares}), and swapped the points lie among the shelters already in the registry`, uncertain: null };
  if (near === 'labelled') return { swap: false, reason: null, uncertain: null };
  if (bothLow) {
    return { swap: false, reason: null, uncertain: `read as labelled, but neither reading puts most points on land (${shares}), so check the map` };
  }
  return { swap: false, reason: null, uncertain: `read as labelled (points in ${commonest(A.countries)}); swapped they would be in ${commonest(B.countries)}, and both readings are plausible (${shares}), so check the map, and use --coordinates swapped if they are` };
}
