// Anonymous callers cannot exhaust the server: bodies are bounded per route, text per field, numbers must be finite,
// public routes are rate limited per client address (which a client cannot forge), and every 429 says when to retry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers.ts';
import { bounded } from '../../src/server/route-limits.ts';

const place = { name: 'Kælder', lat: 55.68, lon: 12.57, capacity: 40 };

test('public routes refuse bodies over 16 KB with 413 before reading them; staff routes over 1 MB; imports take more', async (t) => {
  const s = await startTestServer(t);
  const big = 'x'.repeat(100 * 1024);
  for (const path of ['/api/auth/login', '/api/reports', '/api/push/subscribe']) {
    const r = await s.request('POST', path, { raw: JSON.stringify({ name: big, password: big }), headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 413, path);
    assert.equal(r.body.status, 413);
  }
  const staff = await s.request('POST', '/api/shelters', { token: s.tokens.operator, raw: JSON.stringify({ ...place, address: 'y'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } });
  assert.equal(staff.status, 413, 'a 2 MB JSON body to a staff route');
  // A 3 MB registry file is not refused for its size (it is judged on its rows).
  const rows = ['name,lat,lon,capacity', ...Array.from({ length: 60_000 }, (_, i) => `Shelter number ${i},55.${String(600000 + i).padStart(6, '0')},12.57,${i % 90 + 10}`)].join('\n');
  assert.ok(rows.length > 2 * 1024 * 1024);
  const imp = await s.request('POST', '/api/shelters/import?source=big&dryRun=true', { token: s.tokens.operator, raw: rows, headers: { 'content-type': 'text/csv' } });
  assert.equal(imp.status, 200, imp.text.slice(0, 300));
  assert.equal((await s.request('GET', '/healthz')).status, 200);
});

test('text fields have length limits on every path in; capacity and numbers must be sane and finite', async (t) => {
  const s = await startTestServer(t);
  const long = await s.request('POST', '/api/shelters', { token: s.tokens.operator, body: { ...place, address: 'a'.repeat(501) } });
  assert.equal(long.status, 400);
  assert.equal(long.body.field, 'body.address');
  const huge = await s.request('POST', '/api/shelters', { token: s.tokens.operator, body: { ...place, capacity: 1e300 } });
  assert.equal(huge.status, 400);
  assert.equal(huge.body.field, 'body.capacity');
  const inf = await s.request('POST', '/api/shelters', { token: s.tokens.operator, raw: '{"name":"A","lat":55.6,"lon":1e309}', headers: { 'content-type': 'application/json' } });
  assert.equal(inf.status, 400);
  assert.equal(inf.body.field, 'body.lon');
  const csv = `name,address,lat,lon,capacity\nA,${'b'.repeat(600)},55.68,12.57,10\nB,Vej 1,55.69,12.58,1e300\n`;
  const imp = await s.request('POST', '/api/shelters/import?source=t', { token: s.tokens.operator, raw: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(imp.status, 422);
  const reasons = imp.body.errors.map((e: { reason: string }) => e.reason).join(' | ');
  assert.match(reasons, /line 2.*at most 500 characters/);
  assert.match(reasons, /line 3.*at most 1000000/);
  assert.equal((await s.request('GET', '/api/shelters')).body.numberMatched, 0, 'nothing half-written');
  for (const q of ['lat=55.68&lon=Infinity', 'lat=55.68&lon=1e309', 'lat=NaN&lon=12.5', 'lat=55.68&lon=12.5&within=1e309']) {
    const r = await s.request('GET', `/api/nearest?${q}`);
    assert.equal(r.status, 400, q);
    assert.match(r.body.field, /^querystring\.(lat|lon|within)$/, q);
  }
  const minCap = await s.request('GET', '/api/shelters?minCapacity=1e309');
  assert.equal(minCap.status, 400);
  assert.equal(minCap.body.field, 'querystring.minCapacity');
});

test('bounded() gives every unbounded string a maxLength and every number finite bounds, leaving set ones alone', () => {
  const out = bounded({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'number', maximum: 5 }, c: { type: 'array', items: { type: ['string', 'null'] } }, d: { type: 'string', enum: ['x'] } } }) as any;
  assert.equal(out.properties.a.maxLength, 10_000);
  assert.deepEqual([out.properties.b.minimum, out.properties.b.maximum], [-1e12, 5]);
  assert.equal(out.properties.c.items.maxLength, 10_000);
  assert.equal(out.properties.d.maxLength, undefined);
});

test('heavy public reads are rate limited per client address, with Retry-After; other addresses are not', async (t) => {
  const s = await startTestServer(t, { trustProxy: ['127.0.0.1'] });
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  for (let i = 0; i < 60; i++) assert.equal((await s.request('GET', '/api/shelters?limit=1', { headers: from('198.51.100.20') })).status, 200);
  const limited = await s.request('GET', '/api/shelters?limit=1', { headers: from('198.51.100.20') });
  assert.equal(limited.status, 429);
  assert.equal(limited.body.code, 'RATE_LIMITED');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  assert.equal((await s.request('GET', '/api/shelters?limit=1', { headers: from('198.51.100.21') })).status, 200);
  assert.equal((await s.request('GET', '/api/alerts/stream', { headers: { ...from('198.51.100.20'), accept: 'text/event-stream' } }).catch(() => null)) === null, false);
});

test('a client cannot reset its limits with X-Forwarded-For: only configured proxies are believed, and only their last hop', async (t) => {
  // The proxy list does not include loopback: X-Forwarded-For from a loopback client is not believed at all.
  const s = await startTestServer(t, { trustProxy: ['10.255.0.1'] });
  const bad = { subscription: { endpoint: 'not a url' }, regions: ['X'] };
  for (let i = 0; i < 30; i++) {
    const r = await s.request('POST', '/api/push/subscribe', { body: bad, headers: { 'x-forwarded-for': `203.0.113.${i}` } });
    assert.equal(r.status, 400);
  }
  const limited = await s.request('POST', '/api/push/subscribe', { body: bad, headers: { 'x-forwarded-for': '203.0.113.200' } });
  assert.equal(limited.status, 429, 'thirty forged addresses counted as one client');

  // Behind a trusted proxy on loopback, the client's own X-Forwarded-For entries before the proxy's are ignored.
  const p = await startTestServer(t, { trustProxy: ['127.0.0.1'] });
  for (let i = 0; i < 30; i++) {
    const r = await p.request('POST', '/api/push/subscribe', { body: bad, headers: { 'x-forwarded-for': `192.0.2.${i}, 198.51.100.99` } });
    assert.equal(r.status, 400);
  }
  assert.equal((await p.request('POST', '/api/push/subscribe', { body: bad, headers: { 'x-forwarded-for': '192.0.2.250, 198.51.100.99' } })).status, 429);
  assert.equal((await p.request('POST', '/api/push/subscribe', { body: bad, headers: { 'x-forwarded-for': '198.51.100.98' } })).status, 400);
});

test('trustProxy must name proxies: trusting every sender of X-Forwarded-For is refused at start', async (t) => {
  await assert.rejects(startTestServer(t, { trustProxy: true as unknown as string[] }), /trustProxy must list/);
  await assert.rejects(startTestServer(t, { trustProxy: [] }), /trustProxy must list/);
});

test('report floods get 429 with Retry-After', async (t) => {
  const s = await startTestServer(t);
  const created = await s.request('POST', '/api/shelters', { token: s.tokens.operator, body: place });
  const id = created.body.id;
  const kinds = ['locked', 'closed', 'missing'];
  let last;
  for (let i = 0; i < 25; i++) {
    // distinct shelters so duplicates are not folded
    const sh = i === 0 ? id : (await s.request('POST', '/api/shelters', { token: s.tokens.operator, body: { ...place, name: `S${i}`, lat: 55.6 + i / 1000 } })).body.id;
    last = await s.request('POST', '/api/reports', { body: { shelterId: sh, kind: kinds[i % 3] } });
    if (last.status === 429) break;
  }
  assert.equal(last!.status, 429);
  assert.equal(last!.body.code, 'TOO_MANY_REPORTS');
  assert.equal(last!.headers.get('retry-after'), '3600');
});

test('CSV export neutralises formulas, and import reads them back as they were', async (t) => {
  const s = await startTestServer(t);
  const name = '=HYPERLINK("http://evil.example","Click")';
  await s.request('POST', '/api/shelters', { token: s.tokens.operator, body: { ...place, name, address: '+45 33 33 33 33', sourceId: 'f1', source: 'x' } });
  const csv = await s.request('GET', '/api/shelters/export?format=csv', { token: s.tokens.operator });
  assert.equal(csv.status, 200);
  const row = csv.text.split('\r\n')[1];
  assert.match(row, /"'=HYPERLINK\(""http:\/\/evil\.example"",""Click""\)"/);
  assert.match(row, /,'\+45 33 33 33 33,/);
  assert.doesNotMatch(row, /(^|,)=/);
  assert.match(row, /,12\.57,/, 'numbers are left alone');
  const back = await s.request('POST', '/api/shelters/import?source=back', { token: s.tokens.operator, raw: csv.text, headers: { 'content-type': 'text/csv' } });
  assert.equal(back.status, 201, back.text.slice(0, 300));
  const again = await s.request('GET', '/api/shelters?q=HYPERLINK');
  assert.ok(again.body.features.every((f: { properties: { name: string } }) => f.properties.name === name));
  assert.equal(again.body.features.length, 2);
});

test('GeoJSON Feature.id is the source id when the properties carry none', async (t) => {
  const s = await startTestServer(t);
  const fc = (extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'FeatureCollection', features: [
    { type: 'Feature', id: 'bunker-7', geometry: { type: 'Point', coordinates: [12.57, 55.68] }, properties: { name: 'A', capacity: 10, ...extra } },
    { type: 'Feature', id: 42, geometry: { type: 'Point', coordinates: [12.58, 55.69] }, properties: { name: 'B', capacity: 20, ...extra } },
  ] });
  const r = await s.request('POST', '/api/shelters/import?source=gj&filename=a.geojson', { token: s.tokens.operator, raw: fc(), headers: { 'content-type': 'application/geo+json' } });
  assert.equal(r.status, 201, r.text.slice(0, 300));
  const ids = (await s.request('GET', '/api/shelters')).body.features.map((f: { properties: { sourceId: string } }) => f.properties.sourceId).sort();
  assert.deepEqual(ids, ['42', 'bunker-7']);
  // Moved and renamed at the source, the same ids update the same records.
  const moved = await s.request('POST', '/api/shelters/import?source=gj&filename=a.geojson', { token: s.tokens.operator, raw: fc({ name: 'Renamed' }), headers: { 'content-type': 'application/geo+json' } });
  assert.equal(moved.body.updated, 2);
  assert.equal(moved.body.imported, 0);
  // An id column in the properties wins (our own export puts Refuge's id in Feature.id and the source's in source_id).
  const own = await s.request('POST', '/api/shelters/import?source=gj2&filename=a.geojson', { token: s.tokens.operator, raw: fc({ ref: 'R1' }).replace('"R1"},', '"R2"},'), headers: { 'content-type': 'application/geo+json' } });
  assert.equal(own.status, 201, own.text.slice(0, 300));
  const refs = (await s.request('GET', '/api/shelters?q=A')).body.features.filter((f: { properties: { source: string } }) => f.properties.source === 'gj2').map((f: { properties: { sourceId: string } }) => f.properties.sourceId);
  assert.ok(refs.every((x: string) => x.startsWith('R')), String(refs));
});

test('/metrics answers loopback by default, otherwise only a configured address or the scrape secret (Basic auth)', async (t) => {
  const open = await startTestServer(t);
  assert.equal((await open.request('GET', '/metrics')).status, 200);
  const closed = await startTestServer(t, { metrics: { allow: ['10.0.0.0/8'], token: 'prometheus-scrape-token-1' } });
  const refused = await closed.request('GET', '/metrics');
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, 'METRICS_NOT_ALLOWED');
  const basic = (secret: string) => ({ authorization: `Basic ${Buffer.from(`prometheus:${secret}`).toString('base64')}` });
  assert.equal((await closed.request('GET', '/metrics', { headers: basic('wrong') })).status, 403);
  const ok = await closed.request('GET', '/metrics', { headers: basic('prometheus-scrape-token-1') });
  assert.equal(ok.status, 200);
  assert.match(ok.text, /refuge_http_requests_total/);
  await assert.rejects(startTestServer(t, { metrics: { allow: ['not-an-address'] } }), /not an IP address/);
});
