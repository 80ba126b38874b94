// `refuge import network FILE.osm.pbf` and `refuge nearest --lat --lon`.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CliGroups } from '../groups.ts';
import { DEFAULT_DB, fail, openCliServices } from '../groups.ts';
import { storeLocation, type StoreFlags } from '../../app/compose.ts';
import { loadSettings } from '../../app/config.ts';
import { dataPaths, type DataPaths } from '../../app/paths.ts';
import { isPostgresUrl, redactUrl } from '../../store/open-store.ts';
import type { Shelter } from '../../registry/index.ts';
import {
  buildNetworkInWorker, DEFAULT_FOOT_PROFILE, importNetwork, loadGraph, ShelterRouter, straightLineNearest,
  MAX_K, type NearestResult, type PlacesReport,
} from '../../network/index.ts';

/** The reasons an addr:interpolation way is left out, as the import prints them. */
const WAY_LEFT_OUT: Record<keyof PlacesReport['interpolation']['waysLeftOut'], string> = {
  missingEnds: 'fewer than two numbered ends', noStreet: 'no street', streetsDiffer: 'ends on different streets',
  badKind: 'no known scheme', badEnds: 'ends off the scheme', tooLong: 'too many numbers',
};

/**
 * One line of what the extract's addresses became, the sums written out as they add up (PlacesReport): addresses
 * read = placed + left out; house numbers of the placed addresses + interpolated - those already mapped - the same
 * house again = kept.
 */
export function addressesLine(r: PlacesReport): string {
  const a = r.addresses, i = r.interpolation, n = r.houseNumbers, b = r.buildings;
  const waysOut = Object.entries(i.waysLeftOut).filter(([, v]) => v > 0)
    .map(([k, v]) => `${v} ${WAY_LEFT_OUT[k as keyof typeof WAY_LEFT_OUT]}`);
  const leftOut = a.leftOut.noStreet + a.leftOut.badNumber + a.leftOut.noLocation;
  return `addresses: ${a.read} read = ${a.placed} placed + ${leftOut} left out (${a.leftOut.noStreet} without a street, ` +
    `${a.leftOut.badNumber} without a usable house number, ${a.leftOut.noLocation} without a location); ` +
    `house numbers: ${n.mapped} mapped + ${i.numbers} interpolated along ${i.ways} ways - ${n.interpolatedAlsoMapped} interpolated but mapped - ` +
    `${n.sameHouse} the same house again = ${n.kept} kept, ${i.added} of them interpolated; ` +
    `interpolation ways left out: ${waysOut.length > 0 ? waysOut.join(', ') : 'none'}; ` +
    `buildings placed at their main entrance ${b.mainEntrance}, at their only entrance ${b.onlyEntrance}, ` +
    `at their centre for several entrances and no main one ${b.centreSeveralEntrances}\n`;
}

/**
 * Where the flags point, found without opening the store (opening would create a missing SQLite file): the paths
 * are the ones openCliServices gives, `shown` and `flags` name the store in messages.
 */
function locate(o: StoreFlags): { exists: boolean; paths: DataPaths; shown: string; flags: string } {
  const settings = loadSettings();
  let location: string;
  try {
    location = storeLocation(o, settings, DEFAULT_DB);
  } catch (e) {
    fail((e as Error).message);
  }
  const pg = isPostgresUrl(location);
  const shown = redactUrl(location);
  return {
    exists: pg || existsSync(location.startsWith('file:') ? new URL(location) : location),
    paths: dataPaths(location, o.dataDir ?? settings.dataDir),
    shown,
    flags: (pg ? `--database-url ${shown}` : `--db ${location}`) + (o.dataDir ? ` --data-dir ${o.dataDir}` : ''),
  };
}

/** The registry's shelters, or null when the database file does not exist. */
async function registryShelters(o: StoreFlags, exists: boolean): Promise<Shelter[] | null> {
  if (!exists) return null;
  const svc = await openCliServices(o);
  try {
    return svc.registry.all();
  } finally {
    await svc.close();
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
    .description('build the walking network from an OpenStreetMap extract (.osm.pbf) and store it beside the database (<db>.network.bin), or in --data-dir (network.bin); ' +
      'skipped when the file and profile are unchanged. A bad file leaves the previous network in place.')
    .argument('<file>', 'OpenStreetMap extract in PBF format')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--profile <name>', 'routing profile (only "foot")', 'foot')
    .option('--speed <m/s>', `walking speed on flat ground (default ${DEFAULT_FOOT_PROFILE.speed}; e.g. 0.8 with children or limited mobility)`)
    .option('--steps-factor <f>', `steps are walked at this fraction of the speed (default ${DEFAULT_FOOT_PROFILE.stepsFactor})`)
    .option('--ferries', 'include ferry routes')
    .option('--force', 'rebuild even when the source is unchanged')
    .option('--json', 'print the summary as one JSON object')
    .action(async (file: string, o: StoreFlags & { profile: string; speed?: string; stepsFactor?: string; ferries?: boolean; force?: boolean; json?: boolean }) => {
      if (o.profile !== 'foot') fail(`unknown profile ${JSON.stringify(o.profile)}; the only profile is "foot"`);
      const speed = number('speed', o.speed, 0.1, 5);
      const stepsFactor = number('steps-factor', o.stepsFactor, 0.05, 1);
      const profile = { ...(speed ? { speed } : {}), ...(stepsFactor ? { stepsFactor } : {}), ...(o.ferries ? { ferries: true } : {}) };
      const where = locate(o);
      const out = where.paths.networkFile;
      let report;
      try {
        mkdirSync(dirname(out), { recursive: true }); // a --data-dir may not exist yet
        report = await importNetwork(file, out, { profile, force: o.force, build: buildNetworkInWorker });
      } catch (e) {
        fail(`${(e as Error).message}; the previous network (if any) is unchanged`);
      }
      const shelters = await registryShelters(o, where.exists);
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
      const p = report.places;
      if (p.error) process.stderr.write(`address search: ${p.error}; the server reads the streets from the extract while it is there\n`);
      else process.stdout.write(`address search: ${p.streets} streets, ${p.houses} house numbers in ${p.file} (copy it with the network file)\n`);
      process.stdout.write(addressesLine(p));
      if (snaps) process.stdout.write(`shelters in ${where.shown}: ${snaps.snapped} on the network, ${snaps.offNetwork} more than 500 m from any walkable way\n`);
    });

  cli.program.command('nearest')
    .description('the nearest shelters by walking time from a point, with routes (uses the network imported with `refuge import network`)')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .requiredOption('--lat <deg>', 'latitude')
    .requiredOption('--lon <deg>', 'longitude')
    .option('--k <n>', 'how many shelters', '3')
    .option('--within <s>', 'warning time in seconds: mark which shelters are reachable in time')
    .option('--step-free', 'only step-free shelters, on routes without steps')
    .option('--min-capacity <n>', 'only shelters with at least this many places')
    .option('--include-unusable', 'also list locked, closed and full shelters')
    .option('--json', 'print one JSON object: {"mode", "results": [{"id", "name", "walkSeconds", "meters", "reachableInTime", "route"}]}')
    .action(async (o: StoreFlags & { lat: string; lon: string; k: string; within?: string; stepFree?: boolean; minCapacity?: string; includeUnusable?: boolean; json?: boolean }) => {
      const lat = number('lat', o.lat, -90, 90)!;
      const lon = number('lon', o.lon, -180, 180)!;
      const k = number('k', o.k, 1, MAX_K)!;
      if (!Number.isInteger(k)) fail(`--k must be a whole number, not ${o.k}`);
      const within = number('within', o.within, 0, 86400);
      const minCapacity = number('min-capacity', o.minCapacity, 0, 1e9);
      const where = locate(o);
      const shelters = await registryShelters(o, where.exists);
      if (!shelters) fail(`database ${where.shown} not found`);
      const opts = { k, within, stepFree: o.stepFree, minCapacity, includeUnusable: o.includeUnusable };
      const file = where.paths.networkFile;
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
        result = straightLineNearest(shelters, { lat, lon }, opts, DEFAULT_FOOT_PROFILE.speed, `no street network is imported for ${where.shown} (run \`refuge import network FILE.osm.pbf ${where.flags}\`)`);
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
