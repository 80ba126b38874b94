// GET /api/places.json: the residents' search index (shelters' names and addresses, the extract's streets with their
// house numbers, the regions' names), one compact document with an ETag, kept by the service worker so the address
// search works offline. The streets come from the places file the network import writes beside the network file
// (src/network/places-file.ts); a network imported before that is read from its extract once (in a worker thread)
// and the places file written then.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { FastifyPluginAsync } from 'fastify';
import type { Graph } from '../../network/index.ts';
import { placesFileFor, readPlacesFile, savePlacesFile, sha256File } from '../../network/index.ts';
import { streetPlacesInWorker, type StreetPlace } from '../../network/street-names.ts';
import type { ShelterRegistry } from '../../registry/index.ts';
import { buildPlaceIndex, type PlaceIndex } from '../../registry/places.ts';
import type { RegionIndex } from '../../geo/index.ts';

export interface PlacesRouteOptions {
  registry: ShelterRegistry;
  /** The network in use now (null when none is imported). */
  graph: () => Graph | null;
  /** The network file; its places file is beside it (`<file>.places.json`). */
  networkFile: string;
  /** The regions now (null when the regions capability does not run). */
  regions: () => RegionIndex | null;
  /** Reads an extract's streets and house numbers, for a network without a places file (default: in a worker thread). */
  readStreets?: (pbfFile: string) => Promise<StreetPlace[]>;
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
  const readStreets = opts.readStreets ?? streetPlacesInWorker;
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
    const list = await readStreets(sourcePath);
    try {
      savePlacesFile(placesFile, { sourceSha256: sha, sourceName, streets: list });
    } catch (err) {
      log(`places: cannot keep the street names in ${placesFile} (each process will read the extract): ${(err as Error).message}`);
    }
    return { streets: list, source: { file: sourceName, available: true } };
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

  let built: Built | null = null;
  let buildKey: { generation: number; graph: Graph | null; regions: RegionIndex | null; placesStamp: number } | null = null;

  /** When the places file was last written (0: there is none): `refuge import network` may add it while this runs. */
  const placesStamp = (): number => {
    try {
      return statSync(placesFile).mtimeMs;
    } catch {
      return 0;
    }
  };

  async function current(): Promise<Built> {
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
    if (built?.etag !== etag) built = { body, etag, encoded: new Map() };
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
    reply.header('etag', doc.etag).header('cache-control', 'no-cache').header('vary', 'accept-encoding').type('application/json; charset=utf-8');
    const inm = request.headers['if-none-match'];
    const bare = (tag: string) => tag.trim().replace(/^W\//, '');
    if (inm && inm.split(',').some((t) => bare(t) === bare(doc.etag))) return reply.code(304).send();
    const encoding = preferredEncoding(request.headers['accept-encoding']);
    if (!encoding) return reply.send(doc.body);
    let compressed = doc.encoded.get(encoding);
    if (!compressed) {
      compressed = compress(doc.body, encoding);
      doc.encoded.set(encoding, compressed);
      compressed.catch(() => doc.encoded.delete(encoding));
    }
    return reply.header('content-encoding', encoding).send(await compressed);
  });
};

/** The index, with its compressed copies made once per version (not per request, as the app-wide compression would). */
interface Built { body: string; etag: string; encoded: Map<'br' | 'gzip', Promise<Buffer>> }

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Compressed off the event loop (zlib's thread pool), thoroughly since it is done once per version: brotli quality 10
 * makes the Copenhagen demo's 629 kB 177 kB in about a second (quality 9: 200 kB, no better than gzip's 211 kB;
 * 11: 174 kB in twice the time).
 */
function compress(body: string, encoding: 'br' | 'gzip'): Promise<Buffer> {
  const data = Buffer.from(body, 'utf8');
  return encoding === 'br'
    ? brotliAsync(data, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 10, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length } })
    : gzipAsync(data, { level: 9 });
}

/** br when the client takes it, else gzip, else none (an encoding with q=0 is refused). */
export function preferredEncoding(header: string | string[] | undefined): 'br' | 'gzip' | null {
  const accepted = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : header ?? '').split(',')) {
    const [name, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : null;
}
