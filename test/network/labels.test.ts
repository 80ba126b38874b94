import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildNetworkFromPbf, CoverageLabels, ShelterRouter, type Graph } from '../../src/network/index.ts';
import type { Shelter } from '../../src/registry/shelter.ts';
import { copenhagenShelters, KBH_PBF, seeded } from './fixtures.ts';

let g: Graph;
let shelters: Shelter[];
before(async () => {
  g = await buildNetworkFromPbf(KBH_PBF);
  shelters = copenhagenShelters();
});

function assertSameLabels(actual: CoverageLabels, expected: CoverageLabels, what: string): void {
  let bad = 0;
  for (let v = 0; v < actual.seconds.length; v++) {
    const a = actual.seconds[v], e = expected.seconds[v];
    if (!(a === e || Math.abs(a - e) < 1e-6)) bad++;
  }
  assert.equal(bad, 0, `${what}: ${bad} nodes differ from a full recomputation`);
}

describe('whole-city labels (Copenhagen, real shelters)', () => {
  it('give every node the time to its nearest usable shelter, as a single-source search does', () => {
    const router = new ShelterRouter(g, shelters);
    const labels = router.coverage();
    const rnd = seeded(5);
    let reachable = 0;
    for (let i = 0; i < 300; i++) {
      const v = Math.floor(rnd() * g.nodeCount);
      const j = g.adjOffset[v];
      if (j === g.adjOffset[v + 1]) continue;
      const e = g.adjEdge[j];
      const along = g.edgeFrom[e] === v ? 0 : g.edgeMeters[e];
      const found = router.search({ edge: e, along, lat: 0, lon: 0, distance: 0 }, 1, {}, null);
      if (found.length === 0) {
        assert.equal(labels.seconds[v], Infinity, `node ${v} has no shelter in its component`);
        continue;
      }
      reachable++;
      assert.ok(Math.abs(found[0].seconds - labels.seconds[v]) < 1e-6, `node ${v}: search ${found[0].seconds}, label ${labels.seconds[v]}`);
      assert.equal(router.entries[labels.shelter[v]].usable, true);
    }
    assert.ok(reachable > 250);
  });

  it('stay exact through a sequence of status changes and a move (incremental update)', () => {
    const router = new ShelterRouter(g, shelters);
    const labels = router.coverage();
    const rnd = seeded(9);
    const current = new Map(shelters.map((s) => [s.id, s]));
    for (let step = 0; step < 40; step++) {
      const s = shelters[Math.floor(rnd() * shelters.length)];
      const before = current.get(s.id)!;
      const statuses = ['open', 'closed', 'full', 'locked', 'open'] as const;
      let next: Shelter = { ...before, status: statuses[Math.floor(rnd() * statuses.length)] };
      if (step % 10 === 9) next = { ...next, lat: before.lat + 0.001, lon: before.lon - 0.001 };
      current.set(s.id, next);
      router.updateShelter(next);
      const fresh = new CoverageLabels(router);
      fresh.computeAll();
      assertSameLabels(labels, fresh, `after step ${step} (${s.id} -> ${next.status})`);
    }
  });

  it('are exact whatever the bucket width (wide buckets force re-processing inside a bucket)', () => {
    const router = new ShelterRouter(g, shelters);
    const normal = router.coverage();
    for (const bucketWidth of [0.01, 1000, 1e6]) {
      const other = new CoverageLabels(router, { bucketWidth });
      other.computeAll();
      assertSameLabels(other, normal, `bucket width ${bucketWidth} s`);
    }
  });

  it('a closed shelter no longer labels any node', () => {
    const router = new ShelterRouter(g, shelters);
    const labels = router.coverage();
    const counts = new Map<number, number>();
    for (const s of labels.shelter) counts.set(s, (counts.get(s) ?? 0) + 1);
    const [busiest] = [...counts.entries()].filter(([s]) => s >= 0).sort((a, b) => b[1] - a[1])[0];
    const s = router.entries[busiest].shelter;
    router.updateShelter({ ...s, status: 'closed' });
    assert.equal(labels.shelter.indexOf(busiest), -1);
  });
});
