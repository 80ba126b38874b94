// A field that is absent, null or an empty list reads as "none" on both sides of a change: re-importing an export
// (whose links column is empty) finds nothing changed. Found by test/cli/database-url.test.ts on PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffShelters } from '../../src/registry/diff.ts';
import type { Shelter } from '../../src/registry/index.ts';

test('absent, null and [] are the same "none"; a real value still counts', () => {
  const base = { id: 's1', name: 'A', lat: 1, lon: 2, version: 1 } as unknown as Shelter;
  assert.deepEqual(diffShelters(base, { ...base, links: [], entrance: null } as Shelter), {});
  assert.deepEqual(diffShelters({ ...base, links: [] } as Shelter, base), {});
  assert.deepEqual(Object.keys(diffShelters(base, { ...base, links: [{ label: null, url: 'https://x.example' }] } as Shelter)), ['links']);
  assert.deepEqual(Object.keys(diffShelters(base, { ...base, entrance: 'Door B' } as Shelter)), ['entrance']);
});
