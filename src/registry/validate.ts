// Checks and normalises the editable fields of a shelter. Returns every problem, not just the first.
import {
  ACCESS_TYPES, LINK_LIMITS, MAX_CAPACITY, MAX_LINKS, PROTECTION_CLASSES, SHELTER_KINDS, SHELTER_STATUSES, TEXT_LIMITS,
  type AccessType, type Amenities, type ShelterLink, type ProtectionClass, type ShelterKind, type ShelterStatus,
} from './shelter.ts';
import type { FieldProblem } from './errors.ts';

export interface ShelterInput {
  name?: string;
  address?: string | null;
  lat?: number;
  lon?: number;
  capacity?: number | null;
  kind?: ShelterKind;
  protectionClass?: ProtectionClass;
  stepFree?: boolean | null;
  amenities?: Partial<Amenities>;
  operator?: string | null;
  contact?: string | null;
  access?: AccessType;
  keyHolderPhone?: string | null;
  entrance?: string | null;
  floor?: string | null;
  openingHours?: string | null;
  links?: ShelterLink[];
  status?: ShelterStatus;
  source?: string | null;
  sourceId?: string | null;
}

export const EDITABLE_FIELDS = [
  'name', 'address', 'lat', 'lon', 'capacity', 'kind', 'protectionClass', 'stepFree', 'amenities', 'operator',
  'contact', 'access', 'keyHolderPhone', 'entrance', 'floor', 'openingHours', 'links', 'status', 'source', 'sourceId',
] as const;

const AMENITY_KEYS = ['water', 'toilet', 'ventilation', 'power', 'petsAllowed'] as const;

function oneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (list as readonly string[]).includes(v);
}

/** Problems with the given fields; `required` also demands the fields a new shelter must have. */
export function checkShelterInput(input: ShelterInput, required: boolean): FieldProblem[] {
  const p: FieldProblem[] = [];
  const has = (k: keyof ShelterInput) => input[k] !== undefined;
  if (required) {
    for (const k of ['name', 'lat', 'lon'] as const) if (!has(k)) p.push({ field: k, reason: 'is required' });
  }
  if (has('name') && (typeof input.name !== 'string' || input.name.trim() === '')) p.push({ field: 'name', reason: 'must be a non-empty string' });
  if (has('lat') && !(typeof input.lat === 'number' && Number.isFinite(input.lat) && Math.abs(input.lat) <= 90)) p.push({ field: 'lat', reason: 'must be a latitude between -90 and 90' });
  if (has('lon') && !(typeof input.lon === 'number' && Number.isFinite(input.lon) && Math.abs(input.lon) <= 180)) p.push({ field: 'lon', reason: 'must be a longitude between -180 and 180' });
  if (has('capacity') && input.capacity !== null && !(Number.isInteger(input.capacity) && (input.capacity as number) >= 0)) p.push({ field: 'capacity', reason: 'must be a whole number of persons, 0 or more, or null when unknown' });
  else if (has('capacity') && input.capacity !== null && (input.capacity as number) > MAX_CAPACITY) p.push({ field: 'capacity', reason: `must be at most ${MAX_CAPACITY} persons` });
  if (has('kind') && !oneOf(SHELTER_KINDS, input.kind)) p.push({ field: 'kind', reason: `must be one of ${SHELTER_KINDS.join(', ')}` });
  if (has('protectionClass') && !oneOf(PROTECTION_CLASSES, input.protectionClass)) p.push({ field: 'protectionClass', reason: `must be one of ${PROTECTION_CLASSES.join(', ')}` });
  if (has('status') && !oneOf(SHELTER_STATUSES, input.status)) p.push({ field: 'status', reason: `must be one of ${SHELTER_STATUSES.join(', ')}` });
  if (has('access') && !oneOf(ACCESS_TYPES, input.access)) p.push({ field: 'access', reason: `must be one of ${ACCESS_TYPES.join(', ')}` });
  if (has('stepFree') && input.stepFree !== null && typeof input.stepFree !== 'boolean') p.push({ field: 'stepFree', reason: 'must be true, false or null' });
  if (has('amenities')) {
    const a = input.amenities;
    if (typeof a !== 'object' || a === null) p.push({ field: 'amenities', reason: 'must be an object' });
    else for (const [k, v] of Object.entries(a)) {
      if (!(AMENITY_KEYS as readonly string[]).includes(k)) p.push({ field: `amenities.${k}`, reason: `is not an amenity (${AMENITY_KEYS.join(', ')})` });
      else if (v !== null && typeof v !== 'boolean') p.push({ field: `amenities.${k}`, reason: 'must be true, false or null' });
    }
  }
  if (has('links')) p.push(...checkLinks(input.links));
  for (const k of ['address', 'operator', 'contact', 'keyHolderPhone', 'entrance', 'floor', 'openingHours', 'source', 'sourceId'] as const) {
    if (has(k) && input[k] !== null && typeof input[k] !== 'string') p.push({ field: k, reason: 'must be a string or null' });
  }
  for (const [k, max] of Object.entries(TEXT_LIMITS) as Array<[keyof typeof TEXT_LIMITS, number]>) {
    const v = input[k];
    if (typeof v === 'string' && v.length > max) p.push({ field: k, reason: `must be at most ${max} characters (has ${v.length})` });
  }
  return p;
}

/** Whether `url` is an absolute http(s) URL (no javascript:, data:, or relative links reach a resident's phone). */
export function isWebUrl(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Problems with a list of links: at most MAX_LINKS, each { url, label? } with an http(s) URL and bounded lengths. */
export function checkLinks(links: unknown): FieldProblem[] {
  if (!Array.isArray(links)) return [{ field: 'links', reason: 'must be a list of { url, label } objects' }];
  const p: FieldProblem[] = [];
  if (links.length > MAX_LINKS) p.push({ field: 'links', reason: `must have at most ${MAX_LINKS} links (has ${links.length})` });
  links.slice(0, MAX_LINKS + 1).forEach((l, i) => {
    const at = `links[${i}]`;
    if (typeof l !== 'object' || l === null || Array.isArray(l)) { p.push({ field: at, reason: 'must be an object with url and, optionally, label' }); return; }
    const { url, label, ...rest } = l as Record<string, unknown>;
    for (const k of Object.keys(rest)) p.push({ field: `${at}.${k}`, reason: 'is not a link field (url, label)' });
    if (typeof url !== 'string') p.push({ field: `${at}.url`, reason: 'is required and must be a string' });
    else if (url.length > LINK_LIMITS.url) p.push({ field: `${at}.url`, reason: `must be at most ${LINK_LIMITS.url} characters (has ${url.length})` });
    else if (!isWebUrl(url)) p.push({ field: `${at}.url`, reason: `must be an http:// or https:// address (got "${url.slice(0, 60)}")` });
    if (label !== undefined && label !== null && typeof label !== 'string') p.push({ field: `${at}.label`, reason: 'must be a string or null' });
    else if (typeof label === 'string' && label.length > LINK_LIMITS.label) p.push({ field: `${at}.label`, reason: `must be at most ${LINK_LIMITS.label} characters (has ${label.length})` });
  });
  return p;
}
