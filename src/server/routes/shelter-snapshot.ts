// GET /api/shelters/snapshot: every shelter in service as one GeoJSON document, built once per registry change and
// kept with its brotli and gzip encodings. When an alert sends a city to the map at once, each request is a buffer
// copy instead of a serialisation and a 4 MB compression.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ShelterRegistry } from '../../registry/index.ts';
import { sheltersToGeoJson } from '../../registry/export.ts';
import { LastKnown } from '../last-known.ts';
import { Precompressed } from '../precompressed.ts';

interface Encoded { doc: Precompressed; count: number; attributionStale: boolean; builtAt: number }

/** A snapshot built while the database was away (attribution as last known) is rebuilt after this long. */
const STALE_REBUILD_MS = 30_000;

export interface ShelterSnapshotRouteOptions {
  registry: ShelterRegistry;
}

export const shelterSnapshotRoutes: FastifyPluginAsync<ShelterSnapshotRouteOptions> = async (app, opts) => {
  const { registry: reg } = opts;
  let generation = 0;
  let current: { generation: number; built: Promise<Encoded>; done: boolean } | null = null;
  const invalidate = () => { generation++; };
  reg.on('change', invalidate);
  reg.on('reload', invalidate);
  app.addHook('onClose', async () => { reg.off('change', invalidate); reg.off('reload', invalidate); });

  // The shelters are in memory; only their sources' attribution is read from the database, and while it is away the
  // map is still served with the attribution as last read (said so in the document).
  const attribution = new LastKnown(async () => (await reg.sources()).filter((s) => s.attribution).map((s) => ({ source: s.name, attribution: s.attribution, licence: s.licence })), [] as Array<{ source: string; attribution: string | null; licence: string | null }>);

  async function build(): Promise<Encoded> {
    const items = reg.query({}).items;
    const fc = sheltersToGeoJson(items) as ReturnType<typeof sheltersToGeoJson> & Record<string, unknown>;
    fc.numberMatched = items.length;
    fc.numberReturned = items.length;
    const known = await attribution.get();
    fc.attribution = known.value;
    if (known.stale) fc.attributionStale = true;
    const identity = Buffer.from(JSON.stringify(fc));
    const etag = `"snapshot-${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`;
    // Both encodings ready before the first reader (brotli 9: a rebuild may follow every registry change).
    const doc = await new Precompressed(identity, etag, 9).encodeAll();
    return { doc, count: items.length, attributionStale: known.stale, builtAt: Date.now() };
  }

  /** The last snapshot finished, served while a newer one is being built: when wardens report often and a city is
   * loading the map, readers do not queue behind every rebuild. Staleness is bounded by one build. */
  let last: Encoded | null = null;

  function snapshot(): Promise<Encoded> {
    // Built while the database was away: try again for the attribution now and then (not per request: a build is costly).
    if (current?.done && last?.attributionStale && Date.now() - last.builtAt > STALE_REBUILD_MS) generation++;
    if (!current || current.generation !== generation) {
      const inFlight = current && current.generation !== generation && !current.done;
      if (inFlight && last) return Promise.resolve(last);
      const entry: { generation: number; built: Promise<Encoded>; done: boolean } = { generation, built: build(), done: false };
      current = entry;
      // A failed build is not kept: the next request tries again.
      entry.built.then((e) => { entry.done = true; last = e; }, () => { entry.done = true; if (current === entry) current = null; });
    } else if (!current.done && last) {
      return Promise.resolve(last);
    }
    return current.built;
  }

  app.get('/api/shelters/snapshot', {
    schema: {
      summary: 'Every shelter in service as one GeoJSON FeatureCollection (the map and offline snapshot); ETag, br/gzip',
      tags: ['shelters'],
    },
  }, async (request: FastifyRequest, reply) => {
    const snap = await snapshot();
    reply.header('cache-control', 'no-cache').header('x-refuge-shelters', String(snap.count)).type('application/geo+json; charset=utf-8');
    return snap.doc.send(request, reply);
  });
};
