// In-memory point -> regions lookup: flatbush over polygon bounding boxes, then exact
// point-in-polygon (with holes) on the few candidates.
import Flatbush from 'flatbush';
import { pointInPolygon, polygonArea, type FlatPolygon } from './point-in-polygon.ts';
import type { Region } from './regions.ts';

interface Part {
  region: number;
  polygon: FlatPolygon;
}

export class RegionIndex {
  private readonly regions: Region[];
  private readonly byCode = new Map<string, Region>();
  private readonly parts: Part[] = [];
  /** Total area of each region (squared degrees), used to put the most specific region first. */
  private readonly areas: number[];
  private readonly tree: Flatbush | null;

  constructor(regions: Iterable<Region>) {
    this.regions = [...regions];
    this.areas = new Array<number>(this.regions.length).fill(0);
    this.regions.forEach((region, r) => {
      if (this.byCode.has(region.code)) throw new Error(`duplicate region code "${region.code}"`);
      this.byCode.set(region.code, region);
      for (const polygon of region.geometry.coordinates) {
        const flat = polygon.map((ring) => Float64Array.from(ring.flat()));
        this.parts.push({ region: r, polygon: flat });
        this.areas[r] += polygonArea(flat);
      }
    });
    if (this.parts.length === 0) {
      this.tree = null;
      return;
    }
    this.tree = new Flatbush(this.parts.length);
    for (const part of this.parts) {
      const outer = part.polygon[0];
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (let i = 0; i < outer.length; i += 2) {
        if (outer[i] < minX) minX = outer[i];
        if (outer[i] > maxX) maxX = outer[i];
        if (outer[i + 1] < minY) minY = outer[i + 1];
        if (outer[i + 1] > maxY) maxY = outer[i + 1];
      }
      this.tree.add(minX, minY, maxX, maxY);
    }
    this.tree.finish();
  }

  get size(): number {
    return this.regions.length;
  }

  list(): readonly Region[] {
    return this.regions;
  }

  get(code: string): Region | undefined {
    return this.byCode.get(code);
  }

  /** Regions containing the point, smallest first (e.g. a city before the oblast around it). */
  regionsAt(lat: number, lon: number): Region[] {
    if (!this.tree || !Number.isFinite(lat) || !Number.isFinite(lon)) return [];
    const parts = this.parts;
    const hits = this.tree.search(lon, lat, lon, lat, (i) => pointInPolygon(parts[i].polygon, lon, lat));
    return this.collect(hits.map((i) => parts[i].region));
  }

  /** The same answer without the spatial index: exact test of every polygon. Benchmark anchor and test oracle. */
  regionsAtNaive(lat: number, lon: number): Region[] {
    const found: number[] = [];
    for (const part of this.parts) {
      if (pointInPolygon(part.polygon, lon, lat)) found.push(part.region);
    }
    return this.collect(found);
  }

  private collect(regionIndexes: number[]): Region[] {
    if (regionIndexes.length === 0) return [];
    if (regionIndexes.length === 1) return [this.regions[regionIndexes[0]]];
    const unique = [...new Set(regionIndexes)];
    unique.sort((a, b) => this.areas[a] - this.areas[b] || (this.regions[a].code < this.regions[b].code ? -1 : 1));
    return unique.map((r) => this.regions[r]);
  }
}
