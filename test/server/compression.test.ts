// Answers are compressed and carry ETags (residents on failing networks); event streams are not compressed; the
// built web app is served precompressed with long-lived caching for hashed assets. Real server, raw HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '../helpers.ts';
import { WEB_DIST, ensureWebBuilt } from '../e2e/harness.ts';

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** One GET with exactly the headers given (fetch would add Accept-Encoding and decompress). */
function get(url: string, headers: Record<string, string> = {}, firstChunkOnly = false): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        if (firstChunkOnly) { req.destroy(); resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }); }
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', (e) => (firstChunkOnly ? undefined : reject(e)));
    req.end();
  });
}

test('the shelter snapshot is compressed (br, gzip), has a weak ETag, and a revalidation with nothing changed gets 304', async (t) => {
  const s = await startTestServer(t);
  for (let i = 0; i < 30; i++) await s.ctx.registry.create({ name: `Shelter ${i}`, lat: 55.67 + i / 1000, lon: 12.56, capacity: 50 + i }, 'test');
  const plain = await get(`${s.url}/api/shelters?limit=5000`);
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding, no compression');
  const identity = JSON.parse(plain.body.toString('utf8'));
  assert.equal(identity.features.length, 30);

  const br = await get(`${s.url}/api/shelters?limit=5000`, { 'accept-encoding': 'br, gzip' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.match(String(br.headers.vary), /accept-encoding/i);
  assert.ok(br.body.length < plain.body.length / 3, `compressed ${br.body.length} B of ${plain.body.length} B`);
  assert.deepEqual(JSON.parse(brotliDecompressSync(br.body).toString('utf8')), identity);
  const gz = await get(`${s.url}/api/shelters?limit=5000`, { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.deepEqual(JSON.parse(gunzipSync(gz.body).toString('utf8')), identity);

  const tag = String(plain.headers.etag);
  assert.match(tag, /^W\/".+"$/);
  assert.equal(br.headers.etag, tag, 'one ETag for every encoding of the same answer');
  const again = await get(`${s.url}/api/shelters?limit=5000`, { 'if-none-match': tag, 'accept-encoding': 'br' });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);

  await s.ctx.registry.create({ name: 'One more', lat: 55.7, lon: 12.57, capacity: 10 }, 'test');
  const changed = await get(`${s.url}/api/shelters?limit=5000`, { 'if-none-match': tag });
  assert.equal(changed.status, 200, 'a changed registry is sent again');
  assert.notEqual(changed.headers.etag, tag);
  assert.equal(JSON.parse(changed.body.toString('utf8')).features.length, 31);
});

test('the alert event stream is never compressed (a proxy-buffered stream would deliver alerts late)', async (t) => {
  const s = await startTestServer(t);
  const res = await get(`${s.url}/api/alerts/stream?lat=55.67&lon=12.56`, { 'accept-encoding': 'br, gzip', accept: 'text/event-stream' }, true);
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /text\/event-stream/);
  assert.equal(res.headers['content-encoding'], undefined);
});

test('the web app is served precompressed; hashed assets are immutable, pages are revalidated', async (t) => {
  await ensureWebBuilt();
  const s = await startTestServer(t, { webRoot: WEB_DIST });
  const asset = readdirSync(join(WEB_DIST, 'assets')).find((f) => /^maplibre-.*\.js$/.test(f))!;
  const br = await get(`${s.url}/assets/${asset}`, { 'accept-encoding': 'br' });
  assert.equal(br.status, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  const plain = await get(`${s.url}/assets/${asset}`);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.deepEqual(brotliDecompressSync(br.body), plain.body);
  const page = await get(`${s.url}/`, { 'accept-encoding': 'gzip' });
  assert.equal(page.status, 200);
  assert.equal(page.headers['cache-control'], 'no-cache');
  assert.match(gunzipSync(page.body).toString('utf8'), /<title>Refuge<\/title>/);
});

test('the shelter snapshot: every shelter in service, cached until the registry changes, precompressed, 304 when unchanged', async (t) => {
  const s = await startTestServer(t);
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) ids.push((await s.ctx.registry.create({ name: `Shelter ${i}`, lat: 55.67 + i / 1000, lon: 12.56, capacity: 50 + i }, 'test')).id);
  await s.ctx.registry.decommission(ids[0], null, 'test');
  const plain = await get(`${s.url}/api/shelters/snapshot`);
  assert.equal(plain.status, 200);
  assert.match(String(plain.headers['content-type']), /application\/geo\+json/);
  const fc = JSON.parse(plain.body.toString('utf8'));
  assert.equal(fc.type, 'FeatureCollection');
  assert.equal(fc.features.length, 39, 'a decommissioned shelter is not offered');
  assert.ok(!fc.features.some((f: { id: string }) => f.id === ids[0]));
  assert.ok(Array.isArray(fc.attribution));
  // The same features, in the same form, as the paged list.
  const listed = await s.request('GET', '/api/shelters?limit=5000');
  assert.deepEqual(fc.features, listed.body.features);

  const br = await get(`${s.url}/api/shelters/snapshot`, { 'accept-encoding': 'gzip;q=0.5, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.deepEqual(brotliDecompressSync(br.body), plain.body);
  const gz = await get(`${s.url}/api/shelters/snapshot`, { 'accept-encoding': 'br;q=0, gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.deepEqual(gunzipSync(gz.body), plain.body);
  const tag = String(plain.headers.etag);
  assert.equal(br.headers.etag, tag);
  assert.equal((await get(`${s.url}/api/shelters/snapshot`, { 'if-none-match': tag })).status, 304);
  assert.equal((await get(`${s.url}/api/shelters/snapshot`, { 'if-none-match': `W/${tag}` })).status, 304, 'a weak comparison matches too');

  // A status change is in the next snapshot (no stale cache).
  await s.ctx.registry.setStatus(ids[5], 'full', 'test');
  const after = await get(`${s.url}/api/shelters/snapshot`, { 'if-none-match': tag });
  assert.equal(after.status, 200);
  assert.notEqual(after.headers.etag, tag);
  const f5 = JSON.parse(after.body.toString('utf8')).features.find((f: { id: string }) => f.id === ids[5]);
  assert.equal(f5.properties.status, 'full');
});
