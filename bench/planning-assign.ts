// Exact assignment at city scale, against LEMON's network simplex in the same run, and whole-city coverage on the
// Copenhagen extract.
//
//   node --import tsx bench/planning-assign.ts                # 10,000 x 200 and 100,000 x 2,000 (~10^6 arcs), Copenhagen
//   node --import tsx bench/planning-assign.ts --small        # 10,000 x 200 and Copenhagen (--skip-city: without)
//   --repeat N (default 2): solve each instance N times in this process; the first solve includes V8's warm-up.
//
// Instances (bench/planning-instance.ts): cells and shelters scattered over a 20 km square, each cell linked to the
// shelters within a radius giving ~10 arcs per cell; 1-120 people per cell, places for ~90% of them. The TypeScript
// solver (src/planning/assignment.ts) and LEMON solve the same flow network; the objectives (people covered, total
// walking in 0.1 s units) must agree. LEMON is built from bench/planning-lemon.cpp with g++ when its headers
// (Debian liblemon-dev) are installed; otherwise it says "not measured". Times exclude reading the instance.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { solveAssignment, type AssignmentProblem } from '../src/planning/assignment.ts';
import { computePlan, type PopulationCell } from '../src/planning/index.ts';
import { buildNetworkFromPbf } from '../src/network/index.ts';
import type { Shelter } from '../src/registry/index.ts';
import { cityInstance } from './planning-instance.ts';

const { values: args } = parseArgs({ options: { small: { type: 'boolean', default: false }, 'skip-city': { type: 'boolean', default: false }, repeat: { type: 'string', default: '2' } } });
const repeat = Math.max(1, Number(args.repeat) || 1);
const load = () => loadavg()[0].toFixed(1);
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
/**
 * CPU time of this (main) thread alone, where Linux tells it: the process's CPU also counts V8's compiler threads,
 * which on a first solve work about half as long again as the solver itself (on a free second core they cost no time).
 */
function mainThreadMs(): number | null {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}
const HERE = fileURLToPath(new URL('.', import.meta.url));
const SHARED = join(HERE, '..', '..', 'shared', 'data');
const dir = mkdtempSync(join(tmpdir(), 'refuge-bench-plan-'));

function lemonBinary(): string | null {
  if (!existsSync('/usr/include/lemon/network_simplex.h')) return null;
  const out = join(dir, 'planning-lemon');
  const r = spawnSync('g++', ['-O2', '-o', out, join(HERE, 'planning-lemon.cpp')], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`LEMON: g++ failed: ${r.stderr.split('\n')[0]}`);
    return null;
  }
  return out;
}

function instanceText(p: AssignmentProblem): string {
  const parts: string[] = [`${p.demand.length} ${p.places.length} ${p.arcFrom.length}`, Array.from(p.demand).join(' '), Array.from(p.places).join(' ')];
  for (let k = 0; k < p.arcFrom.length; k++) parts.push(`${p.arcFrom[k]} ${p.arcTo[k]} ${p.arcCost[k]}`);
  return parts.join('\n') + '\n';
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, Node ${process.version}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const lemon = lemonBinary();
if (!lemon) console.log('LEMON: not measured (install liblemon-dev and g++ to compare)');

const sizes: Array<[number, number]> = args.small ? [[10_000, 200]] : [[10_000, 200], [100_000, 2_000]];
for (const [cells, shelters] of sizes) {
  const p = cityInstance(cells, shelters, 10, 1);
  const file = lemon ? join(dir, `inst-${cells}.txt`) : null;
  if (file) writeFileSync(file, instanceText(p));
  for (let run = 1; run <= repeat; run++) {
    const m0 = mainThreadMs();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const ts = solveAssignment(p);
    const tsMs = performance.now() - t0;
    const tsCpu = cpuMs(process.cpuUsage(c0));
    const m1 = mainThreadMs();
    const tsMain = m0 !== null && m1 !== null ? m1 - m0 : null;
    let line = `${cells} cells x ${shelters} shelters, ${p.arcFrom.length} arcs, solve ${run} (load ${load()}): TypeScript ${(tsMs / 1000).toFixed(2)} s (CPU ${(tsCpu / 1000).toFixed(2)} s${tsMain !== null ? `, main thread ${(tsMain / 1000).toFixed(2)} s` : ''}, ${ts.pivots} pivots), covered ${ts.covered}, walking ${ts.cost}`;
    if (lemon && file) {
      const out = execFileSync(lemon, { input: readFileSync(file), encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split(' ');
      const [lc, lw, lms, lcpu] = out.map(Number);
      const agree = lc === ts.covered && lw === ts.cost;
      line += `; LEMON ${(lms / 1000).toFixed(2)} s (CPU ${(lcpu / 1000).toFixed(2)} s), covered ${lc}, walking ${lw}; ratio TS/LEMON ${(tsMs / lms).toFixed(2)} (CPU ${(tsCpu / lcpu).toFixed(2)}${tsMain !== null ? `, main thread ${(tsMain / lcpu).toFixed(2)}` : ''}); objectives ${agree ? 'agree' : 'DISAGREE'}`;
      if (!agree) process.exitCode = 1;
    } else line += '; LEMON not measured';
    console.log(line);
  }
}

if (!args['skip-city']) {
  // Copenhagen: the shared extract and registry; a uniform synthetic population (100 people per 200 m square over the
  // extract's box) since the shared data has no population for Denmark.
  const pbf = join(SHARED, 'osm', 'kbh.osm.pbf');
  const graph = await buildNetworkFromPbf(pbf);
  const fc = JSON.parse(readFileSync(join(SHARED, 'copenhagen-shelters', 'shelters.geojson'), 'utf8')) as { features: Array<{ geometry: { coordinates: [number, number] }; properties: { romnr: number; plasser: number | null } }> };
  const now = new Date().toISOString();
  const shelters = fc.features.map((f, i) => ({
    id: `kbh-${f.properties.romnr ?? i}-${i}`, name: String(f.properties.romnr), address: null, lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0],
    capacity: f.properties.plasser ?? null, kind: 'other', protectionClass: 'unknown', stepFree: null,
    amenities: { water: null, toilet: null, ventilation: null, power: null, petsAllowed: null }, operator: null, contact: null, access: 'unknown',
    keyHolderPhone: null, status: 'open', statusSetAt: null, statusSetBy: null, occupancy: null, occupancyAt: null, occupancyBy: null,
    lastVerifiedAt: null, lastVerifiedBy: null, source: null, sourceId: null, createdAt: now, updatedAt: now, version: 1, decommissionedAt: null,
  })) as Shelter[];
  const [minLon, minLat, maxLon, maxLat] = graph.meta.bbox;
  const dLat = 200 / 111_195, dLon = dLat / Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const cells: PopulationCell[] = [];
  for (let y = minLat; y < maxLat; y += dLat) for (let x = minLon; x < maxLon; x += dLon) {
    cells.push({ key: `${cells.length}`, lat: y + dLat / 2, lon: x + dLon / 2, population: 100, polygons: [[[[x, y], [x + dLon, y], [x + dLon, y + dLat], [x, y + dLat], [x, y]]]] });
  }
  // Anchor: one multi-source Dijkstra from all shelters (nearest shelter of every node, no capacities), as in RoutingKit.
  const { ShelterRouter } = await import('../src/network/index.ts');
  const router = new ShelterRouter(graph, shelters);
  const tl = performance.now();
  router.coverage().computeAll();
  console.log(`Copenhagen: nearest-shelter labels for all ${graph.nodeCount} nodes (one multi-source search, capacities ignored): ${(performance.now() - tl).toFixed(1)} ms`);
  for (let run = 1; run <= repeat; run++) for (const minutes of [5, 10]) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = computePlan({ cells, shelters, regions: null, graph }, { minutes });
    const ms = performance.now() - t0;
    const cpu = cpuMs(process.cpuUsage(c0));
    console.log(`Copenhagen (${graph.nodeCount} nodes, ${shelters.length} shelters, ${cells.length} cells of 100 people), run ${run} (load ${load()}): coverage within ${minutes} min in ${(ms / 1000).toFixed(2)} s (CPU ${(cpu / 1000).toFixed(2)} s) ` +
      `(walking times ${r.stats.ms.pairs} ms, ${r.stats.points} demand points, ${r.stats.pairs} pairs; assignment ${r.stats.ms.solve} ms); covered ${r.totals.covered} of ${r.totals.population} (${r.withinReach} with any shelter in reach), ${r.totals.places} places; goal 1 s: ratio ${(ms / 1000).toFixed(2)}`);
  }
}
rmSync(dir, { recursive: true, force: true });
