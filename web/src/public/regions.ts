// The alert regions, loaded once with their outlines (GET /api/regions?format=geojson), and a forgiving search by name:
// residents type "kobenhavn", "Vesterb" or "Indre by", not the exact label.
import { getJSON } from '../lib/api.ts';
import { language } from '../i18n/index.ts';

export interface AlertRegion {
  code: string;
  name: string;
  parentCode: string | null;
  warningTimeS: number | null;
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon | null;
  /** The name in other languages (language -> name), as the source gave them. */
  names: Record<string, string>;
}

/** The region's name in the reader's language when the source has it, else its name. */
export function regionName(r: { name: string; names?: Record<string, string> }): string {
  return r.names?.[language()] ?? r.name;
}

function namesOf(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

let loading: Promise<AlertRegion[]> | null = null;

export function loadRegions(): Promise<AlertRegion[]> {
  loading ??= getJSON<GeoJSON.FeatureCollection>('/api/regions?format=geojson').then((fc) => fc.features.map((f) => {
    const p = (f.properties ?? {}) as Record<string, unknown>;
    const g = f.geometry;
    return {
      code: String(p.code ?? f.id),
      name: String(p.name ?? p.code ?? f.id),
      parentCode: typeof p.parentCode === 'string' ? p.parentCode : null,
      warningTimeS: typeof p.warningTimeS === 'number' ? p.warningTimeS : null,
      geometry: g && (g.type === 'Polygon' || g.type === 'MultiPolygon') ? g : null,
      names: namesOf(p.names),
    };
  })).catch((err: unknown) => {
    loading = null; // try again next time
    throw err;
  });
  return loading;
}

/** Lower case without accents (ø, æ and ß spelt out), so "Kobenhavn" finds "København". */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase().replace(/ø/g, 'o').replace(/æ/g, 'ae').replace(/ß/g, 'ss').replace(/\s+/g, ' ').trim();
}

/** The one region a typed text names: "Name (CODE)" as offered, a name or code in any case and without accents,
 * else the only region whose name starts with it, else the only one containing it. Null when none or several. */
export function findRegion(regions: AlertRegion[], typed: string): AlertRegion | null {
  const want = fold(typed);
  if (!want) return null;
  const label = regions.find((r) => fold(`${r.name} (${r.code})`) === want || fold(`${regionName(r)} (${r.code})`) === want);
  if (label) return label;
  // Every name counts, in any language (a resident types the one they know).
  const all = (r: AlertRegion) => [r.name, ...Object.values(r.names ?? {})].map(fold);
  for (const test of [(r: AlertRegion) => fold(r.code) === want || all(r).includes(want), (r: AlertRegion) => all(r).some((n) => n.startsWith(want)), (r: AlertRegion) => all(r).some((n) => n.includes(want))]) {
    const hits = regions.filter(test);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) return null;
  }
  return null;
}

/** The region and every region above it: an alert for a parent region covers its children. */
export function withAncestors(regions: AlertRegion[], code: string): string[] {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const out: string[] = [];
  for (let c: string | null = code; c && !out.includes(c); c = byCode.get(c)?.parentCode ?? null) out.push(c);
  return out;
}
