// Land or sea from Natural Earth 1:50m land (world-atlas). Real data, no stand-in polygons, except where a ring's
// shape is the thing under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LandIndex, landIndex, planarRing } from '../../src/geo/land.ts';

test('land: known places on land and at sea, across the antimeridian and at the poles', () => {
  const land = landIndex();
  const cases: Array<[string, number, number, boolean]> = [
    ['Jerusalem', 31.7767, 35.2345, true],
    ['Jerusalem read the other way round (Mediterranean, west of Cyprus)', 35.2345, 31.7767, false],
    ['Copenhagen read the other way round (Arabian Sea)', 12.5683, 55.6761, false],
    ['Null Island (Gulf of Guinea)', 0, 0, false],
    ['Kumasi, Ghana', 6.69, -1.62, true],
    ['Gabon on the equator', 0, 11.5, true],
    ['Quito', -0.2, -78.5, true],
    ['Chukotka west of 180°', 65.5, -175, true],
    ['Chukotka east of 180°', 67, 178, true],
    ['Wrangel Island, both sides of 180°', 71.2, -179.5, true],
    ['Wrangel Island east side', 71.2, 179.6, true],
    ['Vanua Levu, Fiji', -16.6, 179.4, true],
    ['South Pacific east of Fiji', -16.6, -179, false],
    ['Interior of Antarctica', -88, -120, true],
    ['Arctic Ocean at the pole', 88, 0, false],
    // Regression: rings stitched across the antimeridian, read as flat polygons, painted a band of land round
    // the world between 65°N and 71°N (the Norwegian Sea was land, Alaska was sea by even-odd).
    ['Norwegian Sea', 68, 0, false],
    ['Alaska interior', 65, -150, true],
    ['Bering Sea', 62, -176, false],
  ];
  for (const [name, lat, lon, expected] of cases) {
    assert.equal(land.isLand(lat, lon), expected, `${name} (${lat}, ${lon})`);
    assert.equal(land.isLandNaive(lat, lon), expected, `${name} (${lat}, ${lon}), naive scan`);
  }
});

test('land: the 1:50m coast is coarse; central Copenhagen can fall just outside it, but within 2 km', () => {
  const land = landIndex();
  // Copenhagen City Hall square: on land in reality, about 0.3 km "offshore" at this scale.
  assert.equal(land.isLand(55.6761, 12.5683), false);
  const d = land.coastWithin(55.6761, 12.5683, 5);
  assert.ok(d !== null && d < 2, `distance to the coast ${d}`);
  assert.equal(land.ashore(55.6761, 12.5683, 5), true);
  // Regression: Eurasia's ring starts on the Chukotka side of 180°, and unwrapped whole it lay one turn west of
  // Europe, so distances to European coasts were measured to nothing (Stockholm came out 31 km from any coast).
  const stockholm = land.coastWithin(59.3326, 18.0649, 5);
  assert.ok(stockholm !== null && stockholm < 2, `Stockholm, Norrmalm: distance to the coast ${stockholm}`);
  // Near the antimeridian, on either side of it: the coast of Wrangel Island.
  for (const lon of [-179.99, 179.99]) {
    const d = land.coastWithin(70.95, lon, 30);
    assert.ok(d !== null, `south of Wrangel Island at ${lon}`);
  }
  // Open sea is not near a coast.
  assert.equal(land.coastWithin(0, 0, 5), null);
  assert.equal(land.ashore(0, 0, 5), false);
  // Non-finite input is neither land nor near one.
  assert.equal(land.isLand(Number.NaN, 10), false);
  assert.equal(land.coastWithin(10, Number.POSITIVE_INFINITY, 5), null);
});

test('property: the segment index answers exactly like testing every polygon', () => {
  const land = landIndex();
  fc.assert(
    // A grid offset from the data's quantised vertices: points exactly on an edge may fall either way.
    fc.property(fc.integer({ min: -899_999, max: 899_999 }), fc.integer({ min: -1_799_999, max: 1_799_999 }), (i, j) => {
      const lat = i / 10_000 + 0.000_031, lon = j / 10_000 + 0.000_047;
      assert.equal(land.isLand(lat, lon), land.isLandNaive(lat, lon), `${lat}, ${lon}`);
    }),
    { numRuns: 5000 },
  );
});

test('planarRing: a ring crossing the antimeridian is unwrapped, a ring round the pole is closed along it', () => {
  // Square from 170°E to 170°W (via 180), stitched the TopoJSON way: longitudes jump from 180 to -180.
  const crossing = [[170, 10], [180, 10], [-170, 10], [-170, 20], [-180, 20], [170, 20], [170, 10]];
  assert.deepEqual(planarRing(crossing), [[170, 10], [180, 10], [190, 10], [190, 20], [180, 20], [170, 20], [170, 10]]);
  const idx = new LandIndex([[crossing]]);
  assert.equal(idx.isLand(15, 175), true);
  assert.equal(idx.isLand(15, -175), true);
  assert.equal(idx.isLand(15, 0), false);
  assert.equal(idx.isLand(25, 175), false);
  // A cap round the south pole north to 60°S: one jump; closed along the pole, so 80°S is inside, 50°S is not.
  const cap = [[-180, -60], [-90, -60], [0, -60], [90, -60], [179, -60], [-180, -60]];
  const capIndex = new LandIndex([[cap]]);
  assert.equal(capIndex.isLand(-80, 10), true);
  assert.equal(capIndex.isLand(-80, -170), true);
  assert.equal(capIndex.isLand(-50, 10), false);
  // The degenerate pole line is dropped.
  assert.equal(planarRing([[-180, -89.999], [0, -89.999], [180, -89.999], [-180, -89.999]]), null);
});
