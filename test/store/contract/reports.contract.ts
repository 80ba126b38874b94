// The contract every ReportRepository implementation must meet (src/reports/ports.ts). Run it with a factory per store
// that also gives the store's shelters (a report must name a shelter that exists).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReportRepository } from '../../../src/reports/ports.ts';
import type { Report } from '../../../src/reports/report.ts';
import { NO_AMENITIES, type Shelter, type ShelterRepository } from '../../../src/registry/index.ts';

export interface ReportStores {
  reports: ReportRepository;
  shelters: ShelterRepository;
}

const T0 = '2026-04-01T08:00:00.000Z';

function shelter(id: string): Shelter {
  return {
    id, name: `Shelter ${id}`, address: null, lat: 55.68, lon: 12.57, capacity: 100, kind: 'basement', protectionClass: 'A',
    stepFree: true, amenities: NO_AMENITIES, operator: null, contact: null, access: 'always-open', keyHolderPhone: null,
    status: 'open', statusSetAt: null, statusSetBy: null, occupancy: null, occupancyAt: null, occupancyBy: null, lastVerifiedAt: null, lastVerifiedBy: null,
    source: null, sourceId: null, createdAt: T0, updatedAt: T0, version: 1, decommissionedAt: null,
  };
}

function report(id: string, over: Partial<Report> = {}): Report {
  return { id, shelterId: 's1', kind: 'locked', note: null, createdAt: T0, reporterKey: 'rk-1', state: 'open', resolvedAt: null, resolvedBy: null, ...over };
}

async function withShelters(make: (t: any) => Promise<ReportStores>, t: any, ...ids: string[]): Promise<ReportRepository> {
  const s = await make(t);
  for (const id of ids) await s.shelters.create(shelter(id), null);
  return s.reports;
}

const ids = (rs: Report[]) => rs.map((r) => r.id);

export function reportRepositoryContract(name: string, make: (t: any) => Promise<ReportStores>): void {
  test(`${name}: reports: insert and get return the report as stored; the store refuses what cannot be`, async (t) => {
    const repo = await withShelters(make, t, 's1');
    const r = report('r1', { note: 'Door chained – «ø»', kind: 'closed' });
    await repo.insert(r);
    assert.deepEqual(await repo.get('r1'), r);
    const resolved = report('r2', { state: 'dismissed', resolvedAt: T0, resolvedBy: 'op' });
    await repo.insert(resolved);
    assert.deepEqual(await repo.get('r2'), resolved, 'a report may be inserted already resolved');
    assert.equal(await repo.get('missing'), null);
    await assert.rejects(repo.insert(report('r1', { kind: 'missing' })), 'ids are unique');
    await assert.rejects(repo.insert(report('r3', { shelterId: 'nowhere' })), 'no report for a shelter that does not exist');
    await assert.rejects(repo.insert(report('r4', { kind: 'flooded' as never })), 'only the known kinds');
    await assert.rejects(repo.insert(report('r5', { state: 'pending' as never })), 'only the known states');
    assert.deepEqual(await repo.get('r1'), r);
    assert.deepEqual(ids(await repo.listForShelter('s1')), ['r1', 'r2']);
  });

  test(`${name}: reports: listOpen and listForShelter are oldest first, ties in the order made`, async (t) => {
    const repo = await withShelters(make, t, 's1', 's2');
    await repo.insert(report('zz', { createdAt: '2026-04-01T09:00:00.000Z' }));
    await repo.insert(report('mm', { createdAt: '2026-04-01T09:00:00.000Z', shelterId: 's2' }));
    await repo.insert(report('aa', { createdAt: '2026-04-01T09:00:00.000Z' }));
    await repo.insert(report('old', { createdAt: '2026-04-01T07:59:59.999Z', kind: 'missing' }));
    await repo.insert(report('done', { createdAt: '2026-04-01T07:00:00.000Z', state: 'confirmed', resolvedAt: T0, resolvedBy: 'op' }));
    assert.deepEqual(ids(await repo.listOpen()), ['old', 'zz', 'mm', 'aa']);
    assert.deepEqual(ids(await repo.listForShelter('s1')), ['done', 'old', 'zz', 'aa'], 'every state, that shelter only');
    assert.deepEqual(ids(await repo.listForShelter('s2')), ['mm']);
    assert.deepEqual(await repo.listForShelter('nowhere'), []);
    assert.deepEqual((await repo.listOpen())[0], report('old', { createdAt: '2026-04-01T07:59:59.999Z', kind: 'missing' }));
  });

  test(`${name}: reports: findOpenDuplicate matches shelter, kind, reporter and open state only`, async (t) => {
    const repo = await withShelters(make, t, 's1', 's2');
    const r = report('r1', { note: 'first' });
    await repo.insert(r);
    await repo.insert(report('r2', { reporterKey: 'rk-2' }));
    assert.deepEqual(await repo.findOpenDuplicate('s1', 'locked', 'rk-1'), r);
    assert.equal(await repo.findOpenDuplicate('s1', 'closed', 'rk-1'), null);
    assert.equal(await repo.findOpenDuplicate('s2', 'locked', 'rk-1'), null);
    assert.equal(await repo.findOpenDuplicate('s1', 'locked', 'rk-3'), null);
    await repo.resolve(['r1'], 'dismissed', 'op', T0);
    assert.equal(await repo.findOpenDuplicate('s1', 'locked', 'rk-1'), null, 'a resolved report is no duplicate');
    assert.equal((await repo.findOpenDuplicate('s1', 'locked', 'rk-2'))?.id, 'r2');
  });

  test(`${name}: reports: countFromReporterSince counts every report of that reporter from the instant on`, async (t) => {
    const repo = await withShelters(make, t, 's1');
    await repo.insert(report('a', { createdAt: '2026-04-01T07:59:59.999Z' }));
    await repo.insert(report('b', { createdAt: T0, kind: 'closed' }));
    await repo.insert(report('c', { createdAt: '2026-04-01T08:30:00.000Z', kind: 'missing', state: 'dismissed', resolvedAt: T0, resolvedBy: 'op' }));
    await repo.insert(report('d', { createdAt: '2026-04-01T08:40:00.000Z', reporterKey: 'rk-2' }));
    const n = await repo.countFromReporterSince('rk-1', T0);
    assert.equal(n, 2, 'from the instant itself, resolved ones too');
    assert.equal(typeof n, 'number');
    assert.equal(await repo.countFromReporterSince('rk-1', '2026-04-01T00:00:00.000Z'), 3);
    assert.equal(await repo.countFromReporterSince('rk-2', T0), 1);
    assert.equal(await repo.countFromReporterSince('rk-9', T0), 0);
  });

  test(`${name}: reports: resolve changes open reports only, all or nothing`, async (t) => {
    const repo = await withShelters(make, t, 's1');
    for (const id of ['r1', 'r2', 'r3', 'r4']) await repo.insert(report(id));
    assert.equal(await repo.resolve(['r1'], 'dismissed', 'alice', '2026-04-01T09:00:00.000Z'), 1);
    assert.equal(await repo.resolve(['r1', 'r2', 'r2', 'r3', 'nope'], 'confirmed', 'bob', '2026-04-01T10:00:00.000Z'), 2, 'a report counts once; unknown and resolved ones are skipped');
    assert.deepEqual(await repo.get('r1'), report('r1', { state: 'dismissed', resolvedAt: '2026-04-01T09:00:00.000Z', resolvedBy: 'alice' }), 'the first decision stands');
    assert.deepEqual(await repo.get('r2'), report('r2', { state: 'confirmed', resolvedAt: '2026-04-01T10:00:00.000Z', resolvedBy: 'bob' }));
    assert.equal(await repo.resolve([], 'confirmed', 'bob', T0), 0);
    await assert.rejects(repo.resolve(['r4', 'r3'], 'reopened' as never, 'eve', T0));
    assert.deepEqual(await repo.get('r4'), report('r4'), 'a refused resolve changed nothing');
    assert.deepEqual(ids(await repo.listOpen()), ['r4']);
  });

  test(`${name}: reports: concurrent resolves of overlapping reports resolve each once`, async (t) => {
    const repo = await withShelters(make, t, 's1');
    const all = Array.from({ length: 12 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    for (const id of all) await repo.insert(report(id));
    // Overlapping sets in opposite orders: neither a double decision nor a deadlock.
    const batches = [all, [...all].reverse(), all.filter((_, i) => i % 2), all.filter((_, i) => i % 3 === 0).reverse(), ['r05', 'r06']];
    await Promise.all(batches.map((b, i) => repo.get(b[0]).then(() => i))); // several connections open before the race
    const changed = await Promise.all(batches.map((b, i) => repo.resolve(b, i % 2 ? 'dismissed' : 'confirmed', `op${i}`, `2026-04-01T10:00:0${i}.000Z`)));
    assert.equal(changed.reduce((a, b) => a + b, 0), all.length, `each report resolved once (${changed.join(', ')})`);
    for (const id of all) {
      const r = (await repo.get(id))!;
      const i = Number(r.resolvedBy!.slice(2));
      assert.ok(batches[i].includes(id), `${id} resolved by a batch that named it`);
      assert.deepEqual([r.state, r.resolvedAt], [i % 2 ? 'dismissed' : 'confirmed', `2026-04-01T10:00:0${i}.000Z`], `${id}: one decision, whole`);
    }
    assert.deepEqual(await repo.listOpen(), []);
  });

  test(`${name}: reports: openCounts gives every kind for shelters with open reports`, async (t) => {
    const repo = await withShelters(make, t, 's1', 's2', 's3');
    assert.deepEqual(await repo.openCounts(), new Map());
    await repo.insert(report('a', { kind: 'locked' }));
    await repo.insert(report('b', { kind: 'locked', reporterKey: 'rk-2' }));
    await repo.insert(report('c', { kind: 'missing' }));
    await repo.insert(report('d', { shelterId: 's2', kind: 'closed' }));
    await repo.insert(report('e', { shelterId: 's3', kind: 'closed', state: 'confirmed', resolvedAt: T0, resolvedBy: 'op' }));
    await repo.insert(report('f', { shelterId: 's2', kind: 'locked' }));
    await repo.resolve(['f'], 'dismissed', 'op', T0);
    assert.deepEqual(await repo.openCounts(), new Map([
      ['s1', { locked: 2, closed: 0, missing: 1 }],
      ['s2', { locked: 0, closed: 1, missing: 0 }],
    ]));
  });
}
