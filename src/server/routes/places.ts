// GET /api/places.json: the residents' search index (shelters' names and addresses, the extract's street names, the
// regions' names), one compact document with an ETag, kept by the service worker so the address search works offline.
// The street names are read from the extract the network was built from, once per extract (in a worker thread),
// and kept beside the network file.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Graph } from '../../network/index.ts';
import { sha256File } from '../../network/index.ts';
import { streetPlacesInWorker, type StreetPlace } from '../../network/street-names.ts';
import type { ShelterRegistry } from '../../registry/index.ts';
import { buildPlaceIndex, type PlaceIndex } from '../../registry/places.ts';
import type { RegionIndex } from '../../geo/index.ts';

export interface PlacesRouteOptions {
  registry: ShelterRegistry;
  /** The network in use now (null when none is imported). */
  graph: () => Graph | null;
  /** The network file; the street names are cached beside it (`<file>.streets.json`). */
  networkFile: string;
  /** The regions now (null when the regions capability does not run). */
  regions: () => RegionIndex | null;
  /** Reads an extract's street names (default: in a worker thread). */
  readStreets?: (pbfFile: string) => Promise<StreetPlace[]>;
  log?: (msg: string) => void;
}

interface Streets { streets: StreetPlace[]; source: PlaceIndex['streetSource'] }
interface StreetCacheFile { sourceSha256: string; sourceName: string; streets: StreetPlace[] }

/** The cache file of street names for a network file. */
export function streetCacheFor(networkFile: string): string {
  return `${networkFile}.streets.json`;
}

export const placesRoutes: FastifyPluginAsync<PlacesRouteOptions> = async (app, opts) => {
  const { registry: reg, graph, networkFile, regions } = opts;
  const readStreets = opts.readStreets ?? streetPlacesInWorker;
  const log = opts.log ?? ((m: string) => app.log.warn(m));
  const cacheFile = streetCacheFor(networkFile);

  let generation = 0;
  const invalidate = () => { generation++; };
  reg.on('change', invalidate);
  reg.on('reload', invalidate);
  app.addHook('onClose', async () => { reg.off('change', invalidate); reg.off('reload', invalidate); });

  /** Street names per extract (by sha256); one read at a time, shared by concurrent requests. */
  let streets: { sha: string; value: Promise<Streets> } | null = null;

  async function loadStreets(g: Graph): Promise<Streets> {
    const { sourceSha256: sha, sourceName, sourcePath } = g.meta;
    try {
      if (existsSync(cacheFile)) {
        const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as StreetCacheFile;
        if (cached.sourceSha256 === sha && Array.isArray(cached.streets)) return { streets: cached.streets, source: { file: sourceName, available: true } };
      }
    } catch {
      // An unreadable cache is read again from the extract.
    }
    if (!sourcePath || !existsSync(sourcePath)) {
      return { streets: [], source: { file: sourceName, available: false, reason: `the extract the network was built from (${sourcePath ?? sourceName}) is not there any more: import it again for street names` } };
    }
    if ((await sha256File(sourcePath)) !== sha) {
      return { streets: [], source: { file: sourceName, available: false, reason: `${basename(sourcePath)} has changed since the network was built: street names follow once the network is rebuilt` } };
    }
    const list = await readStreets(sourcePath);
    const tmp = `${cacheFile}.tmp-${process.pid}-${Date.now()}`;
    try {
      writeFileSync(tmp, JSON.stringify({ sourceSha256: sha, sourceName, streets: list } satisfies StreetCacheFile));
      renameSync(tmp, cacheFile);
    } catch (err) {
      rmSync(tmp, { force: true });
      log(`places: cannot keep the street names in ${cacheFile}: ${(err as Error).message}`);
    }
    return { streets: list, source: { file: sourceName, available: true } };
  }

  function streetsOf(g: Graph | null): Promise<Streets> {
    if (!g) return Promise.resolve({ streets: [], source: { file: null, available: false, reason: 'no street network is loaded' } });
    const sha = g.meta.sourceSha256;
    if (streets?.sha !== sha) {
      const value = loadStreets(g).catch((err: Error): Streets => {
        log(`places: cannot read street names from ${g.meta.sourcePath ?? g.meta.sourceName}: ${err.message}`);
        return { streets: [], source: { file: g.meta.sourceName, available: false, reason: `street names could not be read: ${err.message}` } };
      });
      streets = { sha, value };
    }
    return streets.value;
  }

  let built: { body: string; etag: string } | null = null;
  let buildKey: { generation: number; graph: Graph | null; regions: RegionIndex | null } | null = null;

  async function current(): Promise<{ body: string; etag: string }> {
    const g = graph();
    const r = regions();
    const gen = generation;
    if (built && buildKey && buildKey.generation === gen && buildKey.graph === g && buildKey.regions === r) return built;
    const s = await streetsOf(g);
    const index = buildPlaceIndex({
      shelters: reg.query({}).items,
      streets: s.streets,
      regions: r ? r.list() : [],
      areaAt: r && r.size > 0 ? (lon, lat) => r.regionsAt(lat, lon)[0]?.name ?? null : undefined,
      streetSource: s.source,
    });
    const body = JSON.stringify(index);
    const etag = `"places-${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    built = { body, etag };
    buildKey = { generation: gen, graph: g, regions: r };
    return built;
  }

  app.get('/api/places.json', {
    // Public (residents search offline with it); the public read limit applies, and the ETag keeps repeats cheap.
    config: { roles: ['public'] },
    schema: {
      summary: 'The residents\' search index: shelters\' names and addresses, street names of the loaded extract, region names (ETag; kept offline by the app)',
      tags: ['shelters'],
    },
  }, async (request, reply) => {
    const { body, etag } = await current();
    reply.header('etag', etag).header('cache-control', 'no-cache').type('application/json; charset=utf-8');
    const inm = request.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
    return reply.send(body);
  });
};
