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
  tags: Record<string, string>;
  /** Closed ring of [lon, lat]. */
  ring: Array<[number, number]>;
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
    const area = ringAreaM2(b.ring);
    if (!(area > 0)) { skipped.push({ id: b.id, reason: 'footprint has no area' }); continue; }
    if (area > MAX_FOOTPRINT_M2) { skipped.push({ id: b.id, reason: `footprint of ${Math.round(area)} m² is not one building's` }); continue; }
    const { levels, tagged } = levelsOf(b.tags, use);
    if (!tagged) untaggedLevels++;
    const people = Math.round((area * levels * use.residentialShare) / perResident);
    if (people <= 0) continue;
    let lat = 0, lon = 0;
    const n = b.ring.length - 1; // closed: the last point repeats the first
    for (let i = 0; i < n; i++) { lon += b.ring[i][0]; lat += b.ring[i][1]; }
    cells.push({ key: `way/${b.id}`, lat: lat / n, lon: lon / n, population: people, polygons: [[b.ring.map(([x, y]) => [x, y])]] });
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
