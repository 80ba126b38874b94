// Street names and house numbers of an OSM extract, for the residents' offline address search: one entry per distinct
// street name per area (the named ways of one name that lie together, and the addresses on that street), each with a
// representative point on the street, for a long street a few more points along it, the street's other names
// (name:*, alt_name) and its house numbers with their points: a building's at its main (or only) entrance, else its
// centre; the numbers of addr:interpolation ways spaced along them (src/network/interpolation.ts) unless mapped.
//
// Read once when the network is imported (src/network/import.ts) and kept beside the graph file
// (src/network/places-file.ts), so a serving process needs neither the extract nor a second read of it.
import { haversineMeters } from './geometry.ts';
import { readPbfBlocks } from './pbf-reader.ts';
import { interpolationKind, MAX_INTERPOLATED_PER_WAY, numbersBetween, pointsAlong, type RangeProblem } from './interpolation.ts';

/** [house number as written, lon, lat, postcode and city or null]: 5 decimals. */
export type HouseNumber = [string, number, number, string | null];

export interface StreetPlace {
  name: string;
  /** [lon, lat] points on the street, 5 decimals; the first is the representative one (nearest the middle). */
  points: Array<[number, number]>;
  /** Metres of named way in this area (rounded; 0 for a street known only from addresses). */
  meters: number;
  /** Other names of the street (name:he, name:sv, alt_name...), each different from `name`. */
  alt?: string[];
  /** House numbers on this street, in number order. */
  houses?: HouseNumber[];
}

export interface NamedWay {
  name: string;
  /** [lon, lat] of the way's nodes present in the extract, in order (a gap in a clipped extract is simply skipped). */
  coords: Array<[number, number]>;
  alt?: string[];
}

/** An address of the extract: a node, or a building (or other closed way) at its main entrance or centroid. */
export interface AddressPoint {
  /** addr:street, or addr:place for an address without a street (a square, a hamlet). */
  street: string;
  number: string;
  lon: number;
  lat: number;
  /** addr:postcode and addr:city ("1620 København V"), or null. */
  area: string | null;
  /** A number an addr:interpolation way stands for (placed along it), not mapped as an address of its own. */
  interpolated?: true;
  /** At an entrance (a building's, or an entrance node's own address): preferred to the same house mapped otherwise. */
  atEntrance?: true;
}

export interface ExtractPlaces {
  ways: NamedWay[];
  addresses: AddressPoint[];
  /**
   * The extract's addresses: nodes, ways (buildings) and relations with addr:housenumber, not addr:interpolation
   * ways. read = placed + the three reasons of `skipped`; each placed one gives one or more `addresses` (a list
   * "12;14" gives two), and the interpolated numbers are the rest of `addresses`.
   */
  read: number;
  placed: number;
  /** Addresses left out, by reason (for the import's report). */
  skipped: { noStreet: number; badNumber: number; noLocation: number };
  /** addr:interpolation ways: how many were expanded, into how many numbers, and those left out by reason. */
  interpolation: InterpolationReport;
  /**
   * Placed addressed buildings at an entrance: the main one, or the only one; with several and no main, the centre
   * (those left out, having no street or no usable number, are not counted).
   */
  entrances: { main: number; only: number; severalNoMain: number };
}

export interface InterpolationReport {
  ways: number;
  /** Numbers between the ends (the ends are addresses of their own), before those also mapped explicitly are dropped. */
  numbers: number;
  skipped: {
    /** Fewer than two of its nodes carry a house number (a clipped extract, an unfinished edit). */
    missingEnds: number;
    /** No addr:street or addr:place on the way or its ends, nor addresses with the end numbers beside its ends. */
    noStreet: number;
    /** Its numbered nodes name different streets. */
    streetsDiffer: number;
    /** A value that names no scheme ("yes", "both"). */
    badKind: number;
    /** Ends off the scheme: an even end on an odd way, letters on a numeric one, "12a".."14c" alphabetic. */
    badEnds: number;
    /** More than MAX_INTERPOLATED_PER_WAY numbers. */
    tooLong: number;
  };
}

/** Ways of one name whose (padded) extents touch are one street: beyond this they are different streets of one name. */
export const SAME_STREET_GAP_METERS = 250;
/** Extra points are added along a street until every part of it is this close to one. */
export const POINT_SPACING_METERS = 700;
export const MAX_POINTS = 6;
/** The same number on one street this close is one house (an address node inside its addressed building). */
export const SAME_HOUSE_METERS = 100;
const MAX_ALT_NAMES = 6;

const round5 = (v: number) => Math.round(v * 1e5) / 1e5;

/** Highways a resident would call a street or a path by name (not platforms, corridors or elevators). */
const STREET_HIGHWAYS = new Set([
  'motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'unclassified', 'residential', 'living_street', 'pedestrian',
  'service', 'road', 'track', 'footway', 'path', 'cycleway', 'bridleway', 'steps',
  'motorway_link', 'trunk_link', 'primary_link', 'secondary_link', 'tertiary_link',
]);

const clean = (v: string | undefined): string => (v ?? '').trim().replace(/\s+/g, ' ');

/** The name a way is searched by, or null: a named street-like highway. */
export function streetNameOf(tags: Record<string, string> | undefined): string | null {
  if (!tags?.highway || !STREET_HIGHWAYS.has(tags.highway) || tags.area === 'yes') return null;
  const name = clean(tags.name);
  return name.length > 0 && name.length <= 200 ? name : null;
}

/** Language variants (name:he, name:sv, name:zh-Hant) and alt_name; not name:etymology or name:wikidata. */
const NAME_VARIANT = /^name:[a-z]{2,3}(?:-[A-Za-z]{2,8})?$/;

/** A street's other names, without the name itself or repeats (compared without case), at most a few. */
export function altNamesOf(tags: Record<string, string>, name: string): string[] {
  const seen = new Set([name.toLowerCase()]);
  const out: string[] = [];
  for (const [k, v] of Object.entries(tags)) {
    if (!NAME_VARIANT.test(k) && k !== 'alt_name') continue;
    for (const part of v.split(';')) {
      const alt = clean(part);
      if (!alt || alt.length > 200 || seen.has(alt.toLowerCase())) continue;
      seen.add(alt.toLowerCase());
      out.push(alt);
    }
  }
  return out.slice(0, MAX_ALT_NAMES);
}

// A house number as people write one: digits, perhaps a letter or word ("12A", "20 B", "4bis", "12א"), perhaps a range
// ("12-14", "31–33 B"). Anything else ("2. krs./Floor 2", "Bygning 5") is not searchable as a number.
const HOUSE_NUMBER = /^\p{Nd}+(?: ?\p{L}{1,4})?(?: ?[-–] ?\p{Nd}+(?: ?\p{L}{1,4})?)?$/u;

/**
 * The searchable house numbers of an addr:housenumber value: a list ("12;14", "8, Floor 6") gives each part that is
 * a house number; [] when none is.
 */
export function houseNumbersOf(value: string | undefined): string[] {
  const out: string[] = [];
  for (const part of (value ?? '').split(/[;,]/)) {
    const n = clean(part).replace(/\s*([-–])\s*/g, '$1');
    if (n && n.length <= 16 && HOUSE_NUMBER.test(n) && !out.includes(n)) out.push(n);
  }
  return out;
}

function addressArea(tags: Record<string, string>): string | null {
  const area = [clean(tags['addr:postcode']), clean(tags['addr:city'])].filter(Boolean).join(' ');
  return area && area.length <= 100 ? area : null;
}

/** The centroid of ways' nodes present in the extract (a closed way repeats its first node: counted once), or null. */
function centroid(ways: number[][], nodes: Map<number, [number, number]>): [number, number] | null {
  let lon = 0, lat = 0, n = 0;
  for (const w of ways) {
    const refs = w.length > 1 && w[0] === w[w.length - 1] ? w.slice(1) : w;
    for (const ref of refs) {
      const c = nodes.get(ref);
      if (c) { lon += c[0]; lat += c[1]; n++; }
    }
  }
  return n > 0 ? [lon / n, lat / n] : null;
}

/** Entrances a person walks in by (not exits, emergency exits, garages or service doors). */
const NOT_WALK_IN = new Set(['no', 'exit', 'emergency', 'service', 'garage', 'loading_dock']);
const isWalkIn = (tags: Record<string, string> | undefined): boolean =>
  !!tags?.entrance && !NOT_WALK_IN.has(tags.entrance) && tags.access !== 'no';

/** Ends of an interpolation without a street take the street of the addresses with their numbers this close. */
const END_ADDRESS_METERS = 50;

const streetOf = (tags: Record<string, string>): string => clean(tags['addr:street']) || clean(tags['addr:place']);

/**
 * Reads the named streets and the addresses of an .osm.pbf extract (a PbfFormatError for a damaged file). Addresses
 * are on nodes, on buildings and on multipolygon buildings (those buildings' ways come before the relation in the
 * file, so they are read in a second pass, only when there are any), and along addr:interpolation ways. A building is
 * placed where a person walks in: its main entrance, else its only entrance, else its centroid (an entrance with an
 * address of its own is that address, not the building's).
 */
export async function readExtractPlaces(file: string): Promise<ExtractPlaces> {
  const nodes = new Map<number, [number, number]>();
  const pending: Array<{ name: string; refs: number[]; alt: string[] }> = [];
  const addressWays: Array<{ tags: Record<string, string>; refs: number[]; outerRefs?: number[][]; innerRefs?: number[][] }> = [];
  const addresses: AddressPoint[] = [];
  const skipped = { noStreet: 0, badNumber: 0, noLocation: 0 };
  /** Nodes with addr:housenumber (the ends of interpolation ways among them), and those of them with no street. */
  const addressNodes = new Map<number, Record<string, string>>();
  const streetless = new Set<number>();
  const entranceNodes = new Map<number, Record<string, string>>();
  const interpolationWays: Array<{ tags: Record<string, string>; refs: number[] }> = [];
  let read = 0, placed = 0;
  /** Places one address of the extract (true), or counts why not (false). */
  const addAddress = (tags: Record<string, string>, lon: number, lat: number, street = streetOf(tags), atEntrance = false): boolean => {
    if (!street || street.length > 200) { skipped.noStreet++; return false; }
    const numbers = houseNumbersOf(tags['addr:housenumber']);
    if (numbers.length === 0) { skipped.badNumber++; return false; }
    placed++;
    const area = addressArea(tags);
    for (const number of numbers) {
      const a: AddressPoint = { street, number, lon: round5(lon), lat: round5(lat), area };
      if (atEntrance) a.atEntrance = true;
      addresses.push(a);
    }
    return true;
  };
  const addressRelations: Array<{ tags: Record<string, string>; outer: number[]; inner: number[] }> = [];
  await readPbfBlocks(file, { node: true, way: true, relation: true }, (items) => {
    for (const it of items) {
      if (it.type === 'node') {
        nodes.set(it.id, [it.lon!, it.lat!]);
        if (it.tags?.['addr:housenumber']) {
          read++;
          addressNodes.set(it.id, it.tags);
          // Without a street it may still be the end of an interpolation way that names one (decided below).
          if (streetOf(it.tags)) addAddress(it.tags, it.lon!, it.lat!, undefined, isWalkIn(it.tags));
          else streetless.add(it.id);
        }
        if (isWalkIn(it.tags)) entranceNodes.set(it.id, it.tags!);
      } else if (it.type === 'way') {
        const name = streetNameOf(it.tags);
        if (name && it.refs && it.refs.length > 0) pending.push({ name, refs: it.refs, alt: altNamesOf(it.tags!, name) });
        if (it.tags?.['addr:interpolation'] && it.refs) interpolationWays.push({ tags: it.tags, refs: it.refs });
        else if (it.tags?.['addr:housenumber'] && it.refs) addressWays.push({ tags: it.tags, refs: it.refs });
      } else if (it.type === 'relation' && it.tags?.['addr:housenumber'] && (it.tags.type === 'multipolygon' || it.tags.type === 'building')) {
        const ways = (it.members ?? []).filter((m) => m.type === 'way');
        const outer = ways.filter((m) => m.role === 'outer' || m.role === '').map((m) => m.ref);
        const inner = ways.filter((m) => m.role === 'inner').map((m) => m.ref);
        addressRelations.push({ tags: it.tags, outer, inner });
      }
    }
  });
  if (addressRelations.length > 0) {
    const wanted = new Map<number, number[]>(addressRelations.flatMap((r) => [...r.outer, ...r.inner].map((id) => [id, []] as [number, number[]])));
    await readPbfBlocks(file, { node: false, way: false, relation: false }, (items) => {
      for (const it of items) if (it.type === 'way' && wanted.has(it.id) && it.refs) wanted.set(it.id, it.refs);
    });
    for (const r of addressRelations) {
      addressWays.push({ tags: r.tags, refs: [], outerRefs: r.outer.map((id) => wanted.get(id) ?? []), innerRefs: r.inner.map((id) => wanted.get(id) ?? []) });
    }
  }
  const ways: NamedWay[] = [];
  for (const w of pending) {
    const coords: Array<[number, number]> = [];
    for (const ref of w.refs) {
      const c = nodes.get(ref);
      if (c) coords.push(c);
    }
    if (coords.length > 0) ways.push(w.alt.length > 0 ? { name: w.name, coords, alt: w.alt } : { name: w.name, coords });
  }
  const entrances = { main: 0, only: 0, severalNoMain: 0 };
  read += addressWays.length;
  for (const w of addressWays) {
    const rings = w.outerRefs ?? [w.refs];
    const door = entranceOf([...rings, ...(w.innerRefs ?? [])], w.tags, nodes, entranceNodes);
    if (door && door !== 'several') {
      if (addAddress(w.tags, door.at[0], door.at[1], undefined, true)) entrances[door.how]++;
      continue;
    }
    const at = centroid(rings, nodes);
    if (!at) skipped.noLocation++;
    else if (addAddress(w.tags, at[0], at[1]) && door === 'several') entrances.severalNoMain++;
  }
  const interpolation = interpolate(interpolationWays, nodes, addressNodes, addresses, (id, street, wayTags) => {
    // An end with no street of its own is an address on the way's street (and in its postcode, if it names none).
    if (!streetless.delete(id)) return;
    const [lon, lat] = nodes.get(id)!;
    const tags = addressNodes.get(id)!;
    addAddress(addressArea(tags) ? tags : { ...tags, 'addr:postcode': wayTags['addr:postcode'] ?? '', 'addr:city': wayTags['addr:city'] ?? '' }, lon, lat, street);
  });
  skipped.noStreet += streetless.size;
  return { ways, addresses, read, placed, skipped, interpolation, entrances };
}

/**
 * Where a person walks into an addressed building: its main entrance, else its only entrance (among the walk-in
 * entrances on its outline or courtyard rings that carry no other address); 'several' when it has more than one
 * and none is the main one; null when it has none.
 */
function entranceOf(
  rings: number[][], tags: Record<string, string>, nodes: Map<number, [number, number]>, entranceNodes: Map<number, Record<string, string>>,
): { at: [number, number]; how: 'main' | 'only' } | 'several' | null {
  if (entranceNodes.size === 0) return null;
  const own = new Set(houseNumbersOf(tags['addr:housenumber']).map(houseKey));
  const street = streetOf(tags).toLowerCase();
  const doors: Array<{ id: number; main: boolean }> = [];
  const seen = new Set<number>();
  for (const ring of rings) {
    for (const ref of ring) {
      const e = entranceNodes.get(ref);
      if (!e || seen.has(ref) || !nodes.has(ref)) continue;
      seen.add(ref);
      const its = houseNumbersOf(e['addr:housenumber']);
      const itsStreet = streetOf(e).toLowerCase();
      // "33 B" on the door of "33": the door is an address of its own (read as a node), not where "33" is.
      if (its.length > 0 && !its.some((n) => own.has(houseKey(n)))) continue;
      if (itsStreet && street && itsStreet !== street) continue;
      doors.push({ id: ref, main: e.entrance === 'main' });
    }
  }
  const main = doors.find((d) => d.main);
  if (main) return { at: nodes.get(main.id)!, how: 'main' };
  if (doors.length === 1) return { at: nodes.get(doors[0].id)!, how: 'only' };
  return doors.length > 1 ? 'several' : null;
}

/**
 * Expands addr:interpolation ways into addresses (pushed onto `addresses`, marked interpolated): between each two
 * numbered nodes of a way, the numbers of its scheme, evenly along the way. A way with any problem is left out whole
 * and counted. `endStreet` is told each numbered node of an expanded way, its street and the way's tags.
 */
function interpolate(
  list: Array<{ tags: Record<string, string>; refs: number[] }>,
  nodes: Map<number, [number, number]>,
  addressNodes: Map<number, Record<string, string>>,
  addresses: AddressPoint[],
  endStreet: (id: number, street: string, wayTags: Record<string, string>) => void,
): InterpolationReport {
  const report: InterpolationReport = { ways: 0, numbers: 0, skipped: { missingEnds: 0, noStreet: 0, streetsDiffer: 0, badKind: 0, badEnds: 0, tooLong: 0 } };
  // Explicit addresses by number, built only when a way's ends name no street (old data: Copenhagen has two).
  let byNumber: Map<string, AddressPoint[]> | null = null;
  const streetBeside = (ends: number[]): string | null => {
    const index = byNumber ?? new Map<string, AddressPoint[]>();
    if (!byNumber) {
      for (const a of addresses) {
        const k = houseKey(a.number);
        const l = index.get(k);
        if (l) l.push(a);
        else index.set(k, [a]);
      }
      byNumber = index;
    }
    const near = ends.map((id) => {
      const [lon, lat] = nodes.get(id)!;
      const here = new Set<string>();
      for (const n of houseNumbersOf(addressNodes.get(id)!['addr:housenumber'])) {
        for (const a of index.get(houseKey(n)) ?? []) if (haversineMeters(lat, lon, a.lat, a.lon) <= END_ADDRESS_METERS) here.add(a.street);
      }
      return here;
    });
    const common = [...near[0]].filter((s) => near.every((h) => h.has(s)));
    return common.length === 1 ? common[0] : null;
  };
  for (const w of list) {
    const kind = interpolationKind(w.tags['addr:interpolation']);
    if (!kind) { report.skipped.badKind++; continue; }
    // The way's nodes present in the extract; the numbered ones split it into ranges.
    const coords: Array<[number, number]> = [];
    const numbered: Array<{ id: number; at: number }> = [];
    for (const ref of w.refs) {
      const c = nodes.get(ref);
      if (!c) continue;
      if (addressNodes.has(ref) && numbered.at(-1)?.id !== ref) numbered.push({ id: ref, at: coords.length });
      coords.push(c);
    }
    if (numbered.length < 2) { report.skipped.missingEnds++; continue; }
    let street = streetOf(w.tags);
    if (!street) {
      const named = [...new Set(numbered.map((n) => streetOf(addressNodes.get(n.id)!)).filter(Boolean))];
      if (new Set(named.map((s) => s.toLowerCase())).size > 1) { report.skipped.streetsDiffer++; continue; }
      street = named[0] ?? streetBeside([numbered[0].id, numbered[numbered.length - 1].id]) ?? '';
    }
    if (!street || street.length > 200) { report.skipped.noStreet++; continue; }
    const first = addressNodes.get(numbered[0].id)!;
    const area = addressArea(w.tags) ?? addressArea(first);
    const out: AddressPoint[] = [];
    let problem: RangeProblem | null = null;
    for (let i = 1; i < numbered.length && !problem; i++) {
      const a = houseNumbersOf(addressNodes.get(numbered[i - 1].id)!['addr:housenumber']);
      const b = houseNumbersOf(addressNodes.get(numbered[i].id)!['addr:housenumber']);
      if (a.length !== 1 || b.length !== 1) { problem = 'badEnds'; break; }
      const between = numbersBetween(a[0], b[0], kind, MAX_INTERPOLATED_PER_WAY - out.length);
      if (typeof between === 'string') { problem = between; break; }
      const at = pointsAlong(coords.slice(numbered[i - 1].at, numbered[i].at + 1), between.length);
      between.forEach((number, k) => out.push({ street, number, lon: round5(at[k][0]), lat: round5(at[k][1]), area, interpolated: true }));
    }
    if (problem) { report.skipped[problem]++; continue; }
    report.ways++;
    report.numbers += out.length;
    for (const a of out) addresses.push(a);
    for (const n of numbered) endStreet(n.id, street, w.tags);
  }
  return report;
}

/** Reads the named streets of an .osm.pbf extract. */
export async function readNamedWays(file: string): Promise<NamedWay[]> {
  return (await readExtractPlaces(file)).ways;
}

/** A member of a street: one of its named ways or one of its addresses. */
type Member = { way: NamedWay } | { address: AddressPoint };

/**
 * Named ways and addresses -> one place per name per area, sorted by name. An address joins the street of its
 * addr:street (compared without case) that it lies by; an address far from every way of that name (or whose street
 * is not in the extract) makes a street of its own, placed at its addresses.
 */
export function streetPlaces(ways: NamedWay[], addresses: AddressPoint[] = [], stats?: HouseStats): StreetPlace[] {
  const byName = new Map<string, Member[]>();
  const add = (key: string, m: Member) => {
    const list = byName.get(key);
    if (list) list.push(m);
    else byName.set(key, [m]);
  };
  for (const way of ways) add(way.name.toLowerCase(), { way });
  for (const address of addresses) add(address.street.toLowerCase(), { address });
  const out: StreetPlace[] = [];
  for (const list of byName.values()) {
    for (const cluster of clusters(list)) out.push(place(cluster, stats));
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.points[0][0] - b.points[0][0]));
}

interface Box { minLon: number; minLat: number; maxLon: number; maxLat: number }

function boxOf(coords: ReadonlyArray<readonly [number, number]>, padMeters: number): Box {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const [lon, lat] of coords) {
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  const dLat = padMeters / 111_320;
  const dLon = padMeters / (111_320 * Math.max(0.05, Math.cos(((minLat + maxLat) / 2) * Math.PI / 180)));
  return { minLon: minLon - dLon / 2, minLat: minLat - dLat / 2, maxLon: maxLon + dLon / 2, maxLat: maxLat + dLat / 2 };
}

const coordsOf = (m: Member): Array<[number, number]> => ('way' in m ? m.way.coords : [[m.address.lon, m.address.lat]]);

/**
 * Groups the members of one name whose padded extents touch (transitively): union-find over a sweep in longitude,
 * so a common name with many members (Kirkevej in every Danish town) stays near linear.
 */
function clusters(list: Member[]): Member[][] {
  const parent = list.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const boxes = list.map((m) => boxOf(coordsOf(m), SAME_STREET_GAP_METERS));
  const order = list.map((_, i) => i).sort((a, b) => boxes[a].minLon - boxes[b].minLon);
  for (let x = 0; x < order.length; x++) {
    const a = boxes[order[x]];
    for (let y = x + 1; y < order.length && boxes[order[y]].minLon <= a.maxLon; y++) {
      const b = boxes[order[y]];
      if (a.minLat <= b.maxLat && b.minLat <= a.maxLat) parent[find(order[x])] = find(order[y]);
    }
  }
  const groups = new Map<number, Member[]>();
  list.forEach((m, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(m);
    else groups.set(r, [m]);
  });
  return [...groups.values()];
}

/** "12A" -> [12, "12a"]: sorted by the number, then as written. */
const houseOrder = (n: string): number => Number.parseInt(n, 10);
const houseKey = (n: string): string => n.toLowerCase().replace(/\s+/g, '');

function place(members: Member[], stats?: HouseStats): StreetPlace {
  const ways = members.flatMap((m) => ('way' in m ? [m.way] : []));
  const addresses = members.flatMap((m) => ('address' in m ? [m.address] : []));
  // The street is named as its ways spell it (an addr:street may differ in case); otherwise as its addresses do.
  const name = ways[0]?.name ?? addresses[0].street;
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
  if (pts.length === 0) for (const a of addresses) pts.push([a.lon, a.lat]);
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
  const out: StreetPlace = { name, points: chosen.map((i) => [round5(pts[i][0]), round5(pts[i][1])]), meters: Math.round(meters) };
  const alt = [...new Set(ways.flatMap((w) => w.alt ?? []))].filter((a) => a.toLowerCase() !== name.toLowerCase()).slice(0, MAX_ALT_NAMES);
  if (alt.length > 0) out.alt = alt;
  const houses = uniqueHouses(addresses, stats);
  if (houses.length > 0) out.houses = houses;
  return out;
}

/**
 * What became of the addresses' numbers (streetPlaces fills it in when given one): each is kept, or is an
 * interpolated number the street also has mapped (interpolatedAlsoMapped), or the same house as one kept (sameHouse:
 * the same number on the street within SAME_HOUSE_METERS, a building and its address node, say). `interpolated`:
 * the interpolated numbers kept.
 */
export interface HouseStats { interpolated: number; interpolatedAlsoMapped: number; sameHouse: number }

/** Which of the same house mapped twice is kept: the one at an entrance, then any mapped one, then an interpolated one. */
const rank = (a: AddressPoint): number => (a.atEntrance ? 0 : a.interpolated ? 2 : 1);

/**
 * One house per number and place: the same number again within SAME_HOUSE_METERS is the same house (kept once, at
 * its entrance when one of them is: an address node inside a building does not pull it off its door). An
 * interpolated number that the street also has as a mapped address (anywhere on it: an interpolated position may be
 * far off) is left out.
 */
function uniqueHouses(addresses: AddressPoint[], stats?: HouseStats): HouseNumber[] {
  const byKey = new Map<string, HouseNumber[]>();
  const mapped = new Set(addresses.filter((a) => !a.interpolated).map((a) => houseKey(a.number)));
  for (const a of [...addresses].sort((p, q) => rank(p) - rank(q))) {
    const key = houseKey(a.number);
    if (a.interpolated && mapped.has(key)) {
      if (stats) stats.interpolatedAlsoMapped++;
      continue;
    }
    const same = byKey.get(key) ?? [];
    const kept = same.find(([, lon, lat]) => haversineMeters(lat, lon, a.lat, a.lon) <= SAME_HOUSE_METERS);
    if (kept) {
      // The building says "Helsinki", its address node "00100 Helsinki": the fuller one is kept.
      if (a.area && (kept[3] === null || (a.area.length > kept[3].length && a.area.includes(kept[3])))) kept[3] = a.area;
      if (stats) stats.sameHouse++;
      continue;
    }
    same.push([a.number, a.lon, a.lat, a.area]);
    byKey.set(key, same);
    if (a.interpolated && stats) stats.interpolated++;
  }
  return [...byKey.values()].flat().sort((p, q) => houseOrder(p[0]) - houseOrder(q[0]) || (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0));
}

/**
 * What the extract's addresses became: printed by `refuge import network` and kept in the places file. It adds up:
 *   addresses.read = addresses.placed + addresses.leftOut.noStreet + .badNumber + .noLocation;
 *   interpolation.ways + the six reasons of interpolation.waysLeftOut = the addr:interpolation ways of the extract;
 *   houseNumbers.mapped (the placed addresses' numbers: "12;14" is two) + interpolation.numbers
 *     - houseNumbers.interpolatedAlsoMapped - houseNumbers.sameHouse = houseNumbers.kept, the places' house numbers;
 *   interpolation.added (interpolated numbers kept) <= interpolation.numbers - houseNumbers.interpolatedAlsoMapped;
 *   buildings.* count placed addresses (addressed buildings and other ways), not more than addresses.placed.
 */
export interface PlacesReport {
  addresses: { read: number; placed: number; leftOut: ExtractPlaces['skipped'] };
  interpolation: {
    /** Ways expanded. */
    ways: number;
    /** Numbers between their ends. */
    numbers: number;
    /** Of those, kept as houses (not mapped on the street, not another way's number for the same house). */
    added: number;
    waysLeftOut: InterpolationReport['skipped'];
  };
  houseNumbers: { mapped: number; interpolatedAlsoMapped: number; sameHouse: number; kept: number };
  /** Addressed buildings placed at their main entrance, their only entrance, their centre for several and no main. */
  buildings: { mainEntrance: number; onlyEntrance: number; centreSeveralEntrances: number };
}

/** An extract's places and what its addresses became. */
export interface PlacesRead { streets: StreetPlace[]; report: PlacesReport }

/** The report of an extract read (readExtractPlaces) and made into `streets` (streetPlaces, filling in `stats`). */
export function placesReport(extract: ExtractPlaces, stats: HouseStats, streets: StreetPlace[]): PlacesReport {
  let kept = 0;
  for (const s of streets) kept += s.houses?.length ?? 0;
  const { interpolation: i, entrances: e } = extract;
  return {
    addresses: { read: extract.read, placed: extract.placed, leftOut: { ...extract.skipped } },
    interpolation: { ways: i.ways, numbers: i.numbers, added: stats.interpolated, waysLeftOut: { ...i.skipped } },
    houseNumbers: { mapped: extract.addresses.length - i.numbers, interpolatedAlsoMapped: stats.interpolatedAlsoMapped, sameHouse: stats.sameHouse, kept },
    buildings: { mainEntrance: e.main, onlyEntrance: e.only, centreSeveralEntrances: e.severalNoMain },
  };
}

/** Reads an extract's streets and house numbers as places, with the report of what its addresses became. */
export async function readPlacesFromPbf(file: string): Promise<PlacesRead> {
  const extract = await readExtractPlaces(file);
  const stats: HouseStats = { interpolated: 0, interpolatedAlsoMapped: 0, sameHouse: 0 };
  const streets = streetPlaces(extract.ways, extract.addresses, stats);
  return { streets, report: placesReport(extract, stats, streets) };
}

/** The same, in a worker thread (what the worker runs), so a server keeps answering (and delivering alerts) meanwhile. */
export async function readPlacesInWorker(file: string): Promise<PlacesRead> {
  const { runInWorker } = await import('../workers/run-in-worker.ts');
  return runInWorker<PlacesRead>(new URL('./street-names-bootstrap.mjs', import.meta.url), { file }, `street names worker on ${file}`);
}

/** Reads an extract's streets and house numbers as places (readPlacesFromPbf without the report). */
export async function streetPlacesFromPbf(file: string): Promise<StreetPlace[]> {
  return (await readPlacesFromPbf(file)).streets;
}
