// GET /api/places.json over real HTTP: the streets and house numbers come from the places file the import wrote (no
// extract needed), compactly, with an ETag and gzip; a network imported before places were kept still gets them
// from its extract (and says so in the log), and without the extract says why in the document and the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import Fastify from 'fastify';
import { buildNetworkFromPbf, loadGraph, placesFileFor, saveGraph, readPlacesFile, type Graph } from '../../src/network/index.ts';
import { placesRoutes, legacyStreetCacheFor } from '../../src/server/routes/places.ts';
import { entriesOf, PlaceMatcher, type PlaceIndexDoc } from '../../web/src/lib/text-fold.ts';
import { startTestServer, tempDir } from '../helpers.ts';
import { KBH_PBF, MONACO_PBF } from './fixtures.ts';

/** The raw response (no decompression), to measure what goes over the wire. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

test('the Copenhagen network\'s places: house numbers searchable, compact, gzipped, ETag; served without the extract', async (t) => {
  const s = await startTestServer(t);
  const dir = tempDir(t);
  const src = join(dir, 'kbh.osm.pbf');
  copyFileSync(KBH_PBF, src);
  const report = await s.ctx.network!.importFile(src);
  assert.ok(report.places.houses > 30_000, `${report.places.houses} houses kept at import`);
  assert.ok(existsSync(placesFileFor(s.ctx.paths.networkFile)));
  rmSync(src); // the extract may go once imported

  const res = await fetch(`${s.url}/api/places.json`);
  assert.equal(res.status, 200);
  const etag = res.headers.get('etag');
  assert.ok(etag);
  const body = await res.text();
  const doc = JSON.parse(body) as PlaceIndexDoc;
  assert.equal(doc.version, 2);
  assert.deepEqual(doc.streetSource, { file: 'kbh.osm.pbf', available: true });
  // 35,000 houses in under 550 kB of JSON (about 440 kB measured), under 200 kB gzipped.
  assert.ok(body.length < 550_000, `${body.length} bytes`);
  const gz = await rawGet(`${s.url}/api/places.json`, { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers.vary, 'accept-encoding');
  assert.ok(gz.bytes.length < 200_000, `${gz.bytes.length} bytes gzipped`);
  assert.equal(gunzipSync(gz.bytes).toString('utf8'), body);
  const br = await rawGet(`${s.url}/api/places.json`, { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.ok(br.bytes.length < gz.bytes.length, `${br.bytes.length} bytes with brotli`);
  assert.equal(brotliDecompressSync(br.bytes).toString('utf8'), body);
  const plain = await rawGet(`${s.url}/api/places.json`, {});
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.bytes.toString('utf8'), body);
  assert.equal((await fetch(`${s.url}/api/places.json`, { headers: { 'if-none-match': etag } })).status, 304);
  assert.equal((await fetch(`${s.url}/api/places.json`, { headers: { 'if-none-match': etag.replace(/^W\//, '') } })).status, 304, 'weak or strong, the same version');

  // What the app does with it: "Vesterbrogade 12" is the house, at the Tivoli end of the street.
  const matcher = new PlaceMatcher(entriesOf(doc));
  for (const q of ['Vesterbrogade 12', '12 vesterbrogade', 'vesterbrogade 12, 1620 København V']) {
    const [first] = matcher.search(q);
    assert.equal(first?.entry.kind, 'address', q);
    assert.equal(first.entry.label, 'Vesterbrogade 12', q);
    assert.equal(first.entry.detail, '1620 København V');
    const [lon, lat] = first.entry.points[0];
    assert.ok(Math.abs(lon - 12.5602) < 0.001 && Math.abs(lat - 55.6734) < 0.001, `${q}: ${lon},${lat}`);
  }
});

interface Served { doc: PlaceIndexDoc; logs: string[] }

/** The route on its own (as the network capability registers it), for a network file made by hand, with its log. */
async function serve(t: Parameters<typeof startTestServer>[0], networkFile: string, graph: Graph): Promise<Served & { again(): Promise<PlaceIndexDoc> }> {
  const s = await startTestServer(t);
  const logs: string[] = [];
  const app = Fastify();
  await app.register(placesRoutes, { registry: s.ctx.registry, graph: () => graph, networkFile, regions: () => null, log: (m) => logs.push(m) });
  t.after(() => app.close());
  const get = async () => JSON.parse((await app.inject({ method: 'GET', url: '/api/places.json' })).body) as PlaceIndexDoc;
  return { doc: await get(), logs, again: get };
}

test('a network imported before the places were kept: read from its extract once, said in the log, kept for next time', async (t) => {
  const dir = tempDir(t);
  const src = join(dir, 'monaco.osm.pbf');
  copyFileSync(MONACO_PBF, src);
  const networkFile = join(dir, 'refuge.db.network.bin');
  saveGraph(await buildNetworkFromPbf(src), networkFile); // as the import did before
  const graph = loadGraph(networkFile);
  const { doc, logs, again } = await serve(t, networkFile, graph);
  assert.equal(doc.streetSource?.available, true);
  assert.ok(doc.streets.some((st) => (st[4]?.length ?? 0) > 0), 'house numbers from the extract');
  assert.equal(logs.length, 1, logs.join('\n'));
  assert.match(logs[0], /places\.json is missing .* reading the street names and house numbers from .*monaco\.osm\.pbf once/);
  assert.ok(readPlacesFile(placesFileFor(networkFile), graph.meta.sourceSha256), 'kept beside the network now');
  assert.deepEqual(await again(), doc);
  assert.equal(logs.length, 1, 'read once');
});

test('an old network whose extract is gone: no house numbers, and the document and the log say why', async (t) => {
  const dir = tempDir(t);
  const src = join(dir, 'monaco.osm.pbf');
  copyFileSync(MONACO_PBF, src);
  const networkFile = join(dir, 'refuge.db.network.bin');
  saveGraph(await buildNetworkFromPbf(src), networkFile);
  rmSync(src);
  const graph = loadGraph(networkFile);
  const { doc, logs, again } = await serve(t, networkFile, graph);
  assert.deepEqual(doc.streets, []);
  assert.equal(doc.streetSource?.available, false);
  assert.match(doc.streetSource!.reason!, /is missing .*monaco\.osm\.pbf\) is not there any more: import it again/);
  assert.equal(logs.length, 1);
  assert.match(logs[0], /no street names or house numbers for the address search/);

  // `refuge import network` (another process) writes the places file: served from the next request, no restart.
  const { streetPlacesFromPbf } = await import('../../src/network/street-names.ts');
  const { savePlacesFile } = await import('../../src/network/index.ts');
  savePlacesFile(placesFileFor(networkFile), { sourceSha256: graph.meta.sourceSha256, sourceName: 'monaco.osm.pbf', streets: await streetPlacesFromPbf(MONACO_PBF) });
  const now = await again();
  assert.deepEqual(now.streetSource, { file: 'monaco.osm.pbf', available: true });
  assert.ok(now.streets.some((st) => (st[4]?.length ?? 0) > 0));
  rmSync(placesFileFor(networkFile));

  // An earlier version's street-name cache, if there is one, still serves the names.
  writeFileSync(legacyStreetCacheFor(networkFile), JSON.stringify({ sourceSha256: graph.meta.sourceSha256, sourceName: 'monaco.osm.pbf', streets: [{ name: 'Boulevard Albert 1er', points: [[7.42, 43.73]], meters: 900 }] }));
  const legacy = await serve(t, networkFile, graph);
  assert.deepEqual(legacy.doc.streets.map((st) => st[0]), ['Boulevard Albert 1er']);
  assert.match(legacy.doc.streetSource!.reason!, /street names only/);
  assert.match(legacy.logs[0], /kept by an earlier version \(no house numbers\)/);
});

test('a places file of version 1 (houses at building centres) is never served: made again from the extract, or refused saying why', async (t) => {
  const dir = tempDir(t);
  const src = join(dir, 'monaco.osm.pbf');
  copyFileSync(MONACO_PBF, src);
  const networkFile = join(dir, 'refuge.db.network.bin');
  saveGraph(await buildNetworkFromPbf(src), networkFile);
  const graph = loadGraph(networkFile);
  // What the previous version wrote: the same shape, one house that is not in the extract.
  const v1 = { version: 1, sourceSha256: graph.meta.sourceSha256, sourceName: 'monaco.osm.pbf', streets: [{ name: 'Rue Fictive', points: [[7.42, 43.73]], meters: 10, houses: [['1', 7.42, 43.73, null]] }] };
  writeFileSync(placesFileFor(networkFile), JSON.stringify(v1));
  const { doc, logs } = await serve(t, networkFile, graph);
  assert.equal(doc.streetSource?.available, true);
  assert.ok(!doc.streets.some((st) => st[0] === 'Rue Fictive'), 'the version 1 file is not served');
  assert.ok(doc.streets.some((st) => (st[4]?.length ?? 0) > 0), 'house numbers read from the extract again');
  assert.match(logs[0], /format version 1, expected 2: written by an earlier version .* reading the street names and house numbers from .*monaco\.osm\.pbf once/);
  assert.equal(JSON.parse(readFileSync(placesFileFor(networkFile), 'utf8')).version, 2, 'written again in the current version');

  writeFileSync(placesFileFor(networkFile), JSON.stringify(v1));
  rmSync(src);
  const gone = await serve(t, networkFile, graph);
  assert.deepEqual(gone.doc.streets, []);
  assert.match(gone.doc.streetSource!.reason!, /format version 1, expected 2: .*import the network again .*is not there any more/);
});
