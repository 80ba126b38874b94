// The CLI over a shared PostgreSQL database (--database-url): real processes (bin/refuge.js) writing to a fresh
// schema, and what they wrote read back both through the CLI and through the store. No SQLite file may appear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT, tempDir } from '../helpers.ts';
import { PG_URL } from '../store/contract/databases.ts';
import { openStore } from '../../src/store/open-store.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');

const SHELTERS_CSV = 'id,name,capacity,lat,lon\n' +
  'n1,Nyhavn Bunker,120,55.6797,12.5900\n' +
  'r1,Rådhuspladsen Shelter,300,55.6759,12.5690\n' +
  'f1,Frederiksberg Kælder,80,55.6786,12.5320\n';

const REGIONS = {
  type: 'FeatureCollection',
  features: [{
    type: 'Feature', properties: { name: 'Indre By', code: 'kbh-1', warning_time_s: 90 },
    geometry: { type: 'Polygon', coordinates: [[[12.55, 55.66], [12.60, 55.66], [12.60, 55.69], [12.55, 55.69], [12.55, 55.66]]] },
  }],
};

test('import, export, admin, regions and nearest work against --database-url', async (t) => {
  const schema = `refuge_cli_${process.pid}_${Date.now() % 1e6}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  t.after(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  // Run from an empty directory: a stray ./refuge.db or ./refuge-data would show there.
  const cwd = tempDir(t);
  const files = tempDir(t);
  const dataDir = join(files, 'data');
  const env = { ...process.env, REFUGE_PG_SCHEMA: schema, DATABASE_URL: '', REFUGE_DATA_DIR: '' };
  const run = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, cwd, env, timeout: 120_000 });
  const url = ['--database-url', PG_URL];

  const csv = join(files, 'kbh.csv');
  writeFileSync(csv, SHELTERS_CSV);
  const imp = run(['import', 'shelters', csv, ...url, '--source', 'kbh', '--json']);
  assert.equal(imp.status, 0, imp.stderr);
  assert.equal(JSON.parse(imp.stdout).imported, 3);
  assert.equal(JSON.parse(imp.stdout).totalCapacity, 500);

  const geo = run(['export', 'shelters', ...url]);
  assert.equal(geo.status, 0, geo.stderr);
  const features = JSON.parse(geo.stdout).features as Array<{ properties: Record<string, unknown> }>;
  assert.deepEqual(features.map((f) => f.properties.name).sort(), ['Frederiksberg Kælder', 'Nyhavn Bunker', 'Rådhuspladsen Shelter']);
  const out = join(files, 'export.csv');
  assert.equal(run(['export', 'shelters', ...url, '--format', 'csv', '--out', out]).status, 0);
  // The export imports back unchanged: same source, every record found and nothing updated.
  const again = run(['import', 'shelters', out, ...url, '--source', 'kbh', '--json']);
  assert.equal(again.status, 0, again.stderr);
  const s = JSON.parse(again.stdout);
  assert.deepEqual([s.updated, s.unchanged], [0, 3], again.stdout);

  const created = run(['admin', 'create-user', ...url, '--name', 'ops-lead', '--role', 'admin', '--password-stdin'], 'a-long-enough-password\n');
  assert.equal(created.status, 0, created.stderr);
  assert.equal(created.stdout, 'created admin ops-lead\n');
  const token = run(['admin', 'create-token', ...url, '--user', 'ops-lead', '--label', 'ci']);
  assert.equal(token.status, 0, token.stderr);
  const users = run(['admin', 'list-users', ...url]);
  assert.match(users.stdout, /^ops-lead\tadmin\t\S+\tactive/m);
  assert.match(run(['admin', 'list-tokens', ...url]).stdout, /\tops-lead\tci\t.*\tlive\n/);
  const dup = run(['admin', 'create-user', ...url, '--name', 'ops-lead', '--role', 'admin', '--password-stdin'], 'a-long-enough-password\n');
  assert.equal(dup.status, 1);
  assert.equal(dup.stderr.trim().split('\n').length, 1, dup.stderr);

  const regions = join(files, 'regions.geojson');
  writeFileSync(regions, JSON.stringify(REGIONS));
  const reg = run(['import', 'regions', regions, ...url, '--json']);
  assert.equal(reg.status, 0, reg.stderr);
  assert.equal(JSON.parse(reg.stdout).inserted, 1);

  // No walking network in the data directory: straight-line distances, nearest first.
  const near = run(['nearest', ...url, '--data-dir', dataDir, '--lat', '55.6761', '--lon', '12.5683', '--k', '2', '--json']);
  assert.equal(near.status, 0, near.stderr);
  const answer = JSON.parse(near.stdout);
  assert.equal(answer.mode, 'straight-line');
  assert.deepEqual(answer.results.map((r: { name: string }) => r.name), ['Rådhuspladsen Shelter', 'Nyhavn Bunker']);
  assert.match(answer.reason, /--database-url postgres:\/\//);

  // What the CLI wrote is in this schema, read through the store.
  const store = await openStore(PG_URL, { schema });
  try {
    assert.equal((await store.shelters.list()).length, 3);
    assert.deepEqual((await store.regions.all()).map((r) => [r.code, r.warningTimeS]), [['kbh-1', 90]]);
    assert.equal((await store.accounts.findUser('ops-lead'))?.role, 'admin');
  } finally {
    await store.close();
  }
  assert.deepEqual(readdirSync(cwd), [], 'nothing written to the working directory');

  const bad = run(['export', 'shelters', '--database-url', 'mysql://x']);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, 'refuge: --database-url must be a postgres:// URL\n');
});
