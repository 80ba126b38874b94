// GET /api/shelters/snapshot: every shelter in service as one GeoJSON document, built once per registry change and
// kept with its brotli and gzip encodings. When an alert sends a city to the map at once, each request is a buffer
// copy instead of a serialisation and a 4 MB compression.
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlib } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ShelterRegistry } from '../../registry/index.ts';
import { sheltersToGeoJson } from '../../registry/export.ts';
import { LastKnown } from '../last-known.ts';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

interface Encoded { etag: string; identity: Buffer; br: Buffer; gzip: Buffer; count: number; attributionStale: boolean; builtAt: number }

/** A snapshot built while the database was away (attribution as last known) is rebuilt after this long. */
const STALE_REBUILD_MS = 30_000;

/** Picks br, then gzip, from Accept-Encoding (q=0 refuses one); identity otherwise. */
export function pickEncoding(header: string | undefined): 'br' | 'gzip' | 'identity' {
  const accepted = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  const ok = (n: string) => (accepted.get(n) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

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
    // Compressed off the event loop (zlib's thread pool): live alert streams keep flowing meanwhile.
    const [br, gzipped] = await Promise.all([
      brotli(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
      gz(identity, { level: 9 }),
    ]);
    const etag = `"snapshot-${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`;
    return { etag, identity, br, gzip: gzipped, count: items.length, attributionStale: known.stale, builtAt: Date.now() };
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
    reply.header('etag', snap.etag).header('vary', 'accept-encoding').header('cache-control', 'no-cache')
      .header('x-refuge-shelters', String(snap.count)).type('application/geo+json; charset=utf-8');
    const inm = request.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === snap.etag)) return reply.code(304).send();
    const enc = pickEncoding(request.headers['accept-encoding']);
    if (enc === 'identity') return reply.send(snap.identity);
    return reply.header('content-encoding', enc).send(enc === 'br' ? snap.br : snap.gzip);
  });
};
