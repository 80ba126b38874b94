// Area and family picking (web/src/lib/region-area.ts) on real regions: the Copenhagen demo districts and Ukraine's
// oblasts; the server's point lookup (RegionIndex) is the oracle for "a tiny area touches exactly the regions at it".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { areaTouches, boundsOf, segmentsIntersect, RegionFamily, type Ring } from '../../web/src/lib/region-area.ts';
import { parseRegionsGeoJson, RegionIndex } from '../../src/geo/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const demo = parseRegionsGeoJson(readFileSync(join(ROOT, 'data', 'demo', 'demo-regions.geojson'), 'utf8'), {}, 'demo').regions;
const ukraine = parseRegionsGeoJson(readFileSync('/work/shared/data/ukraine-oblasts/ua_oblasts_simplified.geojson', 'utf8'), {}, 'ua').regions;

const touched = (area: Ring, regions: typeof demo) => regions.filter((r) => areaTouches(area, r.geometry)).map((r) => r.code).sort();
const square = (lon: number, lat: number, d: number): Ring => [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d]];

test('segmentsIntersect: crossing, touching at an end, collinear overlap, apart', () => {
  assert.equal(segmentsIntersect([0, 0], [2, 2], [0, 2], [2, 0]), true);
  assert.equal(segmentsIntersect([0, 0], [1, 1], [1, 1], [2, 0]), true);
  assert.equal(segmentsIntersect([0, 0], [2, 0], [1, 0], [3, 0]), true);
  assert.equal(segmentsIntersect([0, 0], [1, 0], [2, 0], [3, 0]), false);
  assert.equal(segmentsIntersect([0, 0], [1, 1], [0, 1], [0.4, 0.6]), false);
});

test('a tiny area touches exactly the regions the server finds at its centre (Ukraine, Copenhagen)', () => {
  for (const [regions, box] of [[ukraine, [22.5, 44.5, 40, 52]], [demo, [12.45, 55.6, 12.65, 55.73]]] as const) {
    const index = new RegionIndex(regions);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let nonEmpty = 0;
    for (let i = 0; i < 300; i++) {
      const lon = box[0] + rnd() * (box[2] - box[0]);
      const lat = box[1] + rnd() * (box[3] - box[1]);
      const expected = index.regionsAt(lat, lon).map((r) => r.code).sort();
      if (expected.length) nonEmpty++;
      assert.deepEqual(touched(square(lon, lat, 1e-7), regions), expected, `${lon},${lat}`);
    }
    assert.ok(nonEmpty > 50, 'the points fall in regions often enough to test something');
  }
});

test('a drawn area over two Copenhagen districts picks both, not a third; one wholly inside a district picks it', () => {
  const family = new RegionFamily(demo);
  // A thin strip from the middle of Valby to the middle of København V (districts between may be picked too).
  const index = new RegionIndex(demo);
  const valby = demo.find((r) => r.code === 'demo-copenhagen-valby')!;
  const v = demo.find((r) => r.code === 'demo-copenhagen-koebenhavn-v')!;
  const [vx0, vy0, vx1, vy1] = boundsOf([valby.geometry])!;
  const [kx0, ky0, kx1, ky1] = boundsOf([v.geometry])!;
  const a: [number, number] = [(vx0 + vx1) / 2, (vy0 + vy1) / 2];
  const b: [number, number] = [(kx0 + kx1) / 2, (ky0 + ky1) / 2];
  assert.ok(index.regionsAt(a[1], a[0]).some((r) => r.code === valby.code) && index.regionsAt(b[1], b[0]).some((r) => r.code === v.code), 'the centres are inside');
  const strip: Ring = [a, b, [b[0], b[1] + 1e-5], [a[0], a[1] + 1e-5]];
  const picked = family.mostSpecific(touched(strip, demo));
  assert.ok(picked.includes(valby.code) && picked.includes(v.code), picked.join());
  assert.ok(!picked.includes('demo-copenhagen'), 'the enclosing demo area is dropped: its districts say it more precisely');
  assert.ok(!picked.includes('demo-jerusalem'));
  // A small square around Valby's middle picks Valby alone (the demo area around it is the less specific).
  assert.deepEqual(family.mostSpecific(touched(square(a[0], a[1], 1e-5), demo)), [valby.code]);
  // An area far from every region touches none.
  assert.deepEqual(touched(square(0, 0, 1), demo), []);
  // An area holding the whole of Copenhagen touches every Copenhagen region (the region lies inside the area).
  const all = touched(square(12.55, 55.68, 0.5), demo);
  assert.equal(all.length, 14);
  assert.ok(!all.includes('demo-jerusalem'));
});

test('RegionFamily: descendants, ancestors, most specific; cycles and unknown parents stop', () => {
  const family = new RegionFamily(demo);
  assert.equal(family.descendants('demo-copenhagen').length, 13);
  assert.deepEqual(family.descendants('demo-copenhagen-valby'), []);
  assert.deepEqual(family.ancestors('demo-copenhagen-valby'), ['demo-copenhagen']);
  assert.deepEqual(family.mostSpecific(['demo-copenhagen', 'demo-copenhagen-valby', 'demo-jerusalem']), ['demo-copenhagen-valby', 'demo-jerusalem']);
  const deep = new RegionFamily([
    { code: 'UA-32', parentCode: null }, { code: 'R1', parentCode: 'UA-32' }, { code: 'H1', parentCode: 'R1' }, { code: 'H2', parentCode: 'R1' },
    { code: 'X', parentCode: 'elsewhere' }, { code: 'C1', parentCode: 'C2' }, { code: 'C2', parentCode: 'C1' },
  ]);
  assert.deepEqual(deep.descendants('UA-32'), ['R1', 'H1', 'H2']);
  assert.deepEqual(deep.ancestors('H2'), ['R1', 'UA-32']);
  assert.deepEqual(deep.ancestors('X'), []);
  assert.deepEqual(deep.ancestors('C1'), ['C2']);
  assert.deepEqual(deep.descendants('C1'), ['C2']);
  assert.deepEqual(deep.mostSpecific(['UA-32', 'H1', 'R1']), ['H1']);
});
