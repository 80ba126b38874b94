// `npm start` runs `refuge serve --demo`: the demo data, attribution and one-time demo accounts must all be there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers.ts';

test('serve --demo loads Jerusalem and Copenhagen with attribution, the street network, demo regions and accounts', async (t) => {
  const db = join(tempDir(t), 'demo.db');
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'refuge.js'), 'serve', '--demo', '--db', db, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => { child.kill('SIGKILL'); });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => { out += d; const m = /serving .* on (http:\/\/\S+)/.exec(out); if (m) resolve(m[1]); });
    child.on('exit', (code) => reject(new Error(`serve --demo exited ${code}: ${out}`)));
  });
  const passwords = Object.fromEntries([...out.matchAll(/demo account: (\w+) \(\w+\) password (\S+)/g)].map((m) => [m[1], m[2]]));
  assert.deepEqual(Object.keys(passwords).sort(), ['admin', 'approver', 'operator', 'warden']);

  const health = await (await fetch(url + '/healthz')).json();
  assert.equal(health.shelters, 149 + 1852);
  const sources = await (await fetch(url + '/api/sources')).json();
  assert.deepEqual(sources.map((s: any) => s.name).sort(), ['copenhagen-bbr', 'jerusalem-municipality']);
  for (const s of sources) assert.ok(s.attribution && s.licence, `${s.name} carries its attribution`);

  const regions = await (await fetch(url + '/api/regions/at?lat=55.6761&lon=12.5683')).json();
  assert.ok(regions.regions.some((r: any) => r.code === 'demo-copenhagen' && r.warningTimeS === 90));
  const nearest = await (await fetch(url + '/api/nearest?lat=55.6761&lon=12.5683&k=2&within=300')).json();
  assert.equal(nearest.mode, 'network');
  assert.equal(nearest.results.length, 2);
  assert.equal(nearest.results[0].route.type, 'LineString');

  const login = await fetch(url + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'operator', password: passwords.operator }) });
  assert.equal(login.status, 200, 'the printed one-time password works');
  const page = await fetch(url + '/');
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<html/);

  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
