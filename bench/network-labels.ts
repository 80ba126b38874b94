// Whole-city labels (multi-source Dijkstra from every usable shelter): full computation and incremental update on
// the Copenhagen extract with its real shelters, and full computation on a generated 1,000,000-node grid.
// Run: node --import tsx --expose-gc bench/network-labels.ts
import { buildNetworkFromPbf, CoverageLabels, gridGraph, ShelterRouter, type Graph } from '../src/network/index.ts';
import { copenhagenShelters, KBH_PBF, seeded, shelter } from '../test/network/fixtures.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const gc = (globalThis as { gc?: () => void }).gc;

function graphBytes(g: Graph): number {
  let b = 0;
  for (const v of Object.values(g)) if (ArrayBuffer.isView(v)) b += v.byteLength;
  return b;
}

/** Wall-clock ms per full labelling, and CPU ms of this process for it (the cores are shared, so both are shown). */
function fullLabels(router: ShelterRouter, runs: number): number[] & { cpu: number[] } {
  const out = Object.assign([] as number[], { cpu: [] as number[] });
  for (let i = 0; i < runs; i++) {
    const labels = new CoverageLabels(router);
    const c = process.cpuUsage();
    const t = performance.now();
    labels.computeAll();
    out.push(performance.now() - t);
    const d = process.cpuUsage(c);
    out.cpu.push((d.user + d.system) / 1000);
  }
  return out;
}

// Copenhagen.
const kbh = await buildNetworkFromPbf(KBH_PBF);
const shelters = copenhagenShelters();
const router = new ShelterRouter(kbh, shelters);
const kbhFull = fullLabels(router, 15);
const labels = router.coverage();
const rnd = seeded(3);
const updates: number[] = [];
for (let i = 0; i < 100; i++) {
  const s = shelters[Math.floor(rnd() * shelters.length)];
  for (const status of ['closed', 'open'] as const) {
    const t = performance.now();
    router.updateShelter({ ...s, status });
    updates.push(performance.now() - t);
  }
}
void labels;
console.log(`Copenhagen: ${kbh.nodeCount} nodes, ${kbh.edgeCount} edges, ${router.snapReport().snapped} shelters on the network`);
console.log(`| Copenhagen labels, full (15 runs) | median ${median(kbhFull).toFixed(1)} ms wall, ${median(kbhFull.cpu).toFixed(1)} ms CPU | goal < 100 ms |`);
console.log(`| Copenhagen status change -> labels current (200 changes) | median ${median(updates).toFixed(2)} ms, max ${Math.max(...updates).toFixed(1)} ms | goal < 1000 ms | |`);

// Generated 1,000,000-node grid (1000 x 1000, ~100 m blocks) with 2,000 seeded shelters.
gc?.();
const heap0 = process.memoryUsage();
let t = performance.now();
const grid = gridGraph({ rows: 1000, cols: 1000, step: 0.0009 });
const buildMs = performance.now() - t;
const rg = seeded(7);
const gridShelters = Array.from({ length: 2000 }, (_, i) =>
  shelter(`g${i}`, 55.6 + rg() * 999 * 0.0009, 12.5 + rg() * 999 * 0.0018),
);
t = performance.now();
const gridRouter = new ShelterRouter(grid, gridShelters);
const routerMs = performance.now() - t;
const gridFull = fullLabels(gridRouter, 3);
const gridLabels = new CoverageLabels(gridRouter);
gridLabels.computeAll();
gc?.();
const heap1 = process.memoryUsage();
const gBytes = graphBytes(grid);
const labelBytes = gridLabels.seconds.byteLength + gridLabels.shelter.byteLength;
const routerCore = gridRouter.edgeSeconds.byteLength + grid.nodeCount * (8 + 4 + 4); // edge seconds + per-query dist/pred/stamp
const m = grid.edgeCount;
console.log(`Grid: ${grid.nodeCount} nodes, ${m} edges (built in ${buildMs.toFixed(0)} ms; router incl. snapping index and 2,000 shelters ${routerMs.toFixed(0)} ms)`);
console.log(`| 1M-node grid labels, full (3 runs) | median ${median(gridFull).toFixed(0)} ms wall, ${median(gridFull.cpu).toFixed(0)} ms CPU | goal < 1500 ms |`);
console.log(`| bytes per edge: graph arrays (CSR, lengths, classes, geometry, components) | ${(gBytes / m).toFixed(1)} |`);
console.log(`| bytes per edge: + labels + router search arrays (what labels need) | ${((gBytes + labelBytes + routerCore) / m).toFixed(1)} | goal < 100 |`);
console.log(`| bytes per edge: whole process growth (heap + array buffers, incl. the segment R-tree for snapping) | ${((heap1.heapUsed + heap1.arrayBuffers - heap0.heapUsed - heap0.arrayBuffers) / m).toFixed(1)} | |`);
