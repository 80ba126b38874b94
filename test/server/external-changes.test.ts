// A running server takes in what another process writes to its database: shelters imported and regions loaded
// with the CLI, a status set by another connection, a warden assigned elsewhere. Real server, real CLI process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliStore, startTestServer, tempDir, ROOT } from '../helpers.ts';
import { openStore } from '../../src/store/open-store.ts';
import { ShelterRegistry } from '../../src/registry/index.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('shelters imported and regions loaded by the CLI reach a running server without a restart', async (t) => {
  const dir = tempDir(t);
  const s = await startTestServer(t);
  assert.equal((await s.request('GET', '/api/shelters/snapshot')).body.features.length, 0);

  const csv = join(dir, 'new.csv');
  writeFileSync(csv, 'name,lat,lon,capacity\nNørreport station,55.6833,12.5716,400\nKongens Nytorv,55.6794,12.5856,300\n');
  const where = cliStore(s);
  const imp = spawnSync(process.execPath, [BIN, 'import', 'shelters', csv, ...where.args, '--source', 'cli-test'], { encoding: 'utf8', cwd: ROOT, env: where.env });
  assert.equal(imp.status, 0, imp.stderr);
  const snap = await until('the imported shelters in the snapshot', async () => {
    const r = await s.request('GET', '/api/shelters/snapshot');
    return r.body.features.length === 2 ? r.body : null;
  });
  assert.deepEqual(snap.features.map((f: { properties: { name: string } }) => f.properties.name).sort(), ['Kongens Nytorv', 'Nørreport station']);
  assert.deepEqual(s.ctx.registry.query({ bbox: [12.57, 55.68, 12.58, 55.69] }).items.map((x) => x.name), ['Nørreport station'], 'the spatial index has them too');

  const regions = join(dir, 'regions.geojson');
  writeFileSync(regions, JSON.stringify({ type: 'FeatureCollection', features: [
    { type: 'Feature', properties: { name: 'Indre By', code: 'T-IB', warning_time_s: 90 }, geometry: { type: 'Polygon', coordinates: [[[12.55, 55.66], [12.6, 55.66], [12.6, 55.7], [12.55, 55.7], [12.55, 55.66]]] } },
  ] }));
  const reg = spawnSync(process.execPath, [BIN, 'import', 'regions', regions, ...where.args, '--source', 'cli-test'], { encoding: 'utf8', cwd: ROOT, env: where.env });
  assert.equal(reg.status, 0, reg.stderr + reg.stdout);
  const at = await until('the region at a point', async () => {
    const r = await s.request('GET', '/api/regions/at?lat=55.68&lon=12.57');
    const list = (Array.isArray(r.body) ? r.body : r.body.regions) as Array<{ code: string }>;
    return list?.length ? list : null;
  });
  assert.equal(at[0].code, 'T-IB');
});

test('a status change and a warden assignment made through another connection are taken in; own writes are not reloaded', async (t) => {
  const s = await startTestServer(t);
  const mine = await s.ctx.registry.create({ name: 'Rådhuskælderen', lat: 55.6761, lon: 12.5683, capacity: 300 }, 'operator');

  // Another process: its own connection and its own registry over the same file.
  const other = await openStore(s.ctx.options.location, { schema: s.pgSchema });
  t.after(() => other.close());
  const otherRegistry = new ShelterRegistry(other.shelters);
  await otherRegistry.load();
  const changes: string[] = [];
  s.ctx.registry.on('change', (next) => changes.push(`${next.id}@${next.version}`));
  await otherRegistry.setStatus(mine.id, 'full', 'someone-else');
  const seen = await until('the status set by the other process', async () => s.ctx.registry.get(mine.id)?.status === 'full' && s.ctx.registry.get(mine.id));
  assert.equal(seen.statusSetBy, 'someone-else');
  assert.deepEqual(changes, [`${mine.id}@2`], 'one change event, for the shelter that changed');
  const api = await s.request('GET', `/api/shelters/${mine.id}`);
  assert.equal(api.body.properties.status, 'full');

  // A write of our own followed by another process's write: ours is not reported again as a change.
  await s.ctx.registry.setStatus(mine.id, 'open', 'operator');
  await otherRegistry.setWarden(mine.id, 'warden', true, 'someone-else');
  await until('the warden assignment', async () => s.ctx.registry.isWardenOf('warden', mine.id));
  assert.deepEqual(changes, [`${mine.id}@2`, `${mine.id}@3`], 'our own status change was an event once, not twice');
  const status = await s.request('POST', `/api/shelters/${mine.id}/status`, { token: s.tokens.warden, body: { status: 'full' } });
  assert.equal(status.status, 200, 'the warden assigned elsewhere may now set the status');
});
