// Stock over real HTTP: the interfaces scripts rely on, roles, problem documents, CSV reports, and the concurrency
// bar (100 simultaneous issues of 1 against a balance of 50: exactly 50 x 201 and 50 x 409, balance 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers.ts';
import { registryCapability } from '../../src/server/capabilities/registry.ts';
import { stockCapability } from '../../src/server/capabilities/stock.ts';

/** Only the capabilities stock needs: other capabilities' work does not make these tests flaky. */
const CAPS = { capabilities: [registryCapability, stockCapability] };

async function setup(t: { after: (fn: () => Promise<void> | void) => void }) {
  const s = await startTestServer(t, CAPS);
  const op = s.tokens.operator;
  const depot = await s.request('POST', '/api/depots', { token: op, body: { name: 'Central depot', lat: 55.68, lon: 12.57, region: 'DK-84' } });
  assert.equal(depot.status, 201, depot.text);
  const item = await s.request('POST', '/api/items', { token: op, body: { name: 'Blanket', category: 'shelter', unit: 'piece' } });
  assert.equal(item.status, 201, item.text);
  return { s, op, depot: depot.body.id as string, item: item.body.id as string };
}

async function balanceOf(s: TestServer, token: string, depot: string, item: string): Promise<number> {
  const r = await s.request('GET', `/api/stock/balances?depot=${depot}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.body.balances.find((b: { item: string }) => b.item === item)?.quantity ?? 0;
}

test('depots and items answer 201 with an id; a movement 201; balances per depot', async (t) => {
  const { s, op, depot, item } = await setup(t);
  assert.equal(typeof depot, 'string');
  const r = await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'receipt', depot, item, quantity: 20, reference: 'DN-1', reason: 'donation' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.actor, 'operator');
  assert.equal(r.body.reference, 'DN-1');
  assert.ok(r.body.at);
  const issue = await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'issue', depot, item, quantity: 5, recipient: 'Red Cross team 3' } });
  assert.equal(issue.status, 201, issue.text);
  assert.equal(await balanceOf(s, op, depot, item), 15);
  const csv = await s.request('GET', `/api/stock/balances?depot=${depot}&format=csv`, { token: op });
  assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
  assert.match(csv.text, /^depot,depotName,item,/);
  assert.match(csv.text, /Blanket,shelter,piece,15,/);
});

test('stock that would go negative is refused with 409 problem+json and nothing written', async (t) => {
  const { s, op, depot, item } = await setup(t);
  await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'receipt', depot, item, quantity: 3 } });
  const r = await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'issue', depot, item, quantity: 4, unit: 'unit-7' } });
  assert.equal(r.status, 409);
  assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(r.body.code, 'INSUFFICIENT_STOCK');
  assert.equal(r.body.field, 'body.quantity');
  assert.equal(await balanceOf(s, op, depot, item), 3);
  const list = await s.request('GET', `/api/stock/movements?depot=${depot}`, { token: op });
  assert.equal(list.body.movements.length, 1);
});

test('bad input is a 400 naming the field, never a 500', async (t) => {
  const { s, op, depot, item } = await setup(t);
  const cases: Array<[unknown, string]> = [
    [{ type: 'teleport', depot, item, quantity: 1 }, 'body.type'],
    [{ type: 'receipt', depot, item, quantity: 1.5 }, 'body.quantity'],
    [{ type: 'receipt', depot, item, quantity: -2 }, 'body.quantity'],
    [{ type: 'receipt', depot, item, quantity: 'lots' }, 'body.quantity'],
    [{ type: 'issue', depot, item, quantity: 1 }, 'body.recipient'],
    [{ type: 'transfer', depot, item, quantity: 1, toDepot: depot }, 'body.toDepot'],
    [{ type: 'write-off', depot, item, quantity: 1, reason: 'bored' }, 'body.reason'],
    [{ type: 'adjustment', depot, item, quantity: 1 }, 'body.reason'],
    [{ type: 'receipt', depot, item, quantity: 1, lot: 'L1' }, 'body.lot'],
    [{ type: 'receipt', depot, item, quantity: 1, surprise: true }, 'body.surprise'],
  ];
  for (const [body, field] of cases) {
    const r = await s.request('POST', '/api/stock/movements', { token: op, body });
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.field, field, JSON.stringify(body));
  }
  const missing = await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'receipt', depot: 'nope', item, quantity: 1 } });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'DEPOT_NOT_FOUND');
  const shelter = await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'issue', depot, item, quantity: 1, shelter: 'no-such-shelter' } });
  assert.equal(shelter.status, 404);
  assert.equal(shelter.body.code, 'SHELTER_NOT_FOUND');
});

test('roles: operators and admins change stock; approvers and wardens only read; the public nothing', async (t) => {
  const { s, op, depot, item } = await setup(t);
  const admin = await s.request('POST', '/api/stock/movements', { token: s.tokens.admin, body: { type: 'receipt', depot, item, quantity: 2 } });
  assert.equal(admin.status, 201);
  const mutations: Array<[string, string, unknown]> = [
    ['POST', '/api/depots', { name: 'Another' }],
    ['POST', '/api/items', { name: 'Radio', category: 'comms', unit: 'piece' }],
    ['POST', '/api/stock/movements', { type: 'receipt', depot, item, quantity: 1 }],
    ['PUT', '/api/stock/minimums', { depot, item, minimum: 5 }],
    ['POST', '/api/stock/counts', { depot }],
    ['POST', `/api/stock/movements/${admin.body.id}/reverse`, { reason: 'x' }],
  ];
  for (const role of ['warden', 'approver'] as const) {
    for (const [method, path, body] of mutations) {
      const r = await s.request(method, path, { token: s.tokens[role], body });
      assert.equal(r.status, 403, `${role} ${method} ${path}`);
    }
    assert.equal((await s.request('GET', `/api/stock/balances?depot=${depot}`, { token: s.tokens[role] })).status, 200);
  }
  for (const [method, path, body] of mutations) assert.equal((await s.request(method, path, { body })).status, 401, `public ${method} ${path}`);
  assert.equal((await s.request('GET', `/api/stock/balances?depot=${depot}`)).status, 401);
  assert.equal((await s.request('GET', '/api/depots')).status, 401);
  assert.equal(await balanceOf(s, op, depot, item), 2);
});

test('100 simultaneous issues of 1 against a balance of 50: exactly 50 succeed, 50 are refused, the balance is 0', async (t) => {
  const { s, op, depot, item } = await setup(t);
  assert.equal((await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'receipt', depot, item, quantity: 50 } })).status, 201);
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) =>
    s.request('POST', '/api/stock/movements', { token: i % 2 ? op : s.tokens.operator2, body: { type: 'issue', depot, item, quantity: 1, recipient: `team ${i}` } })));
  const statuses = results.map((r) => r.status);
  assert.equal(statuses.filter((x) => x === 201).length, 50, JSON.stringify(statuses));
  assert.equal(statuses.filter((x) => x === 409).length, 50);
  assert.ok(results.filter((r) => r.status === 409).every((r) => r.body.code === 'INSUFFICIENT_STOCK'));
  assert.equal(await balanceOf(s, op, depot, item), 0);
  // No partial movement: exactly 50 issues, each with one line of -1, and the stock card ends at 0.
  const issues = await s.request('GET', `/api/stock/movements?depot=${depot}&type=issue&limit=500`, { token: op });
  assert.equal(issues.body.movements.length, 50);
  assert.ok(issues.body.movements.every((m: { lines: Array<{ quantity: number }> }) => m.lines.length === 1 && m.lines[0].quantity === -1));
  const card = await s.request('GET', `/api/stock/reports/stock-card?depot=${depot}&item=${item}`, { token: op });
  assert.equal(card.body.rows.length, 51);
  assert.equal(card.body.rows.at(-1).balance, 0);
  assert.ok(card.body.rows.every((r: { balance: number }) => r.balance >= 0));
});

test('reports are served as JSON and CSV; the catalogue and balances import over HTTP all or nothing', async (t) => {
  const { s, op, depot } = await setup(t);
  const bad = await s.request('POST', '/api/stock/import/catalogue', { token: op, raw: 'code,name,category,unit,decimals,tracks_lots\nW1,Water,food,litre,1,no\nW2,,food,litre,9,maybe\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(bad.status, 422, bad.text);
  assert.deepEqual(bad.body.problems.map((p: { line: number; column: string }) => [p.line, p.column]), [[3, 'tracks_lots']]);
  assert.equal((await s.request('GET', '/api/items', { token: op })).body.items.length, 1, 'nothing imported');
  const good = await s.request('POST', '/api/stock/import/catalogue', { token: op, raw: 'code,name,category,unit,decimals,tracks_lots\nW1,Water,food,litre,1,no\nK1,First-aid kit,medical,kit,0,yes\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(good.status, 200, good.text);
  assert.deepEqual(good.body, { inserted: 2, updated: 0 });
  const ob = await s.request('POST', `/api/stock/import/balances?depot=${depot}`, { token: op, raw: 'item,quantity,lot,expires,minimum\nW1,120.5,,,200\nK1,10,K-2027,2027-03-01,\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(ob.status, 200, ob.text);
  const below = await s.request('GET', '/api/stock/reports/below-minimum?format=csv', { token: op });
  assert.equal(below.status, 200);
  assert.match(below.text, /Water,litre,120\.5,200,79\.5/);
  for (const path of ['/api/stock/reports/balances', '/api/stock/reports/expiring?days=10000', '/api/stock/reports/expiring?days=400', '/api/stock/reports/issued?unit=u1']) {
    const r = await s.request('GET', path + (path.includes('?') ? '&' : '?') + 'format=csv', { token: op });
    if (path.includes('10000')) { assert.equal(r.status, 400); continue; }
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    assert.match(r.headers.get('content-type') ?? '', /text\/csv/);
  }
  const cat = await s.request('GET', '/api/items?format=csv', { token: op });
  assert.match(cat.text, /^code,name,category,unit,decimals,tracks_lots\r\n/);
});

test('reversal, transfer receipt with a difference, and a count over HTTP', async (t) => {
  const { s, op, depot, item } = await setup(t);
  const south = (await s.request('POST', '/api/depots', { token: op, body: { name: 'South' } })).body.id;
  const kit = (await s.request('POST', '/api/items', { token: op, body: { name: 'Kit', category: 'medical', unit: 'kit', tracksLots: true } })).body.id;
  const wrong = await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'receipt', depot, item, quantity: 12 } });
  const rev = await s.request('POST', `/api/stock/movements/${wrong.body.id}/reverse`, { token: s.tokens.admin, body: { reason: 'typed 12 for 21' } });
  assert.equal(rev.status, 201, rev.text);
  assert.equal(rev.body.reverses, wrong.body.id);
  assert.equal(rev.body.actor, 'admin');
  assert.equal((await s.request('GET', `/api/stock/movements/${wrong.body.id}`, { token: op })).body.reversedBy, rev.body.id);
  const again = await s.request('POST', `/api/stock/movements/${wrong.body.id}/reverse`, { token: op, body: { reason: 'twice' } });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'ALREADY_REVERSED');

  await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'receipt', depot, item: kit, quantity: 10, lot: 'A1', expires: '2099-01-01' } });
  const expiredLot = await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'receipt', depot, item: kit, quantity: 1, lot: 'OLD', expires: '2000-01-01' } });
  assert.equal(expiredLot.status, 201);
  const refused = await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'issue', depot, item: kit, quantity: 1, lot: 'OLD', unit: 'u1' } });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'LOT_EXPIRED');
  const tr = await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'transfer', depot, item: kit, quantity: 4, toDepot: south } });
  assert.equal(tr.status, 201, tr.text);
  assert.equal(tr.body.transferStatus, 'in-transit');
  const listed = await s.request('GET', '/api/stock/transfers?status=in-transit', { token: op });
  assert.equal(listed.body.transfers.length, 1);
  const noReason = await s.request('POST', `/api/stock/transfers/${tr.body.transfer}/receive`, { token: op, body: { lines: [{ lot: 'A1', quantity: 3 }] } });
  assert.equal(noReason.status, 400);
  assert.equal(noReason.body.field, 'body.reason');
  const rec = await s.request('POST', `/api/stock/transfers/${tr.body.transfer}/receive`, { token: op, body: { lines: [{ lot: 'A1', quantity: 3 }], reason: 'one kit missing on arrival' } });
  assert.equal(rec.status, 200, rec.text);
  assert.deepEqual(rec.body.lines, [{ lot: 'A1', expires: '2099-01-01', dispatched: 4, received: 3, difference: -1 }]);
  assert.equal((await s.request('POST', `/api/stock/transfers/${tr.body.transfer}/receive`, { token: op, body: {} })).status, 409);

  const count = await s.request('POST', '/api/stock/counts', { token: op, body: { depot: south } });
  assert.equal(count.status, 201);
  const lines = await s.request('POST', `/api/stock/counts/${count.body.id}/lines`, { token: op, body: { lines: [{ item: kit, lot: 'A1', counted: 2 }] } });
  assert.equal(lines.status, 200, lines.text);
  const posted = await s.request('POST', `/api/stock/counts/${count.body.id}/post`, { token: op });
  assert.equal(posted.status, 200, posted.text);
  assert.deepEqual(posted.body.adjustments.map((m: { quantity: number; counted: number }) => [m.quantity, m.counted]), [[-1, 2]]);
  assert.equal((await s.request('POST', `/api/stock/counts/${count.body.id}/post`, { token: op })).status, 409);
  const card = await s.request('GET', `/api/stock/reports/stock-card?depot=${south}&item=${kit}`, { token: op });
  assert.deepEqual(card.body.rows.map((r: { type: string; balance: number }) => [r.type, r.balance]), [['transfer-receipt', 3], ['adjustment', 2]]);
});

test('the stock routes are in the OpenAPI document, each with its roles declared', async (t) => {
  const { s } = await setup(t);
  const doc = await s.request('GET', '/openapi.json');
  assert.equal(doc.status, 200);
  for (const path of ['/api/depots', '/api/items', '/api/stock/movements', '/api/stock/balances', '/api/stock/reports/stock-card', '/api/stock/transfers/{id}/receive', '/api/stock/counts/{id}/post']) {
    assert.ok(doc.body.paths[path], `${path} is documented`);
  }
  const mine = s.app.refugeRoutes.filter((r) => /^\/api\/(stock|depots|items)/.test(r.url));
  assert.ok(mine.length >= 25);
  for (const r of mine) {
    assert.ok(r.roles?.length, `${r.method} ${r.url} declares roles`);
    assert.ok(!r.roles!.includes('public'), `${r.method} ${r.url} is not public`);
    if (r.method !== 'GET' && r.method !== 'HEAD') assert.deepEqual([...r.roles!].sort(), ['admin', 'operator'], `${r.method} ${r.url}`);
  }
});

test('with the units capability running, an issue to a unit must name an existing unit', async (t) => {
  const s = await startTestServer(t); // every capability, units included
  const op = s.tokens.operator;
  const depot = (await s.request('POST', '/api/depots', { token: op, body: { name: 'D' } })).body.id;
  const item = (await s.request('POST', '/api/items', { token: op, body: { name: 'Radio', category: 'comms', unit: 'piece' } })).body.id;
  await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'receipt', depot, item, quantity: 5 } });
  const unit = await s.request('POST', '/api/units', { token: op, body: { name: 'Rescue 7', type: 'rescue' } });
  assert.equal(unit.status, 201, unit.text);
  const ok = await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'issue', depot, item, quantity: 2, unit: unit.body.id } });
  assert.equal(ok.status, 201, ok.text);
  const typo = await s.request('POST', '/api/stock/movements', { token: op, body: { type: 'issue', depot, item, quantity: 1, unit: 'no-such-unit' } });
  assert.equal(typo.status, 404);
  assert.equal(typo.body.code, 'UNIT_NOT_FOUND');
  assert.equal(typo.body.field, 'body.unit');
  const report = await s.request('GET', `/api/stock/reports/issued?unit=${unit.body.id}`, { token: op });
  assert.deepEqual(report.body.totals.map((x: { itemName: string; quantity: number }) => [x.itemName, x.quantity]), [['Radio', 2]]);
  const none = await s.request('GET', '/api/stock/reports/issued', { token: op });
  assert.equal(none.status, 400);
  assert.equal(none.body.field, 'querystring.unit');
});
