// Captions of shelter photos over HTTP (issue 14): given at upload (?caption=), changed with PATCH, validated with a
// 400 naming the field (never a 500), returned by the API and the public snapshot, in the history; photos reordered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers.ts';
import { MAX_CAPTION_CHARS, normalizeCaption } from '../../src/registry/index.ts';

const base = { name: 'Rådhuskælderen', lat: 55.6761, lon: 12.5683, capacity: 300, kind: 'basement' };
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);
const ARABIC = 'المدخل هو الباب الأخضر على يسار الصيدلية';

test('normalizeCaption: trimmed, NFC, empty is none, control characters and over-long text refused', () => {
  assert.deepEqual(normalizeCaption('  Green door  '), { caption: 'Green door' });
  assert.deepEqual(normalizeCaption('   '), { caption: null });
  assert.deepEqual(normalizeCaption(null), { caption: null });
  assert.deepEqual(normalizeCaption(undefined), { caption: null });
  assert.deepEqual(normalizeCaption('Cafe\u0301'), { caption: 'Café' }, 'NFC: the same text is stored the same way');
  assert.deepEqual(normalizeCaption(ARABIC), { caption: ARABIC });
  assert.deepEqual(normalizeCaption('\u200fשלום Pharmacy'), { caption: '\u200fשלום Pharmacy' }, 'direction marks are allowed');
  for (const bad of ['a\nb', 'a\tb', 'x\u0000', '\u001b[31mred', 'a\u0085b', 'door\n']) {
    assert.match(JSON.stringify(normalizeCaption(bad)), /control characters/, JSON.stringify(bad));
  }
  assert.deepEqual(normalizeCaption(5), { reason: 'must be a string or null' });
  assert.deepEqual(normalizeCaption('א'.repeat(MAX_CAPTION_CHARS)), { caption: 'א'.repeat(MAX_CAPTION_CHARS) });
  assert.deepEqual(normalizeCaption('😀'.repeat(MAX_CAPTION_CHARS)), { caption: '😀'.repeat(MAX_CAPTION_CHARS) }, 'counted in characters, not UTF-16 units');
  assert.deepEqual(normalizeCaption('x'.repeat(MAX_CAPTION_CHARS + 1)), { reason: `must be at most ${MAX_CAPTION_CHARS} characters (has ${MAX_CAPTION_CHARS + 1})` });
  assert.deepEqual(normalizeCaption(` ${'x'.repeat(MAX_CAPTION_CHARS)} `), { caption: 'x'.repeat(MAX_CAPTION_CHARS) }, 'the length is judged after trimming');
});

test('captions: set at upload, changed and removed with PATCH, returned by the API and the snapshot, bad input is a 400 naming the field', async (t) => {
  const s = await startTestServer(t);
  const op = s.tokens.operator;
  const id = (await s.request('POST', '/api/shelters', { token: op, body: base })).body.id;
  const upload = (query: string) => s.request('POST', `/api/shelters/${id}/photos${query}`, { token: op, raw: PNG, headers: { 'content-type': 'image/png' } });

  const first = await upload(`?caption=${encodeURIComponent('  The entrance is the green door left of the pharmacy ')}`);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.body.caption, 'The entrance is the green door left of the pharmacy', 'trimmed');
  const second = await upload(`?caption=${encodeURIComponent(ARABIC)}`);
  assert.equal(second.body.caption, ARABIC);
  const none = await upload('');
  assert.equal(none.status, 201);
  assert.equal(none.body.caption, null, 'a caption is optional');
  const empty = await upload('?caption=');
  assert.equal(empty.body.caption, null, 'an empty caption is none');
  await s.request('DELETE', empty.body.url, { token: op });

  // Refused at upload: nothing stored, 400 naming the field.
  const versionBefore = (await s.request('GET', `/api/shelters/${id}`)).body.properties.version;
  for (const [query, reason] of [
    [`?caption=${encodeURIComponent('line one\nline two')}`, /control characters/],
    [`?caption=${encodeURIComponent('x'.repeat(MAX_CAPTION_CHARS + 1))}`, /at most 300 characters/],
    [`?caption=${'x'.repeat(5000)}`, /NOT have more than|at most/],
    ['?caption=a&caption=b', /string/],
  ] as const) {
    const r = await upload(query);
    assert.equal(r.status, 400, `${query.slice(0, 40)}: ${r.text}`);
    assert.equal(r.body.field, 'querystring.caption', r.text);
    assert.match(r.text, reason);
  }
  assert.equal((await s.request('GET', `/api/shelters/${id}`)).body.properties.version, versionBefore, 'refused uploads store nothing');

  // The API and the public snapshot carry the captions, in order.
  const card = (await s.request('GET', `/api/shelters/${id}`)).body.properties;
  assert.deepEqual(card.photos.map((p: any) => [p.id, p.caption]), [[first.body.id, first.body.caption], [second.body.id, ARABIC], [none.body.id, null]]);
  const snap = await s.request('GET', '/api/shelters/snapshot', { headers: { 'accept-encoding': 'identity' } });
  assert.deepEqual(JSON.parse(snap.text).features.find((f: any) => f.id === id).properties.photos.map((p: any) => p.caption), [first.body.caption, ARABIC, null]);

  // PATCH: changes, trims, removes; refuses bad input with the field; roles; missing photo.
  const patch = (photoId: string, body: unknown, token = op) => s.request('PATCH', `/api/shelters/${id}/photos/${photoId}`, { token, body });
  const changed = await patch(none.body.id, { caption: ' Sign on the gate ' });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.body.properties.photos[2].caption, 'Sign on the gate');
  assert.equal(changed.headers.get('etag'), `"${changed.body.properties.version}"`);
  const removed = await patch(second.body.id, { caption: '' });
  assert.equal(removed.body.properties.photos[1].caption, null);
  const nulled = await patch(first.body.id, { caption: null });
  assert.equal(nulled.body.properties.photos[0].caption, null);
  const after = nulled.body.properties.version;
  for (const [body, reason] of [
    [{ caption: 'a\u0000b' }, /control characters/],
    [{ caption: 'x'.repeat(MAX_CAPTION_CHARS + 1) }, /at most 300 characters/],
    [{ caption: { text: 'x' } }, /string/],
    [{ caption: ['a'] }, /string/],
    [{ caption: 'x'.repeat(5000) }, /more than/],
  ] as const) {
    const r = await patch(first.body.id, body);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.field, 'body.caption', r.text);
    assert.match(r.text, reason);
  }
  const noField = await patch(first.body.id, { title: 'x' });
  assert.equal(noField.status, 400);
  assert.match(noField.body.field, /body\.(caption|title)/);
  const notJson = await s.request('PATCH', `/api/shelters/${id}/photos/${first.body.id}`, { token: op, raw: 'caption=x', headers: { 'content-type': 'text/plain' } });
  assert.ok(notJson.status >= 400 && notJson.status < 500, notJson.text);
  const broken = await s.request('PATCH', `/api/shelters/${id}/photos/${first.body.id}`, { token: op, raw: '{"caption": ', headers: { 'content-type': 'application/json' } });
  assert.equal(broken.status, 400, broken.text);
  assert.equal((await patch('nope', { caption: 'x' })).status, 404);
  assert.equal((await s.request('PATCH', `/api/shelters/missing/photos/${first.body.id}`, { token: op, body: { caption: 'x' } })).status, 404);
  assert.equal((await patch(first.body.id, { caption: 'x' }, s.tokens.warden)).status, 403);
  assert.equal((await s.request('PATCH', `/api/shelters/${id}/photos/${first.body.id}`, { body: { caption: 'x' } })).status, 401);
  assert.equal((await s.request('GET', `/api/shelters/${id}`)).body.properties.version, after, 'refused changes change nothing');

  const history = (await s.request('GET', `/api/shelters/${id}/history`, { token: op })).body;
  assert.deepEqual(history.at(-1).changes, { [`photos.${first.body.id}.caption`]: { old: 'The entrance is the green door left of the pharmacy', new: null } });
});

test('photos are put in order with PUT .../photos/order; a wrong list is a 400 naming body.order', async (t) => {
  const s = await startTestServer(t);
  const op = s.tokens.operator;
  const id = (await s.request('POST', '/api/shelters', { token: op, body: base })).body.id;
  const ids: string[] = [];
  for (const c of ['one', 'two', 'three']) {
    ids.push((await s.request('POST', `/api/shelters/${id}/photos?caption=${c}`, { token: op, raw: PNG, headers: { 'content-type': 'image/png' } })).body.id);
  }
  const order = (body: unknown, token = op) => s.request('PUT', `/api/shelters/${id}/photos/order`, { token, body });
  const r = await order({ order: [ids[2], ids[0], ids[1]] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.properties.photos.map((p: any) => p.caption), ['three', 'one', 'two']);
  assert.deepEqual((await s.request('GET', `/api/shelters/${id}`)).body.properties.photos.map((p: any) => p.caption), ['three', 'one', 'two']);
  const version = r.body.properties.version;
  for (const bad of [[ids[0], ids[1]], [ids[0], ids[0], ids[1]], [ids[0], ids[1], 'nope'], [...ids, ids[0]]]) {
    const res = await order({ order: bad });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.field, 'body.order', res.text);
  }
  for (const bad of [{}, { order: 'x' }, { order: [1, 2, 3] }, { order: Array(13).fill('x') }]) {
    const res = await order(bad);
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.field, /^body\.order/, res.text);
  }
  assert.equal((await order({ order: ids }, s.tokens.warden)).status, 403);
  assert.equal((await s.request('PUT', '/api/shelters/missing/photos/order', { token: op, body: { order: [] } })).status, 404);
  assert.equal((await s.request('GET', `/api/shelters/${id}`)).body.properties.version, version, 'refused orders change nothing');
});
