// Regions over HTTP and the CLI import, against a real server and a real database file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SHARED, startTestServer, tempDir } from '../helpers.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');
const OREF = join(SHARED, 'israel-oref-areas', 'oref_alert_areas.geojson');
const UKRAINE = join(SHARED, 'ukraine-oblasts', 'ua_oblasts_simplified.geojson');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });

test('refuge import regions loads the Israeli areas and Ukrainian oblasts; the server answers point lookups', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'refuge.db');
  const il = run(['import', 'regions', OREF, '--db', db]);
  assert.equal(il.status, 0, il.stderr);
  assert.match(il.stdout, /imported 1449 regions .* \(1449 new, 0 updated, 0 removed, 2 skipped\); fields: name=name_he code=segment warning-time=migun_time_s parent=\(none\); names in other languages: he \(1449 regions\)\n$/);
  assert.match(il.stderr, /skipped .*feature \d+ \(ברחבי הארץ\): geometry is null/);
  assert.match(il.stderr, /skipped .*feature \d+ \(כל הארץ\): geometry is null/);
  const ua = run(['import', 'regions', UKRAINE, '--db', db, '--json']);
  assert.equal(ua.status, 0, ua.stderr);
  assert.deepEqual(
    (({ imported, inserted, fields, withOtherNames }) => ({ imported, inserted, fields, withOtherNames }))(JSON.parse(ua.stdout)),
    { imported: 27, inserted: 27, fields: { name: 'name_en', code: 'iso3166_2', warningTime: null, parent: null }, withOtherNames: 27 },
  );
  // Re-import: same source updates in place.
  const again = run(['import', 'regions', UKRAINE, '--db', db, '--json']);
  assert.equal(JSON.parse(again.stdout).updated, 27);

  const server = await startTestServer(t, { dbPath: db });
  const tlv = await server.request('GET', '/api/regions/at?lat=32.0799&lon=34.7816');
  assert.equal(tlv.status, 200);
  // The source's name_he is the name's language (issue 14: names in other languages are kept as `names`).
  assert.deepEqual(tlv.body.regions, [{ code: '5000742', name: 'תל אביב - מרכז העיר', warningTimeS: 90, parentCode: null, names: { he: 'תל אביב - מרכז העיר' } }]);
  const kyiv = await server.request('GET', '/api/regions/at?lat=50.4501&lon=30.5234');
  assert.deepEqual(kyiv.body.regions.map((r: { name: string }) => r.name), ['Kyiv']);
  assert.deepEqual(kyiv.body.regions[0].names, { en: 'Kyiv', uk: 'Київ' });
  const sea = await server.request('GET', '/api/regions/at?lat=32.1&lon=34.5');
  assert.deepEqual(sea.body.regions, []);
  const bad = await server.request('GET', '/api/regions/at?lat=95&lon=34');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'querystring.lat');
  const missing = await server.request('GET', '/api/regions/at?lat=32');
  assert.equal(missing.status, 400);
  const list = await server.request('GET', '/api/regions');
  assert.equal(list.body.count, 1449 + 27);
  assert.ok(list.body.regions.some((r: { name: string; warningTimeS: number }) => r.name === 'באר שבע - צפון' && r.warningTimeS === 60));
  const geo = await server.request('GET', '/api/regions?format=geojson');
  assert.equal(geo.body.features.length, 1476);
  assert.equal(geo.body.features[0].geometry.type, 'MultiPolygon');
});

test('bad region files are rejected whole with the feature and field named', (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'refuge.db');
  const file = join(dir, 'bad.geojson');
  const square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]];
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [
    { type: 'Feature', properties: { name: 'A', code: 'a', warning_time_s: 30 }, geometry: { type: 'Polygon', coordinates: square } },
    { type: 'Feature', properties: { name: 'B', code: 'b', warning_time_s: 'soon' }, geometry: { type: 'Polygon', coordinates: square } },
  ] }));
  const r = run(['import', 'regions', file, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.geojson: feature 1 \(B\): field "warning_time_s" \(warning time\) must be a number of seconds >= 0, got "soon"; nothing was imported/);
  const list = run(['import', 'regions', join(dir, 'none.geojson'), '--db', db]);
  assert.match(list.stderr, /cannot read .*none\.geojson: ENOENT/);
  const opt = run(['import', 'regions', UKRAINE, '--db', db, '--name-field', 'nope']);
  assert.match(opt.stderr, /feature 0: field "nope" \(name\) is missing or empty/);
});

test('an admin can import regions over HTTP and the index changes at once; others cannot', async (t) => {
  const server = await startTestServer(t);
  const body = readFileSync(UKRAINE);
  const before = await server.request('GET', '/api/regions/at?lat=50.4501&lon=30.5234');
  assert.deepEqual(before.body.regions, []);
  const denied = await server.request('POST', '/api/regions/import?source=ua', { token: server.tokens.operator, raw: body, headers: { 'content-type': 'application/geo+json' } });
  assert.equal(denied.status, 403);
  const res = await server.request('POST', '/api/regions/import?source=ua&nameField=name_uk&codeField=alerts_in_ua_uid', { token: server.tokens.admin, raw: body, headers: { 'content-type': 'application/geo+json' } });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.inserted, 27);
  const after = await server.request('GET', '/api/regions/at?lat=50.4501&lon=30.5234');
  assert.deepEqual(after.body.regions.map((r: { code: string; name: string }) => [r.code, r.name]), [['31', 'Київ']]);
  const broken = await server.request('POST', '/api/regions/import?source=x', { token: server.tokens.admin, raw: '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[0,0]}}]}', headers: { 'content-type': 'application/geo+json' } });
  assert.equal(broken.status, 400);
  assert.match(broken.body.detail, /feature 0 \(A\): geometry type "Point"/);
  // A code already owned by another source is a conflict, and nothing changes.
  const clash = await server.request('POST', '/api/regions/import?source=other&nameField=name_uk&codeField=alerts_in_ua_uid', { token: server.tokens.admin, raw: body, headers: { 'content-type': 'application/geo+json' } });
  assert.equal(clash.status, 409);
  assert.equal((await server.request('GET', '/api/regions')).body.count, 27);
});

test('regions of two sources that together make a parent cycle are refused over HTTP and by the CLI, and nothing changes', async (t) => {
  const server = await startTestServer(t);
  const square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]];
  const fc = (code: string, parent: string) => JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: code, code, parent }, geometry: { type: 'Polygon', coordinates: square } }] });
  const first = await server.request('POST', '/api/regions/import?source=one', { token: server.tokens.admin, raw: fc('P', 'C'), headers: { 'content-type': 'application/geo+json' } });
  assert.equal(first.status, 201, first.text);
  const loop = await server.request('POST', '/api/regions/import?source=two', { token: server.tokens.admin, raw: fc('C', 'P'), headers: { 'content-type': 'application/geo+json' } });
  assert.equal(loop.status, 409, loop.text);
  assert.match(loop.body.detail, /cycle: (P -> C -> P|C -> P -> C)/);
  assert.deepEqual((await server.request('GET', '/api/regions')).body.regions.map((r: { code: string }) => r.code), ['P']);

  const dir = tempDir(t);
  const db = join(dir, 'cycle.db');
  writeFileSync(join(dir, 'one.geojson'), fc('P', 'C'));
  writeFileSync(join(dir, 'two.geojson'), fc('C', 'P'));
  assert.equal(run(['import', 'regions', join(dir, 'one.geojson'), '--db', db]).status, 0);
  const cli = run(['import', 'regions', join(dir, 'two.geojson'), '--db', db]);
  assert.notEqual(cli.status, 0);
  assert.match(cli.stderr, /two\.geojson: with the regions already stored, parents make a cycle: (P -> C -> P|C -> P -> C); a region cannot contain itself; nothing was imported/);
});

test('refuge import regions warns of accounts whose jurisdiction names a region it removed; list-users marks the code; set-jurisdiction drops it', (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'refuge.db');
  const file = join(dir, 'oblasts.geojson');
  const square = (x: number) => [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]];
  const write = (codes: string[]) => writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: codes.map((code, i) => ({
    type: 'Feature', properties: { name: `Region ${code}`, code }, geometry: { type: 'Polygon', coordinates: square(i) },
  })) }));
  write(['UA-46', 'UA-32', 'UA-12']);
  assert.equal(run(['import', 'regions', file, '--db', db, '--code-field', 'code']).status, 0);
  const user = (name: string, codes: string) => spawnSync(process.execPath, [BIN, 'admin', 'create-user', '--db', db, '--name', name, '--role', 'operator', '--password-stdin', '--jurisdiction', codes],
    { encoding: 'utf8', cwd: ROOT, input: 'a-long-enough-password\n' });
  assert.equal(user('olga', 'UA-46,UA-32').status, 0);
  assert.equal(user('taras', 'UA-32').status, 0);

  write(['UA-46', 'UA-12']);
  const again = run(['import', 'regions', file, '--db', db, '--code-field', 'code']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /1 removed/);
  assert.match(again.stderr, /warning: account olga has UA-32 in its jurisdiction, no longer a region; it keeps 1 other region \(refuge admin set-jurisdiction --name olga/);
  assert.match(again.stderr, /warning: account taras has UA-32 in its jurisdiction, no longer a region; none of its regions is left, so it can draft no alert until an admin sets its jurisdiction/);
  const json = run(['import', 'regions', file, '--db', db, '--code-field', 'code', '--json']);
  assert.deepEqual(JSON.parse(json.stdout).accountsWithGoneCodes, [{ account: 'olga', gone: ['UA-32'], left: 1 }, { account: 'taras', gone: ['UA-32'], left: 0 }]);

  const list = run(['admin', 'list-users', '--db', db]);
  assert.match(list.stdout, /^olga\toperator\t.*\tUA-32\(gone\),UA-46$/m);
  const set = run(['admin', 'set-jurisdiction', '--db', db, '--name', 'olga', '--jurisdiction', 'UA-46,UA-32']);
  assert.equal(set.status, 0, set.stderr);
  assert.equal(set.stdout, 'dropped UA-32: no longer a region (removed by a region import)\nolga is responsible for UA-46\n');
  const last = run(['admin', 'set-jurisdiction', '--db', db, '--name', 'taras', '--jurisdiction', 'UA-32']);
  assert.notEqual(last.status, 0);
  assert.match(last.stderr, /UA-32 is no longer a region .*empty list lifts the limit/);
  assert.match(run(['admin', 'list-users', '--db', db]).stdout, /^taras\toperator\t.*\tUA-32\(gone\)$/m);
});
