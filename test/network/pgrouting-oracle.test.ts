// Oracle: our walking distance to the nearest shelter equals pgRouting's on the same graph, within 1 metre,
// for 1,000 random origins on each shared extract.
//
// Both engines see the same graph: our edges are loaded into PostgreSQL by our own loader, each edge that carries
// usable shelters split at their doors' snapped positions (new vertices), and every door joined to one virtual
// super-source vertex by an edge costing the walk from the street to the door. Origins are snapped by us and handed
// to pgRouting as points on (sub-)edges, whose partial costs pgr_withPointsCost computes itself; one Dijkstra from
// the super-source then gives every origin its nearest usable shelter. Nothing of the answer is computed by the test.
//
// Shelters: Copenhagen uses the real registry (shared/data/copenhagen-shelters, shipped as data/demo/copenhagen-shelters.geojson); Monaco and Helsinki have no public
// registry here, so they get deterministic pseudo-shelters at seeded random positions near the walkable network.
// A seeded 7% of all shelters are closed or locked, so excluding unusable shelters is checked too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { buildNetworkFromPbf, ShelterRouter, type Graph } from '../../src/network/index.ts';
import type { Shelter } from '../../src/registry/shelter.ts';
import { copenhagenShelters, HELSINKI_PBF, KBH_PBF, MONACO_PBF, seeded, shelter } from './fixtures.ts';

const ORIGINS = 1000;
const PG_URL = process.env.REFUGE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

let client: pg.Client | null = null;
let skipReason = '';

before(async () => {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
  } catch (err) {
    skipReason = `PostgreSQL not reachable at ${PG_URL} (${(err as Error).message})`;
    return;
  }
  try {
    await c.query('CREATE EXTENSION IF NOT EXISTS postgis');
    await c.query('CREATE EXTENSION IF NOT EXISTS pgrouting');
  } catch (err) {
    skipReason = `pgRouting extension not available in ${PG_URL} (${(err as Error).message})`;
    await c.end();
    return;
  }
  client = c;
});

after(async () => {
  await client?.end();
});

function withStatuses(list: Shelter[], seed: number): Shelter[] {
  const rnd = seeded(seed);
  return list.map((s) => {
    const x = rnd();
    return x < 0.04 ? { ...s, status: 'closed' as const } : x < 0.07 ? { ...s, status: 'locked' as const } : s;
  });
}

/** Pseudo-shelters: seeded random points up to ~25 m off random edges of the network. */
function pseudoShelters(g: Graph, count: number, seed: number): Shelter[] {
  const rnd = seeded(seed);
  const out: Shelter[] = [];
  while (out.length < count) {
    const e = Math.floor(rnd() * g.edgeCount);
    const p = g.geomOffset[e] + Math.floor(rnd() * (g.geomOffset[e + 1] - g.geomOffset[e] - 1));
    const t = rnd();
    const lat = (g.geomLat[p] + t * (g.geomLat[p + 1] - g.geomLat[p])) / 1e7 + (rnd() - 0.5) * 0.00045;
    const lon = (g.geomLon[p] + t * (g.geomLon[p + 1] - g.geomLon[p])) / 1e7 + (rnd() - 0.5) * 0.0007;
    out.push(shelter(`pseudo-${out.length}`, lat, lon, { capacity: 50 + Math.floor(rnd() * 500) }));
  }
  return out;
}

interface Origin {
  lat: number;
  lon: number;
  edge: number;
  along: number;
  accessSeconds: number;
}

/** Seeded random points in the network's bounding box that snap to the network. */
function origins(router: ShelterRouter, seed: number): Origin[] {
  const rnd = seeded(seed);
  const [minLon, minLat, maxLon, maxLat] = router.graph.meta.bbox;
  const out: Origin[] = [];
  for (let tries = 0; out.length < ORIGINS && tries < ORIGINS * 20; tries++) {
    const lat = minLat + rnd() * (maxLat - minLat);
    const lon = minLon + rnd() * (maxLon - minLon);
    const snap = router.snapOrigin({ lat, lon });
    if (snap) out.push({ lat, lon, edge: snap.edge, along: snap.along, accessSeconds: snap.distance / router.profile.speed });
  }
  return out;
}

/** pgRouting's nearest-shelter seconds for every origin (index-aligned; NaN when pgRouting finds no path). */
async function pgrNearest(c: pg.Client, router: ShelterRouter, os: Origin[]): Promise<number[]> {
  const g = router.graph;
  await c.query('DROP TABLE IF EXISTS pg_temp.oracle_edges; DROP TABLE IF EXISTS pg_temp.oracle_points');
  await c.query('CREATE TEMP TABLE oracle_edges (id bigint, source bigint, target bigint, cost float8, reverse_cost float8)');
  await c.query('CREATE TEMP TABLE oracle_points (pid bigint, edge_id bigint, fraction float8, side char)');
  const superSource = g.nodeCount + 1;
  let nextVertex = g.nodeCount + 2;
  // Doors of usable shelters per edge, sorted along the edge.
  const doors = new Map<number, Array<{ along: number; access: number }>>();
  for (const en of router.entries) {
    if (!en.usable || !en.snap) continue;
    const list = doors.get(en.snap.edge) ?? [];
    list.push({ along: en.snap.along, access: en.snap.distance / router.profile.speed });
    doors.set(en.snap.edge, list);
  }
  const ids: number[] = [], src: number[] = [], dst: number[] = [], cost: number[] = [], rev: number[] = [];
  const add = (a: number, b: number, c1: number, c2: number): number => {
    ids.push(ids.length + 1);
    src.push(a);
    dst.push(b);
    cost.push(c1);
    rev.push(c2);
    return ids.length;
  };
  // Per original edge: breakpoints (metres along it), the vertex at each, and the id of each piece between them.
  const pieces: Array<{ at: number[]; vertex: number[]; id: number[] }> = [];
  for (let e = 0; e < g.edgeCount; e++) {
    const len = g.edgeMeters[e];
    const list = (doors.get(e) ?? []).sort((x, y) => x.along - y.along);
    const at = [0, ...list.map((d) => d.along), len];
    const vertex = [g.edgeFrom[e] + 1, ...list.map(() => nextVertex++), g.edgeTo[e] + 1];
    list.forEach((d, j) => add(superSource, vertex[j + 1], d.access, -1));
    const id: number[] = [];
    for (let j = 0; j + 1 < at.length; j++) {
      const secs = len > 0 ? (router.edgeSeconds[e] * (at[j + 1] - at[j])) / len : 0;
      id.push(add(vertex[j], vertex[j + 1], secs, secs));
    }
    pieces.push({ at, vertex, id });
  }
  await c.query('INSERT INTO oracle_edges SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::float8[], $5::float8[])', [ids, src, dst, cost, rev]);
  // Each origin becomes a point on the piece of its edge it lies on. pgRouting treats a point at fraction 0 or 1 as
  // the vertex itself and reports it under the vertex id, so such origins are asked for as that vertex.
  const target: number[] = [];
  const points: Array<[number, number, number]> = [];
  os.forEach((o, i) => {
    const p = pieces[o.edge];
    let j = 0;
    while (j + 2 < p.at.length && o.along > p.at[j + 1]) j++;
    const span = p.at[j + 1] - p.at[j];
    const f = span > 0 ? (o.along - p.at[j]) / span : 0;
    if (f <= 0) target.push(p.vertex[j]);
    else if (f >= 1) target.push(p.vertex[j + 1]);
    else {
      target.push(-(i + 1));
      points.push([i + 1, p.id[j], f]);
    }
  });
  await c.query(
    "INSERT INTO oracle_points SELECT i, e, f, 'b' FROM unnest($1::bigint[], $2::bigint[], $3::float8[]) AS t(i, e, f)",
    [points.map((x) => x[0]), points.map((x) => x[1]), points.map((x) => x[2])],
  );
  const res = await c.query<{ end_pid: string; agg_cost: number }>(
    `SELECT end_pid, agg_cost FROM pgr_withPointsCost(
       'SELECT id, source, target, cost, reverse_cost FROM oracle_edges',
       'SELECT pid, edge_id, fraction, side FROM oracle_points',
       $1::bigint, $2::bigint[], directed => true, driving_side => 'b')`,
    [superSource, [...new Set(target)]],
  );
  const byTarget = new Map<number, number>();
  for (const row of res.rows) byTarget.set(Number(row.end_pid), row.agg_cost);
  const out = target.map((t) => byTarget.get(t) ?? NaN);
  return out;
}

async function compare(t: { skip: (m: string) => void }, name: string, router: ShelterRouter, seed: number): Promise<void> {
  if (!client) return t.skip(skipReason);
  const os = origins(router, seed);
  assert.equal(os.length, ORIGINS, `${name}: could not place ${ORIGINS} origins on the network`);
  const theirs = await pgrNearest(client, router, os);
  const bad: string[] = [];
  os.forEach((o, i) => {
    const ours = router.nearest({ lat: o.lat, lon: o.lon }, { k: 1 });
    assert.equal(ours.mode, 'network');
    const expected = theirs[i] + o.accessSeconds;
    const diffMeters = Math.abs(ours.results[0].walkSeconds - expected) * router.profile.speed;
    if (!(diffMeters <= 1)) bad.push(`origin ${i} (${o.lat.toFixed(6)}, ${o.lon.toFixed(6)}): ours ${ours.results[0].walkSeconds}s, pgRouting ${expected}s`);
  });
  assert.deepEqual(bad.slice(0, 10), [], `${name}: ${bad.length} of ${os.length} origins differ by more than 1 m`);
  console.log(`# ${name}: ${os.length} origins agree with pgRouting within 1 m`);
}

const EXTRACTS: Array<{ name: string; file: string; shelters: (g: Graph) => Shelter[]; seed: number }> = [
  { name: 'Copenhagen (real shelters)', file: KBH_PBF, shelters: () => withStatuses(copenhagenShelters(), 11), seed: 1 },
  { name: 'Monaco (pseudo-shelters)', file: MONACO_PBF, shelters: (g) => withStatuses(pseudoShelters(g, 40, 21), 12), seed: 2 },
  { name: 'Helsinki (pseudo-shelters)', file: HELSINKI_PBF, shelters: (g) => withStatuses(pseudoShelters(g, 30, 31), 13), seed: 3 },
];

describe('nearest shelter by walking: agreement with pgRouting', () => {
  for (const ex of EXTRACTS) {
    it(`${ex.name}: walking time (1.3 m/s, steps at half speed) equals pgRouting within 1 m`, async (t) => {
      if (!client) return t.skip(skipReason);
      if (!existsSync(ex.file)) return t.skip(`${ex.file} is not present (the shared OSM extracts live beside the repository)`);
      const g = await buildNetworkFromPbf(ex.file);
      await compare(t, ex.name, new ShelterRouter(g, ex.shelters(g)), ex.seed);
    });
    it(`${ex.name}: walking distance in metres equals pgRouting within 1 m`, async (t) => {
      if (!client) return t.skip(skipReason);
      if (!existsSync(ex.file)) return t.skip(`${ex.file} is not present (the shared OSM extracts live beside the repository)`);
      const g = await buildNetworkFromPbf(ex.file);
      // Speed 1 m/s and no steps penalty: seconds are metres, so this compares plain walking distance.
      await compare(t, ex.name, new ShelterRouter(g, ex.shelters(g), { profile: { speed: 1, stepsFactor: 1 } }), ex.seed + 100);
    });
  }
});
