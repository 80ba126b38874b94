// The shelter card over HTTP (issue 14): the new fields through the API, the snapshot and the export; photos uploaded
// by operators (type read from the bytes), served with their type, cacheable and nosniff, and removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers.ts';
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from '../../src/registry/index.ts';

const base = { name: 'Rådhuskælderen', lat: 55.6761, lon: 12.5683, capacity: 300, kind: 'basement' };
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([60, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(48, 3)]);

test('the card fields are created, patched, validated, and carried by the API, the snapshot and the export', async (t) => {
  const s = await startTestServer(t);
  const op = s.tokens.operator;
  const card = { entrance: 'Courtyard door, 12 steps down', floor: '-2', openingHours: 'Mo-Fr 08:00-18:00', links: [{ url: 'https://www.waze.com/ul?ll=55.6761,12.5683&navigate=yes' }] };
  const created = await s.request('POST', '/api/shelters', { token: op, body: { ...base, ...card } });
  assert.equal(created.status, 201, created.text);
  const id = created.body.id;
  assert.equal(created.body.properties.entrance, card.entrance);
  assert.equal(created.body.properties.floor, '-2');
  assert.equal(created.body.properties.openingHours, 'Mo-Fr 08:00-18:00');
  assert.deepEqual(created.body.properties.links, [{ label: null, url: card.links[0].url }]);
  assert.deepEqual(created.body.properties.photos, []);

  const plain = await s.request('POST', '/api/shelters', { token: op, body: { ...base, name: 'Plain' } });
  assert.deepEqual([plain.body.properties.entrance, plain.body.properties.floor, plain.body.properties.openingHours, plain.body.properties.links],
    [null, null, null, []], 'a shelter without card fields shows them empty, not missing');

  const badScheme = await s.request('PATCH', `/api/shelters/${id}`, { token: op, headers: { 'if-match': '"1"' }, body: { links: [{ url: 'javascript:alert(1)' }] } });
  assert.equal(badScheme.status, 400, badScheme.text);
  assert.equal(badScheme.body.field, 'links[0].url');
  assert.match(badScheme.body.errors[0].reason, /http:\/\/ or https:\/\//);
  const tooMany = await s.request('PATCH', `/api/shelters/${id}`, { token: op, headers: { 'if-match': '"1"' }, body: { links: Array.from({ length: 11 }, (_, i) => ({ url: `https://example.org/${i}` })) } });
  assert.equal(tooMany.status, 400);
  assert.match(tooMany.body.field, /links/);
  const tooLong = await s.request('PATCH', `/api/shelters/${id}`, { token: op, headers: { 'if-match': '"1"' }, body: { entrance: 'x'.repeat(1001) } });
  assert.equal(tooLong.status, 400);
  assert.equal(tooLong.body.field, 'body.entrance');
  assert.equal((await s.request('GET', `/api/shelters/${id}`)).body.properties.version, 1, 'refused changes change nothing');

  const patched = await s.request('PATCH', `/api/shelters/${id}`, { token: op, headers: { 'if-match': '"1"' }, body: { floor: 'basement 2', links: [{ label: 'Operator', url: 'https://example.org/s/1' }] } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.body.properties.floor, 'basement 2');
  assert.deepEqual(patched.body.properties.links, [{ label: 'Operator', url: 'https://example.org/s/1' }]);

  const snap = await s.request('GET', '/api/shelters/snapshot', { headers: { 'accept-encoding': 'identity' } });
  const inSnap = JSON.parse(snap.text).features.find((f: any) => f.id === id).properties;
  assert.equal(inSnap.entrance, card.entrance);
  assert.equal(inSnap.floor, 'basement 2');
  assert.deepEqual(inSnap.links, [{ label: 'Operator', url: 'https://example.org/s/1' }]);

  const csv = await s.request('GET', '/api/shelters/export?format=csv');
  const [header] = csv.text.split('\r\n');
  for (const col of ['entrance', 'floor', 'opening_hours', 'links']) assert.ok(header.split(',').includes(col), `export has ${col}`);
  assert.match(csv.text, /'-2|basement 2/);
  // The export reads back: import it as another source and compare.
  const back = await s.request('POST', '/api/shelters/import?source=roundtrip&filename=x.csv', { token: op, raw: csv.text, headers: { 'content-type': 'text/csv' } });
  assert.equal(back.status, 201, back.text);
  const all = (await s.request('GET', '/api/shelters?limit=100')).body.features.map((f: any) => f.properties);
  const copy = all.find((p: any) => p.source === 'roundtrip' && p.name === base.name);
  assert.equal(copy.entrance, card.entrance);
  assert.equal(copy.floor, 'basement 2');
  assert.equal(copy.openingHours, 'Mo-Fr 08:00-18:00');
  assert.deepEqual(copy.links, [{ label: 'Operator', url: 'https://example.org/s/1' }]);
});

test('photos: sniffed from the bytes, bounded, served cacheable with nosniff, listed on the card, removed by operators', async (t) => {
  const s = await startTestServer(t);
  const op = s.tokens.operator;
  const id = (await s.request('POST', '/api/shelters', { token: op, body: base })).body.id;
  const upload = (body: Buffer, type: string, token = op) => s.request('POST', `/api/shelters/${id}/photos`, { token, raw: body, headers: { 'content-type': type } });

  // A PNG sent as image/jpeg (a .jpg file name) is a PNG.
  const png = await upload(PNG, 'image/jpeg');
  assert.equal(png.status, 201, png.text);
  assert.equal(png.body.contentType, 'image/png');
  assert.equal(png.body.size, PNG.length);
  assert.equal(png.headers.get('location'), png.body.url);
  assert.equal(png.body.shelterVersion, 2);
  const jpeg = await upload(JPEG, 'application/octet-stream');
  assert.equal(jpeg.body.contentType, 'image/jpeg');
  const webp = await upload(WEBP, 'image/webp');
  assert.equal(webp.body.contentType, 'image/webp');

  // An HTML page claiming to be a PNG is refused (415, problem format), and so is an SVG or JSON.
  const html = await upload(Buffer.from('<!doctype html><script>alert(1)</script>'), 'image/png');
  assert.equal(html.status, 415, html.text);
  assert.equal(html.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(html.body.code, 'UNSUPPORTED_MEDIA_TYPE');
  assert.equal(html.body.field, 'body');
  const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/svg+xml');
  assert.equal(svg.status, 415);
  const json = await s.request('POST', `/api/shelters/${id}/photos`, { token: op, body: { photo: 'x' } });
  assert.equal(json.status, 415);
  // Too large: 413 in the problem format, saying the limit.
  const big = await upload(Buffer.concat([PNG, Buffer.alloc(MAX_PHOTO_BYTES, 0)]), 'image/png');
  assert.equal(big.status, 413, big.text);
  assert.equal(big.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.match(big.body.detail, /at most 2097152 bytes/);
  assert.equal(big.body.code, 'PHOTO_TOO_LARGE');
  // Roles: residents and wardens may not upload; nothing for a shelter that does not exist.
  assert.equal((await s.request('POST', `/api/shelters/${id}/photos`, { raw: PNG, headers: { 'content-type': 'image/png' } })).status, 401);
  assert.equal((await upload(PNG, 'image/png', s.tokens.warden)).status, 403);
  assert.equal((await s.request('POST', '/api/shelters/nope/photos', { token: op, raw: PNG, headers: { 'content-type': 'image/png' } })).status, 404);

  // Served: the right type, nosniff, cacheable, exactly the bytes.
  const res = await fetch(s.url + png.body.url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(res.headers.get('cache-control') ?? '', /public.*max-age=\d+/);
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(PNG));
  const again = await fetch(s.url + png.body.url, { headers: { 'if-none-match': res.headers.get('etag')! } });
  assert.equal(again.status, 304);
  const missing = await fetch(s.url + `/api/shelters/${id}/photos/nope`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { code: string }).code, 'PHOTO_NOT_FOUND');

  // The card (API and public snapshot) lists the photos by URL, never their bytes.
  const card = (await s.request('GET', `/api/shelters/${id}`)).body.properties;
  assert.deepEqual(card.photos.map((p: any) => [p.contentType, p.url]), [['image/png', png.body.url], ['image/jpeg', jpeg.body.url], ['image/webp', webp.body.url]]);
  assert.equal(card.version, 4);
  const snap = await s.request('GET', '/api/shelters/snapshot', { headers: { 'accept-encoding': 'identity' } });
  const inSnap = JSON.parse(snap.text).features.find((f: any) => f.id === id).properties;
  assert.deepEqual(inSnap.photos.map((p: any) => p.url), [png.body.url, jpeg.body.url, webp.body.url]);
  assert.ok(!snap.text.includes(PNG.toString('base64')));
  const history = (await s.request('GET', `/api/shelters/${id}/history`, { token: op })).body;
  assert.deepEqual(history.at(-1).changes.photos.new, [png.body.id, jpeg.body.id, webp.body.id]);
  assert.equal(history.at(-1).action, 'photo');

  // Removing: operators only; then gone from the card and the URL.
  assert.equal((await s.request('DELETE', png.body.url, { token: s.tokens.warden })).status, 403);
  const del = await s.request('DELETE', png.body.url, { token: op });
  assert.equal(del.status, 200, del.text);
  assert.deepEqual(del.body.properties.photos.map((p: any) => p.id), [jpeg.body.id, webp.body.id]);
  assert.equal((await fetch(s.url + png.body.url)).status, 404);
  assert.equal((await s.request('DELETE', png.body.url, { token: op })).status, 404);
  // An edit made against the version before the photos still goes through (photos do not overlap the fields).
  const edit = await s.request('PATCH', `/api/shelters/${id}`, { token: op, headers: { 'if-match': '"1"' }, body: { floor: '-1' } });
  assert.equal(edit.status, 200, edit.text);
  assert.equal(edit.body.properties.photos.length, 2, 'an edit keeps the photos');
});

test('a shelter holds at most MAX_PHOTOS photos: one more is refused with 409 TOO_MANY_PHOTOS and nothing is stored', async (t) => {
  const s = await startTestServer(t);
  const op = s.tokens.operator;
  const id = (await s.request('POST', '/api/shelters', { token: op, body: base })).body.id;
  const upload = () => s.request('POST', `/api/shelters/${id}/photos`, { token: op, raw: PNG, headers: { 'content-type': 'image/png' } });
  for (let i = 0; i < MAX_PHOTOS; i++) assert.equal((await upload()).status, 201);
  const extra = await upload();
  assert.equal(extra.status, 409, extra.text);
  assert.equal(extra.body.code, 'TOO_MANY_PHOTOS');
  assert.match(extra.body.detail, new RegExp(`already has ${MAX_PHOTOS} photos`));
  assert.equal((await s.request('GET', `/api/shelters/${id}`)).body.properties.photos.length, MAX_PHOTOS);
});
