// The residents' place index: what the public app's address search matches, offline, in one compact document.
// Built from the registry (every shelter in service: name and address, house numbers included), the streets of the
// loaded extract (one entry per name per area with its other names and house numbers, see
// src/network/street-names.ts) and the regions' names. Plain data in, plain data out: the route
// (src/server/routes/places.ts) serves it with an ETag and the service worker keeps it.
//
// House numbers are most of the document (35,000 in the Copenhagen extract), so they are kept small: per street, per
// postcode and city, a flat list of [number, dlon, dlat] where dlon/dlat are whole 1e-5 degrees (about a metre) from
// the house before (the first from the street's first point), a plain number written as a JSON number ("12" -> 12).

export const PLACE_INDEX_VERSION = 2;

/** [id, name, address or null, lon, lat] */
export type ShelterPlace = [string, string, string | null, number, number];
/** A street's houses of one postcode and city (or none): [area or null, number, dlon, dlat, number, dlon, dlat, ...]. */
export type HouseGroup = [string | null, ...Array<string | number>];
/**
 * [name, area name or null, [lon, lat, lon, lat, ...], other names, houses]: the first point is the representative
 * one; the last two are left out when empty (a street with neither is three items long). See HouseGroup and the note
 * at the top for the houses.
 */
export type StreetEntry = [string, string | null, number[], string[]?, HouseGroup[]?];
/** [code, name, lon, lat, other names?]: a point inside the region; its names in other languages when it has any. */
export type RegionPlace = [string, string, number, number, string[]?];

export interface PlaceIndex {
  version: typeof PLACE_INDEX_VERSION;
  shelters: ShelterPlace[];
  streets: StreetEntry[];
  regions: RegionPlace[];
  /** Where the street names came from, or why there are none. */
  streetSource: { file: string | null; available: boolean; reason?: string };
}

export interface PlaceInputs {
  shelters: ReadonlyArray<{ id: string; name: string; address: string | null; lon: number; lat: number }>;
  streets: ReadonlyArray<{
    name: string;
    points: ReadonlyArray<readonly [number, number]>;
    alt?: ReadonlyArray<string>;
    /** [number as written, lon, lat, postcode and city or null] */
    houses?: ReadonlyArray<readonly [string, number, number, string | null]>;
  }>;
  regions: ReadonlyArray<{ code: string; name: string; geometry: { coordinates: number[][][][] }; names?: Readonly<Record<string, string>> }>;
  /** The name of the most specific region at a point, to tell apart streets of one name in different areas. */
  areaAt?: (lon: number, lat: number) => string | null;
  streetSource: PlaceIndex['streetSource'];
}

const round5 = (v: number) => Math.round(v * 1e5) / 1e5;

export function buildPlaceIndex(input: PlaceInputs): PlaceIndex {
  const shelters: ShelterPlace[] = [];
  for (const s of input.shelters) {
    if (!Number.isFinite(s.lon) || !Number.isFinite(s.lat)) continue;
    const name = s.name.trim();
    const address = s.address?.trim() || null;
    shelters.push([s.id, name, address && address !== name ? address : null, round5(s.lon), round5(s.lat)]);
  }
  const streets: StreetEntry[] = input.streets
    .filter((s) => s.points.length > 0)
    .map((s) => {
      const [lon, lat] = s.points[0];
      const entry: StreetEntry = [s.name, input.areaAt?.(lon, lat) ?? null, s.points.flatMap(([x, y]) => [round5(x), round5(y)])];
      const houses = s.houses && s.houses.length > 0 ? encodeHouses(s.houses, lon, lat) : null;
      if (s.alt?.length || houses) entry.push([...(s.alt ?? [])]);
      if (houses) entry.push(houses);
      return entry;
    });
  const regions: RegionPlace[] = [];
  for (const r of input.regions) {
    const at = pointInside(r.geometry.coordinates);
    if (!at) continue;
    const place: RegionPlace = [r.code, r.name, round5(at[0]), round5(at[1])];
    const alt = [...new Set(Object.values(r.names ?? {}).map((n) => n.trim()))].filter((n) => n && n !== r.name);
    if (alt.length > 0) place.push(alt);
    regions.push(place);
  }
  return { version: PLACE_INDEX_VERSION, shelters, streets, regions, streetSource: input.streetSource };
}

const e5 = (v: number) => Math.round(v * 1e5);

/** A house number as the document carries it: a plain number as a JSON number, anything else ("12A") as written. */
const compactNumber = (n: string): string | number => (/^[1-9]\d{0,6}$/.test(n) ? Number(n) : n);

/** The houses of one street, by area, each relative to the one before (see HouseGroup). */
export function encodeHouses(houses: ReadonlyArray<readonly [string, number, number, string | null]>, lon0: number, lat0: number): HouseGroup[] | null {
  const groups = new Map<string | null, { group: HouseGroup; x: number; y: number }>();
  // Odd numbers, then even ones: each house is then next to the one before (one side of the street, then the other).
  const parity = (n: string) => (Number.parseInt(n, 10) || 0) % 2;
  const ordered = [...houses].sort((a, b) => parity(b[0]) - parity(a[0]) || (Number.parseInt(a[0], 10) || 0) - (Number.parseInt(b[0], 10) || 0));
  for (const [number, lon, lat, area] of ordered) {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    let g = groups.get(area);
    if (!g) {
      g = { group: [area], x: e5(lon0), y: e5(lat0) };
      groups.set(area, g);
    }
    const x = e5(lon), y = e5(lat);
    g.group.push(compactNumber(number), x - g.x, y - g.y);
    g.x = x;
    g.y = y;
  }
  return groups.size > 0 ? [...groups.values()].map((g) => g.group) : null;
}

function ringArea(ring: number[][]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] * ring[i][1]) - (ring[i][0] * ring[j][1]);
  return a / 2;
}

function insideRing(ring: number[][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function insidePolygon(polygon: number[][][], x: number, y: number): boolean {
  if (!insideRing(polygon[0], x, y)) return false;
  for (let h = 1; h < polygon.length; h++) if (insideRing(polygon[h], x, y)) return false;
  return true;
}

/**
 * A point inside a multipolygon, in its largest polygon: the centroid when it is inside, otherwise the middle of the
 * widest inside stretch of the horizontal line through the centroid (a C-shaped or holed region).
 */
export function pointInside(coordinates: number[][][][]): [number, number] | null {
  let best: number[][][] | null = null;
  let bestArea = -1;
  for (const polygon of coordinates) {
    const outer = polygon[0];
    if (!outer || outer.length < 3) continue;
    const a = Math.abs(ringArea(outer));
    if (a > bestArea) { bestArea = a; best = polygon; }
  }
  if (!best) return null;
  const outer = best[0];
  let cx = 0, cy = 0, a2 = 0;
  for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
    const f = outer[j][0] * outer[i][1] - outer[i][0] * outer[j][1];
    cx += (outer[j][0] + outer[i][0]) * f;
    cy += (outer[j][1] + outer[i][1]) * f;
    a2 += f;
  }
  if (a2 === 0) return [outer[0][0], outer[0][1]];
  cx /= 3 * a2;
  cy /= 3 * a2;
  if (insidePolygon(best, cx, cy)) return [cx, cy];
  const xs: number[] = [];
  for (const ring of best) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > cy) !== (yj > cy)) xs.push(((xj - xi) * (cy - yi)) / (yj - yi) + xi);
    }
  }
  xs.sort((p, q) => p - q);
  let wide = -1, mid: number | null = null;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1] - xs[i] > wide) { wide = xs[i + 1] - xs[i]; mid = (xs[i] + xs[i + 1]) / 2; }
  }
  return mid === null ? [outer[0][0], outer[0][1]] : [mid, cy];
}
