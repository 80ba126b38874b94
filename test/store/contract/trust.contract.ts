// The contract every TrustedAuthorityStore implementation must meet (SQLite and PostgreSQL run it; trust.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrustedAuthority } from '../../../src/alerts/lifecycle/ports.ts';
import type { MakeAlertStores } from './alerts.fixtures.ts';

function authority(sender: string, over: Partial<TrustedAuthority> = {}): TrustedAuthority {
  return {
    sender, name: `Authority ${sender}`, publicKeyPem: `-----BEGIN PUBLIC KEY-----\n${sender}\n-----END PUBLIC KEY-----\n`, keyId: `key-${sender}`,
    addedBy: 'admin', addedAt: '2026-03-01T10:00:00.000Z', ...over,
  };
}

export function trustStoreContract(name: string, make: MakeAlertStores): void {
  test(`${name}: authorities are found by sender without regard to ASCII case or surrounding space`, async (t) => {
    const s = await make(t);
    const dsns = authority('Alerts@DSNS.gov.ua');
    await s.trust.put(dsns);
    assert.deepEqual(await s.trust.find('Alerts@DSNS.gov.ua'), dsns);
    assert.deepEqual(await s.trust.find('  alerts@dsns.GOV.UA '), dsns);
    assert.equal(await s.trust.find('alerts@dsns.gov'), null);
    assert.equal(await s.trust.find('other@x'), null);
  });

  test(`${name}: put adds or replaces the same sender (any case); list is ordered by sender without case`, async (t) => {
    const s = await make(t);
    const b = authority('b@x'), a = authority('A@x'), c = authority('c@x');
    for (const x of [b, c, a]) await s.trust.put(x);
    assert.deepEqual(await s.trust.list(), [a, b, c]);
    const renewed = authority('a@X', { name: 'Renamed', keyId: 'key-2', addedAt: '2026-04-01T00:00:00.000Z' });
    await s.trust.put(renewed);
    assert.deepEqual(await s.trust.list(), [renewed, b, c], 'replaced, sender written as given the last time');
    assert.deepEqual(await s.trust.find('A@x'), renewed);
  });

  test(`${name}: remove by sender without regard to case, once`, async (t) => {
    const s = await make(t);
    await s.trust.put(authority('gov@X'));
    await s.trust.put(authority('other@x'));
    assert.equal(await s.trust.remove(' GOV@x '), true);
    assert.equal(await s.trust.remove('gov@x'), false);
    assert.equal(await s.trust.find('gov@x'), null);
    assert.deepEqual((await s.trust.list()).map((x) => x.sender), ['other@x']);
  });
}
