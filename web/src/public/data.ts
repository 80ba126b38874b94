// Loading what the public map needs. Each load remembers when its data came from the server, so the header can
// say "data last refreshed" when the service worker answered from its offline cache.
import { request, type Fetched } from '../lib/api.ts';
import type { LonLat } from '../lib/geo.ts';
import type { MapConfig } from './map.ts';
import { configureOccupancy } from '../lib/occupancy.ts';
import type { AccessType, ProtectionClass, ShelterKind, ShelterStatus } from '../../../src/api/types.ts';

/** Flattened properties: nested objects do not survive into MapLibre expressions. */
export interface ShelterProps {
  id: string;
  name: string;
  address: string | null;
  /** Null when the registry does not know it (shown as unknown, never as 0). */
  capacity: number | null;
  kind: ShelterKind;
  protectionClass: ProtectionClass;
  stepFree: boolean | null;
  pets: boolean | null;
  access: AccessType;
  keyHolderPhone: string | null;
  status: ShelterStatus;
  statusSetAt: string | null;
  lastVerifiedAt: string | null;
  source: string | null;
  /** People inside now as last reported, and when (the card marks an old count stale). */
  occupancy: number | null;
  occupancyAt: string | null;
  /** The shelter card (issue 14): where it is (for the hand-off to a navigation app), how to find the way in. */
  lat: number;
  lon: number;
  entrance: string | null;
  floor: string | null;
  openingHours: string | null;
  /** Links the source gives; only http(s) addresses are kept. */
  links: Array<{ label: string | null; url: string }>;
  /** Photo URLs (same origin), oldest first. */
  /** The server's own photo URLs, each with the operator's caption (null: none). */
  photos: Array<{ url: string; caption: string | null }>;
}

/** An absolute http(s) address, or null: a record's link must not become a javascript: or data: link on the page. */
export function webUrl(v: unknown): string | null {
  if (typeof v !== 'string' || !/^https?:\/\//i.test(v)) return null;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

export type ShelterFeature = GeoJSON.Feature<GeoJSON.Point, ShelterProps>;

export function flatten(f: GeoJSON.Feature): ShelterFeature {
  const p = (f.properties ?? {}) as Record<string, unknown>;
  const amenities = (p.amenities ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    type: 'Feature',
    id: undefined,
    geometry: f.geometry as GeoJSON.Point,
    properties: {
      id: String(p.id ?? f.id),
      name: String(p.name ?? ''),
      address: str(p.address),
      capacity: typeof p.capacity === 'number' ? p.capacity : null,
      kind: String(p.kind ?? 'other') as ShelterKind,
      protectionClass: String(p.protectionClass ?? 'unknown') as ProtectionClass,
      stepFree: typeof p.stepFree === 'boolean' ? p.stepFree : null,
      pets: typeof amenities.petsAllowed === 'boolean' ? amenities.petsAllowed : typeof p.petsAllowed === 'boolean' ? p.petsAllowed : null,
      access: String(p.access ?? 'unknown') as AccessType,
      keyHolderPhone: str(p.keyHolderPhone),
      status: String(p.status ?? 'unknown') as ShelterStatus,
      statusSetAt: str(p.statusSetAt),
      lastVerifiedAt: str(p.lastVerifiedAt),
      source: str(p.source),
      occupancy: typeof p.occupancy === 'number' ? p.occupancy : null,
      occupancyAt: str(p.occupancyAt),
      lat: (f.geometry as GeoJSON.Point).coordinates[1],
      lon: (f.geometry as GeoJSON.Point).coordinates[0],
      entrance: str(p.entrance),
      floor: str(p.floor),
      openingHours: str(p.openingHours),
      links: (Array.isArray(p.links) ? p.links : []).flatMap((l: { label?: unknown; url?: unknown }) => {
        const url = webUrl(l?.url);
        return url ? [{ label: str(l.label), url }] : [];
      }),
      // Photos are served by this server: only its own /api/shelters/…/photos/… paths are shown.
      // With their captions: the card shows them (and uses them as alt text) offline and without another request.
      photos: (Array.isArray(p.photos) ? p.photos : []).flatMap((ph: { url?: unknown; caption?: unknown }) =>
        typeof ph?.url === 'string' && /^\/api\/shelters\/[^/]+\/photos\/[^/]+$/.test(ph.url)
          ? [{ url: ph.url, caption: typeof ph.caption === 'string' && ph.caption.trim() ? ph.caption : null }] : []),
    },
  };
}

export interface Loaded<T> {
  data: T;
  fetchedAt: string;
  fromCache: boolean;
}

interface SourceCredit { source: string; attribution: string | null; licence: string | null }

export const DEFAULT_CONFIG: MapConfig = { tileUrl: null, tileAttribution: null, center: [12.5683, 55.6761], zoom: 13 };

export async function loadConfig(): Promise<MapConfig> {
  const defaults = DEFAULT_CONFIG;
  try {
    const { data } = await request<Partial<MapConfig>>('GET', '/config.json');
    configureOccupancy(data as { occupancyStaleHours?: unknown });
    return { ...defaults, ...data, centerSet: Array.isArray(data?.center) };
  } catch {
    return defaults;
  }
}

/** The whole registry snapshot in one document (decommissioned shelters are not offered); built and compressed once
 * per registry change on the server. Paging links are still followed should a server send them. */
export async function loadShelters(): Promise<Loaded<ShelterFeature[]> & { credits: string[] }> {
  const out: ShelterFeature[] = [];
  let credits: string[] = [];
  let first: Fetched<unknown> | null = null;
  let url: string | null = '/api/shelters/snapshot';
  for (let page = 0; url && page < 200; page++) {
    const r: Fetched<GeoJSON.FeatureCollection & { next?: string | null; links?: Array<{ rel: string; href: string }> }> = await request('GET', url);
    if (!first) credits = ((r.data as { attribution?: SourceCredit[] }).attribution ?? []).filter((c) => c.attribution).map((c) => (c.licence ? `${c.attribution} (${c.licence})` : c.attribution!));
    first ??= r;
    for (const f of r.data.features) out.push(flatten(f));
    url = nextPage(r, url, r.data.features.length);
  }
  return { data: out, fetchedAt: first!.fetchedAt, fromCache: first!.fromCache, credits };
}

function nextPage(r: Fetched<{ next?: string | null; links?: Array<{ rel: string; href: string }> }>, url: string, got: number): string | null {
  const link = r.headers.get('link');
  const m = link && /<([^>]+)>;\s*rel="?next"?/.exec(link);
  if (m) return m[1];
  if (typeof r.data.next === 'string') return r.data.next.startsWith('/') || r.data.next.startsWith('http') ? r.data.next : `/api/shelters?${r.data.next}`;
  const next = r.data.links?.find((l) => l.rel === 'next');
  if (next) return next.href;
  void url;
  void got;
  return null;
}

export async function loadStreets(): Promise<Loaded<GeoJSON.FeatureCollection> | null> {
  try {
    return await request<GeoJSON.FeatureCollection>('GET', '/api/network/lines');
  } catch {
    return null;
  }
}

export interface Region {
  code: string;
  name: string;
  warningTimeSeconds: number | null;
}

export async function regionsAt(at: LonLat): Promise<Region[]> {
  try {
    const { data } = await request<unknown>('GET', `/api/regions/at?lat=${at[1]}&lon=${at[0]}`);
    const list = Array.isArray(data) ? data : ((data as Record<string, unknown>).regions as unknown[]) ?? [];
    return list.map((r) => {
      const o = r as Record<string, unknown>;
      const wt = o.warningTimeS ?? o.warningTimeSeconds ?? o.warningTime ?? null;
      return { code: String(o.code ?? o.id), name: String(o.name ?? o.code), warningTimeSeconds: typeof wt === 'number' ? wt : null };
    });
  } catch {
    return [];
  }
}
