// Resident reports over a real SQLite file and the real shelter registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../store/sqlite/index.ts';
import { SqliteReportRepository } from '../store/sqlite/reports.ts';
import { ShelterRegistry } from '../registry/index.ts';
import { ReportService, ReportError } from './index.ts';

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'refuge-reports-'));
  const store = openSqliteStore(join(dir, 'r.db'));
  const registry = new ShelterRegistry(store.shelters);
  await registry.load();
  const shelter = await registry.create({ name: 'Bunker A', lat: 55.68, lon: 12.57, capacity: 100 }, 'seed');
  const repo = new SqliteReportRepository(store.db);
  const service = new ReportService(repo, registry, { perReporterPerHour: 3 });
  return { store, registry, shelter, repo, service, done: () => { store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

test('a report reaches the queue grouped per shelter, and a repeat from the same reporter is not duplicated', async () => {
  const { service, shelter, done } = await setup();
  try {
    const a = await service.submit({ shelterId: shelter.id, kind: 'locked' }, 'k1');
    const again = await service.submit({ shelterId: shelter.id, kind: 'locked' }, 'k1');
    await service.submit({ shelterId: shelter.id, kind: 'locked', note: ' door chained ' }, 'k2');
    assert.equal(a.created, true);
    assert.equal(again.created, false);
    assert.equal(again.report.id, a.report.id);
    const queue = await service.queue();
    assert.equal(queue.length, 1);
    assert.equal(queue[0].shelter?.name, 'Bunker A');
    assert.equal(queue[0].counts.locked, 2);
    assert.equal(queue[0].reports[1].note, 'door chained');
  } finally {
    done();
  }
});

test('confirming sets the shelter status, records history, and resolves the same kind of report', async () => {
  const { service, registry, shelter, done } = await setup();
  try {
    const r1 = await service.submit({ shelterId: shelter.id, kind: 'missing' }, 'k1');
    await service.submit({ shelterId: shelter.id, kind: 'missing' }, 'k2');
    const other = await service.submit({ shelterId: shelter.id, kind: 'locked' }, 'k3');
    const result = await service.confirm(r1.report.id, 'op1');
    assert.equal(result.shelter.status, 'closed');
    assert.equal(result.resolved, 2);
    assert.equal(registry.get(shelter.id)?.status, 'closed');
    assert.equal(registry.get(shelter.id)?.statusSetBy, 'op1');
    const history = await registry.history(shelter.id);
    assert.ok(history.some((h) => h.action === 'status' && h.actor === 'op1'));
    const queue = await service.queue();
    assert.deepEqual(queue.flatMap((q) => q.reports.map((r) => r.id)), [other.report.id]);
    await assert.rejects(service.confirm(r1.report.id, 'op1'), (e: unknown) => e instanceof ReportError && e.code === 'ALREADY_RESOLVED');
  } finally {
    done();
  }
});

test('dismissing leaves the shelter as it was', async () => {
  const { service, registry, shelter, done } = await setup();
  try {
    const r = await service.submit({ shelterId: shelter.id, kind: 'closed' }, 'k1');
    const dismissed = await service.dismiss(r.report.id, 'op2');
    assert.equal(dismissed.state, 'dismissed');
    assert.equal(dismissed.resolvedBy, 'op2');
    assert.equal(registry.get(shelter.id)?.status, shelter.status);
    assert.equal((await service.queue()).length, 0);
  } finally {
    done();
  }
});

test('bad reports are refused naming the field, and a flood from one reporter is limited', async () => {
  const { service, shelter, done } = await setup();
  try {
    const field = (f: string) => (e: unknown) => e instanceof ReportError && e.field === f;
    await assert.rejects(service.submit({ kind: 'locked' }, 'k'), field('shelterId'));
    await assert.rejects(service.submit({ shelterId: shelter.id, kind: 'on fire' }, 'k'), field('kind'));
    await assert.rejects(service.submit({ shelterId: shelter.id, kind: 'locked', note: 'x'.repeat(501) }, 'k'), field('note'));
    await assert.rejects(service.submit({ shelterId: 'nope', kind: 'locked' }, 'k'), (e: unknown) => e instanceof ReportError && e.code === 'SHELTER_NOT_FOUND');
    for (const kind of ['locked', 'closed', 'missing']) await service.submit({ shelterId: shelter.id, kind }, 'flood');
    const other = await service.submit({ shelterId: shelter.id, kind: 'locked' }, 'someone-else');
    assert.equal(other.created, true);
    // A fourth distinct report from the same reporter within the hour is refused (limit 3 in this setup).
    const second = await setup();
    try {
      for (let i = 0; i < 3; i++) {
        const s = await second.registry.create({ name: `S${i}`, lat: 55.6, lon: 12.5, capacity: 1 }, 'seed');
        await second.service.submit({ shelterId: s.id, kind: 'locked' }, 'flood');
      }
      await assert.rejects(second.service.submit({ shelterId: second.shelter.id, kind: 'locked' }, 'flood'), (e: unknown) => e instanceof ReportError && e.code === 'TOO_MANY_REPORTS');
    } finally {
      second.done();
    }
  } finally {
    done();
  }
});

test('reports made in the same millisecond are listed in the order they were made', async () => {
  const { service, shelter, done } = await setup();
  try {
    for (let i = 0; i < 40; i++) await service.submit({ shelterId: shelter.id, kind: 'closed', note: `report ${i}` }, `reporter-${i}`);
    const queue = await service.queue();
    assert.deepEqual(queue[0].reports.map((r) => r.note), Array.from({ length: 40 }, (_, i) => `report ${i}`));
  } finally {
    done();
  }
});
