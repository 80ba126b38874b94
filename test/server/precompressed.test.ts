// Documents encoded once per version (src/server/precompressed.ts): the encoding picked from Accept-Encoding, the
// bodies each encoding decodes to, 304 on a weak or strong If-None-Match, one compression however many readers; and
// the street lines route that now serves through it, over real HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { pickEncoding, Precompressed } from '../../src/server/precompressed.ts';
import { networkLinesRoutes } from '../../src/server/routes/network-lines.ts';
import { problemSchema } from '../../src/server/problem.ts';
import { buildNetworkFromPbf, loadGraph, saveGraph } from '../../src/network/index.ts';
import { MONACO_PBF } from '../network/fixtures.ts';
import { tempDir } from '../helpers.ts';

test('the encoding chosen from Accept-Encoding: brotli, else gzip, never one refused with q=0', () => {
  assert.equal(pickEncoding('gzip, deflate, br'), 'br');
  assert.equal(pickEncoding('gzip'), 'gzip');
  assert.equal(pickEncoding('br;q=0, gzip;q=0.5'), 'gzip');
  assert.equal(pickEncoding('*'), 'br');
  assert.equal(pickEncoding('*, br;q=0'), 'gzip');
  assert.equal(pickEncoding(['gzip', 'br;q=0']), 'gzip');
  assert.equal(pickEncoding('identity'), 'identity');
  assert.equal(pickEncoding(undefined), 'identity');
  assert.equal(pickEncoding(''), 'identity');
});

/** A raw GET (fetch would decode the body and hide the encoding). */
function get(app: FastifyInstance, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const { port } = app.server.address() as { port: number };
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

function decode(r: { headers: Record<string, string | string[] | undefined>; body: Buffer }): string {
  const enc = r.headers['content-encoding'];
  return (enc === 'br' ? brotliDecompressSync(r.body) : enc === 'gzip' ? gunzipSync(r.body) : r.body).toString('utf8');
}

test('one version: each encoding decodes to the body, If-None-Match (weak or strong) gets 304, compressed once', async (t) => {
  const body = JSON.stringify({ words: Array.from({ length: 5000 }, (_, i) => `straße ${i}`) });
  const doc = new Precompressed(body, '"v1"');
  const app = Fastify();
  t.after(() => app.close());
  app.get('/doc', (request, reply) => doc.send(request, reply));
  await app.listen({ port: 0, host: '127.0.0.1' });

  const br = await get(app, '/doc', { 'accept-encoding': 'gzip, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(decode(br), body);
  assert.ok(br.body.length < body.length / 5);
  const gz = await get(app, '/doc', { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(decode(gz), body);
  const plain = await get(app, '/doc', {});
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.toString('utf8'), body);
  for (const r of [br, gz, plain]) {
    assert.equal(r.headers.etag, '"v1"');
    assert.equal(r.headers.vary, 'accept-encoding');
  }
  assert.equal((await get(app, '/doc', { 'if-none-match': '"v1"' })).status, 304);
  assert.equal((await get(app, '/doc', { 'if-none-match': '"v0", W/"v1"' })).status, 304);
  assert.equal((await get(app, '/doc', { 'if-none-match': '"v0"' })).status, 200);
  assert.equal(doc.encode('br'), doc.encode('br'), 'one compression per encoding, shared by every reader');
});

test('GET /api/network/lines: the whole network encoded once per network (br, gzip, 304); a bbox answer as before', async (t) => {
  const file = join(tempDir(t), 'monaco.network.bin');
  saveGraph(await buildNetworkFromPbf(MONACO_PBF), file);
  let graph = loadGraph(file);
  const app = Fastify();
  t.after(() => app.close());
  app.addSchema(problemSchema);
  await app.register(networkLinesRoutes, { graph: () => graph });
  await app.listen({ port: 0, host: '127.0.0.1' });

  const plain = await get(app, '/api/network/lines', {});
  assert.equal(plain.status, 200);
  const lines = JSON.parse(plain.body.toString('utf8'));
  assert.equal(lines.type, 'FeatureCollection');
  assert.ok(lines.features.length > 0);
  const br = await get(app, '/api/network/lines', { 'accept-encoding': 'br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(decode(br), plain.body.toString('utf8'));
  assert.ok(br.body.length < plain.body.length / 3);
  const etag = String(br.headers.etag);
  assert.equal((await get(app, '/api/network/lines', { 'if-none-match': etag })).status, 304);
  const part = await get(app, `/api/network/lines?bbox=${lines.bbox.join(',')}`, {});
  assert.equal(part.status, 200);
  assert.ok(JSON.parse(part.body.toString('utf8')).features.length > 0);
  // Another network (a new import): its own document and tag.
  graph = loadGraph(file);
  const again = await get(app, '/api/network/lines', { 'if-none-match': etag });
  assert.equal(again.status, 304, 'the same extract keeps its tag');
});
