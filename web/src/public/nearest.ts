// Nearest reachable shelters: the server's walking-network answer when online, the cached-streets estimate offline.
import { request, isOffline } from '../lib/api.ts';
import type { LonLat } from '../lib/geo.ts';
import { WalkGraph, straightLine, type Target } from '../lib/walkgraph.ts';
import type { ShelterFeature } from './data.ts';
import type { ReportKind } from '../../../src/api/types.ts';

export type NearestMode = 'network' | 'straight-line' | 'offline-network';

export interface NearestResult {
  id: string;
  name: string;
  walkSeconds: number;
  meters: number;
  reachableInTime: boolean | null;
  route: GeoJSON.LineString;
  /** Open resident reports no operator has decided on yet (the server then ranks the shelter lower). */
  openReports?: OpenReports;
}

/** Open reports per kind (the same counts as the server's `openReports`). */
export type OpenReports = Record<ReportKind, number>;

/**
 * The open reports last seen per shelter (from the server's answers, and the resident's own reports from this page):
 * the details card shows them, and the offline finder ranks those shelters lower as the server does.
 */
const seenReports = new Map<string, OpenReports>();

export function openReportsFor(id: string): OpenReports | null {
  const r = seenReports.get(id);
  return r && r.locked + r.closed + r.missing > 0 ? r : null;
}

/** Counts the resident's own report at once, so the card and an offline search reflect it. */
export function noteOwnReport(id: string, kind: keyof OpenReports): void {
  const r = seenReports.get(id) ?? { locked: 0, closed: 0, missing: 0 };
  seenReports.set(id, { ...r, [kind]: r[kind] + 1 });
}

export function setSeenReports(id: string, open: OpenReports | null | undefined): void {
  if (open && open.locked + open.closed + open.missing > 0) seenReports.set(id, open);
  else seenReports.delete(id);
}

function remember(results: NearestResult[]): void {
  for (const r of results) setSeenReports(r.id, r.openReports);
}

/** As the server ranks (docs/web.md): unreported reachable, reported reachable, unreported not reachable, reported not reachable. */
export function rankWithReports(results: NearestResult[], k: number): NearestResult[] {
  const group = (r: NearestResult) => (r.reachableInTime === false ? 2 : 0) + (openReportsFor(r.id) ? 1 : 0);
  return results
    .map((r, i) => ({ r, i, g: group(r) }))
    .sort((a, b) => a.g - b.g || a.i - b.i)
    .slice(0, k)
    .map(({ r }) => {
      const open = openReportsFor(r.id);
      return open ? { ...r, openReports: open } : r;
    });
}

export interface NearestAnswer {
  mode: NearestMode;
  results: NearestResult[];
  offline: boolean;
}

const WALK_SPEED = 1.3; // m/s, the server's default pedestrian speed

/** Offline state: the last loaded registry and street lines (both also kept by the service worker). */
export class OfflineIndex {
  private graph: WalkGraph | null = null;
  private targets: Target[] = [];

  setStreets(fc: GeoJSON.FeatureCollection | null): void {
    this.graph = fc && fc.features.length ? new WalkGraph(fc.features as never) : null;
  }

  setShelters(features: ShelterFeature[]): void {
    const usable = new Set(['open', 'unknown']);
    this.targets = features
      .filter((f) => usable.has(f.properties.status))
      .map((f) => ({ id: f.properties.id, name: f.properties.name, at: f.geometry.coordinates as LonLat, stepFree: f.properties.stepFree }));
  }

  search(at: LonLat, k: number, within: number | null, stepFree: boolean): NearestAnswer {
    const targets = stepFree ? this.targets.filter((t) => (t as Target & { stepFree: boolean | null }).stepFree === true) : this.targets;
    // Ask for as many more as there are reported shelters, which may move down, then rank as the server does.
    const wider = k + Math.min(seenReports.size, 20);
    const answer = this.graph ? this.graph.nearest(at, targets, wider, WALK_SPEED, within) : straightLine(at, targets, wider, WALK_SPEED, within);
    return { ...answer, results: rankWithReports(answer.results as NearestResult[], k), offline: true };
  }
}

export async function findNearest(offline: OfflineIndex, at: LonLat, opts: { k: number; within: number | null; stepFree: boolean }): Promise<NearestAnswer> {
  const q = new URLSearchParams({ lat: String(at[1]), lon: String(at[0]), k: String(opts.k) });
  if (opts.within !== null) q.set('within', String(opts.within));
  if (opts.stepFree) q.set('stepFree', 'true');
  try {
    const { data } = await request<{ mode: 'network' | 'straight-line'; results: NearestResult[] }>('GET', `/api/nearest?${q}`);
    remember(data.results);
    return { mode: data.mode, results: data.results, offline: false };
  } catch (err) {
    if (isOffline(err)) return offline.search(at, opts.k, opts.within, opts.stepFree);
    throw err;
  }
}
