// The ChangeFeed contract on SQLite (a second connection to the same file) and PostgreSQL (a second store on the same
// schema), and what only PostgreSQL needs: a dropped LISTEN connection comes back by itself, and installations in
// other schemas of the same database stay apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeFeedContract, Recorder, shelter, QUIET_MS } from './change-feed.contract.ts';
import { freshPostgres, freshSqlite, PG_URL } from './databases.ts';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import { SqliteChangeFeed } from '../../../src/store/sqlite/change-feed.ts';
import { SqliteRegionRepository } from '../../../src/store/sqlite/regions.ts';
import { openPostgresStore, type PostgresStore } from '../../../src/store/postgres/index.ts';
import { PostgresChangeFeed } from '../../../src/store/postgres/change-feed.ts';
import { PostgresRegionRepository } from '../../../src/store/postgres/regions.ts';
import { setTimeout as sleep } from 'node:timers/promises';

changeFeedContract('sqlite', async (t, options = {}) => {
  const store = await freshSqlite(t);
  const other = openSqliteStore(store.path);
  t.after(() => other.close());
  // The default poll period: the contract's 2 seconds hold for the configuration a server runs with.
  return { feed: new SqliteChangeFeed(store.db, options), other: { shelters: other.shelters, regions: new SqliteRegionRepository(other.db) } };
});

async function secondStore(t: any, store: PostgresStore): Promise<PostgresStore> {
  const schema = (await store.pool.query('SELECT current_schema() AS s')).rows[0].s as string;
  const other = await openPostgresStore(PG_URL, schema);
  t.after(() => other.close());
  return other;
}

changeFeedContract('postgres', async (t, options = {}) => {
  const store = await freshPostgres(t);
  const other = await secondStore(t, store);
  return { feed: new PostgresChangeFeed(store.pool, options), other: { shelters: other.shelters, regions: new PostgresRegionRepository(other.pool) } };
});

test('postgres: after its connection is killed the feed reconnects, reports everything, and later changes still arrive', async (t) => {
  const store = await freshPostgres(t);
  const other = await secondStore(t, store);
  const rec = new Recorder();
  const unsubscribe = await new PostgresChangeFeed(store.pool).subscribe(rec.onChange);
  t.after(unsubscribe);
  const schema = (await store.pool.query('SELECT current_schema() AS s')).rows[0].s as string;
  const killed = await store.pool.query(
    "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'refuge-change-feed' AND query = $1", [`LISTEN "refuge_changes_${schema}"`]);
  assert.deepEqual(killed.rows, [{ ok: true }], 'exactly the one listening connection');
  // Notices may have been lost while it was away: everything counts as changed.
  await rec.until('a full reload after reconnecting', () => rec.seen.some((c) => c.shelters === 'many' && c.wardens && c.regions), 5000);
  rec.clear();
  await other.shelters.create(shelter('after'), null);
  await rec.until('a change made after the reconnect', () => rec.shelterIds().has('after'));
  await unsubscribe();
  const left = await store.pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'refuge-change-feed' AND query = $1", [`LISTEN "refuge_changes_${schema}"`]);
  assert.equal(left.rows[0].n, 0, 'unsubscribe closed the connection');
});

test('postgres: installations in two schemas of one database do not see each other\'s changes', async (t) => {
  const mine = await freshPostgres(t);
  const theirs = await freshPostgres(t);
  const rec = new Recorder();
  const unsubscribe = await new PostgresChangeFeed(mine.pool).subscribe(rec.onChange);
  t.after(unsubscribe);
  await theirs.shelters.create(shelter('theirs'), null);
  await theirs.shelters.setWarden('theirs', 'w', true, null);
  await new PostgresRegionRepository(theirs.pool).replaceSource('src', [{ code: 'x', name: 'X', warningTimeS: null, parentCode: null, geometry: { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] } }]);
  await sleep(QUIET_MS);
  assert.deepEqual(rec.seen, []);
  await mine.shelters.create(shelter('mine'), null);
  await rec.until('a change in its own schema', () => rec.shelterIds().has('mine'));
});
