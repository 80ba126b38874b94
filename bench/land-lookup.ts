// Land or sea at a point (Natural Earth 1:50m land, ~60,000 coastline segments): the flatbush segment index vs a
// naive exact scan of every land polygon, plus the distance-to-coast check and the whole swap decision.
// Run: node --import tsx bench/land-lookup.ts
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { landIndex } from '../src/geo/land.ts';
import { detectSwap } from '../src/registry/import/coordinates.ts';
import { SHARED } from '../test/helpers.ts';

let t = performance.now();
const land = landIndex();
const buildMs = performance.now() - t;

// Deterministic points: half uniform over 60°S-75°N, half within ~5 km of real shelters (Copenhagen, Jerusalem),
// which is where the coast makes the index work hardest.
const shelters = (JSON.parse(readFileSync(`${SHARED}/copenhagen-shelters/shelters.geojson`, 'utf8')) as { features: Array<{ geometry: { coordinates: number[] } }> })
  .features.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]] as [number, number]);
const jerusalem = (JSON.parse(readFileSync(`${SHARED}/jerusalem-shelters/shelters.geojson`, 'utf8')) as { features: Array<{ geometry: { coordinates: Array<string | number> } }> })
  .features.map((f) => [Number(f.geometry.coordinates[1]), Number(f.geometry.coordinates[0])] as [number, number]);
const real = [...shelters, ...jerusalem];
let seed = 11;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const N = 200_000;
const lats = new Float64Array(N);
const lons = new Float64Array(N);
for (let i = 0; i < N; i++) {
  if (i % 2) {
    const [lat, lon] = real[Math.floor(rand() * real.length)];
    lats[i] = lat + (rand() - 0.5) * 0.09;
    lons[i] = lon + (rand() - 0.5) * 0.15;
  } else {
    lats[i] = -60 + rand() * 135;
    lons[i] = -180 + rand() * 360;
  }
}

function run(fn: (lat: number, lon: number) => boolean, count: number): { usPerLookup: number; hits: number } {
  let hits = 0;
  for (let i = 0; i < Math.min(count, 2000); i++) fn(lats[i], lons[i]); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) if (fn(lats[i], lons[i])) hits++;
  const ns = Number(process.hrtime.bigint() - start);
  return { usPerLookup: ns / 1000 / count, hits };
}
const bestOf = (runs: Array<{ usPerLookup: number; hits: number }>) => runs.reduce((a, b) => (a.usPerLookup < b.usPerLookup ? a : b));

const indexed = [1, 2, 3].map(() => run((a, b) => land.isLand(a, b), N));
const ashore = [1, 2, 3].map(() => run((a, b) => land.ashore(a, b, 5), N));
const NAIVE_N = 4_000;
const naive = run((a, b) => land.isLandNaive(a, b), NAIVE_N);
const indexedSame = run((a, b) => land.isLand(a, b), NAIVE_N);

// The whole decision on the Copenhagen registry read the wrong way round (400 sampled points, both readings,
// country borders included); the first call also loads country-coder.
const swapped = shelters.map(([a, b]) => [b, a] as [number, number]);
t = performance.now();
const first = detectSwap(swapped);
const firstMs = performance.now() - t;
t = performance.now();
for (let i = 0; i < 5; i++) detectSwap(swapped);
const warmMs = (performance.now() - t) / 5;

const b = bestOf(indexed), a = bestOf(ashore);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}, load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`land index (load world-atlas land-50m, decode TopoJSON, index ${land.segments} segments): ${buildMs.toFixed(0)} ms`);
console.log(`indexed isLand:    ${b.usPerLookup.toFixed(2)} us/lookup (best of 3 x ${N} points; runs ${indexed.map((r) => r.usPerLookup.toFixed(2)).join(', ')}), ${b.hits} on land`);
console.log(`indexed ashore(5 km): ${a.usPerLookup.toFixed(2)} us/lookup (best of 3; runs ${ashore.map((r) => r.usPerLookup.toFixed(2)).join(', ')}), ${a.hits} ashore`);
console.log(`naive exact scan:  ${naive.usPerLookup.toFixed(1)} us/lookup (${NAIVE_N} points, ${naive.hits} on land; indexed on the same points ${indexedSame.hits}, ${indexedSame.usPerLookup.toFixed(2)} us)`);
console.log(`ratio naive / indexed: ${(naive.usPerLookup / b.usPerLookup).toFixed(0)}x`);
console.log(`detectSwap, Copenhagen (${shelters.length} points) read the wrong way round: first call ${firstMs.toFixed(0)} ms (loads country-coder), then ${warmMs.toFixed(1)} ms; swap=${first.swap}`);
