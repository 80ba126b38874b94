// Live occupancy as people read it: "N of CAPACITY places taken, reported HH:MM", and whether the count is too old
// to trust. The API gives the count and when it was reported; how old is "stale" is decided here, from
// `occupancyStaleHours` in config.json (default 6). An old count is marked stale, never hidden.
import { t, language } from '../i18n/index.ts';

export const DEFAULT_STALE_HOURS = 6;
let staleHours = DEFAULT_STALE_HOURS;

/** Takes `occupancyStaleHours` from config.json; anything but a positive number is reported and ignored. */
export function configureOccupancy(config: { occupancyStaleHours?: unknown } | null | undefined): void {
  const v = config?.occupancyStaleHours;
  if (v === undefined) return;
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) staleHours = v;
  else console.warn(`config.json: occupancyStaleHours must be a positive number of hours, not ${JSON.stringify(v)}; using ${staleHours}`);
}

export function occupancyStaleHours(): number {
  return staleHours;
}

export function isOccupancyStale(occupancyAt: string | null, now = Date.now()): boolean {
  if (!occupancyAt) return false;
  const at = Date.parse(occupancyAt);
  return Number.isFinite(at) && now - at > staleHours * 3_600_000;
}

/** HH:MM (24-hour) for today's reports; with the day and month for older ones. */
export function reportedTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = d.toDateString() === now.toDateString();
  const hhmm = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
  return new Intl.DateTimeFormat(language(), sameDay ? hhmm : { day: 'numeric', month: 'short', ...hhmm }).format(d);
}

export interface OccupancyView {
  /** "57 of 200 places taken, reported 14:05", or without the capacity when it is unknown; null when never reported. */
  text: string | null;
  stale: boolean;
  /** "Out of date: more than 6 hours old" when stale. */
  staleText: string | null;
}

export function occupancyView(s: { occupancy: number | null; occupancyAt: string | null; capacity: number | null }): OccupancyView {
  if (s.occupancy === null) return { text: null, stale: false, staleText: null };
  const time = s.occupancyAt ? reportedTime(s.occupancyAt) : t('unknown');
  const text = s.capacity !== null ? t('occ.taken', { count: s.occupancy, capacity: s.capacity, time }) : t('occ.inside', { count: s.occupancy, time });
  const stale = isOccupancyStale(s.occupancyAt);
  return { text, stale, staleText: stale ? t('occ.stale', { hours: staleHours }) : null };
}
