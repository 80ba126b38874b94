// CSV import and export of units and members, through the real command line and over HTTP: a bad file is refused
// whole with every problem (line, column, reason); the export imports back unchanged; the readiness report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { SqliteRegionRepository } from '../../src/store/sqlite/regions.ts';
import { Accounts } from '../../src/accounts/index.ts';
import { testRegions } from '../alerts-lifecycle/helpers.ts';
import { post, seedUnits, startUnitsServer } from './helpers.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });

async function prepareDb(dir: string): Promise<string> {
  const db = join(dir, 'units.db');
  const store = openSqliteStore(db);
  new SqliteRegionRepository(store.db).replaceSource('test', [...testRegions().list()]);
  await new Accounts(store.accounts).createUser('olena', 'warden', 'olena-password-long');
  store.close();
  return db;
}

const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
const GOOD = [
  'unit_name,unit_type,unit_region,base_lat,base_lon,base_address,required_roles,member_name,role,phone,email,user,skills,certificates,availability,available_from',
  `Bucha rescue,rescue,UA-30-1,50.2,30.2,Depot 1,leader;medic,Olena,leader,+380 44 111,,olena,rope;radio,First aid:${soon};Driving C,available,`,
  'Bucha rescue,rescue,UA-30-1,50.2,30.2,Depot 1,leader;medic,Petro,driver,,petro@example.org,,,First aid:2020-01-01,on-leave,2099-01-01',
  '"Brovary, first aid",first-aid,UA-30-2,,,,,,,,,,,,,',
].join('\n') + '\n';

test('refuge import units: a bad file is refused whole, every problem reported as line, column and reason', async (t) => {
  const dir = tempDir(t);
  const db = await prepareDb(dir);
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, [
    'unit_name,unit_type,unit_region,base_lat,base_lon,member_name,role,email,user,certificates,availability',
    'Bucha rescue,rescue,UA-30-1,50.2,30.2,Olena,leader,,olena,,',
    'Kyiv boats,submarine,UA-30,,,,,,,,',
    'Irpin,rescue,NOWHERE,,,,,,,,',
    'Hostomel,rescue,UA-30-1,north,30,,,,,,',
    'Bucha rescue,rescue,UA-30-1,50.2,30.2,Petro,,,,,',
    'Bucha rescue,rescue,UA-30-1,50.2,30.2,Ivan,medic,not-mail,,,',
    'Bucha rescue,rescue,UA-30-1,50.2,30.2,Oksana,medic,,ghost,,',
    'Bucha rescue,rescue,UA-30-1,50.2,30.2,Maks,medic,,,First aid:2027-13-01,',
    'Bucha rescue,rescue,UA-30-1,50.2,30.2,Yurii,medic,,,,sometimes',
  ].join('\n') + '\n');
  const r = run(['import', 'units', bad, '--db', db]);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.deepEqual(lines.slice(0, -1).map((l) => l.replace(/^.*?: (line \d+: [^:]+):.*$/, '$1')), [
    'line 3: unit_type', 'line 4: unit_region', 'line 5: base_lat', 'line 6: role', 'line 7: email', 'line 8: user', 'line 9: certificates', 'line 10: availability',
  ]);
  assert.match(lines[lines.length - 1], /8 problems in the file; nothing was imported/);
  assert.match(r.stderr, /line 3: unit_type: type must be one of rescue, first-aid/);
  const json = run(['import', 'units', bad, '--db', db, '--json']);
  assert.equal(JSON.parse(json.stdout).problems.length, 8);
  const exported = run(['export', 'units', '--db', db]);
  assert.equal(exported.stdout.trim().split('\n').length, 1, 'nothing was imported: only the header');
  const unknown = join(dir, 'unknown.csv');
  writeFileSync(unknown, 'unit_name,kind\nA,rescue\n');
  const u = run(['import', 'units', unknown, '--db', db]);
  assert.match(u.stderr, /line 1: unit_type: column is missing/);
  assert.match(u.stderr, /line 1: kind: unknown column/);
});

test('refuge import units then export: the export imports back unchanged; the report lists certificates and missing roles', async (t) => {
  const dir = tempDir(t);
  const db = await prepareDb(dir);
  const file = join(dir, 'units.csv');
  writeFileSync(file, GOOD);
  const r = run(['import', 'units', file, '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /imported 2 units and 2 members/);
  const out = join(dir, 'out.csv');
  assert.equal(run(['export', 'units', '--db', db, '--out', out]).status, 0);
  const first = readFileSync(out, 'utf8');
  assert.match(first, /"Brovary, first aid",first-aid,UA-30-2/);
  assert.match(first, /Olena,leader,\+380 44 111,,olena,"rope;radio","First aid:\d{4}-\d{2}-\d{2};Driving C",available,/);
  const again = run(['import', 'units', out, '--db', db, '--json']);
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(JSON.parse(again.stdout), { file: out, units: 2, members: 2, dryRun: false, unitsInserted: 0, unitsUpdated: 2, membersInserted: 0, membersUpdated: 2 });
  assert.equal(run(['export', 'units', '--db', db]).stdout, first, 'round trip unchanged');

  const report = JSON.parse(run(['units', 'report', '--db', db, '--days', '30', '--json']).stdout);
  assert.deepEqual(report.certificates.map((c: { memberName: string; expired: boolean }) => [c.memberName, c.expired]), [['Petro', true], ['Olena', false]]);
  assert.deepEqual(report.missingRoles.map((m: { unitName: string; missing: string[] }) => [m.unitName, m.missing]), [['Brovary, first aid', ['leader']], ['Bucha rescue', ['medic']]]);
  assert.equal(JSON.parse(run(['units', 'report', '--db', db, '--days', '5', '--json']).stdout).certificates.length, 1, 'only the expired one within 5 days');
});

test('import and export over HTTP: operators only, refused whole with the problems, reports for staff', async (t) => {
  const server = await startUnitsServer(t);
  await seedUnits(server);
  const csv = (await server.request('GET', '/api/units/export', { token: server.tokens.approver })).text;
  assert.match(csv, /^unit_id,unit_name,unit_type/);
  assert.equal((await server.request('POST', '/api/units/import', { token: server.tokens.warden, raw: csv, headers: { 'content-type': 'text/csv' } })).status, 403);
  const same = await server.request('POST', '/api/units/import', { token: server.tokens.operator, raw: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(same.status, 200, same.text);
  assert.deepEqual([same.body.unitsInserted, same.body.unitsUpdated, same.body.membersUpdated], [0, 3, 5]);
  const bad = await server.request('POST', '/api/units/import', { token: server.tokens.operator, raw: 'unit_name,unit_type\nNew,rescue\nOther,boats\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.problems, [{ line: 3, column: 'unit_type', reason: 'type must be one of rescue, first-aid, evacuation, shelter-service, firefighting, decontamination, communications, other' }]);
  assert.equal((await server.request('GET', '/api/units', { token: server.tokens.operator })).body.units.length, 3, 'the good row was not imported either');
  await post(server, '/api/units', { name: 'No leader', type: 'communications' });
  const missing = await server.request('GET', '/api/units/reports/missing-roles', { token: server.tokens.approver });
  assert.deepEqual(missing.body.units.map((u: { unitName: string; missing: string[] }) => [u.unitName, u.missing]), [['No leader', ['leader']]]);
});
