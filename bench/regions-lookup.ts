// Point -> regions over all 1,449 Israeli HFC areas: flatbush + exact point-in-polygon vs a naive exact scan.
// Run: node --import tsx bench/regions-lookup.ts
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseRegionsGeoJson, RegionIndex } from '../src/geo/index.ts';
import { SHARED } from '../test/helpers.ts';

const FILE = `${SHARED}/israel-oref-areas/oref_alert_areas.geojson`;

let t = performance.now();
const { regions } = parseRegionsGeoJson(readFileSync(FILE, 'utf8'), {}, FILE);
const importMs = performance.now() - t;
t = performance.now();
const index = new RegionIndex(regions);
const buildMs = performance.now() - t;

// Deterministic points: half uniform over Israel's bbox, half near area vertex averages (dense urban areas).
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const N = 200_000;
const lats = new Float64Array(N);
const lons = new Float64Array(N);
for (let i = 0; i < N; i++) {
  if (i % 2) {
    const ring = regions[Math.floor(rand() * regions.length)].geometry.coordinates[0][0];
    lons[i] = ring.reduce((s, p) => s + p[0], 0) / ring.length + (rand() - 0.5) * 0.01;
    lats[i] = ring.reduce((s, p) => s + p[1], 0) / ring.length + (rand() - 0.5) * 0.01;
  } else {
    lats[i] = 29.49 + rand() * 3.8;
    lons[i] = 34.28 + rand() * 1.57;
  }
}

function run(fn: (lat: number, lon: number) => unknown[], count: number): { usPerLookup: number; hits: number } {
  let hits = 0;
  for (let i = 0; i < Math.min(count, 2000); i++) fn(lats[i], lons[i]); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) hits += fn(lats[i], lons[i]).length;
  const ns = Number(process.hrtime.bigint() - start);
  return { usPerLookup: ns / 1000 / count, hits };
}

const indexed = [run((a, b) => index.regionsAt(a, b), N), run((a, b) => index.regionsAt(a, b), N), run((a, b) => index.regionsAt(a, b), N)];
const best = indexed.reduce((a, b) => (a.usPerLookup < b.usPerLookup ? a : b));
const NAIVE_N = 5_000;
const naive = run((a, b) => index.regionsAtNaive(a, b), NAIVE_N);
const indexedSame = run((a, b) => index.regionsAt(a, b), NAIVE_N);

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}`);
console.log(`import ${regions.length} areas: ${importMs.toFixed(0)} ms; index build: ${buildMs.toFixed(1)} ms`);
console.log(`indexed regionsAt: ${best.usPerLookup.toFixed(2)} us/lookup (best of 3 x ${N} points; runs ${indexed.map((r) => r.usPerLookup.toFixed(2)).join(', ')}), ${best.hits} hits`);
console.log(`naive exact scan:  ${naive.usPerLookup.toFixed(2)} us/lookup (${NAIVE_N} points, ${naive.hits} hits; indexed on the same points ${indexedSame.hits} hits, ${indexedSame.usPerLookup.toFixed(2)} us)`);
console.log(`ratio naive / indexed: ${(naive.usPerLookup / best.usPerLookup).toFixed(0)}x`);
console.log(`goal < 50 us/lookup: ${best.usPerLookup < 50 ? 'met' : 'NOT met'}`);
