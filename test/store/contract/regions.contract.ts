// The contract every RegionRepository implementation must meet (src/geo/ports.ts). Run it with a factory per store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegionCodeConflictError, type Region, type RegionRepository } from '../../../src/geo/index.ts';

/** A square (one polygon, closed ring) at (lon, lat) of side `size`; `extra` adds awkward decimals to every position. */
export function region(code: string, over: Partial<Region> = {}, lon = 10, lat = 50, size = 1): Region {
  const ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]];
  return { code, name: `Region ${code}`, warningTimeS: 90, parentCode: null, geometry: { type: 'MultiPolygon', coordinates: [[ring]] }, ...over };
}

/** Coordinates that any rounding, float4 storage or re-serialisation would change. */
const AWKWARD: Region['geometry'] = {
  type: 'MultiPolygon',
  coordinates: [
    [[[0.1 + 0.2, 1e-7], [179.99999999999997, 1e-7], [179.99999999999997, -33.123456789012345], [0.1 + 0.2, 1e-7]],
      [[1.5, -1e-9], [2.25, -1e-9], [2.25, -0.5], [1.5, -1e-9]]],
    [[[-180, -90], [180, -90], [180, 90], [-180, -90]]],
  ],
};

/** Opens a few connections of a pooled store first, so concurrent calls really run side by side. */
async function warm(repo: RegionRepository): Promise<void> {
  await Promise.all([repo.count(), repo.count(), repo.count(), repo.count()]);
}

export function regionRepositoryContract(name: string, make: (t: any) => Promise<RegionRepository>): void {
  test(`${name}: an import is returned exactly as given, ordered by code byte by byte`, async (t) => {
    const repo = await make(t);
    assert.deepEqual(await repo.all(), []);
    assert.equal(await repo.count(), 0);
    // Byte order: 'B' < 'Z' < '_' < 'a' < 'b' (a locale collation would put them otherwise).
    const given = [region('b'), region('_x', { warningTimeS: null }), region('a-1', { parentCode: 'Z', warningTimeS: 12.5 }),
      region('Z', { name: 'Zürich – ünïcode', geometry: AWKWARD }), region('B-2')];
    const out = await repo.replaceSource('src', given, '2026-01-01T00:00:00.000Z');
    assert.deepEqual(out, { source: 'src', inserted: 5, updated: 0, removed: 0, accountsWithGoneCodes: [] });
    assert.deepEqual(await repo.all(), [...given].sort((x, y) => (Buffer.compare(Buffer.from(x.code), Buffer.from(y.code)))));
    assert.deepEqual((await repo.all()).map((r) => r.code), ['B-2', 'Z', '_x', 'a-1', 'b']);
    assert.equal(await repo.count(), 5);
    const z = (await repo.all()).find((r) => r.code === 'Z')!;
    assert.equal(JSON.stringify(z.geometry), JSON.stringify(AWKWARD), 'coordinates unchanged to the last digit');
  });

  test(`${name}: a re-import updates, adds and removes only that source's regions`, async (t) => {
    const repo = await make(t);
    await repo.replaceSource('src', [region('a'), region('b'), region('c')]);
    await repo.replaceSource('other', [region('x')]);
    const b2 = region('b', { name: 'B renamed', warningTimeS: null, parentCode: 'P' }, 20, 40, 2);
    const out = await repo.replaceSource('src', [region('a'), b2, region('d')]);
    assert.deepEqual(out, { source: 'src', inserted: 1, updated: 2, removed: 1, accountsWithGoneCodes: [] });
    assert.deepEqual(await repo.all(), [region('a'), b2, region('d'), region('x')]);
    assert.equal(await repo.count(), 4);
    // An empty file empties its source, and only it.
    assert.deepEqual(await repo.replaceSource('src', []), { source: 'src', inserted: 0, updated: 0, removed: 3, accountsWithGoneCodes: [] });
    assert.deepEqual(await repo.all(), [region('x')]);
  });

  test(`${name}: a code owned by another source is refused, and nothing of that import is applied`, async (t) => {
    const repo = await make(t);
    await repo.replaceSource('mine', [region('a'), region('old')]);
    await repo.replaceSource('theirs', [region('taken', { name: 'Taken one' })]);
    const before = await repo.all();
    // New code first, an update second, the refused code last: none of them may stay, and 'old' must not go.
    await assert.rejects(repo.replaceSource('mine', [region('new'), region('a', { name: 'changed' }), region('taken', { name: 'Mine now' })]),
      (e: Error) => e instanceof RegionCodeConflictError && /region code "taken" \(Mine now\) already belongs to source "theirs"/.test(e.message));
    assert.deepEqual(await repo.all(), before);
    assert.equal(await repo.count(), 3);
  });

  test(`${name}: a code twice in one file counts as inserted then updated, and the last one is kept`, async (t) => {
    const repo = await make(t);
    const out = await repo.replaceSource('src', [region('a', { name: 'first' }), region('b'), region('a', { name: 'second' })]);
    assert.deepEqual(out, { source: 'src', inserted: 2, updated: 1, removed: 0, accountsWithGoneCodes: [] });
    assert.deepEqual(await repo.all(), [region('a', { name: 'second' }), region('b')]);
  });

  test(`${name}: thousands of regions and a few very large ones in one import`, async (t) => {
    const repo = await make(t);
    const many = Array.from({ length: 3000 }, (_, i) => region(`R${String(i).padStart(5, '0')}`, { warningTimeS: i % 7 ? i : null }, -170 + (i % 300), -80 + Math.floor(i / 300), 0.5));
    // Detailed outlines: ~1 MB of GeoJSON each, more than one batch's worth together.
    const big = Array.from({ length: 10 }, (_, k) => {
      const ring: number[][] = [];
      for (let i = 0; i < 25_000; i++) { const a = (2 * Math.PI * i) / 25_000; ring.push([100 + k + 0.4 * Math.cos(a), 10 + 0.4 * Math.sin(a)]); }
      ring.push(ring[0]);
      return { ...region(`BIG${k}`), geometry: { type: 'MultiPolygon' as const, coordinates: [[ring]] } };
    });
    const all = [...many, ...big];
    assert.deepEqual(await repo.replaceSource('bulk', all), { source: 'bulk', inserted: 3010, updated: 0, removed: 0, accountsWithGoneCodes: [] });
    assert.equal(await repo.count(), 3010);
    assert.deepEqual(await repo.all(), all.sort((x, y) => (x.code < y.code ? -1 : 1)));
    const out = await repo.replaceSource('bulk', many.slice(0, 2500));
    assert.deepEqual(out, { source: 'bulk', inserted: 0, updated: 2500, removed: 510, accountsWithGoneCodes: [] });
    assert.equal(await repo.count(), 2500);
  });

  test(`${name}: concurrent imports of one source leave one of them whole, not a mix`, async (t) => {
    const repo = await make(t);
    await warm(repo);
    const one = Array.from({ length: 500 }, (_, i) => region(`one-${i}`));
    const two = Array.from({ length: 500 }, (_, i) => region(`two-${i}`));
    const outs = await Promise.all([repo.replaceSource('src', one), repo.replaceSource('src', two)]);
    const codes = (await repo.all()).map((r) => r.code);
    assert.ok(JSON.stringify(codes) === JSON.stringify(one.map((r) => r.code).sort()) || JSON.stringify(codes) === JSON.stringify(two.map((r) => r.code).sort()),
      `one import's content, got ${codes.length} codes starting ${codes[0]}`);
    assert.deepEqual(outs.map((o) => o.removed).sort(), [0, 500]);
  });

  test(`${name}: two sources racing for a new code: one wins, the other is refused`, async (t) => {
    const repo = await make(t);
    await warm(repo);
    const results = await Promise.allSettled([repo.replaceSource('s1', [region('shared'), region('s1-only')]), repo.replaceSource('s2', [region('shared'), region('s2-only')])]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.match(lost.reason.message, /region code "shared" .* already belongs to source "s[12]"/);
    const codes = (await repo.all()).map((r) => r.code);
    assert.equal(codes.length, 2, `the loser left nothing behind: ${codes}`);
    assert.ok(codes.includes('shared'));
  });
}
