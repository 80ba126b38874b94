// The contract every ShelterRepository implementation must meet. Run it with a factory for each store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ShelterRepository } from '../../../src/registry/index.ts';
import { NO_AMENITIES, type Shelter } from '../../../src/registry/index.ts';

function shelter(id: string, over: Partial<Shelter> = {}): Shelter {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id, name: `Shelter ${id}`, address: 'Somewhere 1', lat: 55.68, lon: 12.57, capacity: 100, kind: 'basement', protectionClass: 'A',
    stepFree: true, amenities: { ...NO_AMENITIES, water: true }, operator: null, contact: null, access: 'always-open', keyHolderPhone: null,
    status: 'open', statusSetAt: null, statusSetBy: null, occupancy: null, occupancyAt: null, occupancyBy: null, lastVerifiedAt: null, lastVerifiedBy: null, source: null, sourceId: null,
    createdAt: at, updatedAt: at, version: 1, decommissionedAt: null, ...over,
  };
}

export function shelterRepositoryContract(name: string, make: (t: any) => Promise<ShelterRepository>): void {
  test(`${name}: create, get and list return the record as stored`, async (t) => {
    const repo = await make(t);
    const s = shelter('a', { capacity: null, stepFree: null });
    await repo.create(s, 'alice');
    assert.deepEqual(await repo.get('a'), s);
    assert.deepEqual(await repo.list(), [s]);
    assert.equal(await repo.get('missing'), null);
    const h = await repo.history('a');
    assert.equal(h.length, 1);
    assert.equal(h[0].action, 'create');
    assert.equal(h[0].actor, 'alice');
  });

  test(`${name}: update with a stale version changes nothing`, async (t) => {
    const repo = await make(t);
    await repo.create(shelter('a'), null);
    const next = { ...shelter('a'), name: 'Renamed', version: 2 };
    assert.equal(await repo.update(next, 1, 'update', { name: { old: 'Shelter a', new: 'Renamed' } }, 'bob'), true);
    const stale = { ...shelter('a'), name: 'Lost update', version: 2 };
    assert.equal(await repo.update(stale, 1, 'update', {}, 'carol'), false);
    assert.equal((await repo.get('a'))!.name, 'Renamed');
    assert.deepEqual((await repo.history('a')).map((h) => [h.version, h.actor]), [[1, null], [2, 'bob']]);
  });

  test(`${name}: upsertFromSource is keyed by source id and all or nothing`, async (t) => {
    const repo = await make(t);
    const src = { name: 'src', attribution: 'Someone', licence: 'CC0' };
    const merge = (existing: Shelter | null, item: { sourceId: string; capacity: number }) => {
      if (existing && existing.capacity === item.capacity) return null;
      const next = existing ? { ...existing, capacity: item.capacity, version: existing.version + 1 } : shelter('id-' + item.sourceId, { source: 'src', sourceId: item.sourceId, capacity: item.capacity });
      return { next, changes: { capacity: { old: existing?.capacity ?? null, new: item.capacity } } };
    };
    let r = await repo.upsertFromSource(src, [{ sourceId: '1', capacity: 10 }, { sourceId: '2', capacity: 20 }], merge, 'import');
    assert.equal(r.inserted.length, 2);
    r = await repo.upsertFromSource(src, [{ sourceId: '1', capacity: 10 }, { sourceId: '2', capacity: 25 }], merge, 'import');
    assert.deepEqual([r.inserted.length, r.updated.length, r.unchanged], [0, 1, 1]);
    await assert.rejects(repo.upsertFromSource(src, [{ sourceId: '3', capacity: 30 }, { sourceId: '4', capacity: -1 }], (e, item) => {
      if (item.capacity < 0) throw new Error('bad item');
      return merge(e, item);
    }, null));
    assert.equal((await repo.list()).length, 2, 'a failed upsert leaves nothing behind');
    assert.deepEqual(await repo.sources(), [src]);
  });

  test(`${name}: a row the store refuses undoes the whole import, updates and inserts already written included`, async (t) => {
    const repo = await make(t);
    const src = { name: 'src', attribution: 'Someone', licence: 'CC0' };
    const merge = (existing: Shelter | null, item: { sourceId: string; capacity: number; lat: number }) => {
      if (existing && existing.capacity === item.capacity && existing.lat === item.lat) return null;
      const next = existing ? { ...existing, capacity: item.capacity, lat: item.lat, version: existing.version + 1 } : shelter('id-' + item.sourceId, { source: 'src', sourceId: item.sourceId, capacity: item.capacity, lat: item.lat });
      return { next, changes: { capacity: { old: existing?.capacity ?? null, new: item.capacity } } };
    };
    await repo.upsertFromSource(src, [{ sourceId: '1', capacity: 10, lat: 55 }, { sourceId: '2', capacity: 20, lat: 55 }], merge, null);
    const before = await repo.list();
    // The merge accepts every item; the store's own check (latitude) refuses the last one, after the others were written.
    await assert.rejects(repo.upsertFromSource({ name: 'src', attribution: 'Someone else', licence: null },
      [{ sourceId: '1', capacity: 11, lat: 55 }, { sourceId: '3', capacity: 30, lat: 55 }, { sourceId: '2', capacity: 20, lat: 100 }], merge, null));
    assert.deepEqual(await repo.list(), before);
    assert.deepEqual((await repo.history('id-1')).map((h) => h.version), [1]);
    assert.deepEqual(await repo.history('id-3'), []);
    assert.deepEqual(await repo.sources(), [src]);
  });

  test(`${name}: an imported record comes back byte for byte, delimiters, escapes and nulls included`, async (t) => {
    const repo = await make(t);
    const odd = shelter('odd', { source: 'src', sourceId: 'a\tb', name: 'Tab\there, new\nline, back\\slash \\N, CR\r ø 🛡', address: null, capacity: 0,
      stepFree: false, amenities: { ...NO_AMENITIES, power: false }, contact: '\\N', lat: -33.123456789012344, lon: 151.00000000000003 });
    await repo.upsertFromSource({ name: 'src', attribution: null, licence: null }, [{ sourceId: 'a\tb' }], () => ({ next: odd, changes: { name: { old: null, new: odd.name } } }), 'x\ty');
    assert.deepEqual(await repo.get('odd'), odd);
    const h = await repo.history('odd');
    assert.deepEqual([h[0].actor, h[0].changes], ['x\ty', { name: { old: null, new: odd.name } }]);
  });

  test(`${name}: two imports of one source at once leave no duplicates and no half state`, async (t) => {
    const repo = await make(t);
    const src = { name: 'src', attribution: null, licence: null };
    let calls = 0;
    // Like the registry: every import mints its own ids, so a second insert of a source id would be a second shelter.
    const importing = (capacity: number) => {
      const call = calls++;
      return repo.upsertFromSource(src, Array.from({ length: 300 }, (_, i) => ({ sourceId: String(i), capacity })), (existing, item) => {
        if (existing && existing.capacity === item.capacity) return null;
        const next = existing ? { ...existing, capacity: item.capacity, version: existing.version + 1 } : shelter(`c${call}-${item.sourceId}`, { source: 'src', sourceId: item.sourceId, capacity: item.capacity });
        return { next, changes: { capacity: { old: existing?.capacity ?? null, new: item.capacity } } };
      }, null);
    };
    const first = await Promise.all([importing(10), importing(10)]);
    assert.deepEqual(first.map((r) => [r.inserted.length, r.updated.length, r.unchanged]).sort(), [[0, 0, 300], [300, 0, 0]]);
    let all = await repo.list();
    assert.equal(all.length, 300);
    assert.equal(new Set(all.map((s) => s.sourceId)).size, 300);
    // Two re-imports with different figures: one applies after the other, never a mix of both within one shelter set.
    const second = await Promise.all([importing(11), importing(12)]);
    assert.deepEqual(second.map((r) => r.updated.length), [300, 300]);
    all = await repo.list();
    assert.equal(all.length, 300);
    assert.equal(new Set(all.map((s) => s.capacity)).size, 1, 'every shelter carries the figures of the import that ran last');
    assert.ok(all.every((s) => s.version === 3));
    assert.deepEqual((await repo.history(all[0].id)).map((h) => h.version), [1, 2, 3]);
  });

  test(`${name}: warden assignments`, async (t) => {
    const repo = await make(t);
    await repo.create(shelter('a'), null);
    await repo.setWarden('a', 'wendy', true, 'admin');
    await repo.setWarden('a', 'wendy', true, 'admin');
    await repo.setWarden('a', 'walter', true, 'admin');
    assert.deepEqual(await repo.wardens(), [['a', 'walter'], ['a', 'wendy']]);
    await repo.setWarden('a', 'walter', false, 'admin');
    assert.deepEqual(await repo.wardens(), [['a', 'wendy']]);
  });

  test(`${name}: live occupancy is stored, read back and recorded in the history with who reported it`, async (t) => {
    const repo = await make(t);
    await repo.create(shelter('a', { capacity: 100 }), null);
    assert.deepEqual([(await repo.get('a'))!.occupancy, (await repo.get('a'))!.occupancyAt, (await repo.get('a'))!.occupancyBy], [null, null, null], 'never reported: null');
    const at = '2026-01-01T10:00:00.000Z';
    const next = { ...shelter('a', { capacity: 100 }), occupancy: 120, occupancyAt: at, occupancyBy: 'wendy', version: 2, updatedAt: at };
    const changes = { occupancy: { old: null, new: 120 }, occupancyAt: { old: null, new: at }, occupancyBy: { old: null, new: 'wendy' } };
    assert.equal(await repo.update(next, 1, 'occupancy', changes, 'wendy'), true);
    const stored = (await repo.get('a'))!;
    assert.deepEqual(stored, next, 'a count above capacity is stored as given');
    assert.deepEqual((await repo.list()).find((s) => s.id === 'a'), next);
    const h = (await repo.history('a')).at(-1)!;
    assert.deepEqual([h.version, h.action, h.actor, h.at, h.changes], [2, 'occupancy', 'wendy', at, changes]);
    // Zero is a count, not "unknown".
    const empty = { ...next, occupancy: 0, version: 3 };
    assert.equal(await repo.update(empty, 2, 'occupancy', { occupancy: { old: 120, new: 0 } }, 'wendy'), true);
    assert.equal((await repo.get('a'))!.occupancy, 0);
    // The store itself refuses a negative count, whatever the layers above let through.
    await assert.rejects(repo.update({ ...empty, occupancy: -1, version: 4 }, 3, 'occupancy', {}, 'x'));
    assert.equal((await repo.get('a'))!.occupancy, 0);
    assert.equal((await repo.get('a'))!.version, 3);
  });

  test(`${name}: an import leaves the live occupancy alone`, async (t) => {
    const repo = await make(t);
    const src = { name: 'src', attribution: null, licence: null };
    const merge = (existing: Shelter | null, item: { sourceId: string; capacity: number }) => {
      const next = existing ? { ...existing, capacity: item.capacity, version: existing.version + 1 } : shelter('s-' + item.sourceId, { source: 'src', sourceId: item.sourceId, capacity: item.capacity });
      return { next, changes: { capacity: { old: existing?.capacity ?? null, new: item.capacity } } };
    };
    await repo.upsertFromSource(src, [{ sourceId: '1', capacity: 10 }], merge, null);
    const first = (await repo.get('s-1'))!;
    await repo.update({ ...first, occupancy: 7, occupancyAt: '2026-01-01T11:00:00.000Z', occupancyBy: 'wendy', version: 2 }, 1, 'occupancy', {}, 'wendy');
    await repo.upsertFromSource(src, [{ sourceId: '1', capacity: 12 }], merge, null);
    const after = (await repo.get('s-1'))!;
    assert.deepEqual([after.capacity, after.occupancy, after.occupancyAt, after.occupancyBy], [12, 7, '2026-01-01T11:00:00.000Z', 'wendy']);
  });
}
