// Regions: named areas with a warning time (seconds to reach shelter), imported from GeoJSON.

/** GeoJSON-style MultiPolygon coordinates: polygons -> rings -> [lon, lat] positions. */
export type MultiPolygonCoordinates = number[][][][];

export interface Region {
  /** Stable identifier used by alerts (CAP geocode "refuge-region") and the API. */
  code: string;
  name: string;
  /** Seconds residents have to reach shelter; null when the source does not say. */
  warningTimeS: number | null;
  /** Code (or label) of the enclosing region, e.g. the oblast of a raion. */
  parentCode: string | null;
  geometry: { type: 'MultiPolygon'; coordinates: MultiPolygonCoordinates };
  /**
   * The name in other languages, language tag (lower case) -> name, keys sorted; absent when the source gives none.
   * From `name:uk`-style (OpenStreetMap) and `name_uk`-style properties.
   */
  names?: Record<string, string>;
}

/** `name:xx`, `name_xx`, `NAME_XX`, `name:be-tarask`: a language tag after the separator, nothing else after it. */
const ALT_NAME = /^name[:_]([a-z]{2,3}(?:-[a-z0-9]{2,8})*)$/i;

/**
 * A feature's names in other languages: every `name:<lang>` / `name_<lang>` property with a non-empty text. Where
 * both spellings give one language, the OSM one (`name:`) wins. Null when there is none.
 */
export function alternativeNames(properties: Record<string, unknown>): Record<string, string> | null {
  const found = new Map<string, { text: string; osm: boolean }>();
  for (const [key, value] of Object.entries(properties)) {
    const m = ALT_NAME.exec(key);
    if (!m || typeof value !== 'string' || value.trim() === '') continue;
    const lang = m[1].toLowerCase();
    const osm = key[4] === ':';
    const had = found.get(lang);
    if (!had || (osm && !had.osm)) found.set(lang, { text: value.trim(), osm });
  }
  if (!found.size) return null;
  return Object.fromEntries([...found.keys()].sort().map((k) => [k, found.get(k)!.text]));
}

export interface RegionFieldOptions {
  nameField?: string;
  codeField?: string;
  warningTimeField?: string;
  parentField?: string;
}

export interface SkippedFeature {
  index: number;
  name: string | null;
  reason: string;
}

export interface RegionImportResult {
  regions: Region[];
  skipped: SkippedFeature[];
  /** The property names actually used (given or auto-detected); null = not present. */
  fields: { name: string; code: string | null; warningTime: string | null; parent: string | null };
  /** True when no code field exists and the name doubles as the code. */
  codeFromName: boolean;
}

/** Tried in order when --name-field is not given. */
export const NAME_FIELD_CANDIDATES = ['name', 'NAME', 'Name', 'name_en', 'NAME_EN', 'name_he', 'name_uk', 'name_local', 'shapeName', 'NAME_1'];
/** Tried in order when --code-field is not given; the first present on every feature with unique values wins. */
export const CODE_FIELD_CANDIDATES = ['code', 'CODE', 'iso3166_2', 'ISO3166-2', 'shapeISO', 'id', 'ID', 'GID_1', 'ref', 'segment', 'alerts_in_ua_uid'];
export const WARNING_TIME_FIELD_CANDIDATES = ['warning_time_s', 'warningTimeS', 'warning_time', 'migun_time_s', 'migun_time', 'shelter_time_s'];
export const PARENT_FIELD_CANDIDATES = ['parent', 'parent_code', 'parentCode', 'PARENT'];

export class RegionImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegionImportError';
  }
}

interface RawFeature {
  index: number;
  properties: Record<string, unknown>;
  geometry: unknown;
}

/** Parses GeoJSON text; `source` (e.g. the file name) prefixes every error message. */
export function parseRegionsGeoJson(text: string, options: RegionFieldOptions = {}, source = 'input'): RegionImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new RegionImportError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  return regionsFromGeoJson(data, options, source);
}

export function regionsFromGeoJson(data: unknown, options: RegionFieldOptions = {}, source = 'input'): RegionImportResult {
  const features = collectFeatures(data, source);
  const skipped: SkippedFeature[] = [];
  const usable: RawFeature[] = [];
  for (const f of features) {
    if (f.geometry === null || f.geometry === undefined) {
      skipped.push({ index: f.index, name: guessName(f.properties, options.nameField), reason: 'geometry is null' });
    } else {
      usable.push(f);
    }
  }
  if (usable.length === 0) throw new RegionImportError(`${source}: no feature with a geometry`);

  const nameField = options.nameField ?? detectField(usable, NAME_FIELD_CANDIDATES, false);
  if (!nameField) {
    throw new RegionImportError(`${source}: no name field found (tried ${NAME_FIELD_CANDIDATES.join(', ')}); pass --name-field`);
  }
  const codeField = options.codeField ?? detectField(usable, CODE_FIELD_CANDIDATES, true);
  const warningField = options.warningTimeField ?? detectField(usable, WARNING_TIME_FIELD_CANDIDATES, false);
  const parentField = options.parentField ?? detectField(usable, PARENT_FIELD_CANDIDATES, false, true);

  const regions: Region[] = [];
  const seen = new Map<string, number>();
  for (const f of usable) {
    const where = `${source}: feature ${f.index}`;
    const name = f.properties[nameField];
    if (typeof name !== 'string' || name.trim() === '') {
      throw new RegionImportError(`${where}: field "${nameField}" (name) is missing or empty`);
    }
    let code: string;
    if (codeField) {
      const raw = f.properties[codeField];
      if ((typeof raw !== 'string' && typeof raw !== 'number') || String(raw).trim() === '') {
        throw new RegionImportError(`${where} (${name}): field "${codeField}" (code) is missing or empty`);
      }
      code = String(raw).trim();
    } else {
      code = name.trim();
    }
    const dup = seen.get(code);
    if (dup !== undefined) {
      throw new RegionImportError(`${where} (${name}): code "${code}" already used by feature ${dup}; pass a unique --code-field`);
    }
    seen.set(code, f.index);

    let warningTimeS: number | null = null;
    if (warningField) {
      const raw = f.properties[warningField];
      if (raw !== null && raw !== undefined && raw !== '') {
        const n = typeof raw === 'number' ? raw : Number(raw);
        if (!Number.isFinite(n) || n < 0) {
          throw new RegionImportError(`${where} (${name}): field "${warningField}" (warning time) must be a number of seconds >= 0, got ${JSON.stringify(raw)}`);
        }
        warningTimeS = n;
      }
    }
    let parentCode: string | null = null;
    if (parentField) {
      const raw = f.properties[parentField];
      if (typeof raw === 'string' || typeof raw === 'number') parentCode = String(raw).trim() || null;
    }
    const names = alternativeNames(f.properties);
    regions.push({ code, name: name.trim(), warningTimeS, parentCode, geometry: toMultiPolygon(f.geometry, where, name), ...(names ? { names } : {}) });
  }
  const cycle = findParentCycle(regions);
  if (cycle) {
    const first = regions.find((r) => r.code === cycle[0])!;
    throw new RegionImportError(`${source}: feature ${seen.get(first.code)} (${first.name}): field "${parentField}" (parent) makes a cycle: ${[...cycle, cycle[0]].join(' -> ')}; a region cannot contain itself`);
  }
  return {
    regions,
    skipped,
    fields: { name: nameField, code: codeField, warningTime: warningField, parent: parentField },
    codeFromName: !codeField,
  };
}

/**
 * The first chain of parents that returns to where it started (a region its own ancestor), as the codes along it, or
 * null. Parents outside the list end a chain: they may be regions imported before.
 */
export function findParentCycle(regions: ReadonlyArray<{ code: string; parentCode: string | null }>): string[] | null {
  const parent = new Map(regions.map((r) => [r.code, r.parentCode]));
  const done = new Set<string>();
  for (const r of regions) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let c: string | null = r.code;
    while (c !== null && parent.has(c) && !done.has(c)) {
      if (onPath.has(c)) return path.slice(path.indexOf(c));
      onPath.add(c);
      path.push(c);
      c = parent.get(c) ?? null;
    }
    for (const p of path) done.add(p);
  }
  return null;
}

function collectFeatures(data: unknown, source: string): RawFeature[] {
  if (!isObject(data)) throw new RegionImportError(`${source}: expected a GeoJSON object`);
  const list = data.type === 'FeatureCollection' ? data.features : data.type === 'Feature' ? [data] : undefined;
  if (!Array.isArray(list)) {
    throw new RegionImportError(`${source}: expected a GeoJSON FeatureCollection or Feature, got type ${JSON.stringify(data.type)}`);
  }
  return list.map((f, index) => {
    if (!isObject(f) || f.type !== 'Feature') throw new RegionImportError(`${source}: feature ${index} is not a GeoJSON Feature`);
    const properties = isObject(f.properties) ? { ...f.properties } : {};
    // A top-level Feature id is a natural code when the properties carry none.
    if (f.id !== undefined && properties.id === undefined) properties.id = f.id;
    return { index, properties, geometry: f.geometry };
  });
}

/** First candidate present (as a non-empty string/number) on every feature; `unique` also requires distinct values. */
function detectField(features: RawFeature[], candidates: string[], unique: boolean, optionalValues = false): string | null {
  for (const field of candidates) {
    const values = new Set<string>();
    let ok = true;
    let present = 0;
    for (const f of features) {
      const v = f.properties[field];
      if (typeof v === 'string' ? v.trim() !== '' : typeof v === 'number') {
        present++;
        values.add(String(v));
      } else if (!optionalValues || v != null) {
        ok = false;
        break;
      }
    }
    if (!ok || present === 0) continue;
    if (unique && values.size !== features.length) continue;
    return field;
  }
  return null;
}

function guessName(properties: Record<string, unknown>, nameField?: string): string | null {
  for (const field of nameField ? [nameField] : NAME_FIELD_CANDIDATES) {
    if (typeof properties[field] === 'string') return properties[field] as string;
  }
  return null;
}

function toMultiPolygon(geometry: unknown, where: string, name: string): Region['geometry'] {
  if (!isObject(geometry)) throw new RegionImportError(`${where} (${name}): geometry is not an object`);
  let polygons: unknown[];
  if (geometry.type === 'Polygon') polygons = [geometry.coordinates];
  else if (geometry.type === 'MultiPolygon' && Array.isArray(geometry.coordinates)) polygons = geometry.coordinates;
  else throw new RegionImportError(`${where} (${name}): geometry type ${JSON.stringify(geometry.type)} is not Polygon or MultiPolygon`);
  if (polygons.length === 0) throw new RegionImportError(`${where} (${name}): geometry has no polygon`);
  const coordinates = polygons.map((polygon, p) => {
    if (!Array.isArray(polygon) || polygon.length === 0) throw new RegionImportError(`${where} (${name}): polygon ${p} has no ring`);
    return polygon.map((ring, r) => checkRing(ring, `${where} (${name}): polygon ${p} ring ${r}`));
  });
  return { type: 'MultiPolygon', coordinates };
}

function checkRing(ring: unknown, where: string): number[][] {
  if (!Array.isArray(ring) || ring.length < 4) throw new RegionImportError(`${where}: a ring needs at least 4 positions`);
  const out = ring.map((pos, i) => {
    if (!Array.isArray(pos) || pos.length < 2) throw new RegionImportError(`${where}: position ${i} is not [lon, lat]`);
    const [lon, lat] = pos;
    if (typeof lon !== 'number' || typeof lat !== 'number' || !(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90)) {
      throw new RegionImportError(`${where}: position ${i} ${JSON.stringify(pos)} is not a valid [lon, lat]`);
    }
    return [lon, lat];
  });
  const first = out[0];
  const last = out[out.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) throw new RegionImportError(`${where}: ring is not closed (first and last positions differ)`);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
