// The contract every ChangeFeed implementation must meet (src/store/store.ts): what another connection commits to
// the same database reaches this one's subscriber within 2 seconds, nothing is reported when nothing changed, calls
// never overlap, and unsubscribe stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChangeFeed, StoreChanges } from '../../../src/store/store.ts';
import type { RegionRepository } from '../../../src/geo/index.ts';
import { NO_AMENITIES, type Shelter, type ShelterRepository } from '../../../src/registry/index.ts';
import { region } from './regions.contract.ts';

export interface ChangeFeedFixture {
  /** The feed of the first connection (or store object). */
  feed: ChangeFeed;
  /** The same database through a second connection: a second store object, as another process would open it. */
  other: { shelters: ShelterRepository; regions: RegionRepository };
}

export interface ChangeFeedFixtureOptions {
  manyShelters?: number;
}

export function shelter(id: string, over: Partial<Shelter> = {}): Shelter {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id, name: `Shelter ${id}`, address: null, lat: 55.68, lon: 12.57, capacity: 100, kind: 'basement', protectionClass: 'A', stepFree: true,
    amenities: { ...NO_AMENITIES }, operator: null, contact: null, access: 'always-open', keyHolderPhone: null, status: 'open', statusSetAt: null,
    statusSetBy: null, occupancy: null, occupancyAt: null, occupancyBy: null, lastVerifiedAt: null, lastVerifiedBy: null, source: null, sourceId: null,
    createdAt: at, updatedAt: at, version: 1, decommissionedAt: null, ...over,
  };
}

export const REPORT_WITHIN_MS = 2000;
/** Longer than a poll period and a debounce window together: silence this long means nothing was reported. */
export const QUIET_MS = 1500;

/** Every notice a subscriber got, and a way to wait for one. */
export class Recorder {
  readonly seen: StoreChanges[] = [];
  readonly onChange = (c: StoreChanges) => { this.seen.push(c); };

  clear(): void { this.seen.length = 0; }
  shelterIds(): Set<string> { return new Set(this.seen.flatMap((c) => (c.shelters === 'many' ? [] : c.shelters))); }
  anyMany(): boolean { return this.seen.some((c) => c.shelters === 'many'); }

  /** Resolves when `ok` holds for what was seen; fails after `ms`. */
  async until(what: string, ok: () => boolean, ms = REPORT_WITHIN_MS): Promise<void> {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) assert.fail(`not reported within ${ms} ms: ${what}; seen ${JSON.stringify(this.seen)}`);
      await sleep(20);
    }
  }
}

async function subscribed(t: any, feed: ChangeFeed, onChange: (c: StoreChanges) => void | Promise<void>) {
  const unsubscribe = await feed.subscribe(onChange);
  let done = false;
  const stop = async () => { if (!done) { done = true; await unsubscribe(); } };
  t.after(stop);
  return stop;
}

const merge = (existing: Shelter | null, item: { sourceId: string; capacity: number }) => {
  const next = existing ? { ...existing, capacity: item.capacity, version: existing.version + 1 } : shelter('imp-' + item.sourceId, { source: 'src', sourceId: item.sourceId, capacity: item.capacity });
  return { next, changes: { capacity: { old: existing?.capacity ?? null, new: item.capacity } } };
};
const SRC = { name: 'src', attribution: null, licence: null };

export function changeFeedContract(name: string, make: (t: any, options?: ChangeFeedFixtureOptions) => Promise<ChangeFeedFixture>): void {
  test(`${name}: a shelter created, then its status changed, through another connection reaches every subscriber`, async (t) => {
    const { feed, other } = await make(t);
    const r1 = new Recorder();
    const r2 = new Recorder();
    await subscribed(t, feed, r1.onChange);
    await subscribed(t, feed, r2.onChange);
    await other.shelters.create(shelter('a'), null);
    await r1.until('the new shelter', () => r1.shelterIds().has('a'));
    await r2.until('the new shelter, to the second subscriber too', () => r2.shelterIds().has('a'));
    r1.clear();
    const started = Date.now();
    assert.equal(await other.shelters.update(shelter('a', { status: 'closed', statusSetBy: 'w', version: 2 }), 1, 'status', { status: { old: 'open', new: 'closed' } }, 'w'), true);
    await r1.until('the status change', () => r1.shelterIds().has('a'));
    assert.ok(Date.now() - started <= REPORT_WITHIN_MS);
    assert.ok(!r1.anyMany(), 'one shelter is not "many"');
    assert.deepEqual(r1.seen.map((c) => [c.wardens, c.regions]).filter(([w, r]) => w || r), [], 'only shelters changed');
  });

  test(`${name}: a shelter import through another connection is reported with the imported ids`, async (t) => {
    const { feed, other } = await make(t);
    const rec = new Recorder();
    await subscribed(t, feed, rec.onChange);
    await other.shelters.upsertFromSource(SRC, [{ sourceId: '1', capacity: 1 }, { sourceId: '2', capacity: 2 }, { sourceId: '3', capacity: 3 }], merge, null);
    await rec.until('the three imported shelters', () => ['imp-1', 'imp-2', 'imp-3'].every((id) => rec.shelterIds().has(id)));
    rec.clear();
    await other.shelters.upsertFromSource(SRC, [{ sourceId: '2', capacity: 20 }], merge, null);
    await rec.until('the updated one', () => rec.shelterIds().has('imp-2'));
    assert.deepEqual([...rec.shelterIds()], ['imp-2'], 'only the shelter the import changed');
  });

  test(`${name}: past the limit of changed shelters it says 'many'`, async (t) => {
    const { feed, other } = await make(t, { manyShelters: 3 });
    const rec = new Recorder();
    await subscribed(t, feed, rec.onChange);
    await other.shelters.upsertFromSource(SRC, [1, 2, 3, 4, 5].map((i) => ({ sourceId: String(i), capacity: i })), merge, null);
    await rec.until("'many'", () => rec.anyMany());
  });

  test(`${name}: a warden assignment and its removal through another connection are reported`, async (t) => {
    const { feed, other } = await make(t);
    await other.shelters.create(shelter('a'), null);
    const rec = new Recorder();
    await subscribed(t, feed, rec.onChange);
    await other.shelters.setWarden('a', 'wendy', true, 'admin');
    await rec.until('the assignment', () => rec.seen.some((c) => c.wardens));
    rec.clear();
    await other.shelters.setWarden('a', 'wendy', false, 'admin');
    await rec.until('the removal', () => rec.seen.some((c) => c.wardens));
    assert.ok(rec.seen.every((c) => !c.regions), 'regions did not change');
  });

  test(`${name}: a region import through another connection is reported`, async (t) => {
    const { feed, other } = await make(t);
    const rec = new Recorder();
    await subscribed(t, feed, rec.onChange);
    await other.regions.replaceSource('src', [region('a'), region('b')]);
    await rec.until('the import', () => rec.seen.some((c) => c.regions));
    assert.ok(rec.seen.every((c) => !c.wardens && c.shelters !== 'many' && c.shelters.length === 0), JSON.stringify(rec.seen));
    rec.clear();
    await other.regions.replaceSource('src', [region('a')]);
    await rec.until('the re-import that removed one', () => rec.seen.some((c) => c.regions));
  });

  test(`${name}: nothing is reported when nothing changed, nor for writes rolled back or touching none of them`, async (t) => {
    const { feed, other } = await make(t);
    await other.regions.replaceSource('theirs', [region('taken')]);
    await other.shelters.create(shelter('a'), null);
    await other.shelters.setWarden('a', 'wendy', true, null);
    const rec = new Recorder();
    await subscribed(t, feed, rec.onChange);
    await sleep(QUIET_MS);
    assert.deepEqual(rec.seen, [], 'idle');
    await assert.rejects(other.regions.replaceSource('mine', [region('new'), region('taken')]));
    await assert.rejects(other.shelters.upsertFromSource(SRC, [{ sourceId: '1', capacity: 1 }, { sourceId: '2', capacity: -1 }], (e, item) => {
      if (item.capacity < 0) throw new Error('bad item');
      return merge(e, item);
    }, null));
    // Commits that touch no shelter, warden or region: an import of no records, an assignment already made.
    await other.shelters.upsertFromSource(SRC, [], merge, null);
    await other.shelters.setWarden('a', 'wendy', true, null);
    await sleep(QUIET_MS);
    assert.deepEqual(rec.seen, [], 'refused imports and writes that change none of them report nothing');
  });

  test(`${name}: calls never overlap, unsubscribe waits for the running one and stops the feed`, async (t) => {
    const { feed, other } = await make(t);
    let calls = 0;
    let finished = 0;
    let active = 0;
    let maxActive = 0;
    const ids: string[] = [];
    const stop = await subscribed(t, feed, async (c) => {
      calls++;
      active++;
      maxActive = Math.max(maxActive, active);
      if (c.shelters !== 'many') ids.push(...c.shelters);
      await sleep(600);
      active--;
      finished++;
    });
    await other.shelters.create(shelter('a'), null);
    const end = Date.now() + REPORT_WITHIN_MS;
    while (calls < 1 && Date.now() < end) await sleep(10);
    assert.equal(calls, 1, 'first change reported');
    // Committed while the first call is still running: reported after it, not alongside it.
    await other.shelters.create(shelter('b'), null);
    const end2 = Date.now() + REPORT_WITHIN_MS + 600;
    while (!ids.includes('b') && Date.now() < end2) await sleep(10);
    assert.ok(ids.includes('b'), `the second change is reported too: ${ids}`);
    assert.equal(active, 1, 'the second call is running');
    await stop();
    assert.equal(active, 0, 'unsubscribe waited for the running call');
    assert.equal(finished, calls);
    assert.equal(maxActive, 1, 'never two calls at once');
    const before = calls;
    await other.shelters.create(shelter('c'), null);
    await other.regions.replaceSource('src', [region('r')]);
    await sleep(QUIET_MS);
    assert.equal(calls, before, 'nothing after unsubscribe');
  });
}
