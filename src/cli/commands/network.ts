// `refuge import network FILE.osm.pbf` and `refuge nearest --lat --lon`.
import { existsSync } from 'node:fs';
import type { CliGroups } from '../groups.ts';
import { DEFAULT_DB, fail } from '../groups.ts';
import { openSqliteStore } from '../../store/sqlite/index.ts';
import { ShelterRegistry, type Shelter } from '../../registry/index.ts';
import {
  buildNetworkInWorker, DEFAULT_FOOT_PROFILE, importNetwork, loadGraph, networkFileFor, ShelterRouter, straightLineNearest,
  MAX_K, type NearestResult,
} from '../../network/index.ts';

async function registryShelters(db: string): Promise<Shelter[] | null> {
  if (!existsSync(db)) return null;
  const store = openSqliteStore(db);
  try {
    const registry = new ShelterRegistry(store.shelters);
    await registry.load();
    return registry.all();
  } finally {
    store.close();
  }
}

function number(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) fail(`--${name} must be a number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  return n;
}

export function registerNetworkCommands(cli: CliGroups): void {
  cli.import.command('network')
    .description('build the walking network from an OpenStreetMap extract (.osm.pbf) and store it beside the database (<db>.network.bin); ' +
      'skipped when the file and profile are unchanged. A bad file leaves the previous network in place.')
    .argument('<file>', 'OpenStreetMap extract in PBF format')
    .option('--db <path>', 'database file', DEFAULT_DB)
    .option('--profile <name>', 'routing profile (only "foot")', 'foot')
    .option('--speed <m/s>', `walking speed on flat ground (default ${DEFAULT_FOOT_PROFILE.speed}; e.g. 0.8 with children or limited mobility)`)
    .option('--steps-factor <f>', `steps are walked at this fraction of the speed (default ${DEFAULT_FOOT_PROFILE.stepsFactor})`)
    .option('--ferries', 'include ferry routes')
    .option('--force', 'rebuild even when the source is unchanged')
    .option('--json', 'print the summary as one JSON object')
    .action(async (file: string, o: { db: string; profile: string; speed?: string; stepsFactor?: string; ferries?: boolean; force?: boolean; json?: boolean }) => {
      if (o.profile !== 'foot') fail(`unknown profile ${JSON.stringify(o.profile)}; the only profile is "foot"`);
      const speed = number('speed', o.speed, 0.1, 5);
      const stepsFactor = number('steps-factor', o.stepsFactor, 0.05, 1);
      const profile = { ...(speed ? { speed } : {}), ...(stepsFactor ? { stepsFactor } : {}), ...(o.ferries ? { ferries: true } : {}) };
      const out = networkFileFor(o.db);
      let report;
      try {
        report = await importNetwork(file, out, { profile, force: o.force, build: buildNetworkInWorker });
      } catch (e) {
        fail(`${(e as Error).message}; the previous network (if any) is unchanged`);
      }
      const shelters = await registryShelters(o.db);
      const snaps = shelters ? new ShelterRouter(loadGraph(out), shelters).snapReport() : null;
      const summary = { ...report, shelters: snaps ? { onNetwork: snaps.snapped, offNetwork: snaps.offNetwork } : null };
      if (o.json) {
        process.stdout.write(JSON.stringify(summary) + '\n');
        return;
      }
      const i = report.islands;
      process.stdout.write(
        `${report.rebuilt ? 'built' : 'unchanged, kept'} ${out} from ${file}: ${report.nodes} nodes, ${report.edges} edges, ${(report.meters / 1000).toFixed(1)} km walkable; ` +
          `${i.components} connected parts (main ${i.mainNodes} nodes; ${i.islandNodes} nodes on ${i.components - 1} islands, never routed across); ` +
          `${report.waysSplitAtMissingNodes} ways split where the extract is clipped\n`,
      );
      if (snaps) process.stdout.write(`shelters in ${o.db}: ${snaps.snapped} on the network, ${snaps.offNetwork} more than 500 m from any walkable way\n`);
    });

  cli.program.command('nearest')
    .description('the nearest shelters by walking time from a point, with routes (uses the network imported with `refuge import network`)')
    .option('--db <path>', 'database file', DEFAULT_DB)
    .requiredOption('--lat <deg>', 'latitude')
    .requiredOption('--lon <deg>', 'longitude')
    .option('--k <n>', 'how many shelters', '3')
    .option('--within <s>', 'warning time in seconds: mark which shelters are reachable in time')
    .option('--step-free', 'only step-free shelters, on routes without steps')
    .option('--min-capacity <n>', 'only shelters with at least this many places')
    .option('--include-unusable', 'also list locked, closed and full shelters')
    .option('--json', 'print one JSON object: {"mode", "results": [{"id", "name", "walkSeconds", "meters", "reachableInTime", "route"}]}')
    .action(async (o: { db: string; lat: string; lon: string; k: string; within?: string; stepFree?: boolean; minCapacity?: string; includeUnusable?: boolean; json?: boolean }) => {
      const lat = number('lat', o.lat, -90, 90)!;
      const lon = number('lon', o.lon, -180, 180)!;
      const k = number('k', o.k, 1, MAX_K)!;
      if (!Number.isInteger(k)) fail(`--k must be a whole number, not ${o.k}`);
      const within = number('within', o.within, 0, 86400);
      const minCapacity = number('min-capacity', o.minCapacity, 0, 1e9);
      const shelters = await registryShelters(o.db);
      if (!shelters) fail(`database ${o.db} not found`);
      const opts = { k, within, stepFree: o.stepFree, minCapacity, includeUnusable: o.includeUnusable };
      const file = networkFileFor(o.db);
      let result: NearestResult;
      if (existsSync(file)) {
        let graph;
        try {
          graph = loadGraph(file);
        } catch (e) {
          fail(`${(e as Error).message}; re-import the network with \`refuge import network\``);
        }
        result = new ShelterRouter(graph, shelters).nearest({ lat, lon }, opts);
      } else {
        result = straightLineNearest(shelters, { lat, lon }, opts, DEFAULT_FOOT_PROFILE.speed, `no street network is imported for ${o.db} (run \`refuge import network FILE.osm.pbf --db ${o.db}\`)`);
      }
      if (o.json) {
        process.stdout.write(JSON.stringify(result) + '\n');
        return;
      }
      if (result.mode === 'straight-line') process.stdout.write(`straight-line distances: ${result.reason}\n`);
      if (result.results.length === 0) process.stdout.write('no shelter matches\n');
      for (const [i, r] of result.results.entries()) {
        const mins = Math.floor(r.walkSeconds / 60), secs = Math.round(r.walkSeconds % 60);
        const inTime = r.reachableInTime === null ? '' : r.reachableInTime ? '  reachable in time' : '  NOT reachable in time';
        process.stdout.write(`${i + 1}. ${r.name} (${r.id})  ${mins} min ${secs} s, ${Math.round(r.meters)} m${inTime}\n`);
      }
      if (result.noneReachableInTime) process.stdout.write(`no shelter is reachable within ${within} s; the nearest are listed\n`);
    });
}
