// `refuge import cap`: every schema-valid shared sample imports (expired ones kept, not delivered), the invalid and
// XXE samples are refused with a clear message, a live Actual message from a trusted authority with a valid signature
// imported while a server runs on the same database is delivered by that server from the outbox, and the CLI obeys
// the rules of the HTTP import (an untrusted Actual message waits for an approver; our limits; our sender refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { capToXml, generateSigningKeyPair, signCap, type CapAlert } from '../../src/alerts/index.ts';
import { alertServices } from '../../src/server/capabilities/alerts-lifecycle.ts';
import { ROOT, SHARED, cliStore, tempDir } from '../helpers.ts';
import { SseClient, startAlertServer } from './http-helpers.ts';

const run = promisify(execFile);
const refuge = (args: string[], env: NodeJS.ProcessEnv = process.env) => run(process.execPath, [join(ROOT, 'bin', 'refuge.js'), ...args], { env }).then(
  (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
  (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
);

test('refuge import cap: shared samples import or are refused with the reason', async (t) => {
  const db = join(tempDir(t), 'refuge.db');
  const dir = join(SHARED, 'cap', 'samples');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.cap'))) {
    const r = await refuge(['import', 'cap', join(dir, f), '--db', db, '--json']);
    if (f === 'xee.cap') {
      assert.equal(r.code, 1, f);
      assert.match(r.stderr, /DOCTYPE/);
    } else if (f === 'invalid.cap') {
      assert.equal(r.code, 1, f);
      assert.match(r.stderr, /element info/);
    } else {
      assert.equal(r.code, 0, `${f}: ${r.stderr}`);
      const out = JSON.parse(r.stdout);
      assert.equal(out.delivered, false, `${f} is old: kept for the record only`);
    }
  }
});

test('refuge import cap into the database of a running server: a trusted authority\'s signed message is delivered live from the outbox; an untrusted one waits', async (t) => {
  const server = await startAlertServer(t);
  const client = await SseClient.open(`${server.url}/api/alerts/stream?regions=UA-30-2`);
  t.after(() => client.close());
  await client.until((c) => c.text.includes(': connected'));
  const now = Date.now();
  const cap: CapAlert = {
    identifier: `ext-${now}`, sender: 'ops@oblast-authority.example', sent: new Date(now).toISOString(), status: 'Actual', msgType: 'Alert',
    scope: 'Public', note: null, references: [],
    info: [{
      language: 'uk', category: ['Security'], event: 'Air raid', eventType: 'air-raid', stage: 'alert', urgency: 'Immediate', severity: 'Extreme',
      certainty: 'Observed', headline: 'Повітряна тривога', description: null, instruction: 'Пройдіть в укриття', onset: null,
      expires: new Date(now + 20 * 60_000).toISOString(), senderName: null, web: null,
      areas: [{ areaDesc: 'Brovary raion', regionCodes: ['UA-30-2'], polygons: [] }],
    }],
  };
  const dir = tempDir(t);
  const where = cliStore(server); // its SQLite file, or its PostgreSQL schema
  const onServer = (args: string[]) => refuge([...args, ...where.args], where.env);
  // Untrusted: kept as a pending import, nothing delivered until an approver approves it.
  const untrusted = join(dir, 'untrusted.cap');
  writeFileSync(untrusted, capToXml({ ...cap, identifier: `${cap.identifier}-u` }));
  const u = await onServer(['import', 'cap', untrusted, '--json']);
  assert.equal(u.code, 0, u.stderr);
  assert.deepEqual([JSON.parse(u.stdout).delivered, JSON.parse(u.stdout).pendingApproval], [false, true]);
  // Our limits and our sender hold here too.
  const far = join(dir, 'far.cap');
  writeFileSync(far, capToXml({ ...cap, identifier: `${cap.identifier}-far`, info: [{ ...cap.info[0], expires: '2099-01-01T00:00:00-00:00' }] }));
  const farR = await onServer(['import', 'cap', far]);
  assert.equal(farR.code, 1);
  assert.match(farR.stderr, /<expires> .* more than 48 hours ahead.*\(element expires\)/);
  const ours = join(dir, 'ours.cap');
  writeFileSync(ours, capToXml({ ...cap, identifier: `${cap.identifier}-ours`, sender: 'alerts@refuge.local' }));
  const oursR = await onServer(['import', 'cap', ours]);
  assert.equal(oursR.code, 1);
  assert.match(oursR.stderr, /own sender/);

  // Trusted: the authority and its key are configured on the host; its signed message goes live.
  const key = generateSigningKeyPair();
  const keyFile = join(dir, 'oblast.pub.pem');
  writeFileSync(keyFile, key.publicKeyPem);
  const add = await onServer(['alerts', 'trust', 'add', '--sender', cap.sender, '--name', 'Oblast authority', '--key', keyFile]);
  assert.equal(add.code, 0, add.stderr);
  const file = join(dir, 'external.cap');
  writeFileSync(file, signCap(capToXml(cap), key).signedXml);
  const r = await onServer(['import', 'cap', file, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.delivered, true);
  assert.equal(out.trustedAuthority, 'Oblast authority');
  await alertServices(server.ctx).worker.kick(); // the worker also polls every second
  await client.until((c) => c.events().length >= 1);
  const ev = JSON.parse(client.events()[0].data);
  assert.equal(ev.id, out.id);
  assert.equal(ev.headline, 'Повітряна тривога');
  assert.equal(ev.verified, true, 'its signature verified against the key configured for its sender');
  assert.deepEqual([ev.senderName, ev.foreign, ev.trust], ['Oblast authority', true, 'signed']);
  assert.equal(client.events().length, 1, 'the untrusted one was not delivered');
  assert.deepEqual(ev.regions, [{ code: 'UA-30-2', name: 'Brovary raion', warningTimeS: 90 }]);

  // A message in the trusted authority's name whose signature does not verify (another key, or changed after
  // signing): refused with a warning naming the sender, exit 1, nothing stored.
  const forgedFile = join(dir, 'forged.cap');
  writeFileSync(forgedFile, signCap(capToXml({ ...cap, identifier: `${cap.identifier}-forged` }), generateSigningKeyPair()).signedXml);
  const forged = await onServer(['import', 'cap', forgedFile, '--json']);
  assert.equal(forged.code, 1, forged.stdout);
  assert.match(forged.stderr, new RegExp(`warning: .*forged\\.cap: CAP import refused: .*trusted authority ${cap.sender.replace(/\./g, '\\.')}.*signature does not verify`));
  const tamperedFile = join(dir, 'tampered.cap');
  writeFileSync(tamperedFile, signCap(capToXml({ ...cap, identifier: `${cap.identifier}-tampered` }), key).signedXml.replace('Пройдіть в укриття', 'Stay at home'));
  const tampered = await onServer(['import', 'cap', tamperedFile]);
  assert.equal(tampered.code, 1, tampered.stdout);
  assert.match(tampered.stderr, /content changed after signing/);
  const kept = await alertServices(server.ctx).store.listRecent(100);
  assert.deepEqual(kept.filter((a) => /-(forged|tampered)$/.test(a.cap.identifier)), [], 'nothing stored');
  // Unsigned in its name: merely unverified, so it waits for an approver as before.
  const unsignedFile = join(dir, 'unsigned.cap');
  writeFileSync(unsignedFile, capToXml({ ...cap, identifier: `${cap.identifier}-unsigned` }));
  const unsigned = await onServer(['import', 'cap', unsignedFile, '--json']);
  assert.equal(unsigned.code, 0, unsigned.stderr);
  assert.equal(JSON.parse(unsigned.stdout).pendingApproval, true);
});
