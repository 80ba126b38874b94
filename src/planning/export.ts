// Plan exports: per cell (people, covered, uncovered, mean walk, the shelters it goes to) and per shelter (places,
// people assigned, from which cells), as rows, CSV or GeoJSON.
import type { PopulationCell } from './population.ts';
import type { Assignment } from './plan.ts';

export interface CellRow {
  key: string;
  lat: number;
  lon: number;
  population: number;
  covered: number;
  uncovered: number;
  meanWalkSeconds: number | null;
  maxWalkSeconds: number | null;
  /** shelter id -> people */
  shelters: Record<string, number>;
}

export interface ShelterRow {
  id: string;
  name: string;
  lat: number;
  lon: number;
  places: number;
  assigned: number;
  free: number;
  meanWalkSeconds: number | null;
  /** cell key -> people */
  cells: Record<string, number>;
}

export function perCell(cells: PopulationCell[], assignments: Assignment[]): CellRow[] {
  const rows = new Map<string, CellRow & { walk: number }>();
  for (const c of cells) rows.set(c.key, { key: c.key, lat: c.lat, lon: c.lon, population: c.population, covered: 0, uncovered: 0, meanWalkSeconds: null, maxWalkSeconds: null, shelters: {}, walk: 0 });
  for (const a of assignments) {
    const r = rows.get(a.cellKey);
    if (!r) continue;
    if (a.shelterId === null) {
      r.uncovered += a.people;
      continue;
    }
    r.covered += a.people;
    r.walk += a.people * (a.seconds ?? 0);
    r.maxWalkSeconds = Math.max(r.maxWalkSeconds ?? 0, a.seconds ?? 0);
    r.shelters[a.shelterId] = (r.shelters[a.shelterId] ?? 0) + a.people;
  }
  return [...rows.values()].map(({ walk, ...r }) => ({ ...r, meanWalkSeconds: r.covered > 0 ? Math.round((walk / r.covered) * 10) / 10 : null }));
}

export function perShelter(shelters: Array<{ id: string; name: string; lat: number; lon: number; places: number }>, assignments: Assignment[]): ShelterRow[] {
  const rows = new Map<string, ShelterRow & { walk: number }>();
  for (const s of shelters) rows.set(s.id, { ...s, assigned: 0, free: s.places, meanWalkSeconds: null, cells: {}, walk: 0 });
  for (const a of assignments) {
    if (a.shelterId === null) continue;
    const r = rows.get(a.shelterId);
    if (!r) continue;
    r.assigned += a.people;
    r.free -= a.people;
    r.walk += a.people * (a.seconds ?? 0);
    r.cells[a.cellKey] = (r.cells[a.cellKey] ?? 0) + a.people;
  }
  return [...rows.values()].map(({ walk, ...r }) => ({ ...r, meanWalkSeconds: r.assigned > 0 ? Math.round((walk / r.assigned) * 10) / 10 : null }));
}

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // A leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv<T extends object>(rows: T[], columns: Array<keyof T & string>): string {
  const lines = [columns.join(',')];
  for (const r of rows) {
    lines.push(columns.map((c) => {
      const v = r[c];
      if (v && typeof v === 'object' && !Array.isArray(v)) return csvField(Object.entries(v as Record<string, number>).map(([k, n]) => `${k}:${n}`).join(' '));
      return csvField(v);
    }).join(','));
  }
  return lines.join('\n') + '\n';
}

export function cellsGeoJson(rows: CellRow[], cells: PopulationCell[]): object {
  const geom = new Map(cells.map((c) => [c.key, c.polygons]));
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => {
      const polys = geom.get(r.key);
      return {
        type: 'Feature',
        geometry: polys ? { type: 'MultiPolygon', coordinates: polys } : { type: 'Point', coordinates: [r.lon, r.lat] },
        properties: { key: r.key, population: r.population, covered: r.covered, uncovered: r.uncovered, meanWalkSeconds: r.meanWalkSeconds, maxWalkSeconds: r.maxWalkSeconds, shelters: r.shelters },
      };
    }),
  };
}

/** `compact` leaves out each shelter's cells (a map layer needs only its load). */
export function sheltersGeoJson(rows: ShelterRow[], opts: { compact?: boolean } = {}): object {
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: opts.compact ? [round6(r.lon), round6(r.lat)] : [r.lon, r.lat] },
      properties: { id: r.id, name: r.name, places: r.places, assigned: r.assigned, free: r.free, meanWalkSeconds: r.meanWalkSeconds, ...(opts.compact ? {} : { cells: r.cells }) },
    })),
  };
}

/** Six decimals of a degree are about 0.1 m: plenty for a map, and a third fewer bytes than full doubles. */
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * The cells as a compact map layer (100,000 cells must reach the browser quickly and be parsed in the map's worker):
 * coordinates to six decimals, one Polygon where a cell has one, and short properties:
 * `k` the cell's key, `p` its people, `u` those left without a place, `w` the mean walking seconds of those covered
 * (whole seconds; null when nobody is covered), `m` the longest walk (whole seconds; null likewise).
 */
export function compactCellsGeoJson(rows: CellRow[], cells: PopulationCell[]): object {
  const geom = new Map(cells.map((c) => [c.key, c.polygons]));
  const ring = (r: number[][]) => r.map(([x, y]) => [round6(x), round6(y)]);
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => {
      const polys = geom.get(r.key);
      const geometry = !polys ? { type: 'Point', coordinates: [round6(r.lon), round6(r.lat)] }
        : polys.length === 1 ? { type: 'Polygon', coordinates: polys[0].map(ring) }
          : { type: 'MultiPolygon', coordinates: polys.map((p) => p.map(ring)) };
      return {
        type: 'Feature', geometry,
        properties: { k: r.key, p: r.population, u: r.uncovered, w: r.meanWalkSeconds === null ? null : Math.round(r.meanWalkSeconds), m: r.maxWalkSeconds === null ? null : Math.round(r.maxWalkSeconds) },
      };
    }),
  };
}
