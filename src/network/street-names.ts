// Street names of an OSM extract, for the residents' offline address search: one entry per distinct street name per
// area (the named ways of one name that lie together), each with a representative point on the street and, for a
// long street, a few more points along it so a search lands near the part the resident means.
//
// The walking graph keeps no names (it is typed arrays of geometry), so the names are read from the extract the
// graph was built from; src/server/routes/places.ts caches the result beside the network file, keyed by the
// extract's sha256.
import { haversineMeters } from './geometry.ts';
import { readPbfBlocks } from './pbf-reader.ts';

export interface StreetPlace {
  name: string;
  /** [lon, lat] points on the street, 5 decimals; the first is the representative one (nearest the middle). */
  points: Array<[number, number]>;
  /** Metres of named way in this area (rounded). */
  meters: number;
}

export interface NamedWay {
  name: string;
  /** [lon, lat] of the way's nodes present in the extract, in order (a gap in a clipped extract is simply skipped). */
  coords: Array<[number, number]>;
}

/** Ways of one name whose (padded) extents touch are one street: beyond this they are different streets of one name. */
export const SAME_STREET_GAP_METERS = 250;
/** Extra points are added along a street until every part of it is this close to one. */
export const POINT_SPACING_METERS = 700;
export const MAX_POINTS = 6;

const round5 = (v: number) => Math.round(v * 1e5) / 1e5;

/** Highways a resident would call a street or a path by name (not platforms, corridors or elevators). */
const STREET_HIGHWAYS = new Set([
  'motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'unclassified', 'residential', 'living_street', 'pedestrian',
  'service', 'road', 'track', 'footway', 'path', 'cycleway', 'bridleway', 'steps',
  'motorway_link', 'trunk_link', 'primary_link', 'secondary_link', 'tertiary_link',
]);

/** The name a way is searched by, or null: a named street-like highway. */
export function streetNameOf(tags: Record<string, string> | undefined): string | null {
  if (!tags?.highway || !STREET_HIGHWAYS.has(tags.highway) || tags.area === 'yes') return null;
  const name = (tags.name ?? '').trim().replace(/\s+/g, ' ');
  return name.length > 0 && name.length <= 200 ? name : null;
}

/** Reads the named streets of an .osm.pbf extract (a PbfFormatError for a damaged file). */
export async function readNamedWays(file: string): Promise<NamedWay[]> {
  const nodes = new Map<number, [number, number]>();
  const pending: Array<{ name: string; refs: number[] }> = [];
  await readPbfBlocks(file, { node: false, way: true, relation: false }, (items) => {
    for (const it of items) {
      if (it.type === 'node') nodes.set(it.id, [it.lon!, it.lat!]);
      else if (it.type === 'way') {
        const name = streetNameOf(it.tags);
        if (name && it.refs && it.refs.length > 0) pending.push({ name, refs: it.refs });
      }
    }
  });
  const ways: NamedWay[] = [];
  for (const w of pending) {
    const coords: Array<[number, number]> = [];
    for (const ref of w.refs) {
      const c = nodes.get(ref);
      if (c) coords.push(c);
    }
    if (coords.length > 0) ways.push({ name: w.name, coords });
  }
  return ways;
}

/** Named ways -> one place per name per area, sorted by name. */
export function streetPlaces(ways: NamedWay[]): StreetPlace[] {
  const byName = new Map<string, NamedWay[]>();
  for (const w of ways) {
    const list = byName.get(w.name);
    if (list) list.push(w);
    else byName.set(w.name, [w]);
  }
  const out: StreetPlace[] = [];
  for (const [name, list] of byName) {
    for (const cluster of clusters(list)) out.push(place(name, cluster));
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.points[0][0] - b.points[0][0]));
}

interface Box { minLon: number; minLat: number; maxLon: number; maxLat: number }

function boxOf(w: NamedWay, padMeters: number): Box {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const [lon, lat] of w.coords) {
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  const dLat = padMeters / 111_320;
  const dLon = padMeters / (111_320 * Math.max(0.05, Math.cos(((minLat + maxLat) / 2) * Math.PI / 180)));
  return { minLon: minLon - dLon / 2, minLat: minLat - dLat / 2, maxLon: maxLon + dLon / 2, maxLat: maxLat + dLat / 2 };
}

const touch = (a: Box, b: Box) => a.minLon <= b.maxLon && b.minLon <= a.maxLon && a.minLat <= b.maxLat && b.minLat <= a.maxLat;

/** Groups the ways of one name whose padded extents touch (transitively): union-find. */
function clusters(list: NamedWay[]): NamedWay[][] {
  const parent = list.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const boxes = list.map((w) => boxOf(w, SAME_STREET_GAP_METERS));
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      if (touch(boxes[i], boxes[j])) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, NamedWay[]>();
  list.forEach((w, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(w);
    else groups.set(r, [w]);
  });
  return [...groups.values()];
}

function place(name: string, ways: NamedWay[]): StreetPlace {
  const pts: Array<[number, number]> = [];
  let meters = 0;
  let cx = 0, cy = 0, weight = 0;
  for (const w of ways) {
    for (let i = 0; i < w.coords.length; i++) {
      pts.push(w.coords[i]);
      if (i === 0) continue;
      const [lon1, lat1] = w.coords[i - 1];
      const [lon2, lat2] = w.coords[i];
      const m = haversineMeters(lat1, lon1, lat2, lon2);
      meters += m;
      cx += ((lon1 + lon2) / 2) * m;
      cy += ((lat1 + lat2) / 2) * m;
      weight += m;
    }
  }
  if (weight === 0) {
    for (const [lon, lat] of pts) { cx += lon; cy += lat; }
    weight = pts.length;
  }
  cx /= weight;
  cy /= weight;
  // The representative point is on the street: the node nearest the length-weighted middle.
  let first = 0;
  let best = Infinity;
  pts.forEach(([lon, lat], i) => {
    const d = haversineMeters(lat, lon, cy, cx);
    if (d < best) { best = d; first = i; }
  });
  // More points (farthest first) until every node is within POINT_SPACING_METERS of one, at most MAX_POINTS.
  const chosen = [first];
  const near = pts.map(([lon, lat]) => haversineMeters(lat, lon, pts[first][1], pts[first][0]));
  while (chosen.length < MAX_POINTS) {
    let far = -1;
    let farD = POINT_SPACING_METERS;
    near.forEach((d, i) => { if (d > farD) { farD = d; far = i; } });
    if (far < 0) break;
    chosen.push(far);
    const [flon, flat] = pts[far];
    pts.forEach(([lon, lat], i) => { near[i] = Math.min(near[i], haversineMeters(lat, lon, flat, flon)); });
  }
  return { name, points: chosen.map((i) => [round5(pts[i][0]), round5(pts[i][1])]), meters: Math.round(meters) };
}

/** Reads an extract's streets as places (what the worker runs). */
export async function streetPlacesFromPbf(file: string): Promise<StreetPlace[]> {
  return streetPlaces(await readNamedWays(file));
}

/** The same, in a worker thread, so a server keeps answering (and delivering alerts) meanwhile. */
export async function streetPlacesInWorker(file: string): Promise<StreetPlace[]> {
  const { runInWorker } = await import('../workers/run-in-worker.ts');
  return runInWorker<StreetPlace[]>(new URL('./street-names-bootstrap.mjs', import.meta.url), { file }, `street names worker on ${file}`);
}
