import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capToXml, parseCap, validateCapXml } from '../../src/alerts/cap/index.ts';
import {
  attachSignature,
  canonicalCapForm,
  createCapSigner,
  generateSigningKeyPair,
  loadOrCreateSigningKey,
  loadPublicKey,
  publicKeyFromPem,
  signCap,
  verifyCap,
} from '../../src/alerts/signing/index.ts';
import type { CapAlert } from '../../src/alerts/model.ts';
import { SHARED } from '../helpers.ts';

const alert: CapAlert = {
  identifier: 'refuge-42',
  sender: 'alerts@refuge.example',
  sent: '2026-11-25T01:29:00+02:00',
  status: 'Actual',
  msgType: 'Alert',
  scope: 'Public',
  note: null,
  references: [],
  info: [
    {
      language: 'he-IL', category: [], event: 'ירי רקטות וטילים', eventType: 'missile', stage: 'alert',
      urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed', headline: 'היכנסו למרחב המוגן',
      description: null, instruction: 'Stay 10 minutes', onset: null, expires: '2026-11-25T02:29:00+02:00',
      senderName: null, web: null, areas: [{ areaDesc: 'תל אביב - מרכז העיר', regionCodes: ['5000742'], polygons: [] }],
    },
  ],
};
const xml = capToXml(alert);
const pair = generateSigningKeyPair();

test('a signed alert verifies offline, embedded and detached, and stays schema-valid CAP', () => {
  const { signature, keyId, signedXml } = signCap(xml, pair);
  assert.equal(keyId, pair.keyId);
  assert.match(signedXml, /<Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#">/);
  assert.equal(validateCapXml(signedXml).version, '1.2');
  assert.deepEqual(parseCap(signedXml), parseCap(xml));
  assert.deepEqual(verifyCap(signedXml, null, pair.publicKey), { valid: true, reason: null, keyId: pair.keyId, embedded: true });
  assert.equal(verifyCap(xml, signature, pair.publicKey).valid, true);
  // The stored detached signature re-embeds into exactly the same signed document.
  assert.equal(attachSignature(xml, signature, keyId), signedXml);
  // The canonical form ignores the embedded signature, the XML declaration and comments.
  assert.equal(canonicalCapForm(signedXml), canonicalCapForm(xml));
  assert.equal(canonicalCapForm(xml.replace('<identifier>', '<!-- note --><identifier>')), canonicalCapForm(xml));
});

test('changing one character anywhere in the content breaks the signature', () => {
  const { signedXml } = signCap(xml, pair);
  const tampered = [
    signedXml.replace('<status>Actual</status>', '<status>Actuel</status>'), // schema-invalid now
    signedXml.replace('refuge-42', 'refuge-43'),
    signedXml.replace('5000742', '5000743'),
    signedXml.replace('Stay 10 minutes', 'Stay 1O minutes'),
    signedXml.replace('<status>Actual</status>', '<status>Test</status>'),
    signedXml.replace(/<SignatureValue>(.)/, (_m, c: string) => `<SignatureValue>${c === 'A' ? 'B' : 'A'}`),
  ];
  for (const t of tampered) {
    assert.notEqual(t, signedXml);
    const r = verifyCap(t, null, pair.publicKey);
    assert.equal(r.valid, false, t);
    assert.ok(r.reason && r.reason.length > 0);
  }
  assert.match(verifyCap(tampered[1], null, pair.publicKey).reason ?? '', /digest mismatch/);
  // Every single-character change of the identifier text, exhaustively over one character.
  for (const ch of 'abcdefghijklmnopqrstuvwxyz0123456789') {
    const t = signedXml.replace('<identifier>refuge-42', `<identifier>refuge-4${ch}`);
    if (ch === '2') continue;
    assert.equal(verifyCap(t, null, pair.publicKey).valid, false, ch);
  }
});

test('another key, no signature, or a foreign algorithm does not verify', () => {
  const { signedXml, signature } = signCap(xml, pair);
  const other = generateSigningKeyPair();
  assert.match(verifyCap(signedXml, null, other.publicKey).reason ?? '', /not the trusted key/);
  assert.equal(verifyCap(xml, signature, other.publicKey).valid, false);
  assert.match(verifyCap(xml, null, pair.publicKey).reason ?? '', /carries no signature/);
  const canada = readFileSync(`${SHARED}/cap/samples/canada_signed.cap`);
  // Environment Canada's sample carries two RSA XML-DSig signatures: never taken as a Refuge signature.
  assert.match(verifyCap(canada, null, pair.publicKey).reason ?? '', /more than one <Signature>/);
  const oneRsa = signCap(xml, pair).signedXml.replace(/Algorithm="http:\/\/www\.w3\.org\/2021\/04\/xmldsig-more#eddsa-ed25519"/, 'Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"');
  assert.match(verifyCap(oneRsa, null, pair.publicKey).reason ?? '', /unsupported signature method .*rsa-sha256/);
  assert.match(verifyCap('<alert/>', null, pair.publicKey).reason ?? '', /not a valid CAP document/);
  assert.throws(() => signCap(signedXml, pair), /already signed/);
});

test('key pair persists in a directory: generated once, private key 0600, reloaded identically', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refuge-keys-'));
  try {
    const first = loadOrCreateSigningKey(join(dir, 'keys'));
    assert.equal(first.generated, true);
    assert.equal(statSync(join(dir, 'keys', 'cap-signing-key.pem')).mode & 0o777, 0o600);
    const again = loadOrCreateSigningKey(join(dir, 'keys'));
    assert.equal(again.generated, false);
    assert.equal(again.keyId, first.keyId);
    const signer = createCapSigner(again);
    const { signature, keyId } = signer.sign(xml);
    assert.equal(keyId, first.keyId);
    const pub = loadPublicKey(join(dir, 'keys'));
    assert.ok(pub);
    assert.equal(verifyCap(xml, signature, pub).valid, true);
    assert.equal(verifyCap(xml, signature, publicKeyFromPem(first.publicKeyPem)).valid, true);
    assert.equal(loadPublicKey(join(dir, 'nothing-here')), null);
    assert.throws(() => publicKeyFromPem('not a key', 'k.pem'), /k\.pem: not a PEM public key/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the signature is as documented: OpenSSL verifies Ed25519 over the SignedInfo bytes built from docs/alerts.md', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const { writeFileSync } = await import('node:fs');
  if (spawnSync('openssl', ['version']).status !== 0) {
    t.skip('openssl is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'refuge-openssl-'));
  try {
    const { signedXml, signature } = signCap(xml, pair);
    const digest = /<DigestValue>([^<]+)<\/DigestValue>/.exec(signedXml)?.[1];
    assert.ok(digest);
    // The digest is SHA-256 over the canonical form.
    const { createHash } = await import('node:crypto');
    assert.equal(createHash('sha256').update(canonicalCapForm(signedXml), 'utf8').digest('base64'), digest);
    const signedInfo =
      '<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></CanonicalizationMethod>' +
      '<SignatureMethod Algorithm="http://www.w3.org/2021/04/xmldsig-more#eddsa-ed25519"></SignatureMethod><Reference URI=""><Transforms>' +
      '<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"></Transform><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></Transform>' +
      `</Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></DigestMethod><DigestValue>${digest}</DigestValue></Reference></SignedInfo>`;
    assert.ok(signedXml.includes(signedInfo), 'the embedded SignedInfo is the documented canonical text');
    writeFileSync(join(dir, 'si.bin'), signedInfo);
    writeFileSync(join(dir, 'sig.bin'), Buffer.from(signature, 'base64'));
    writeFileSync(join(dir, 'pub.pem'), pair.publicKeyPem);
    const ok = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'pub.pem'), '-rawin', '-in', join(dir, 'si.bin'), '-sigfile', join(dir, 'sig.bin')], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr + ok.stdout);
    assert.match(ok.stdout, /Signature Verified Successfully/);
    writeFileSync(join(dir, 'si.bin'), signedInfo.replace(digest, digest.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))));
    const bad = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'pub.pem'), '-rawin', '-in', join(dir, 'si.bin'), '-sigfile', join(dir, 'sig.bin')], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
