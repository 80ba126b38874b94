import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gridGraph, ShelterRouter, EDGE_CLASS } from '../../src/network/index.ts';
import { haversineMeters } from '../../src/network/geometry.ts';
import { shelter } from './fixtures.ts';

// Grid of 6 x 6 street nodes; rows 0.0009 deg (~100 m) apart, columns 0.0018 deg (~113 m at this latitude).
const LAT0 = 55.6, LON0 = 12.5, STEP = 0.0009;
const at = (r: number, c: number) => ({ lat: LAT0 + r * STEP, lon: LON0 + c * STEP * 2 });
const ROW_M = haversineMeters(LAT0, LON0, LAT0 + STEP, LON0);
const COL_M = haversineMeters(LAT0, LON0, LAT0, LON0 + 2 * STEP);

describe('ShelterRouter on a street grid', () => {
  const g = gridGraph({ rows: 6, cols: 6, lat0: LAT0, lon0: LON0, step: STEP });

  it('orders shelters by walking time and reports seconds, metres and a route from the origin to the door', () => {
    const router = new ShelterRouter(g, [shelter('east', at(0, 2).lat, at(0, 2).lon), shelter('north', at(2, 0).lat, at(2, 0).lon)]);
    const res = router.nearest(at(0, 0), { k: 2 });
    assert.equal(res.mode, 'network');
    assert.deepEqual(res.results.map((r) => r.id), ['north', 'east']);
    const [north, east] = res.results;
    assert.ok(Math.abs(north.meters - 2 * ROW_M) < 0.5, `north ${north.meters} vs ${2 * ROW_M}`);
    assert.ok(Math.abs(east.meters - 2 * COL_M) < 0.5);
    assert.ok(Math.abs(north.walkSeconds - north.meters / 1.3) < 0.05);
    assert.equal(north.reachableInTime, null);
    assert.equal(north.route.type, 'LineString');
    assert.deepEqual(north.route.coordinates[0], [at(0, 0).lon, at(0, 0).lat]);
    assert.deepEqual(north.route.coordinates.at(-1), [at(2, 0).lon, at(2, 0).lat]);
  });

  it('snaps a point between nodes onto the edge, not to the nearest node, and includes the walk to the street', () => {
    // 20 m west of the middle of the edge (0,0)-(1,0); the shelter sits at (1,0).
    const mid = { lat: LAT0 + STEP / 2, lon: LON0 - 20 / (111320 * Math.cos((LAT0 * Math.PI) / 180)) };
    const router = new ShelterRouter(g, [shelter('s', at(1, 0).lat, at(1, 0).lon)]);
    const r = router.nearest(mid, { k: 1 });
    assert.ok(Math.abs(r.origin.snappedMeters! - 20) < 0.2, `snapped ${r.origin.snappedMeters}`);
    assert.ok(Math.abs(r.results[0].meters - (20 + ROW_M / 2)) < 0.5, `meters ${r.results[0].meters}`);
  });

  it('goes around a river: the shelter across the water is not the nearest on foot', () => {
    // No street crosses between columns 1 and 2 except in the top row (a bridge).
    const river = gridGraph({ rows: 6, cols: 6, lat0: LAT0, lon0: LON0, step: STEP, skip: (a, b) => b === a + 1 && a % 6 === 1 && a !== 31 });
    const across = shelter('across', at(0, 2).lat, at(0, 2).lon);
    const far = shelter('same-side', at(4, 0).lat, at(4, 0).lon);
    const router = new ShelterRouter(river, [across, far]);
    const r = router.nearest(at(0, 1), { k: 2 });
    assert.deepEqual(r.results.map((x) => x.id), ['same-side', 'across']);
    assert.ok(Math.abs(r.results[1].meters - (10 * ROW_M + COL_M)) < 1, `across ${r.results[1].meters}`);
  });

  it('excludes closed, locked, full and decommissioned shelters unless asked (decommissioned never)', () => {
    const list = [
      shelter('closed', at(0, 1).lat, at(0, 1).lon, { status: 'closed' }),
      shelter('locked', at(1, 0).lat, at(1, 0).lon, { status: 'locked' }),
      shelter('full', at(1, 1).lat, at(1, 1).lon, { status: 'full' }),
      shelter('gone', at(0, 0).lat, at(0, 0).lon, { decommissionedAt: '2026-01-01T00:00:00Z' }),
      shelter('open', at(5, 5).lat, at(5, 5).lon),
    ];
    const router = new ShelterRouter(g, list);
    assert.deepEqual(router.nearest(at(0, 0), { k: 5 }).results.map((r) => r.id), ['open']);
    const all = router.nearest(at(0, 0), { k: 5, includeUnusable: true }).results.map((r) => r.id);
    assert.deepEqual(all.sort(), ['closed', 'full', 'locked', 'open']);
  });

  it('marks what is reachable within the warning time, and still answers when nothing is', () => {
    const router = new ShelterRouter(g, [shelter('a', at(0, 1).lat, at(0, 1).lon), shelter('b', at(3, 3).lat, at(3, 3).lon)]);
    const r = router.nearest(at(0, 0), { k: 2, within: 120 });
    assert.deepEqual(r.results.map((x) => x.reachableInTime), [true, false]);
    assert.equal(r.noneReachableInTime, false);
    const none = router.nearest(at(0, 0), { k: 1, within: 30 });
    assert.equal(none.results.length, 1);
    assert.equal(none.results[0].id, 'a');
    assert.equal(none.results[0].reachableInTime, false);
    assert.equal(none.noneReachableInTime, true);
  });

  it('filters by capacity and protection class', () => {
    const router = new ShelterRouter(g, [
      shelter('small', at(0, 1).lat, at(0, 1).lon, { capacity: 20, protectionClass: 'A' }),
      shelter('big-b', at(1, 1).lat, at(1, 1).lon, { capacity: 500, protectionClass: 'B' }),
      shelter('big-a', at(4, 4).lat, at(4, 4).lon, { capacity: 800, protectionClass: 'A' }),
    ]);
    assert.equal(router.nearest(at(0, 0), { k: 1, minCapacity: 100 }).results[0].id, 'big-b');
    assert.equal(router.nearest(at(0, 0), { k: 1, minCapacity: 100, protectionClass: 'A' }).results[0].id, 'big-a');
  });

  it('step-free: only step-free shelters, reached without steps', () => {
    // Every edge into node (0,1) from (0,0) is steps; the step-free route has to go around.
    const stepped = gridGraph({ rows: 6, cols: 6, lat0: LAT0, lon0: LON0, step: STEP, edgeClass: (_e, a, b) => (a === 0 && b === 1 ? EDGE_CLASS.steps : EDGE_CLASS.walk) });
    const router = new ShelterRouter(stepped, [
      shelter('up-the-steps', at(0, 1).lat, at(0, 1).lon, { stepFree: true }),
      shelter('not-marked', at(1, 0).lat, at(1, 0).lon, { stepFree: null }),
    ]);
    const normal = router.nearest(at(0, 0), { k: 1 });
    assert.equal(normal.results[0].id, 'not-marked');
    const sf = router.nearest(at(0, 0), { k: 2, stepFree: true });
    assert.deepEqual(sf.results.map((r) => r.id), ['up-the-steps']);
    // Around: up, right, down = 2 rows + 1 column, instead of the one column of steps.
    assert.ok(Math.abs(sf.results[0].meters - (2 * ROW_M + COL_M)) < 0.5, `meters ${sf.results[0].meters}`);
    // Without the step-free need, steps are walked at half speed.
    const viaSteps = router.nearest(at(0, 0), { k: 2 }).results.find((r) => r.id === 'up-the-steps')!;
    assert.ok(Math.abs(viaSteps.walkSeconds - COL_M / 0.65) < 0.05, `steps ${viaSteps.walkSeconds}`);
  });

  it('falls back to straight-line distance with a clear flag for a point off the network (e.g. at sea)', () => {
    const router = new ShelterRouter(g, [shelter('a', at(0, 1).lat, at(0, 1).lon)]);
    const sea = { lat: LAT0 - 0.02, lon: LON0 }; // ~2.2 km south of the grid
    const r = router.nearest(sea, { k: 3, within: 60 });
    assert.equal(r.mode, 'straight-line');
    assert.match(r.reason!, /off the network/);
    assert.equal(r.results.length, 1);
    assert.ok(Math.abs(r.results[0].meters - haversineMeters(sea.lat, sea.lon, at(0, 1).lat, at(0, 1).lon)) < 0.01);
    assert.equal(r.results[0].route.coordinates.length, 2);
    assert.equal(r.noneReachableInTime, true);
  });

  it('honours a slower walking speed (e.g. 0.8 m/s with children)', () => {
    const router = new ShelterRouter(g, [shelter('a', at(2, 0).lat, at(2, 0).lon)], { profile: { speed: 0.8 } });
    const r = router.nearest(at(0, 0), { k: 1 });
    assert.ok(Math.abs(r.results[0].walkSeconds - (2 * ROW_M) / 0.8) < 0.05);
  });

  it('updateShelter: a shelter that closes stops being offered; one that reopens comes back', () => {
    const a = shelter('a', at(0, 1).lat, at(0, 1).lon);
    const router = new ShelterRouter(g, [a, shelter('b', at(5, 5).lat, at(5, 5).lon)]);
    assert.equal(router.nearest(at(0, 0), { k: 1 }).results[0].id, 'a');
    router.updateShelter({ ...a, status: 'full' });
    assert.equal(router.nearest(at(0, 0), { k: 1 }).results[0].id, 'b');
    router.updateShelter({ ...a, status: 'open' });
    assert.equal(router.nearest(at(0, 0), { k: 1 }).results[0].id, 'a');
    router.updateShelter(shelter('c', at(0, 0).lat, at(0, 0).lon));
    assert.equal(router.nearest(at(0, 0), { k: 1 }).results[0].id, 'c');
  });
});
