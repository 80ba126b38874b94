// Point index over the shelters for bbox queries. KDBush is static, so it is rebuilt lazily after changes
// (10,000 points rebuild in about a millisecond; changes are rare next to reads).
import KDBush from 'kdbush';
import type { Shelter } from './shelter.ts';

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export class ShelterPointIndex {
  private index: KDBush | null = null;
  private items: Shelter[] = [];

  rebuild(shelters: Iterable<Shelter>): void {
    this.items = [...shelters];
    const index = new KDBush(Math.max(this.items.length, 1));
    for (const s of this.items) index.add(s.lon, s.lat);
    if (this.items.length === 0) index.add(1000, 1000); // KDBush needs one point; this one lies outside every bbox
    index.finish();
    this.index = index;
  }

  within(bbox: BBox): Shelter[] {
    if (!this.index) return [];
    const ids = this.index.range(bbox[0], bbox[1], bbox[2], bbox[3]);
    const out: Shelter[] = [];
    for (const i of ids) if (i < this.items.length) out.push(this.items[i]);
    return out;
  }
}
