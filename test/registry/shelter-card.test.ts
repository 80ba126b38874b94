// The shelter card's registry side (issue 14): validation of the new fields with clear errors, reading links from
// registry cells, the column names recognised, and what the real registries in /work/shared/data carry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkShelterInput, checkLinks, MAX_LINKS, TEXT_LIMITS } from '../../src/registry/index.ts';
import { SYNONYMS, normaliseHeader, mapColumns } from '../../src/registry/import/columns.ts';
import { links, hrefs, linkLabel } from '../../src/registry/import/values.ts';
import { readTable, prepareImport } from '../../src/registry/import/index.ts';
import { sheltersToCsv, sheltersToExportGeoJson, shelterFeature } from '../../src/registry/export.ts';
import { sniffImage } from '../../src/server/routes/shelter-photos.ts';
import { SHARED } from '../helpers.ts';

test('validation: the card fields are bounded text, links are http(s) only, bounded in number and length', () => {
  assert.deepEqual(checkShelterInput({ entrance: 'Door on the left', floor: '-2', openingHours: 'Mo-Fr 08:00-18:00', links: [{ label: 'Waze', url: 'https://waze.com/ul?ll=1,2' }, { url: 'http://example.org' } as never] }, false), []);
  assert.deepEqual(checkShelterInput({ entrance: 'x'.repeat(TEXT_LIMITS.entrance + 1) }, false), [{ field: 'entrance', reason: `must be at most ${TEXT_LIMITS.entrance} characters (has ${TEXT_LIMITS.entrance + 1})` }]);
  assert.deepEqual(checkShelterInput({ floor: 2 as never }, false), [{ field: 'floor', reason: 'must be a string or null' }]);
  assert.deepEqual(checkShelterInput({ openingHours: null }, false), []);
  const reasons = (l: unknown) => checkLinks(l).map((p) => `${p.field}: ${p.reason}`);
  assert.deepEqual(reasons('https://x.org'), ['links: must be a list of { url, label } objects']);
  assert.deepEqual(reasons([{ url: 'javascript:alert(1)' }]), ['links[0].url: must be an http:// or https:// address (got "javascript:alert(1)")']);
  assert.deepEqual(reasons([{ url: 'data:text/html,<script>' }, { url: '/relative' }, { url: 'https://' }]), [
    'links[0].url: must be an http:// or https:// address (got "data:text/html,<script>")',
    'links[1].url: must be an http:// or https:// address (got "/relative")',
    'links[2].url: must be an http:// or https:// address (got "https://")',
  ]);
  assert.deepEqual(reasons([{ label: 'x' }]), ['links[0].url: is required and must be a string']);
  assert.deepEqual(reasons([{ url: 'https://x.org', label: 'y'.repeat(201) }]), ['links[0].label: must be at most 200 characters (has 201)']);
  assert.deepEqual(reasons([{ url: 'https://x.org/' + 'a'.repeat(2000) }]), ['links[0].url: must be at most 2000 characters (has 2014)']);
  assert.deepEqual(reasons([{ url: 'https://x.org', colour: 'red' }]), ['links[0].colour: is not a link field (url, label)']);
  assert.deepEqual(reasons(Array.from({ length: MAX_LINKS + 1 }, () => ({ url: 'https://x.org' }))), [`links: must have at most ${MAX_LINKS} links (has ${MAX_LINKS + 1})`]);
});

test('links in cells: space-separated addresses, www., our JSON export, <a href>, known sites named', () => {
  assert.deepEqual(links('https://a.org/x https://b.org'), [{ label: null, url: 'https://a.org/x' }, { label: null, url: 'https://b.org' }]);
  assert.deepEqual(links('www.kk.dk'), [{ label: null, url: 'https://www.kk.dk' }]);
  assert.deepEqual(links('https://www.waze.com/ul?ll=1,2&amp;navigate=yes'), [{ label: 'Waze', url: 'https://www.waze.com/ul?ll=1,2&navigate=yes' }]);
  assert.deepEqual(links('[{"label":"Plan","url":"https://x.org/p.pdf"},"https://maps.google.com/?q=1,2"]'), [{ label: 'Plan', url: 'https://x.org/p.pdf' }, { label: 'Google Maps', url: 'https://maps.google.com/?q=1,2' }]);
  assert.equal(links(''), null);
  assert.equal(links('-'), null);
  assert.equal(links('n/a'), null);
  assert.equal(links('javascript:alert(1)'), undefined);
  assert.equal(links('see the website'), undefined);
  assert.equal(links('[{"url": 5}]'), undefined);
  assert.deepEqual(hrefs('<a rel="noopener" href="https://www.waze.com/ul?ll=31.79%2C35.22&amp;navigate=yes" target="_blank">25 Yoel St.</a>'), ['https://www.waze.com/ul?ll=31.79%2C35.22&navigate=yes']);
  assert.deepEqual(hrefs('<a href="javascript:alert(1)">x</a> <a href=\'https://ok.org\'>y</a>'), ['https://ok.org']);
  assert.deepEqual(hrefs('plain text'), []);
  assert.equal(linkLabel('https://ul.waze.com/ul?place=x'), 'Waze');
  assert.equal(linkLabel('https://www.google.com/maps/dir/?api=1'), 'Google Maps');
  assert.equal(linkLabel('https://www.google.com/search?q=maps'), null);
  assert.equal(linkLabel('https://www.openstreetmap.org/node/1'), 'OpenStreetMap');
  assert.equal(linkLabel('https://evilwaze.com/'), null, 'only the site itself and its subdomains');
});

test('column names: every synonym is written as headers are normalised; the card columns are found in several languages', () => {
  for (const [field, list] of Object.entries(SYNONYMS)) for (const s of list) assert.equal(normaliseHeader(s), s, `${field} synonym "${s}" can never match`);
  const fields = (headers: string[]) => mapColumns(headers).fields;
  assert.deepEqual(fields(['lat', 'lon', 'capacity', 'Entrance', 'Floor', 'Opening hours', 'URL', 'Waze']),
    { lat: 'lat', lon: 'lon', capacity: 'capacity', entrance: 'Entrance', floor: 'Floor', openingHours: 'Opening hours', link: 'URL', mapLink: 'Waze' });
  assert.deepEqual(fields(['Indgang', 'Etage', 'Åbningstider', 'Hjemmeside']), { entrance: 'Indgang', floor: 'Etage', openingHours: 'Åbningstider', link: 'Hjemmeside' });
  assert.deepEqual(fields(['Вход', 'Этаж', 'Часы работы', 'Сайт']), { entrance: 'Вход', floor: 'Этаж', openingHours: 'Часы работы', link: 'Сайт' });
  assert.deepEqual(fields(['مدخل', 'طابق', 'ساعات العمل', 'موقع']), { entrance: 'مدخل', floor: 'طابق', openingHours: 'ساعات العمل', link: 'موقع' });
  assert.deepEqual(fields(['Eingang', 'Stockwerk', 'Öffnungszeiten', 'Webseite']), { entrance: 'Eingang', floor: 'Stockwerk', openingHours: 'Öffnungszeiten', link: 'Webseite' });
});

test('the real registries: Jerusalem carries a navigation link per shelter (a column, or the address wrapped in a link); Copenhagen carries none', () => {
  const prepared = (file: string) => prepareImport(readTable(readFileSync(join(SHARED, file)), file));
  for (const file of ['jerusalem-shelters/shelters.csv', 'jerusalem-shelters/shelters.geojson', 'jerusalem-shelters/raw_municipality.csv']) {
    const p = prepared(file);
    assert.equal(p.problems.length, 0, file);
    assert.ok(p.records.length >= 148, file);
    assert.ok(p.records.every((r) => r.links?.length === 1 && !r.links[0].url.includes('&amp;')), `${file}: one link each, entities decoded`);
    const labels = new Map<string, number>();
    for (const r of p.records) labels.set(String(r.links![0].label), (labels.get(String(r.links![0].label)) ?? 0) + 1);
    assert.deepEqual([...labels.keys()].sort(), ['Google Maps', 'Waze'], `${file}: the municipality links Waze, and Google Maps for a few`);
    assert.ok(labels.get('Waze')! > 100, file);
  }
  const raw = prepared('jerusalem-shelters/raw_municipality.csv').records[0];
  assert.equal(raw.address, '25 Yoel St.', 'the address is the link text');
  assert.equal(raw.links![0].url, 'https://www.waze.com/ul?ll=31.79069840%2C35.22133660&navigate=yes&zoom=16');
  const cph = prepared('copenhagen-shelters/shelters.geojson');
  assert.equal(cph.records.length, 1852);
  assert.ok(cph.records.every((r) => r.links === undefined && r.entrance === undefined && r.floor === undefined && r.openingHours === undefined));
});

test('export: the card fields round-trip through CSV and GeoJSON; the API record always has them', () => {
  const at = '2026-12-01T00:00:00.000Z';
  const s = {
    id: 's1', name: 'A', address: null, lat: 55.1, lon: 12.1, capacity: 10, kind: 'basement', protectionClass: 'unknown', stepFree: null,
    amenities: { water: null, toilet: null, ventilation: null, power: null, petsAllowed: null }, operator: null, contact: null, access: 'unknown',
    keyHolderPhone: null, status: 'open', statusSetAt: null, statusSetBy: null, occupancy: null, occupancyAt: null, occupancyBy: null,
    lastVerifiedAt: null, lastVerifiedBy: null, source: null, sourceId: 'x1', createdAt: at, updatedAt: at, version: 1, decommissionedAt: null,
    entrance: '=HYPERLINK("x") door', floor: '-2', openingHours: 'Mo-Fr 08:00-18:00', links: [{ label: 'Plan, "new"', url: 'https://x.org/p?a=1,2' }],
    photos: [{ id: 'p1', contentType: 'image/png', size: 10, addedAt: at }],
  } as const;
  for (const [file, bytes] of [['x.csv', Buffer.from(sheltersToCsv([s as never]))], ['x.geojson', Buffer.from(JSON.stringify(sheltersToExportGeoJson([s as never])))]] as const) {
    const [r] = prepareImport(readTable(bytes, file)).records;
    assert.equal(r.entrance, s.entrance, file);
    assert.equal(r.floor, '-2', file);
    assert.equal(r.openingHours, s.openingHours, file);
    assert.deepEqual(r.links, s.links, file);
  }
  assert.ok(!sheltersToCsv([s as never]).includes('p1'), 'photos are not exported');
  const bare = shelterFeature({ ...s, entrance: undefined, floor: undefined, openingHours: undefined, links: undefined, photos: undefined } as never).properties;
  assert.deepEqual([bare.entrance, bare.floor, bare.openingHours, bare.links, bare.photos], [null, null, null, [], []]);
  assert.deepEqual(shelterFeature(s as never).properties.photos, [{ ...s.photos[0], url: '/api/shelters/s1/photos/p1' }]);
});

test('photo types are read from the bytes', () => {
  assert.equal(sniffImage(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')), 'image/png');
  assert.equal(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0])), 'image/jpeg');
  assert.equal(sniffImage(Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8L'), Buffer.alloc(4)])), 'image/webp');
  assert.equal(sniffImage(Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt '), Buffer.alloc(4)])), null, 'a RIFF that is not WebP');
  assert.equal(sniffImage(Buffer.from('GIF89a......')), null);
  assert.equal(sniffImage(Buffer.from('<html><body>')), null);
  assert.equal(sniffImage(Buffer.from('<?xml version="1.0"?><svg/>')), null);
  assert.equal(sniffImage(Buffer.from([0x89, 0x50])), null, 'too short to be anything');
});
