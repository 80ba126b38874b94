// Detects latitude and longitude given the wrong way round. Hard evidence first (a "latitude" beyond ±90),
// then where the points fall: real shelters are on land, so the reading that puts clearly more of them inside a
// country wins. Country borders come from country-coder (the iD editor's offline border set); they include
// territorial waters, so when both readings land in some country, shelters already in the registry decide,
// and failing that the labels stand and the report says the reading is uncertain.
import { createRequire } from 'node:module';

// Loaded on first use: building its border index takes a few hundred milliseconds that most commands never need.
let iso1A2Code: ((loc: [number, number]) => string | null) | null = null;
function countryAt(loc: [number, number]): string | null {
  iso1A2Code ??= (createRequire(import.meta.url)('@rapideditor/country-coder') as { iso1A2Code: (loc: [number, number]) => string | null }).iso1A2Code;
  return iso1A2Code(loc);
}

export interface SwapVerdict {
  swap: boolean;
  reason: string | null;
  /** Set when both readings are plausible and the labels were kept. */
  uncertain: string | null;
}

type LatLon = [lat: number, lon: number];
const SAMPLE = 400;

function commonest(codes: Array<string | null>): string {
  const count = new Map<string, number>();
  for (const c of codes) if (c) count.set(c, (count.get(c) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
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
  const asLabelled: Array<string | null> = [], swapped: Array<string | null> = [];
  for (let i = 0; i < finite.length; i += step) {
    const [lat, lon] = finite[i];
    asLabelled.push(countryAt([lon, lat]));
    swapped.push(Math.abs(lon) <= 90 ? countryAt([lat, lon]) : null);
  }
  const n = asLabelled.length;
  const inA = asLabelled.filter(Boolean).length, inB = swapped.filter(Boolean).length;
  if (inB >= 0.9 * n && inA <= 0.5 * n) {
    return { swap: true, reason: `read as labelled, ${inA} of ${n} sampled points fall in a country; swapped, ${inB} do (${commonest(swapped)})`, uncertain: null };
  }
  if (inA >= 0.9 * n && inB >= 0.9 * n && commonest(asLabelled) !== commonest(swapped)) {
    if (context.length) {
      const c: LatLon = [median(context.map((p) => p[0])), median(context.map((p) => p[1]))];
      const m: LatLon = [median(finite.map((p) => p[0])), median(finite.map((p) => p[1]))];
      const dA = Math.hypot(m[0] - c[0], m[1] - c[1]), dB = Math.hypot(m[1] - c[0], m[0] - c[1]);
      if (dB < dA / 10) return { swap: true, reason: `swapped, the points lie among the shelters already in the registry`, uncertain: null };
      if (dA < dB / 10) return { swap: false, reason: null, uncertain: null };
    }
    return { swap: false, reason: null, uncertain: `read as labelled (points in ${commonest(asLabelled)}); swapped they would be in ${commonest(swapped)}, so check the map, and use --coordinates swapped if they are` };
  }
  return { swap: false, reason: null, uncertain: null };
}
