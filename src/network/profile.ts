// The pedestrian profile: which OpenStreetMap ways a person may walk on and how fast. Documented in docs/network.md.

export type Tags = Record<string, string>;

/** Edge classes stored per edge in the graph; the router turns them into a speed. */
export const EDGE_CLASS = { walk: 0, steps: 1, ferry: 2 } as const;
export type EdgeClass = (typeof EDGE_CLASS)[keyof typeof EDGE_CLASS];

export interface FootProfile {
  name: 'foot';
  /** Walking speed on flat ground, metres per second (default 1.3; 0.8 for children or limited mobility). */
  speed: number;
  /** Steps are walked at this fraction of the flat speed. */
  stepsFactor: number;
  /** Include ferry routes (route=ferry), crossed at ferrySpeed with no waiting time. */
  ferries: boolean;
  ferrySpeed: number;
}

export const DEFAULT_FOOT_PROFILE: FootProfile = { name: 'foot', speed: 1.3, stepsFactor: 0.5, ferries: false, ferrySpeed: 4 };

/** Highway values a pedestrian may use unless the tags forbid it. */
const WALKABLE_HIGHWAYS = new Set([
  'footway', 'path', 'steps', 'pedestrian', 'living_street', 'residential', 'service', 'track',
  'unclassified', 'road', 'tertiary', 'tertiary_link', 'secondary', 'secondary_link', 'primary', 'primary_link',
  'trunk', 'trunk_link', 'crossing', 'corridor', 'platform', 'elevator',
]);
/** Highway values walkable only when foot access is explicitly granted. */
const WALKABLE_IF_ALLOWED = new Set(['cycleway', 'bridleway', 'motorway', 'motorway_link', 'busway', 'bus_guideway']);
const FOOT_ALLOWED = new Set(['yes', 'designated', 'permissive', 'official', 'destination']);
const FOOT_FORBIDDEN = new Set(['no', 'private', 'use_sidepath']);
const ACCESS_FORBIDDEN = new Set(['no', 'private']);

/** The class of edge a way becomes, or null when a pedestrian may not use it. */
export function classifyWay(tags: Tags | undefined, profile: Pick<FootProfile, 'ferries'>): EdgeClass | null {
  if (!tags) return null;
  const foot = tags.foot;
  if (foot !== undefined && FOOT_FORBIDDEN.has(foot)) return null;
  const footAllowed = foot !== undefined && FOOT_ALLOWED.has(foot);
  if (tags.route === 'ferry') return profile.ferries && tags.foot !== 'no' ? EDGE_CLASS.ferry : null;
  const highway = tags.highway ?? (tags.railway === 'platform' || tags.public_transport === 'platform' ? 'platform' : undefined);
  if (highway === undefined) return null;
  if (tags.area === 'yes' && highway !== 'pedestrian' && highway !== 'footway' && highway !== 'platform') return null;
  if (!footAllowed) {
    if (!WALKABLE_HIGHWAYS.has(highway)) return null;
    if (tags.access !== undefined && ACCESS_FORBIDDEN.has(tags.access)) return null;
  } else if (!WALKABLE_HIGHWAYS.has(highway) && !WALKABLE_IF_ALLOWED.has(highway)) {
    return null;
  }
  return highway === 'steps' ? EDGE_CLASS.steps : EDGE_CLASS.walk;
}

/** Metres per second on an edge of the given class. */
export function classSpeed(cls: number, profile: FootProfile): number {
  if (cls === EDGE_CLASS.steps) return profile.speed * profile.stepsFactor;
  if (cls === EDGE_CLASS.ferry) return profile.ferrySpeed;
  return profile.speed;
}

export function validateProfile(p: FootProfile): void {
  if (!(p.speed > 0 && p.speed < 10)) throw new Error(`walking speed must be between 0 and 10 m/s, got ${p.speed}`);
  if (!(p.stepsFactor > 0 && p.stepsFactor <= 1)) throw new Error(`stepsFactor must be in (0, 1], got ${p.stepsFactor}`);
  if (!(p.ferrySpeed > 0)) throw new Error(`ferrySpeed must be positive, got ${p.ferrySpeed}`);
}
