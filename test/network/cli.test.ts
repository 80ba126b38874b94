// `refuge import network` and `refuge nearest` as real processes (bin/refuge.js, which registers tsx itself, so the
// build worker is exercised outside `node --import tsx` too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { ShelterRegistry } from '../../src/registry/index.ts';
import { importShelters } from '../../src/registry/import/index.ts';
import { networkFileFor } from '../../src/network/index.ts';
import { ROOT, tempDir } from '../helpers.ts';
import { KBH_PBF } from './fixtures.ts';

const run = promisify(execFile);
const REFUGE = join(ROOT, 'bin/refuge.js');

async function refuge(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [REFUGE, ...args], { cwd: ROOT, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

test('import network, then nearest --json prints the fixed shape; a bad file keeps the previous network', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'refuge.db');
  const store = openSqliteStore(db);
  const registry = new ShelterRegistry(store.shelters);
  await registry.load();
  await importShelters(registry, readFileSync(join(ROOT, 'data/demo/copenhagen-shelters.geojson')), 'copenhagen-shelters.geojson', {
    source: 'copenhagen-bbr', attribution: 'BBR', licence: 'public', actor: 'test',
  });
  store.close();

  const noNet = await refuge(['nearest', '--db', db, '--lat', '55.6761', '--lon', '12.5683', '--json']);
  assert.equal(noNet.code, 0, noNet.stderr);
  assert.equal(JSON.parse(noNet.stdout).mode, 'straight-line');

  const imp = await refuge(['import', 'network', KBH_PBF, '--db', db, '--json']);
  assert.equal(imp.code, 0, imp.stderr);
  const summary = JSON.parse(imp.stdout);
  assert.equal(summary.rebuilt, true);
  assert.ok(summary.nodes > 5000 && summary.islands.components > 1);
  assert.ok(summary.shelters.onNetwork > 1000);

  const near = await refuge(['nearest', '--db', db, '--lat', '55.6761', '--lon', '12.5683', '--k', '3', '--within', '90', '--json']);
  assert.equal(near.code, 0, near.stderr);
  assert.equal(near.stdout.trim().split('\n').length, 1, 'one JSON object on one line');
  const answer = JSON.parse(near.stdout);
  assert.equal(answer.mode, 'network');
  assert.equal(answer.results.length, 3);
  for (const r of answer.results) {
    assert.deepEqual(Object.keys(r).slice(0, 6), ['id', 'name', 'walkSeconds', 'meters', 'reachableInTime', 'route']);
    assert.equal(r.reachableInTime, r.walkSeconds <= 90);
    assert.equal(r.route.type, 'LineString');
  }

  // Without --json: the summary says where the address search's streets and house numbers were written.
  const again = await refuge(['import', 'network', KBH_PBF, '--db', db]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /unchanged, kept/);
  const streets = /address search: (\d+) streets, (\d+) house numbers in \S+places\.json/.exec(again.stdout);
  assert.ok(streets && Number(streets[1]) > 1000 && Number(streets[2]) > 10_000, again.stdout);

  const before = readFileSync(networkFileFor(db));
  const bad = join(dir, 'broken.osm.pbf');
  writeFileSync(bad, readFileSync(KBH_PBF).subarray(0, 100_000));
  const failed = await refuge(['import', 'network', bad, '--db', db]);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /broken\.osm\.pbf: not a valid OSM PBF file .*truncated.*previous network/);
  assert.ok(readFileSync(networkFileFor(db)).equals(before));

  const badArgs = await refuge(['nearest', '--db', db, '--lat', '95', '--lon', '12']);
  assert.equal(badArgs.code, 1);
  assert.match(badArgs.stderr, /--lat must be a number from -90 to 90/);
});
