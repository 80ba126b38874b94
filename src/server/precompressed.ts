// A document served many times between changes (the shelter snapshot, the places index, the street lines): its
// compressed copies are made once per version, off the event loop (zlib's thread pool), instead of on every request
// as the app-wide compression would, so a city opening the map at once costs buffer copies, not compressions.
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlib } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export type Encoding = 'br' | 'gzip' | 'identity';

/** br, then gzip, as the client's Accept-Encoding allows (q=0 refuses one, `*` stands for the rest); identity otherwise. */
export function pickEncoding(header: string | string[] | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : header ?? '').split(',')) {
    const [name, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : 'identity';
}

export class Precompressed {
  readonly identity: Buffer;
  private readonly encoded = new Map<'br' | 'gzip', Promise<Buffer>>();

  /**
   * `brotliQuality`: 10 for documents built rarely (the places index: 629 kB -> 177 kB in about a second, where 9 gives
   * 200 kB, no better than gzip's 211 kB), 9 where a rebuild may follow every registry change (the snapshot).
   */
  constructor(body: string | Buffer, readonly etag: string, private readonly brotliQuality = 10) {
    this.identity = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  }

  /** The body in one encoding, compressed on first use; a failed compression is not kept (the next request tries again). */
  encode(encoding: 'br' | 'gzip'): Promise<Buffer> {
    let done = this.encoded.get(encoding);
    if (!done) {
      const data = this.identity;
      done = encoding === 'br'
        ? brotliAsync(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: this.brotliQuality, [zlib.BROTLI_PARAM_SIZE_HINT]: data.length } })
        : gzipAsync(data, { level: 9 });
      this.encoded.set(encoding, done);
      done.catch(() => this.encoded.delete(encoding));
    }
    return done;
  }

  /** Both encodings at once (a build that wants them ready before the first reader). */
  async encodeAll(): Promise<this> {
    await Promise.all([this.encode('br'), this.encode('gzip')]);
    return this;
  }

  /** 304 when If-None-Match names this version (weak or strong), else the body in the best encoding the client takes. */
  async send(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    reply.header('etag', this.etag).header('vary', 'accept-encoding');
    const bare = (tag: string) => tag.trim().replace(/^W\//, '');
    const inm = request.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => bare(t) === bare(this.etag))) return reply.code(304).send();
    const encoding = pickEncoding(request.headers['accept-encoding']);
    if (encoding === 'identity') return reply.send(this.identity);
    return reply.header('content-encoding', encoding).send(await this.encode(encoding));
  }
}
