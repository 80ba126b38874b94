// Per-query nearest shelters on the Copenhagen extract with its real shelters: our in-process search against
// pgRouting (pgr_withPointsCost, one-to-many, same graph) and against a straight-line k-nearest search (Flatbush).
// Run: node --import tsx bench/network-nearest.ts   (PostgreSQL with pgRouting at 127.0.0.1:5432, db test)
import Flatbush from 'flatbush';
import pg from 'pg';
import { buildNetworkFromPbf, ShelterRouter } from '../src/network/index.ts';
import { LocalProjection } from '../src/network/geometry.ts';
import { copenhagenShelters, KBH_PBF, seeded } from '../test/network/fixtures.ts';

const QUERIES = 2000;
const PG_QUERIES = 60;
const K = 3;

const g = await buildNetworkFromPbf(KBH_PBF);
const shelters = copenhagenShelters();
const router = new ShelterRouter(g, shelters);
const rnd = seeded(42);
const [minLon, minLat, maxLon, maxLat] = g.meta.bbox;
const origins: Array<{ lat: number; lon: number }> = [];
while (origins.length < QUERIES) {
  const p = { lat: minLat + rnd() * (maxLat - minLat), lon: minLon + rnd() * (maxLon - minLon) };
  if (router.snapOrigin(p)) origins.push(p);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

function timeEach(fn: (o: { lat: number; lon: number }) => unknown): number[] {
  for (const o of origins.slice(0, 200)) fn(o); // warm up the JIT
  return origins.map((o) => {
    const t = performance.now();
    fn(o);
    return performance.now() - t;
  });
}

const oursK = timeEach((o) => router.nearest(o, { k: K }));
const oursK1 = timeEach((o) => router.nearest(o, { k: 1 }));
const oursSearchOnly = timeEach((o) => router.search(router.snapOrigin(o)!, K, {}, null));

// Straight-line kNN: the anchor a registry without a network would use.
const proj = new LocalProjection((minLat + maxLat) / 2);
const idx = new Flatbush(shelters.length);
for (const s of shelters) idx.add(proj.x(s.lon), proj.y(s.lat), proj.x(s.lon), proj.y(s.lat));
idx.finish();
const straight = timeEach((o) => idx.neighbors(proj.x(o.lon), proj.y(o.lat), K));

let pgMs: number[] = [];
let pgNote = '';
const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', connectionTimeoutMillis: 3000 });
try {
  await client.connect();
  await client.query('CREATE EXTENSION IF NOT EXISTS pgrouting');
  await client.query('CREATE TEMP TABLE bench_edges (id bigint, source bigint, target bigint, cost float8, reverse_cost float8)');
  await client.query('CREATE TEMP TABLE bench_points (pid bigint, edge_id bigint, fraction float8, side char)');
  const ids = Array.from({ length: g.edgeCount }, (_, e) => e + 1);
  await client.query('INSERT INTO bench_edges SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::float8[], $4::float8[])', [
    ids, Array.from(g.edgeFrom, (v) => v + 1), Array.from(g.edgeTo, (v) => v + 1), Array.from(router.edgeSeconds),
  ]);
  const pts = router.entries.map((en, i) => ({ en, pid: i + 1 })).filter(({ en }) => en.usable && en.snap);
  await client.query("INSERT INTO bench_points SELECT p, e, f, 'b' FROM unnest($1::bigint[], $2::bigint[], $3::float8[]) AS t(p, e, f)", [
    pts.map((p) => p.pid), pts.map((p) => p.en.snap!.edge + 1), pts.map((p) => Math.min(0.999999, Math.max(0.000001, p.en.snap!.along / g.edgeMeters[p.en.snap!.edge]))),
  ]);
  const targets = pts.map((p) => -p.pid);
  for (const o of origins.slice(0, PG_QUERIES)) {
    const s = router.snapOrigin(o)!;
    const f = Math.min(0.999999, Math.max(0.000001, s.along / g.edgeMeters[s.edge]));
    const t = performance.now();
    await client.query(
      `SELECT end_pid, agg_cost FROM pgr_withPointsCost(
         'SELECT id, source, target, cost, reverse_cost FROM bench_edges',
         'SELECT pid, edge_id, fraction, side FROM bench_points UNION ALL SELECT 999999, ${s.edge + 1}, ${f}, ''b''',
         -999999, $1::bigint[], directed => true) ORDER BY agg_cost LIMIT ${K}`,
      [targets],
    );
    pgMs.push(performance.now() - t);
  }
  pgMs = pgMs.slice(5); // first calls warm PostgreSQL's caches
} catch (err) {
  pgNote = `pgRouting not measured: ${(err as Error).message}`;
} finally {
  await client.end().catch(() => {});
}

const f3 = (x: number) => (x < 0.01 ? x.toFixed(4) : x.toFixed(3));
console.log(`Copenhagen extract: ${g.nodeCount} nodes, ${g.edgeCount} edges; ${router.snapReport().snapped} of ${shelters.length} shelters on the network; ${QUERIES} random origins, k=${K}`);
console.log('| method | median ms | p95 ms | median vs ours (k=3) |');
console.log('|---|---|---|---|');
const m = median(oursK);
console.log(`| ours: nearest(k=3) incl. snapping and route geometry | ${f3(m)} | ${f3(pct(oursK, 0.95))} | 1 |`);
console.log(`| ours: nearest(k=1) | ${f3(median(oursK1))} | ${f3(pct(oursK1, 0.95))} | ${(median(oursK1) / m).toFixed(2)} |`);
console.log(`| ours: search only (k=3, no routes) | ${f3(median(oursSearchOnly))} | ${f3(pct(oursSearchOnly, 0.95))} | ${(median(oursSearchOnly) / m).toFixed(2)} |`);
console.log(`| straight-line kNN (Flatbush, k=3) | ${f3(median(straight))} | ${f3(pct(straight, 0.95))} | ${(median(straight) / m).toFixed(3)} |`);
if (pgMs.length) console.log(`| pgRouting pgr_withPointsCost one-to-many (${pgMs.length} queries, incl. round trip) | ${f3(median(pgMs))} | ${f3(pct(pgMs, 0.95))} | ${(median(pgMs) / m).toFixed(0)}x slower |`);
else console.log(pgNote);
