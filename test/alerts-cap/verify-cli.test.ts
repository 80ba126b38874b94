// `refuge verify` as a broadcaster runs it: the public key fetched from the well-known URL, a .cap file, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startTestServer, tempDir } from '../helpers.ts';
import { capToXml, keyIdOf, loadSigningKey, publicKeyFromPem, signCap, signingKeyDirForDb } from '../../src/alerts/index.ts';
import type { CapAlert } from '../../src/alerts/model.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });

const alert: CapAlert = {
  identifier: 'refuge-verify-1', sender: 'alerts@refuge.example', sent: '2026-11-25T01:29:00+02:00', status: 'Exercise', msgType: 'Alert',
  scope: 'Public', note: 'Exercise', references: [],
  info: [{ language: 'uk', category: [], event: 'Повітряна тривога', eventType: 'air-raid', stage: 'alert', urgency: 'Immediate', severity: 'Extreme',
    certainty: 'Observed', headline: 'Повітряна тривога', description: null, instruction: 'Пройдіть в укриття', onset: null, expires: null,
    senderName: null, web: null, areas: [{ areaDesc: 'Київ', regionCodes: ['UA-30'], polygons: [] }] }],
};

test('the well-known URL publishes the signing key; refuge verify accepts a signed file and rejects a tampered one', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'refuge.db');
  const server = await startTestServer(t, { dbPath: db });
  const pem = await server.request('GET', '/.well-known/refuge-signing-key');
  assert.equal(pem.status, 200);
  assert.match(pem.headers.get('content-type') ?? '', /application\/x-pem-file/);
  assert.match(pem.text, /^-----BEGIN PUBLIC KEY-----/);
  const keyId = pem.headers.get('x-refuge-key-id');
  assert.equal(keyId, keyIdOf(publicKeyFromPem(pem.text)));
  const json = await server.request('GET', '/.well-known/refuge-signing-key?format=json');
  assert.deepEqual([json.body.keyId, json.body.algorithm], [keyId, 'Ed25519']);

  // Sign with the server's own key (as issuing does), then check it offline with only the published PEM.
  const pair = loadSigningKey(signingKeyDirForDb(db));
  assert.ok(pair);
  const { signedXml, signature } = signCap(capToXml(alert), pair);
  const keyFile = join(dir, 'refuge.pub.pem');
  writeFileSync(keyFile, pem.text);
  const good = join(dir, 'good.cap');
  writeFileSync(good, signedXml);
  const ok = run(['verify', good, '--key', keyFile]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, new RegExp(`verified: .*good\\.cap is signed by trusted key ${keyId}.*refuge-verify-1.*\\[EXERCISE\\]`));
  const viaDb = run(['verify', good, '--db', db, '--json']);
  assert.equal(viaDb.status, 0, viaDb.stderr);
  assert.equal(JSON.parse(viaDb.stdout).valid, true);

  const tampered = join(dir, 'tampered.cap');
  writeFileSync(tampered, signedXml.replace('UA-30', 'UA-32'));
  const bad = run(['verify', tampered, '--key', keyFile]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /NOT VERIFIED: .*tampered\.cap: the content changed after signing/);

  // An unsigned file verifies only with its detached signature.
  const unsigned = join(dir, 'unsigned.cap');
  writeFileSync(unsigned, capToXml(alert));
  assert.equal(run(['verify', unsigned, '--key', keyFile]).status, 1);
  assert.equal(run(['verify', unsigned, '--key', keyFile, '--signature', signature]).status, 0);
  assert.notEqual(run(['verify', join(dir, 'missing.cap'), '--key', keyFile]).status, 0);
  assert.match(run(['verify', good, '--db', join(dir, 'other.db')]).stderr, /no signing key for database/);
});

test('verify and import regions have --help', () => {
  for (const cmd of [['verify'], ['import', 'regions']]) {
    const r = run([...cmd, '--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: refuge/);
  }
});
