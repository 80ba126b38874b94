// The shelter card's storage (issue 14) on SQLite and PostgreSQL: entrance, floor, opening hours and links round-trip;
// photos are stored as bytes, listed on the record without them, and adding or removing one is a versioned change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, freshSqlite } from './databases.ts';
import { NO_AMENITIES, type Shelter, type ShelterRepository } from '../../../src/registry/index.ts';

function shelter(id: string, extra: Partial<Shelter> = {}): Shelter {
  const at = '2026-12-01T10:00:00.000Z';
  return {
    id, name: `Shelter ${id}`, address: null, lat: 55.67, lon: 12.56, capacity: 100, kind: 'basement', protectionClass: 'unknown', stepFree: null,
    amenities: { ...NO_AMENITIES }, operator: null, contact: null, access: 'unknown', keyHolderPhone: null, status: 'open',
    statusSetAt: null, statusSetBy: null, occupancy: null, occupancyAt: null, occupancyBy: null, lastVerifiedAt: null, lastVerifiedBy: null,
    source: null, sourceId: null, createdAt: at, updatedAt: at, version: 1, decommissionedAt: null, ...extra,
  };
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 7), Buffer.from([0, 255, 0x0a, 0x0d])]);

function contract(kind: string, open: (t: any) => Promise<{ repo: ShelterRepository; auditEntries: () => Promise<Array<{ table: string; key: string; row: string }>> }>) {
  test(`${kind}: entrance, floor, opening hours and links round-trip; a record without them reads as empty`, async (t) => {
    const { repo } = await open(t);
    const links = [{ label: 'Waze', url: 'https://waze.com/ul?ll=31.79,35.22&navigate=yes' }, { label: null, url: 'https://example.org/shelter?a=1&b=2' }];
    await repo.create(shelter('a', { entrance: 'Door on the courtyard side, stairs down', floor: '-2', openingHours: 'Mo-Fr 08:00-18:00; PH off', links }), 'op');
    await repo.create(shelter('b'), 'op');
    const a = await repo.get('a');
    assert.equal(a?.entrance, 'Door on the courtyard side, stairs down');
    assert.equal(a?.floor, '-2');
    assert.equal(a?.openingHours, 'Mo-Fr 08:00-18:00; PH off');
    assert.deepEqual(a?.links, links);
    assert.equal(a?.photos, undefined, 'no photos: the record carries none');
    const b = (await repo.list()).find((s) => s.id === 'b')!;
    assert.deepEqual(b, shelter('b'), 'a record written without card fields reads back without them');
    const next = { ...a!, floor: 'basement 2', links: [links[1]], version: 2 };
    assert.equal(await repo.update(next, 1, 'update', { floor: { old: '-2', new: 'basement 2' } }, 'op'), true);
    const again = await repo.get('a');
    assert.equal(again?.floor, 'basement 2');
    assert.deepEqual(again?.links, [links[1]]);
  });

  test(`${kind}: a photo is stored as bytes, listed without them, versioned in the history, and removed`, async (t) => {
    const { repo, auditEntries } = await open(t);
    await repo.create(shelter('a'), 'op');
    await repo.create(shelter('other'), 'op');
    const photo = { id: 'p1', contentType: 'image/png' as const, size: PNG.length, addedAt: '2026-12-02T09:00:00.000Z', caption: null };
    const after = await repo.addPhoto('a', photo, PNG, 'operator');
    assert.equal(after?.version, 2);
    assert.deepEqual(after?.photos, [photo]);
    assert.equal(after?.updatedAt, photo.addedAt);
    assert.equal(await repo.addPhoto('missing', { ...photo, id: 'p2' }, PNG, 'operator'), null, 'no shelter, no photo');
    const got = await repo.photo('a', 'p1');
    assert.ok(got);
    assert.deepEqual(got.photo, photo);
    assert.ok(Buffer.from(got.data).equals(PNG), 'the bytes come back exactly (including 0x00, 0xff, CR, LF)');
    assert.equal(await repo.photo('other', 'p1'), null, 'a photo is found only under its own shelter');
    assert.deepEqual((await repo.get('a'))?.photos, [photo]);
    assert.deepEqual((await repo.list()).find((s) => s.id === 'a')?.photos, [photo]);
    const history = await repo.history('a');
    assert.deepEqual(history.map((h) => [h.version, h.action, h.actor]), [[1, 'create', 'op'], [2, 'photo', 'operator']]);
    assert.deepEqual(history[1].changes, { photos: { old: [], new: ['p1'] } });

    assert.equal(await repo.deletePhoto('other', 'p1', 'operator'), null, 'not that shelter\'s photo: nothing happens');
    assert.equal((await repo.get('other'))?.version, 1);
    const removed = await repo.deletePhoto('a', 'p1', 'operator');
    assert.equal(removed?.version, 3);
    assert.equal(removed?.photos, undefined);
    assert.equal(await repo.photo('a', 'p1'), null);
    assert.deepEqual((await repo.history('a'))[2].changes, { photos: { old: ['p1'], new: [] } });

    // The audit log names the photo and keeps a digest of its bytes, never the bytes.
    const entries = (await auditEntries()).filter((e) => e.table === 'shelter_photos');
    assert.deepEqual(entries.map((e) => e.key), ['p1', 'p1']);
    assert.match(entries[0].row, /sha256:[0-9a-f]{64}/);
    assert.ok(!entries[0].row.includes(PNG.toString('base64')) && !entries[0].row.includes(PNG.toString('hex')), 'the bytes are not in the log');
  });

  test(`${kind}: a caption is stored with the photo, changed as a versioned change, audited, and photos keep the operator's order`, async (t) => {
    const { repo, auditEntries } = await open(t);
    await repo.create(shelter('a'), 'op');
    await repo.create(shelter('other'), 'op');
    const hebrew = 'הכניסה היא הדלת הירוקה משמאל לבית המרקחת';
    const at = (n: number) => `2026-12-02T09:0${n}:00.000Z`;
    const p1 = { id: 'p1', contentType: 'image/png' as const, size: PNG.length, addedAt: at(1), caption: 'The entrance is the green door left of the pharmacy' };
    const p2 = { id: 'p2', contentType: 'image/png' as const, size: PNG.length, addedAt: at(2), caption: hebrew };
    const p3 = { id: 'p3', contentType: 'image/png' as const, size: PNG.length, addedAt: at(3), caption: null };
    await repo.addPhoto('a', p1, PNG, 'operator');
    await repo.addPhoto('a', p2, PNG, 'operator');
    const three = await repo.addPhoto('a', p3, PNG, 'operator');
    assert.deepEqual(three?.photos, [p1, p2, p3], 'captions (any script, or none) round-trip; new photos go last');
    assert.deepEqual((await repo.photo('a', 'p2'))?.photo, p2);
    assert.deepEqual((await repo.list()).find((s) => s.id === 'a')?.photos, [p1, p2, p3]);

    const changed = await repo.setPhotoCaption('a', 'p1', 'Green door, left of the pharmacy', 'operator2');
    assert.equal(changed?.version, 5);
    assert.equal(changed?.photos?.[0].caption, 'Green door, left of the pharmacy');
    assert.equal((await repo.get('a'))?.photos?.[0].caption, 'Green door, left of the pharmacy');
    const history = await repo.history('a');
    assert.deepEqual([history.at(-1)?.action, history.at(-1)?.actor, history.at(-1)?.version], ['photo', 'operator2', 5]);
    assert.deepEqual(history.at(-1)?.changes, { 'photos.p1.caption': { old: p1.caption, new: 'Green door, left of the pharmacy' } });
    assert.equal((await repo.setPhotoCaption('a', 'p1', 'Green door, left of the pharmacy', 'operator2'))?.version, 5, 'the same caption again changes nothing');
    assert.equal((await repo.setPhotoCaption('a', 'p2', null, 'operator'))?.photos?.[1].caption, null, 'a caption can be removed');
    assert.equal(await repo.setPhotoCaption('other', 'p1', 'x', 'operator'), null, 'not that shelter\'s photo');
    assert.equal(await repo.setPhotoCaption('a', 'nope', 'x', 'operator'), null);
    assert.equal((await repo.get('other'))?.version, 1);

    // The audit log has the caption's old and new text (it is registry data, not a secret).
    const captions = (await auditEntries()).filter((e) => e.table === 'shelter_photos' && e.key === 'p1');
    assert.ok(captions.some((e) => e.row.includes('Green door, left of the pharmacy') && e.row.includes('The entrance is the green door left of the pharmacy')),
      'the caption change is in the audit log with both texts');

    const reordered = await repo.reorderPhotos('a', ['p3', 'p1', 'p2'], 'operator');
    assert.deepEqual(reordered?.photos?.map((p) => p.id), ['p3', 'p1', 'p2']);
    assert.equal(reordered?.version, 7);
    assert.deepEqual((await repo.history('a')).at(-1)?.changes, { photos: { old: ['p1', 'p2', 'p3'], new: ['p3', 'p1', 'p2'] } });
    assert.deepEqual((await repo.get('a'))?.photos?.map((p) => p.id), ['p3', 'p1', 'p2']);
    assert.deepEqual((await repo.list()).find((s) => s.id === 'a')?.photos?.map((p) => p.id), ['p3', 'p1', 'p2']);
    assert.equal((await repo.reorderPhotos('a', ['p3', 'p1', 'p2'], 'operator'))?.version, 7, 'the same order again changes nothing');
    for (const bad of [['p3', 'p1'], ['p3', 'p1', 'p1'], ['p3', 'p1', 'p2', 'p4'], ['p3', 'p1', 'x']]) {
      assert.equal(await repo.reorderPhotos('a', bad, 'operator'), null, `refused: ${bad.join(',')}`);
    }
    assert.equal(await repo.reorderPhotos('missing', [], 'operator'), null);
    assert.equal((await repo.get('a'))?.version, 7, 'refused orders write nothing');
    const p4 = { id: 'p4', contentType: 'image/png' as const, size: PNG.length, addedAt: at(4), caption: null };
    assert.deepEqual((await repo.addPhoto('a', p4, PNG, 'operator'))?.photos?.map((p) => p.id), ['p3', 'p1', 'p2', 'p4'], 'a new photo goes after the ordered ones');
    await repo.deletePhoto('a', 'p1', 'operator');
    assert.deepEqual((await repo.get('a'))?.photos?.map((p) => p.id), ['p3', 'p2', 'p4'], 'removing one keeps the others\' order');
  });

  test(`${kind}: an import that updates a shelter keeps its photos`, async (t) => {
    const { repo } = await open(t);
    const source = { name: 'muni', attribution: null, licence: null };
    const merge = (existing: Shelter | null, item: { sourceId: string; capacity: number }) => {
      const base = existing ?? shelter('imp', { source: 'muni', sourceId: item.sourceId, version: 0 });
      if (existing && existing.capacity === item.capacity) return null;
      return { next: { ...base, capacity: item.capacity, version: base.version + 1 }, changes: { capacity: { old: existing?.capacity ?? null, new: item.capacity } } };
    };
    await repo.upsertFromSource(source, [{ sourceId: 's1', capacity: 10 }], merge, 'cli');
    await repo.addPhoto('imp', { id: 'p1', contentType: 'image/png', size: PNG.length, addedAt: '2026-12-02T09:00:00.000Z', caption: 'Sign on the gate' }, PNG, 'operator');
    const result = await repo.upsertFromSource(source, [{ sourceId: 's1', capacity: 20 }], merge, 'cli');
    assert.deepEqual(result.updated.map((s) => s.photos?.map((p) => p.id)), [['p1']], 'the merge sees the stored photos');
    assert.deepEqual((await repo.get('imp'))?.photos?.map((p) => [p.id, p.caption]), [['p1', 'Sign on the gate']], 'and their captions');
    assert.ok(await repo.photo('imp', 'p1'));
  });
}

contract('sqlite', async (t) => {
  const store = await freshSqlite(t);
  return {
    repo: store.shelters,
    auditEntries: async () => (store.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Array<Record<string, unknown>>)
      .map((r) => ({ table: String(r.tbl), key: String(r.key), row: JSON.stringify(r) })),
  };
});
contract('postgres', async (t) => {
  const store = await freshPostgres(t);
  return {
    repo: store.shelters,
    auditEntries: async () => (await store.pool.query('SELECT * FROM audit_log ORDER BY seq')).rows
      .map((r) => ({ table: String(r.tbl), key: String(r.key), row: JSON.stringify(r) })),
  };
});
