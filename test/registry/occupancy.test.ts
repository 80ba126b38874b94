// Live occupancy in the registry, over a real SQLite file: what a report changes (and what it leaves alone), the
// history, the warnings about capacity, validation naming the field, stale versions, and export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { ShelterRegistry, RegistryError, sheltersToCsv, sheltersToExportGeoJson, type Shelter } from '../../src/registry/index.ts';
import { tempDir } from '../helpers.ts';

async function setup(t: { after: (fn: () => void) => void }) {
  const store = openSqliteStore(join(tempDir(t), 'o.db'));
  t.after(() => store.close());
  let clock = new Date('2026-03-01T08:00:00.000Z');
  const registry = new ShelterRegistry(store.shelters, () => clock);
  await registry.load();
  const shelter = await registry.create({ name: 'Metro Nørreport', lat: 55.683, lon: 12.571, capacity: 200, status: 'open', stepFree: true }, 'olga');
  await registry.markVerified(shelter.id, 'olga');
  return { store, registry, id: shelter.id, tick: (minutes: number) => { clock = new Date(clock.getTime() + minutes * 60_000); } };
}

async function registryError(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof RegistryError, String(e));
    return e;
  }
  assert.fail('expected a RegistryError');
}

test('a report sets only the occupancy fields, bumps the version once and records who reported it', async (t) => {
  const { registry, id, tick, store } = await setup(t);
  const before = registry.get(id)!;
  const events: Array<[Shelter, Shelter | null]> = [];
  registry.on('change', (s, prev) => events.push([s, prev]));
  tick(5);
  const { shelter, warnings } = await registry.reportOccupancy(id, { occupancy: 57 }, 'wendy');
  assert.deepEqual(warnings, []);
  assert.equal(shelter.occupancy, 57);
  assert.equal(shelter.occupancyAt, '2026-03-01T08:05:00.000Z');
  assert.equal(shelter.occupancyBy, 'wendy');
  assert.equal(shelter.version, before.version + 1);
  const { occupancy: _o, occupancyAt: _a, occupancyBy: _b, version: _v, updatedAt: _u, ...rest } = shelter;
  const { occupancy: _o2, occupancyAt: _a2, occupancyBy: _b2, version: _v2, updatedAt: _u2, ...restBefore } = before;
  assert.deepEqual(rest, restBefore, 'status, statusSetAt, lastVerifiedAt and every other field are untouched');
  assert.equal(events.length, 1, 'one change event, as for a status change');
  assert.equal(events[0][1], before);
  const h = (await registry.history(id)).at(-1)!;
  assert.equal(h.action, 'occupancy');
  assert.equal(h.actor, 'wendy');
  assert.deepEqual(Object.keys(h.changes).sort(), ['occupancy', 'occupancyAt', 'occupancyBy']);
  assert.deepEqual(h.changes.occupancy, { old: null, new: 57 });
  // The store holds the same as memory.
  assert.deepEqual(await store.shelters.get(id), shelter);
});

test('the same count reported again is a new report: it refreshes when it was reported', async (t) => {
  const { registry, id, tick } = await setup(t);
  await registry.reportOccupancy(id, { occupancy: 10 }, 'wendy');
  tick(60);
  const { shelter } = await registry.reportOccupancy(id, { occupancy: 10 }, 'walter');
  assert.equal(shelter.occupancyAt, '2026-03-01T09:00:00.000Z');
  assert.equal(shelter.occupancyBy, 'walter');
  const h = (await registry.history(id)).at(-1)!;
  assert.deepEqual(Object.keys(h.changes).sort(), ['occupancyAt', 'occupancyBy']);
});

test('reaching or passing the capacity is accepted and said, but never changes the status by itself', async (t) => {
  const { registry, id } = await setup(t);
  let r = await registry.reportOccupancy(id, { occupancy: 200 }, 'wendy');
  assert.equal(r.shelter.status, 'open', 'the status stays as it was');
  assert.deepEqual(r.warnings.map((w) => [w.code, w.field]), [['AT_CAPACITY', 'occupancy']]);
  r = await registry.reportOccupancy(id, { occupancy: 260 }, 'wendy');
  assert.equal(r.shelter.occupancy, 260, 'overcrowding is recorded as counted');
  assert.equal(r.shelter.status, 'open');
  assert.deepEqual(r.warnings.map((w) => w.code), ['OVER_CAPACITY', 'AT_CAPACITY']);
  assert.match(r.warnings[0].reason, /260 .* 200/);
  // Marking it full in the same report: one change, one history entry, the status says who set it.
  const before = (await registry.history(id)).length;
  r = await registry.reportOccupancy(id, { occupancy: 262, status: 'full' }, 'walter');
  assert.deepEqual([r.shelter.status, r.shelter.statusSetBy, r.shelter.statusSetAt], ['full', 'walter', r.shelter.occupancyAt]);
  assert.deepEqual(r.warnings.map((w) => w.code), ['OVER_CAPACITY'], 'marked full: only the overcrowding is left to say');
  const history = await registry.history(id);
  assert.equal(history.length, before + 1);
  assert.deepEqual(history.at(-1)!.changes.status, { old: 'open', new: 'full' });
  // Reopening with a lower count.
  r = await registry.reportOccupancy(id, { occupancy: 150, status: 'open' }, 'walter');
  assert.deepEqual([r.shelter.status, r.warnings], ['open', []]);
});

test('a shelter of unknown capacity takes counts without warnings; zero is a count', async (t) => {
  const { registry } = await setup(t);
  const s = await registry.create({ name: 'Unknown size', lat: 55.6, lon: 12.5 }, 'olga');
  assert.deepEqual((await registry.reportOccupancy(s.id, { occupancy: 5000 }, 'wendy')).warnings, []);
  assert.equal((await registry.reportOccupancy(s.id, { occupancy: 0 }, 'wendy')).shelter.occupancy, 0);
});

test('invalid reports are refused naming the field, and change nothing', async (t) => {
  const { registry, id } = await setup(t);
  const before = registry.get(id)!;
  for (const [input, field] of [
    [{ occupancy: -1 }, 'occupancy'], [{ occupancy: 2.5 }, 'occupancy'], [{ occupancy: '12' }, 'occupancy'], [{ occupancy: null }, 'occupancy'],
    [{}, 'occupancy'], [{ occupancy: Number.NaN }, 'occupancy'], [{ occupancy: 2_000_000 }, 'occupancy'],
    [{ occupancy: 3, status: 'locked' }, 'status'], [{ occupancy: 3, colour: 'red' }, 'colour'],
  ] as const) {
    const e = await registryError(registry.reportOccupancy(id, input as never, 'wendy'));
    assert.equal(e.code, 'INVALID_SHELTER', JSON.stringify(input));
    assert.deepEqual(e.problems.map((p) => p.field), [field], JSON.stringify(input));
  }
  assert.equal(registry.get(id), before);
});

test('a stale version changes nothing; unknown and decommissioned shelters are refused', async (t) => {
  const { registry, id } = await setup(t);
  const v = registry.get(id)!.version;
  await registry.reportOccupancy(id, { occupancy: 7 }, 'walter');
  const stale = await registryError(registry.reportOccupancy(id, { occupancy: 3 }, 'wendy', v));
  assert.equal(stale.code, 'VERSION_CONFLICT', 'the count changed since the version the warden saw');
  assert.match(stale.message, /changed since: occupancy/);
  assert.equal(registry.get(id)!.occupancy, 7);
  assert.equal((await registryError(registry.reportOccupancy('nope', { occupancy: 3 }, 'wendy'))).code, 'SHELTER_NOT_FOUND');
  await registry.decommission(id, null, 'olga');
  assert.equal((await registryError(registry.reportOccupancy(id, { occupancy: 3 }, 'wendy'))).code, 'DECOMMISSIONED');
});

test('export carries registry data only: live occupancy is not exported', async (t) => {
  const { registry, id } = await setup(t);
  await registry.reportOccupancy(id, { occupancy: 42 }, 'wendy');
  const csv = sheltersToCsv(registry.all());
  assert.doesNotMatch(csv.split('\r\n')[0], /occupancy/);
  const props = sheltersToExportGeoJson(registry.all()).features[0].properties as Record<string, unknown>;
  assert.equal(Object.keys(props).some((k) => k.startsWith('occupancy')), false);
});

test('a change against an older version goes through when nothing since touches its fields; otherwise 409 and nothing changes', async (t) => {
  const { registry, id } = await setup(t);
  const seen = registry.get(id)!.version; // the operator opens the edit form
  await registry.setStatus(id, 'full', 'walter'); // a warden marks it full meanwhile
  await registry.reportOccupancy(id, { occupancy: 40 }, 'walter');
  // The operator saves a new capacity against the version they saw: nothing since touched the capacity.
  const saved = await registry.patch(id, seen, { capacity: 120 }, 'olga');
  assert.equal(saved.capacity, 120);
  assert.equal(saved.status, 'full', "the warden's status stands");
  assert.equal(saved.occupancy, 40, "and so does the warden's count");
  assert.equal(saved.version, seen + 3);
  // Saving the old status with that version would undo the warden's: refused, naming the field.
  const conflict = await registryError(registry.patch(id, seen, { status: 'open', capacity: 130 }, 'olga'));
  assert.equal(conflict.code, 'VERSION_CONFLICT');
  assert.match(conflict.message, /changed since: .*\bstatus\b/);
  assert.equal(registry.get(id)!.capacity, 120, 'nothing of a refused change is applied');
  // A version from the future, or one the history cannot account for, is a conflict too.
  assert.equal((await registryError(registry.patch(id, saved.version + 5, { capacity: 1 }, 'olga'))).code, 'VERSION_CONFLICT');
});
