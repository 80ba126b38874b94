// Live occupancy: how many people a warden or operator counted inside a shelter, and when. A count above the
// capacity is accepted (overcrowding happens and must be visible), but the answer says so; reaching the capacity
// never changes the status by itself: the person on site decides whether to mark the shelter full.
import { MAX_OCCUPANCY, OCCUPANCY_STATUSES, type OccupancyStatus, type Shelter } from './shelter.ts';
import type { FieldProblem } from './errors.ts';

export interface OccupancyReport {
  /** People inside now: a whole number, 0 or more. */
  occupancy: number;
  /** Optionally set the status in the same change: 'open' or 'full'. */
  status?: OccupancyStatus;
}

export interface OccupancyWarning {
  /** OVER_CAPACITY: more people than places. AT_CAPACITY: every place taken and the shelter is not marked full. */
  code: 'OVER_CAPACITY' | 'AT_CAPACITY';
  field: 'occupancy';
  reason: string;
}

/** Problems with an occupancy report, every one, each naming its field. */
export function checkOccupancyReport(input: unknown): FieldProblem[] {
  const p: FieldProblem[] = [];
  if (typeof input !== 'object' || input === null) return [{ field: 'occupancy', reason: 'is required' }];
  const r = input as Record<string, unknown>;
  if (r.occupancy === undefined || r.occupancy === null) p.push({ field: 'occupancy', reason: 'is required' });
  else if (typeof r.occupancy !== 'number' || !Number.isInteger(r.occupancy) || r.occupancy < 0) {
    p.push({ field: 'occupancy', reason: 'must be a whole number of people, 0 or more' });
  } else if (r.occupancy > MAX_OCCUPANCY) p.push({ field: 'occupancy', reason: `must be at most ${MAX_OCCUPANCY}` });
  if (r.status !== undefined && !(OCCUPANCY_STATUSES as readonly unknown[]).includes(r.status)) {
    p.push({ field: 'status', reason: `must be one of ${OCCUPANCY_STATUSES.join(', ')} (other statuses are set with the status route)` });
  }
  for (const k of Object.keys(r)) if (k !== 'occupancy' && k !== 'status') p.push({ field: k, reason: 'is not part of an occupancy report' });
  return p;
}

/** What the person reporting should know about the count against the capacity (nothing when capacity is unknown). */
export function occupancyWarnings(s: Pick<Shelter, 'occupancy' | 'capacity' | 'status'>): OccupancyWarning[] {
  if (s.occupancy === null || s.capacity === null) return [];
  const out: OccupancyWarning[] = [];
  if (s.occupancy > s.capacity) {
    out.push({ code: 'OVER_CAPACITY', field: 'occupancy', reason: `${s.occupancy} people reported in a shelter with ${s.capacity} places` });
  }
  if (s.occupancy >= s.capacity && s.occupancy > 0 && s.status !== 'full') {
    out.push({ code: 'AT_CAPACITY', field: 'occupancy', reason: `every place is taken (${s.occupancy} of ${s.capacity}) and the shelter is not marked full` });
  }
  return out;
}
