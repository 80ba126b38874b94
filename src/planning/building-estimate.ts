// Where no population data exists: residents estimated from the buildings of an OpenStreetMap extract, as floor
// area (footprint x levels) divided by floor area per resident, for residential building types only. It is an
// estimate and everything that shows it says so. The defaults are documented in docs/planning.md; they are rough
// European figures (gross floor area per resident ~40 m², Eurostat's dwelling space plus walls, stairs and
// common parts) and should be replaced by census data wherever it exists.
import type { PopulationCell } from './population.ts';

export interface BuildingUse {
  /** Levels when the building carries no building:levels tag. */
  levels: number;
  /** Share of the floor area that is homes (1 for a residential type; less for an untyped building). */
  residentialShare: number;
}

/** building=* values that house residents, with their default levels and residential share. Others count 0. */
export const RESIDENTIAL_BUILDINGS: Readonly<Record<string, BuildingUse>> = {
  apartments: { levels: 4, residentialShare: 1 },
  residential: { levels: 3, residentialShare: 1 },
  house: { levels: 2, residentialShare: 1 },
  detached: { levels: 2, residentialShare: 1 },
  semidetached_house: { levels: 2, residentialShare: 1 },
  terrace: { levels: 2, residentialShare: 1 },
  bungalow: { levels: 1, residentialShare: 1 },
  farm: { levels: 2, residentialShare: 1 },
  dormitory: { levels: 3, residentialShare: 1 },
  // Untyped buildings are the most common tag; in towns many are mixed use, so half their floor area counts as homes.
  yes: { levels: 2, residentialShare: 0.5 },
};

export const DEFAULT_FLOOR_M2_PER_RESIDENT = 40;
/** Levels above this are taken as a tagging error (the tallest residential towers have about 100). */
const MAX_LEVELS = 120;
/** Footprints above this (m²) are not one building's (a mis-closed way around a block): skipped and counted. */
const MAX_FOOTPRINT_M2 = 200_000;

export interface OsmBuilding {
  id: number;
  /** A closed way (the default) or a multipolygon relation. */
  kind?: 'way' | 'relation';
  /** The way's tags, or the relation's (its type and levels). */
  tags: Record<string, string>;
  /** Closed ring of [lon, lat]: the way's outline, or the relation's largest outer ring. */
  ring: Array<[number, number]>;
  /** A multipolygon building: polygons of [outer, ...inners] closed rings; its area is the outers' less the inners'. */
  polygons?: Array<Array<Array<[number, number]>>>;
}

/** Footprint of a building (m²): a way's ring, or a multipolygon's outer rings less their inner rings (courtyards). */
export function footprintM2(b: OsmBuilding): number {
  if (!b.polygons) return ringAreaM2(b.ring);
  let area = 0;
  for (const [outer, ...inners] of b.polygons) {
    area += ringAreaM2(outer);
    for (const inner of inners) area -= ringAreaM2(inner);
  }
  return area;
}

/** Where a building's residents are placed: the mean of its outline's points (of each outer ring, weighted by its polygon's area). */
function centreOf(b: OsmBuilding): { lat: number; lon: number } {
  const mean = (ring: Array<[number, number]>) => {
    let lat = 0, lon = 0;
    const n = ring.length - 1; // closed: the last point repeats the first
    for (let i = 0; i < n; i++) { lon += ring[i][0]; lat += ring[i][1]; }
    return { lat: lat / n, lon: lon / n };
  };
  if (!b.polygons || b.polygons.length === 1) return mean(b.polygons ? b.polygons[0][0] : b.ring);
  let lat = 0, lon = 0, w = 0;
  for (const p of b.polygons) {
    const a = Math.max(ringAreaM2(p[0]), 1e-9), c = mean(p[0]);
    lat += c.lat * a; lon += c.lon * a; w += a;
  }
  return { lat: lat / w, lon: lon / w };
}

export interface BuildingEstimate {
  cells: PopulationCell[];
  total: number;
  /** Buildings by outcome, so the estimate's inputs can be checked. */
  counted: number;
  nonResidential: number;
  skipped: Array<{ id: number; reason: string }>;
  assumptions: string[];
}

const EARTH_RADIUS_M = 6_371_008.8;

/** Area of a small polygon on the sphere (m²), by the equirectangular projection at its mean latitude. */
export function ringAreaM2(ring: ReadonlyArray<readonly [number, number]>): number {
  if (ring.length < 4) return 0;
  let meanLat = 0;
  for (const [, lat] of ring) meanLat += lat;
  meanLat = (meanLat / ring.length) * Math.PI / 180;
  const ky = Math.PI / 180 * EARTH_RADIUS_M;
  const kx = ky * Math.cos(meanLat);
  let twice = 0; // the shoelace formula on metres east and north
  for (let i = 0; i + 1 < ring.length; i++) twice += ring[i][0] * kx * (ring[i + 1][1] * ky) - ring[i + 1][0] * kx * (ring[i][1] * ky);
  return Math.abs(twice) / 2;
}

function levelsOf(tags: Record<string, string>, use: BuildingUse): { levels: number; tagged: boolean } {
  const raw = tags['building:levels'];
  if (raw === undefined) return { levels: use.levels, tagged: false };
  // "3", "3.5", "3;4" (several parts: the first), "2-3" (a range: the lower) are all seen in OSM.
  const n = Number.parseFloat(raw.split(/[;,-]/)[0]);
  return Number.isFinite(n) && n >= 1 && n <= MAX_LEVELS ? { levels: Math.round(n), tagged: true } : { levels: use.levels, tagged: false };
}

/** Residents per building (whole people, rounded), one point cell per residential building at its centroid. */
export function estimateFromBuildings(buildings: OsmBuilding[], opts: { floorM2PerResident?: number } = {}): BuildingEstimate {
  const perResident = opts.floorM2PerResident ?? DEFAULT_FLOOR_M2_PER_RESIDENT;
  if (!(perResident > 0)) throw new RangeError('floor area per resident must be a positive number of m²');
  const cells: PopulationCell[] = [];
  const skipped: BuildingEstimate['skipped'] = [];
  let nonResidential = 0;
  let total = 0;
  let untaggedLevels = 0;
  for (const b of buildings) {
    const use = RESIDENTIAL_BUILDINGS[b.tags.building ?? ''];
    if (!use) { nonResidential++; continue; }
    const area = footprintM2(b);
    if (!(area > 0)) { skipped.push({ id: b.id, reason: 'footprint has no area' }); continue; }
    if (area > MAX_FOOTPRINT_M2) { skipped.push({ id: b.id, reason: `footprint of ${Math.round(area)} m² is not one building's` }); continue; }
    const { levels, tagged } = levelsOf(b.tags, use);
    if (!tagged) untaggedLevels++;
    const people = Math.round((area * levels * use.residentialShare) / perResident);
    if (people <= 0) continue;
    const { lat, lon } = centreOf(b);
    const polygons = b.polygons ? b.polygons.map((p) => p.map((r) => r.map(([x, y]) => [x, y]))) : [[b.ring.map(([x, y]) => [x, y])]];
    cells.push({ key: `${b.kind ?? 'way'}/${b.id}`, lat, lon, population: people, polygons });
    total += people;
  }
  return {
    cells, total, counted: cells.length, nonResidential, skipped,
    assumptions: [
      `ESTIMATE from OpenStreetMap buildings, not a census: residents = footprint x levels x residential share / ${perResident} m² per resident`,
      `residential types and defaults (levels, share): ${Object.entries(RESIDENTIAL_BUILDINGS).map(([k, v]) => `${k} ${v.levels}, ${v.residentialShare}`).join('; ')}; other building types count no residents`,
      `${untaggedLevels} of ${cells.length + skipped.length} residential buildings had no usable building:levels and got their type's default`,
    ],
  };
}
