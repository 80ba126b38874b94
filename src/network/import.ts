// Import: .osm.pbf -> walking graph -> binary file beside the database. A failure leaves the previous file alone.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { buildGraph, islandReport, type Graph } from './graph.ts';
import { loadGraph, readGraphHeader, saveGraph } from './graph-file.ts';
import { readOsmExtract } from './pbf-reader.ts';
import { placesFileFor, readPlacesAndReport, savePlacesFile } from './places-file.ts';
import { readPlacesFromPbf, type PlacesRead, type PlacesReport } from './street-names.ts';
import { DEFAULT_FOOT_PROFILE, validateProfile, type FootProfile } from './profile.ts';

/** Where the prepared network lives for a given database file. */
export function networkFileFor(dbPath: string): string {
  return `${dbPath}.network.bin`;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface BuildOptions {
  profile?: Partial<FootProfile>;
}

export async function buildNetworkFromPbf(pbfFile: string, opts: BuildOptions = {}): Promise<Graph> {
  const profile: FootProfile = { ...DEFAULT_FOOT_PROFILE, ...opts.profile, name: 'foot' };
  validateProfile(profile);
  if (!existsSync(pbfFile)) throw new Error(`${pbfFile}: file not found`);
  const sourceSha256 = await sha256File(pbfFile);
  const osm = await readOsmExtract(pbfFile, profile);
  return buildGraph(osm, { sourceSha256, sourceName: basename(pbfFile), sourcePath: resolve(pbfFile), profile, builtAt: new Date().toISOString() });
}

export interface ImportReport {
  file: string;
  rebuilt: boolean;
  nodes: number;
  edges: number;
  meters: number;
  islands: ReturnType<typeof islandReport>;
  waysSplitAtMissingNodes: number;
  sourceSha256: string;
  /**
   * The address search's places kept beside the network file: named streets and house numbers on them (`houses`,
   * the same as houseNumbers.kept), and what the extract's addresses became (PlacesReport in street-names.ts says
   * what adds up to what).
   */
  places: { file: string; streets: number; houses: number; error?: string } & PlacesReport;
}

function report(g: Graph, file: string, rebuilt: boolean, { streets, report: places }: PlacesRead): ImportReport {
  let meters = 0;
  for (let e = 0; e < g.edgeCount; e++) meters += g.edgeMeters[e];
  let houses = 0;
  for (const s of streets) houses += s.houses?.length ?? 0;
  return {
    file, rebuilt, nodes: g.nodeCount, edges: g.edgeCount, meters: Math.round(meters),
    islands: islandReport(g), waysSplitAtMissingNodes: g.meta.osm.waysSplitAtMissingNodes, sourceSha256: g.meta.sourceSha256,
    places: { file: placesFileFor(file), streets: streets.length, houses, ...places },
  };
}

/**
 * The places file of an up-to-date network, or null when it is missing, damaged, from other bytes or without the
 * report (written before it was kept): then made again.
 */
function currentPlaces(outFile: string, sha: string): PlacesRead | null {
  try {
    const kept = readPlacesAndReport(placesFileFor(outFile), sha);
    return kept?.report ? { streets: kept.streets, report: kept.report } : null;
  } catch {
    return null;
  }
}

function sameProfile(a: FootProfile, b: FootProfile): boolean {
  return a.speed === b.speed && a.stepsFactor === b.stepsFactor && a.ferries === b.ferries && a.ferrySpeed === b.ferrySpeed;
}

/**
 * Builds the network file unless one built from the same source bytes and profile already exists (force to rebuild).
 * The build runs through `build` (in a worker thread by default callers) and is written atomically. The extract's
 * street names and house numbers are read at the same time (through `places`) and written beside it first
 * (places-file.ts), so the address search never needs the extract again; an up-to-date network without them (built
 * before they were kept), or whose places file lacks the report of what the addresses became, gets them here.
 */
export async function importNetwork(
  pbfFile: string,
  outFile: string,
  opts: BuildOptions & {
    force?: boolean;
    build?: (file: string, o: BuildOptions) => Promise<Graph>;
    places?: (file: string) => Promise<PlacesRead>;
  } = {},
): Promise<ImportReport> {
  if (!existsSync(pbfFile)) throw new Error(`${pbfFile}: file not found`);
  const profile: FootProfile = { ...DEFAULT_FOOT_PROFILE, ...opts.profile, name: 'foot' };
  validateProfile(profile);
  const readPlaces = opts.places ?? readPlacesFromPbf;
  if (!opts.force && existsSync(outFile)) {
    let current: Graph | null = null;
    try {
      const h = readGraphHeader(outFile);
      if (h.meta.sourceSha256 === (await sha256File(pbfFile)) && sameProfile(h.meta.profile, profile)) current = loadGraph(outFile);
    } catch {
      // An unreadable old file is simply rebuilt.
    }
    if (current) {
      let places = currentPlaces(outFile, current.meta.sourceSha256);
      let error: string | undefined;
      if (!places) {
        places = await readPlaces(pbfFile);
        try {
          savePlacesFile(placesFileFor(outFile), { sourceSha256: current.meta.sourceSha256, sourceName: current.meta.sourceName, ...places });
        } catch (err) {
          // The network itself is fine (a read-only data directory, say): said in the report, and the address
          // search reads the extract instead (and logs that it does).
          error = `cannot write ${placesFileFor(outFile)}: ${(err as Error).message}`;
        }
      }
      const r = report(current, outFile, false, places);
      if (error) r.places.error = error;
      return r;
    }
  }
  const [g, places] = await Promise.all([(opts.build ?? buildNetworkFromPbf)(pbfFile, { profile }), readPlaces(pbfFile)]);
  // The places first: a graph is never in place with another extract's places beside it for longer than this.
  savePlacesFile(placesFileFor(outFile), { sourceSha256: g.meta.sourceSha256, sourceName: g.meta.sourceName, ...places });
  saveGraph(g, outFile);
  return report(g, outFile, true, places);
}

/** True when the file at outFile was built from these exact source bytes. */
export async function isNetworkCurrent(pbfFile: string, outFile: string): Promise<boolean> {
  if (!existsSync(outFile)) return false;
  try {
    return readGraphHeader(outFile).meta.sourceSha256 === (await sha256File(pbfFile));
  } catch {
    return false;
  }
}
