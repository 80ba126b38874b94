// The shelter record: the one shape every part of Refuge agrees on.

export const SHELTER_KINDS = ['basement', 'purpose-built', 'metro-station', 'underground-parking', 'underpass', 'other'] as const;
export type ShelterKind = (typeof SHELTER_KINDS)[number];

/** A: full value, B: renewable, C: withdrawn. */
export const PROTECTION_CLASSES = ['A', 'B', 'C', 'unknown'] as const;
export type ProtectionClass = (typeof PROTECTION_CLASSES)[number];

export const SHELTER_STATUSES = ['open', 'closed', 'locked', 'full', 'unknown'] as const;
export type ShelterStatus = (typeof SHELTER_STATUSES)[number];

/** The statuses an occupancy report may set along with the count (a warden opens the shelter, or marks it full). */
export const OCCUPANCY_STATUSES = ['open', 'full'] as const;
export type OccupancyStatus = (typeof OCCUPANCY_STATUSES)[number];

/** A sanity bound on a reported count, far above any shelter; beyond it the number is a typing slip, not a crowd. */
export const MAX_OCCUPANCY = 1_000_000;

/**
 * A sanity bound on capacity: the largest public shelters hold tens of thousands (Lucerne's Sonnenberg tunnel was
 * built for 20,000); a million is a slip or an attack on every sum that uses it.
 */
export const MAX_CAPACITY = 1_000_000;

/**
 * Longest text each field may hold. Every snapshot and export carries these to every phone, so one 20 MB address
 * would slow them all; real registries' longest values are a few hundred characters.
 */
export const TEXT_LIMITS = {
  name: 300, address: 500, operator: 300, contact: 300, keyHolderPhone: 100, source: 200, sourceId: 200,
  entrance: 1000, floor: 50, openingHours: 500,
} as const;

/**
 * Links the source gives for a shelter (a Waze link, the operator's page): http(s) only, at most MAX_LINKS, each
 * URL at most LINK_LIMITS.url characters and its label at most LINK_LIMITS.label.
 */
export const MAX_LINKS = 10;
export const LINK_LIMITS = { url: 2000, label: 200 } as const;

export interface ShelterLink {
  /** What the link is ("Waze", "Operator's page"); null when the source gives none (the card shows the host). */
  label: string | null;
  url: string;
}

/** A photo an operator uploaded (the entrance, the sign). The bytes stay in the store; records carry only this. */
export interface ShelterPhoto {
  id: string;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  size: number;
  addedAt: string;
  /**
   * What the photo shows, in the operator's words and language ("The entrance is the green door left of the
   * pharmacy"); null when none was given. The card shows it under the photo and as its alt text.
   */
  caption: string | null;
}

/** The longest caption, in characters (code points, so a Hebrew or Arabic caption gets as many as a Latin one). */
export const MAX_CAPTION_CHARS = 300;

/**
 * A caption as stored: trimmed, NFC, null when empty. Refused (the reason, for a 400 naming the field): not a string,
 * control characters (a caption is one line of text; tabs, newlines and escapes make a screen reader or a figcaption
 * misbehave), or longer than MAX_CAPTION_CHARS. Direction marks and other format characters are allowed: a Hebrew
 * caption quoting a Latin name may need them.
 */
export function normalizeCaption(raw: unknown): { caption: string | null } | { reason: string } {
  if (raw === null || raw === undefined) return { caption: null };
  if (typeof raw !== 'string') return { reason: 'must be a string or null' };
  // Checked before trimming: a line break at the end is as much a mistake as one in the middle.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(raw)) return { reason: 'must not contain control characters (line breaks, tabs, escapes)' };
  const text = raw.normalize('NFC').trim();
  const chars = [...text].length;
  if (chars > MAX_CAPTION_CHARS) return { reason: `must be at most ${MAX_CAPTION_CHARS} characters (has ${chars})` };
  return { caption: text === '' ? null : text };
}

/** Photos a shelter may have, and the largest photo accepted (bytes). */
export const MAX_PHOTOS = 12;
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;

export const ACCESS_TYPES = ['always-open', 'key-holder', 'unknown'] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

export interface Amenities {
  water: boolean | null;
  toilet: boolean | null;
  ventilation: boolean | null;
  power: boolean | null;
  petsAllowed: boolean | null;
}

export interface Shelter {
  id: string;
  name: string;
  address: string | null;
  lat: number;
  lon: number;
  /** Persons; null when the source does not say (the shelter is still offered, planners count it as unknown). */
  capacity: number | null;
  kind: ShelterKind;
  protectionClass: ProtectionClass;
  stepFree: boolean | null;
  amenities: Amenities;
  operator: string | null;
  contact: string | null;
  access: AccessType;
  keyHolderPhone: string | null;
  // The shelter card (issue 14). A record carries these only when they hold something (a stored record reads back as
  // it was written, with or without them); shelterFeature (export.ts) fills in the empty values, so every reader of
  // the API and the map sees all of them.
  /** How to find the way in ("door on the courtyard side, stairs down"). */
  entrance?: string | null;
  /** The floor as the source writes it: "-2", "basement 2", "K1"; kept as text. */
  floor?: string | null;
  /** Opening hours as text; an OSM opening_hours value ("Mo-Fr 08:00-18:00") is kept as given. */
  openingHours?: string | null;
  /** Links the source gives (http(s) only). */
  links?: ShelterLink[];
  /** Photos uploaded by operators, in the order the operator chose (else oldest first); the bytes are fetched by URL. */
  photos?: ShelterPhoto[];
  status: ShelterStatus;
  statusSetAt: string | null;
  statusSetBy: string | null;
  /**
   * People inside now, as last reported by a warden or operator (POST /api/shelters/:id/occupancy); null when never
   * reported. A live observation, not registry data: it is not exported, and it may exceed `capacity` (overcrowding
   * is real). Readers judge its age from `occupancyAt`; it is never dropped for being old.
   */
  occupancy: number | null;
  /** When `occupancy` was reported (ISO time). */
  occupancyAt: string | null;
  /** Who reported `occupancy`. */
  occupancyBy: string | null;
  lastVerifiedAt: string | null;
  lastVerifiedBy: string | null;
  source: string | null;
  sourceId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Set instead of deleting: a decommissioned shelter stays in the history but is no longer offered. */
  decommissionedAt: string | null;
}

/** The card fields of a stored record, only those that hold something (see Shelter). */
export function cardFields(entrance: string | null, floor: string | null, openingHours: string | null, links: ShelterLink[] | null, photos: ShelterPhoto[]): Pick<Shelter, 'entrance' | 'floor' | 'openingHours' | 'links' | 'photos'> {
  const out: Pick<Shelter, 'entrance' | 'floor' | 'openingHours' | 'links' | 'photos'> = {};
  if (entrance !== null) out.entrance = entrance;
  if (floor !== null) out.floor = floor;
  if (openingHours !== null) out.openingHours = openingHours;
  if (links && links.length) out.links = links;
  if (photos.length) out.photos = photos;
  return out;
}

export const NO_AMENITIES: Amenities = { water: null, toilet: null, ventilation: null, power: null, petsAllowed: null };

/** Whether a resident may be sent there now (the routing engine excludes the rest unless asked). */
export function isUsable(s: Pick<Shelter, 'status' | 'decommissionedAt'>): boolean {
  return s.decommissionedAt === null && s.status !== 'closed' && s.status !== 'locked' && s.status !== 'full';
}
