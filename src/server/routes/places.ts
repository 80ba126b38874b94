// GET /api/places.json: the residents' search index (shelters' names and addresses, the extract's streets with their
// house numbers, the regions' names), one compact document with an ETag, kept by the service worker so the address
// search works offline. The streets come from the places file the network import writes beside the network file
// (src/network/places-file.ts); a network imported before that is read from its extract once (in a worker thread)
// and the places file written then.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Graph } from '../../network/index.ts';
import { placesFileFor, readPlacesFile, savePlacesFile, sha256File } from '../../network/index.ts';
import { readPlacesInWorker, type PlacesRead, type StreetPlace } from '../../network/street-names.ts';
import type { ShelterRegistry } from '../../registry/index.ts';
import { buildPlaceIndex, type PlaceIndex } from '../../registry/places.ts';
import type { RegionIndex } from '../../geo/index.ts';
import { Precompressed } from '../precompressed.ts';

export interface PlacesRouteOptions {
  registry: ShelterRegistry;
  /** The network in use now (null when none is imported). */
  graph: () => Graph | null;
  /** The network file; its places file is beside it (`<file>.places.json`). */
  networkFile: string;
  /** The regions now (null when the regions capability does not run). */
  regions: () => RegionIndex | null;
  /**
   * Reads an extract's streets and house numbers (and the report kept with them), for a network without a places file
   * (default: in a worker thread).
   */
  readStreets?: (pbfFile: string) => Promise<PlacesRead>;
  log?: (msg: string) => void;
}

interface Streets { streets: StreetPlace[]; source: PlaceIndex['streetSource'] }
/** What earlier versions kept beside the network file, street names only, written when first served. */
interface LegacyStreetCache { sourceSha256: string; sourceName: string; streets: StreetPlace[] }

/** The street-name cache earlier versions kept (read only when neither the places file nor the extract is there). */
export function legacyStreetCacheFor(networkFile: string): string {
  return `${networkFile}.streets.json`;
}

export const placesRoutes: FastifyPluginAsync<PlacesRouteOptions> = async (app, opts) => {
  const { registry: reg, graph, networkFile, regions } = opts;
  const readStreets = opts.readStreets ?? readPlacesInWorker;
  const log = opts.log ?? ((m: string) => app.log.warn(m));
  const placesFile = placesFileFor(networkFile);

  let generation = 0;
  const invalidate = () => { generation++; };
  reg.on('change', invalidate);
  reg.on('reload', invalidate);
  app.addHook('onClose', async () => { reg.off('change', invalidate); reg.off('reload', invalidate); });

  /** Streets per extract (by sha256); one read at a time, shared by concurrent requests. */
  let streets: { sha: string; value: Promise<Streets> } | null = null;

  function unavailable(g: Graph, reason: string): Streets {
    log(`places: no street names or house numbers for the address search: ${reason}`);
    return { streets: [], source: { file: g.meta.sourceName, available: false, reason } };
  }

  function legacyCache(sha: string): StreetPlace[] | null {
    try {
      const cached = JSON.parse(readFileSync(legacyStreetCacheFor(networkFile), 'utf8')) as LegacyStreetCache;
      return cached.sourceSha256 === sha && Array.isArray(cached.streets) ? cached.streets : null;
    } catch {
      return null;
    }
  }

  async function loadStreets(g: Graph): Promise<Streets> {
    const { sourceSha256: sha, sourceName, sourcePath } = g.meta;
    let why: string;
    try {
      const kept = readPlacesFile(placesFile, sha);
      if (kept) return { streets: kept, source: { file: sourceName, available: true } };
      why = existsSync(placesFile) ? `${basename(placesFile)} was made from another extract` : `${basename(placesFile)} is missing (the network was imported before street names were kept with it)`;
    } catch (err) {
      why = (err as Error).message;
    }
    if (!sourcePath || !existsSync(sourcePath)) {
      const legacy = legacyCache(sha);
      if (legacy) {
        log(`places: ${why}; serving the street names kept by an earlier version (no house numbers): import ${sourceName} again for them`);
        return { streets: legacy, source: { file: sourceName, available: true, reason: 'street names only: import the extract again for house numbers' } };
      }
      return unavailable(g, `${why}, and the extract the network was built from (${sourcePath ?? sourceName}) is not there any more: import it again`);
    }
    if ((await sha256File(sourcePath)) !== sha) {
      return unavailable(g, `${why}, and ${basename(sourcePath)} has changed since the network was built: street names follow once the network is rebuilt`);
    }
    log(`places: ${why}; reading the street names and house numbers from ${sourcePath} once and keeping them in ${placesFile}`);
    const read = await readStreets(sourcePath);
    try {
      savePlacesFile(placesFile, { sourceSha256: sha, sourceName, ...read });
    } catch (err) {
      log(`places: cannot keep the street names in ${placesFile} (each process will read the extract): ${(err as Error).message}`);
    }
    return { streets: read.streets, source: { file: sourceName, available: true } };
  }

  function streetsOf(g: Graph | null): Promise<Streets> {
    if (!g) return Promise.resolve({ streets: [], source: { file: null, available: false, reason: 'no street network is loaded' } });
    const sha = g.meta.sourceSha256;
    if (streets?.sha !== sha) {
      const value = loadStreets(g).catch((err: Error): Streets => unavailable(g, `street names could not be read from ${g.meta.sourcePath ?? g.meta.sourceName}: ${err.message}`));
      streets = { sha, value };
    }
    return streets.value;
  }

  let built: Precompressed | null = null;
  let buildKey: { generation: number; graph: Graph | null; regions: RegionIndex | null; placesStamp: number } | null = null;

  /** When the places file was last written (0: there is none): `refuge import network` may add it while this runs. */
  const placesStamp = (): number => {
    try {
      return statSync(placesFile).mtimeMs;
    } catch {
      return 0;
    }
  };

  async function current(): Promise<Precompressed> {
    const g = graph();
    const r = regions();
    const gen = generation;
    const stamp = placesStamp();
    if (built && buildKey && buildKey.generation === gen && buildKey.graph === g && buildKey.regions === r && buildKey.placesStamp === stamp) return built;
    if (buildKey && buildKey.placesStamp !== stamp) streets = null;
    const s = await streetsOf(g);
    const index = buildPlaceIndex({
      shelters: reg.query({}).items,
      streets: s.streets,
      regions: r ? r.list() : [],
      areaAt: r && r.size > 0 ? (lon, lat) => r.regionsAt(lat, lon)[0]?.name ?? null : undefined,
      streetSource: s.source,
    });
    const body = JSON.stringify(index);
    const etag = `W/"places-${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    // A registry change that leaves the index as it was (a shelter filling up) keeps the compressed copies.
    if (built?.etag !== etag) built = new Precompressed(body, etag);
    buildKey = { generation: gen, graph: g, regions: r, placesStamp: stamp };
    return built;
  }

  app.get('/api/places.json', {
    // Public (residents search offline with it); the public read limit applies, and the ETag keeps repeats cheap.
    config: { roles: ['public'] },
    schema: {
      summary: 'The residents\' search index: shelters\' names and addresses, streets and house numbers of the loaded extract, region names (ETag; kept offline by the app)',
      tags: ['shelters'],
    },
  }, async (request, reply) => {
    const doc = await current();
    reply.header('cache-control', 'no-cache').type('application/json; charset=utf-8');
    return doc.send(request, reply);
  });
};
