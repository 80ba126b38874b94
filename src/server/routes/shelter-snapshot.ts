// GET /api/shelters/snapshot: every shelter in service as one GeoJSON document, built once per registry change and
// kept with its brotli and gzip encodings. When an alert sends a city to the map at once, each request is a buffer
// copy instead of a serialisation and a 4 MB compression.
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlib } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { sheltersToGeoJson } from '../../registry/export.ts';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

interface Encoded { etag: string; identity: Buffer; br: Buffer; gzip: Buffer; count: number }

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

export async function shelterSnapshotRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const reg = ctx.registry;
  let generation = 0;
  let current: { generation: number; built: Promise<Encoded>; done: boolean } | null = null;
  const invalidate = () => { generation++; };
  reg.on('change', invalidate);
  reg.on('reload', invalidate);
  app.addHook('onClose', async () => { reg.off('change', invalidate); reg.off('reload', invalidate); });

  async function build(): Promise<Encoded> {
    const items = reg.query({}).items;
    const fc = sheltersToGeoJson(items) as ReturnType<typeof sheltersToGeoJson> & Record<string, unknown>;
    fc.numberMatched = items.length;
    fc.numberReturned = items.length;
    fc.attribution = (await reg.sources()).filter((s) => s.attribution).map((s) => ({ source: s.name, attribution: s.attribution, licence: s.licence }));
    const identity = Buffer.from(JSON.stringify(fc));
    // Compressed off the event loop (zlib's thread pool): live alert streams keep flowing meanwhile.
    const [br, gzipped] = await Promise.all([
      brotli(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
      gz(identity, { level: 9 }),
    ]);
    const etag = `"snapshot-${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`;
    return { etag, identity, br, gzip: gzipped, count: items.length };
  }

  /** The last snapshot finished, served while a newer one is being built: when wardens report often and a city is
   * loading the map, readers do not queue behind every rebuild. Staleness is bounded by one build. */
  let last: Encoded | null = null;

  function snapshot(): Promise<Encoded> {
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
}
