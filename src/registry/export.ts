// Registry out: GeoJSON for maps and the API, and flat CSV/GeoJSON exports that import reads back unchanged.
import type { Shelter, ShelterLink, ShelterPhoto } from './shelter.ts';

/** Where a photo's bytes are served (GET, public, cacheable). */
export function photoUrl(shelterId: string, photoId: string): string {
  return `/api/shelters/${encodeURIComponent(shelterId)}/photos/${encodeURIComponent(photoId)}`;
}

export type PublicPhoto = ShelterPhoto & { url: string };

/**
 * The record as the API and the map show it: every shelter-card field present (null or empty when unknown), each
 * photo with the URL of its bytes (never the bytes themselves).
 */
export function shelterProperties(s: Shelter): Omit<Shelter, 'entrance' | 'floor' | 'openingHours' | 'links' | 'photos'> & {
  entrance: string | null; floor: string | null; openingHours: string | null; links: ShelterLink[]; photos: PublicPhoto[];
} {
  return {
    ...s,
    entrance: s.entrance ?? null, floor: s.floor ?? null, openingHours: s.openingHours ?? null,
    links: (s.links ?? []).map((l) => ({ label: l.label ?? null, url: l.url })),
    photos: (s.photos ?? []).map((p) => ({ ...p, url: photoUrl(s.id, p.id) })),
  };
}

export function shelterFeature(s: Shelter) {
  return { type: 'Feature' as const, id: s.id, geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] }, properties: shelterProperties(s) };
}

export function sheltersToGeoJson(items: Shelter[]) {
  return { type: 'FeatureCollection' as const, features: items.map(shelterFeature) };
}

/**
 * The flat record an export holds; column names are the ones import recognises. Live occupancy (occupancy,
 * occupancyAt, occupancyBy) is deliberately left out: it is an observation of the moment, not registry data, and
 * import reads an `occupancy` column as the capacity (some registries name it so), so exporting it would not
 * round-trip. The API's GeoJSON (shelterFeature) does carry it.
 */
function flat(s: Shelter): Record<string, string | number | boolean | null> {
  const links = (s.links ?? []).map((l) => ({ label: l.label ?? null, url: l.url }));
  return {
    source_id: s.sourceId ?? s.id, name: s.name, address: s.address, lat: s.lat, lon: s.lon, capacity: s.capacity,
    kind: s.kind, protection_class: s.protectionClass, step_free: s.stepFree,
    water: s.amenities.water, toilet: s.amenities.toilet, ventilation: s.amenities.ventilation, power: s.amenities.power, pets_allowed: s.amenities.petsAllowed,
    operator: s.operator, contact: s.contact, access: s.access, key_holder_phone: s.keyHolderPhone,
    entrance: s.entrance ?? null, floor: s.floor ?? null, opening_hours: s.openingHours ?? null,
    // A JSON list in one cell (import reads it back with the labels); photos are not exported (their bytes are not
    // registry data a spreadsheet can carry).
    links: links.length ? JSON.stringify(links) : null, status: s.status,
    refuge_id: s.id, refuge_source: s.source, last_verified_at: s.lastVerifiedAt, decommissioned_at: s.decommissionedAt,
  };
}

export function sheltersToExportGeoJson(items: Shelter[]) {
  return {
    type: 'FeatureCollection' as const,
    features: items.map((s) => {
      const { lat: _lat, lon: _lon, ...props } = flat(s);
      const links = (s.links ?? []).map((l) => ({ label: l.label ?? null, url: l.url }));
      return { type: 'Feature' as const, id: s.id, geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] }, properties: { ...props, links: links.length ? links : null } };
    }),
  };
}

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return before one) gets a
 * leading apostrophe, as OWASP advises: a registry row must not be able to run =HYPERLINK(...) on an operator's
 * machine. Numbers are left as they are (a longitude of -73.5 is a number, not a formula); import strips the
 * apostrophe again, so the export still round-trips.
 */
export function neutraliseFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  const s = typeof v === 'string' ? neutraliseFormula(v) : String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function sheltersToCsv(items: Shelter[]): string {
  const rows = items.map(flat);
  const header = Object.keys(flat({ amenities: {} } as Shelter));
  return [header.join(','), ...rows.map((r) => header.map((h) => csvCell(r[h])).join(','))].join('\r\n') + '\r\n';
}
