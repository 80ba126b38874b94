// Nearest reachable shelters: the server's walking-network answer when online, the cached-streets estimate offline.
import { request, isOffline } from '../lib/api.ts';
import type { LonLat } from '../lib/geo.ts';
import { WalkGraph, straightLine, type Target } from '../lib/walkgraph.ts';
import type { ShelterFeature } from './data.ts';

export type NearestMode = 'network' | 'straight-line' | 'offline-network';

export interface NearestResult {
  id: string;
  name: string;
  walkSeconds: number;
  meters: number;
  reachableInTime: boolean | null;
  route: GeoJSON.LineString;
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
    const answer = this.graph ? this.graph.nearest(at, targets, k, WALK_SPEED, within) : straightLine(at, targets, k, WALK_SPEED, within);
    return { ...answer, offline: true };
  }
}

export async function findNearest(offline: OfflineIndex, at: LonLat, opts: { k: number; within: number | null; stepFree: boolean }): Promise<NearestAnswer> {
  const q = new URLSearchParams({ lat: String(at[1]), lon: String(at[0]), k: String(opts.k) });
  if (opts.within !== null) q.set('within', String(opts.within));
  if (opts.stepFree) q.set('stepFree', 'true');
  try {
    const { data } = await request<{ mode: 'network' | 'straight-line'; results: NearestResult[] }>('GET', `/api/nearest?${q}`);
    return { mode: data.mode, results: data.results, offline: false };
  } catch (err) {
    if (isOffline(err)) return offline.search(at, opts.k, opts.within, opts.stepFree);
    throw err;
  }
}
