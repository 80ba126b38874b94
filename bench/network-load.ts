// What `refuge serve` spends on the network at start: reading the prepared file, snapping the registry's shelters,
// whole-city labels; against building from the PBF (what the file saves). Run: node --import tsx bench/network-load.ts
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNetworkFromPbf, loadGraph, saveGraph, ShelterRouter } from '../src/network/index.ts';
import { copenhagenShelters, KBH_PBF } from '../test/network/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'refuge-bench-load-'));
const file = join(dir, 'refuge.db.network.bin');
let t = performance.now();
const built = await buildNetworkFromPbf(KBH_PBF);
const buildMs = performance.now() - t;
saveGraph(built, file);
const shelters = copenhagenShelters();
const runs: Array<{ load: number; router: number; labels: number }> = [];
for (let i = 0; i < 5; i++) {
  t = performance.now();
  const g = loadGraph(file);
  const load = performance.now() - t;
  t = performance.now();
  const router = new ShelterRouter(g, shelters);
  const r = performance.now() - t;
  t = performance.now();
  router.coverage();
  runs.push({ load, router: r, labels: performance.now() - t });
}
const med = (k: 'load' | 'router' | 'labels') => runs.map((x) => x[k]).sort((a, b) => a - b)[2];
const total = med('load') + med('router') + med('labels');
console.log(`| Copenhagen network at server start (median of 5) | file ${(statSync(file).size / 1e6).toFixed(2)} MB | load ${med('load').toFixed(1)} ms | snap ${shelters.length} shelters + index ${med('router').toFixed(0)} ms | labels ${med('labels').toFixed(1)} ms | total ${total.toFixed(0)} ms | goal < 1000 ms |`);
console.log(`| building the same from kbh.osm.pbf instead | ${buildMs.toFixed(0)} ms | ${(buildMs / med('load')).toFixed(0)}x the file load |`);
rmSync(dir, { recursive: true, force: true });
