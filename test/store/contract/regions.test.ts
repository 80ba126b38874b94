// The RegionRepository contract on SQLite and PostgreSQL, and what only PostgreSQL adds: PostGIS columns for regions
// and shelter locations, kept in step with the stored data by the database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { regionRepositoryContract, region } from './regions.contract.ts';
import { freshPostgres, freshSqlite } from './databases.ts';
import { SqliteRegionRepository } from '../../../src/store/sqlite/regions.ts';
import { PostgresRegionRepository } from '../../../src/store/postgres/regions.ts';
import { NO_AMENITIES, type Shelter } from '../../../src/registry/index.ts';

regionRepositoryContract('sqlite', async (t) => new SqliteRegionRepository((await freshSqlite(t)).db));
regionRepositoryContract('postgres', async (t) => new PostgresRegionRepository((await freshPostgres(t)).pool));

test('postgres: regions carry a PostGIS MultiPolygon, GiST-indexed, that follows re-imports', async (t) => {
  const store = await freshPostgres(t);
  const repo = new PostgresRegionRepository(store.pool);
  await repo.replaceSource('src', [region('a', {}, 10, 50, 1), region('b', {}, 20, 50, 1)]);
  const at = async (lon: number, lat: number) => (await store.pool.query(
    'SELECT code FROM regions WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY code', [lon, lat])).rows.map((r) => r.code);
  assert.deepEqual(await at(10.5, 50.5), ['a']);
  assert.deepEqual(await at(15, 50.5), []);
  await repo.replaceSource('src', [region('a', {}, 14, 50, 2), region('b', {}, 20, 50, 1)]);
  assert.deepEqual(await at(10.5, 50.5), [], 'the old outline is gone');
  assert.deepEqual(await at(15, 50.5), ['a']);
  const g = (await store.pool.query("SELECT ST_GeometryType(geom) AS t, ST_SRID(geom) AS srid FROM regions WHERE code = 'a'")).rows[0];
  assert.deepEqual(g, { t: 'ST_MultiPolygon', srid: 4326 });
  const idx = (await store.pool.query("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'regions'")).rows.map((r) => r.indexdef);
  assert.ok(idx.some((d: string) => /USING gist \(geom\)/.test(d)), idx.join('\n'));
});

test('postgres: shelters carry a PostGIS point generated from lat/lon, GiST-indexed', async (t) => {
  const store = await freshPostgres(t);
  const at = '2026-01-01T00:00:00.000Z';
  const s: Shelter = {
    id: 's1', name: 'S', address: null, lat: 55.6761, lon: 12.5683, capacity: 10, kind: 'basement', protectionClass: 'A', stepFree: null,
    amenities: { ...NO_AMENITIES }, operator: null, contact: null, access: 'always-open', keyHolderPhone: null, status: 'open', statusSetAt: null, statusSetBy: null,
    occupancy: null, occupancyAt: null, occupancyBy: null, lastVerifiedAt: null, lastVerifiedBy: null, source: null, sourceId: null,
    createdAt: at, updatedAt: at, version: 1, decommissionedAt: null,
  };
  await store.shelters.create(s, null);
  const point = async () => (await store.pool.query("SELECT ST_X(geom) AS x, ST_Y(geom) AS y, ST_SRID(geom) AS srid FROM shelters WHERE id = 's1'")).rows[0];
  assert.deepEqual(await point(), { x: 12.5683, y: 55.6761, srid: 4326 });
  assert.equal(await store.shelters.update({ ...s, lat: -33.5, lon: 151.25, version: 2 }, 1, 'update', {}, null), true);
  assert.deepEqual(await point(), { x: 151.25, y: -33.5, srid: 4326 }, 'moves with the shelter');
  assert.deepEqual(await store.shelters.get('s1'), { ...s, lat: -33.5, lon: 151.25, version: 2 }, 'the repository does not leak the column');
  const near = await store.pool.query('SELECT id FROM shelters WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(151.25, -33.501), 4326)::geography, 200)');
  assert.deepEqual(near.rows.map((r) => r.id), ['s1']);
  const idx = (await store.pool.query("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'shelters'")).rows.map((r) => r.indexdef);
  assert.ok(idx.some((d: string) => /USING gist \(geom\)/.test(d)), idx.join('\n'));
});
