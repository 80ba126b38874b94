// The units API over real HTTP on a real SQLite file: the interfaces scripts rely on, role checks, answers and their
// changes, personal links, region-wide call-ups, cancel and close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inMinutes, post, seedUnits, startUnitsServer } from './helpers.ts';
import { setEnv } from '../alerts-delivery/push-endpoint.ts';

test('units and members: 201 with ids; bad input names the field; only operators and admins create', async (t) => {
  const server = await startUnitsServer(t);
  const ids = await seedUnits(server);
  const list = await server.request('GET', '/api/units', { token: server.tokens.approver });
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.units.map((u: { name: string }) => u.name), ['Brovary first aid', 'Bucha rescue', 'Sderot rescue']);
  const bucha = await server.request('GET', `/api/units/${ids.bucha}`, { token: server.tokens.admin });
  assert.deepEqual(bucha.body.members.map((m: { name: string; role: string; userName: string | null }) => [m.name, m.role, m.userName]), [['Olena', 'leader', 'warden'], ['Petro', 'medic', null]]);
  assert.deepEqual(bucha.body.base, { lat: 50.2, lon: 30.2, address: 'Depot 1' });

  const bad = async (path: string, body: unknown, status: number, field: string) => {
    const r = await server.request('POST', path, { token: server.tokens.operator, body });
    assert.equal(r.status, status, `${path} ${JSON.stringify(body)}: ${r.text}`);
    assert.match(r.headers.get('content-type') ?? '', /problem\+json/);
    assert.equal(r.body.field, field);
  };
  await bad('/api/units', { name: 'X', type: 'catering' }, 400, 'body.type');
  await bad('/api/units', { type: 'rescue' }, 400, 'body.name');
  await bad('/api/units', { name: 'X', type: 'rescue', region: 'NOWHERE' }, 404, 'body.region');
  await bad('/api/units', { name: 'X', type: 'rescue', base: { lat: 91, lon: 0 } }, 400, 'body.base.lat');
  await bad(`/api/units/${ids.bucha}/members`, { name: 'Y', role: 'member', user: 'nobody' }, 400, 'body.user');
  await bad(`/api/units/${ids.bucha}/members`, { name: 'Y', role: 'member', contact: { email: 'not-an-address' } }, 400, 'body.contact.email');
  await bad(`/api/units/${ids.bucha}/members`, { name: 'Y', role: 'member', certificates: [{ name: 'C', expires: '2027-02-30' }] }, 400, 'body.certificates[0].expires');
  await bad(`/api/units/${ids.bucha}/members`, { name: 'Y', role: 'member', availability: 'on-leave' }, 400, 'body.availableFrom');
  await bad('/api/units/nope/members', { name: 'Y', role: 'member' }, 404, 'params.id');

  for (const who of ['warden', 'approver', null] as const) {
    const r = await server.request('POST', '/api/units', { token: who ? server.tokens[who] : undefined, body: { name: 'Z', type: 'rescue' } });
    assert.equal(r.status, who ? 403 : 401, `${who} creating a unit`);
    const m = await server.request('POST', `/api/units/${ids.bucha}/members`, { token: who ? server.tokens[who] : undefined, body: { name: 'Z', role: 'member' } });
    assert.equal(m.status, who ? 403 : 401);
  }
  assert.equal((await server.request('GET', '/api/units')).status, 401, 'the public does not see members and their contacts');
  assert.equal((await server.request('GET', '/api/units', { token: server.tokens.warden })).status, 403);
  const units = await server.request('GET', '/api/units', { token: server.tokens.admin });
  assert.equal(units.body.units.length, 3, 'refused requests changed nothing');

  // Changes: fields not given stay; members go on leave.
  const renamed = await server.request('PATCH', `/api/units/${ids.bucha}`, { token: server.tokens.operator, body: { name: 'Bucha rescue team', requiredRoles: ['leader'] } });
  assert.equal(renamed.status, 200, renamed.text);
  assert.deepEqual([renamed.body.unit.name, renamed.body.unit.type, renamed.body.unit.regionCode, renamed.body.unit.requiredRoles], ['Bucha rescue team', 'rescue', 'UA-30-1', ['leader']]);
  assert.equal((await server.request('PATCH', `/api/units/${ids.bucha}`, { token: server.tokens.warden, body: { name: 'x' } })).status, 403);
  assert.equal((await server.request('PATCH', `/api/units/${ids.bucha}`, { token: server.tokens.operator, body: { region: 'NOWHERE' } })).body.field, 'body.region');
  const leave = await server.request('PATCH', `/api/units/members/${ids.petro}`, { token: server.tokens.operator, body: { availability: 'on-leave', availableFrom: '2099-06-01' } });
  assert.deepEqual([leave.status, leave.body.member.availability, leave.body.member.name], [200, 'on-leave', 'Petro']);
  assert.equal((await server.request('PATCH', `/api/units/members/${ids.petro}`, { body: { availability: 'available' } })).status, 401);
});

test('a call-up reaches the available members; answers count, change until the deadline, and the state shows strength and missing roles', async (t) => {
  const server = await startUnitsServer(t);
  const ids = await seedUnits(server);
  const created = await server.request('POST', '/api/callups', { token: server.tokens.operator, body: { units: [ids.bucha, ids.brovary], message: 'Flooding: report to the depot', reportTo: 'Depot 1', deadline: inMinutes(60) } });
  assert.equal(created.status, 201, created.text);
  const id = created.body.id as string;
  assert.equal(created.body.recipients, 3, 'Taras is on leave and not called');
  assert.deepEqual(created.body.links.map((l: { name: string }) => l.name).sort(), ['Iryna', 'Petro'], 'personal links for members without an account');
  const petroLink = created.body.links.find((l: { name: string }) => l.name === 'Petro');
  assert.match(petroLink.url, new RegExp(`/answer/${petroLink.token}$`));
  assert.match(petroLink.text, /Flooding: report to the depot.*Report to: Depot 1.*Answer here: http/);

  let state = (await server.request('GET', `/api/callups/${id}`, { token: server.tokens.operator })).body;
  assert.deepEqual(state.counts, { coming: 0, unavailable: 0, pending: 3 });

  // The member signed in (Olena is the warden account), the personal link (Petro), an operator on the phone (Iryna).
  const olena = await server.request('POST', `/api/callups/${id}/answers`, { token: server.tokens.warden, body: { member: ids.olena, answer: 'coming', etaMinutes: 20 } });
  assert.equal(olena.status, 200, olena.text);
  assert.equal(olena.body.via, 'account');
  const petro = await server.request('POST', `/api/callups/${id}/answers`, { body: { member: ids.petro, answer: 'unavailable', reason: 'abroad', token: petroLink.token } });
  assert.equal(petro.status, 200, petro.text);
  assert.equal(petro.body.via, 'link');
  const iryna = await server.request('POST', `/api/callups/${id}/answers`, { token: server.tokens.operator, body: { member: ids.iryna, answer: 'coming', etaMinutes: 600 } });
  assert.equal(iryna.body.via, 'operator');

  state = (await server.request('GET', `/api/callups/${id}`, { token: server.tokens.operator })).body;
  assert.deepEqual(state.counts, { coming: 2, unavailable: 1, pending: 0 });
  const bucha = state.units.find((u: { id: string }) => u.id === ids.bucha);
  assert.deepEqual(bucha.counts, { coming: 1, unavailable: 1, pending: 0 });
  assert.deepEqual(bucha.missingRoles, ['medic'], 'the medic is not coming');
  assert.equal(state.expectedStrength, 1, 'Iryna arrives after the deadline');

  // Petro changes his mind through the same link.
  const changed = await server.request('POST', `/api/callups/${id}/answers`, { body: { answer: 'coming', etaMinutes: 30, token: petroLink.token } });
  assert.equal(changed.status, 200, changed.text);
  state = (await server.request('GET', `/api/callups/${id}`, { token: server.tokens.operator })).body;
  assert.deepEqual(state.units.find((u: { id: string }) => u.id === ids.bucha).missingRoles, []);
  assert.equal(state.expectedStrength, 2);
  const log = (await server.request('GET', `/api/callups/${id}/answers`, { token: server.tokens.operator })).body.answers;
  assert.deepEqual(log.map((a: { answer: string; via: string }) => [a.answer, a.via]), [['coming', 'account'], ['unavailable', 'link'], ['coming', 'operator'], ['coming', 'link']]);

  // Bad answers name the field; coming needs an ETA.
  const noEta = await server.request('POST', `/api/callups/${id}/answers`, { token: server.tokens.operator, body: { member: ids.iryna, answer: 'coming' } });
  assert.equal(noEta.status, 400);
  assert.equal(noEta.body.field, 'body.etaMinutes');
  const wrong = await server.request('POST', `/api/callups/${id}/answers`, { token: server.tokens.operator, body: { member: ids.iryna, answer: 'maybe' } });
  assert.equal(wrong.body.field, 'body.answer');
  const notCalled = await server.request('POST', `/api/callups/${id}/answers`, { token: server.tokens.operator, body: { member: ids.taras, answer: 'unavailable' } });
  assert.equal(notCalled.status, 400);
  assert.equal(notCalled.body.code, 'NOT_CALLED_UP');
});

test('role checks on answers: members answer only for themselves, links only for their member and call-up, the public not at all', async (t) => {
  const server = await startUnitsServer(t);
  const ids = await seedUnits(server);
  const first = await post(server, '/api/callups', { units: [ids.bucha, ids.brovary], message: 'Drill', deadline: inMinutes(60), exercise: true });
  const second = await post(server, '/api/callups', { units: [ids.bucha], message: 'Second', deadline: inMinutes(60) });
  assert.equal(first.callup.exercise, true);
  const petroFirst = first.links.find((l: { name: string }) => l.name === 'Petro').token as string;
  const irynaFirst = first.links.find((l: { name: string }) => l.name === 'Iryna').token as string;
  const answer = (callup: string, body: Record<string, unknown>, token?: string) => server.request('POST', `/api/callups/${callup}/answers`, { token, body: { answer: 'unavailable', reason: 'x', ...body } });

  assert.equal((await answer(first.id, { member: ids.petro })).status, 401, 'anonymous without a link');
  assert.equal((await answer(first.id, { member: ids.petro }, server.tokens.warden)).status, 403, 'the warden account is Olena, not Petro');
  assert.equal((await answer(first.id, { member: ids.iryna, token: petroFirst })).status, 403, "Petro's link cannot answer for Iryna");
  assert.equal((await answer(second.id, { member: ids.petro, token: petroFirst })).status, 403, "the first call-up's link cannot answer the second");
  const guessed = await answer(first.id, { token: 'A'.repeat(43) });
  assert.equal(guessed.status, 403);
  assert.equal(guessed.body.code, 'LINK_INVALID');
  assert.equal((await server.request('GET', `/api/callups/link/${'B'.repeat(43)}`)).status, 403);
  assert.equal((await answer(first.id, { member: ids.olena }, server.tokens.approver)).status, 403, 'an approver who is not a member');
  assert.equal((await answer(first.id, { token: irynaFirst })).status, 200);
  assert.equal((await answer(first.id, { member: ids.olena }, server.tokens.warden)).status, 200);

  // Only operators and admins call up, cancel, close and make links.
  for (const who of ['warden', 'approver', null] as const) {
    const token = who ? server.tokens[who] : undefined;
    const code = who ? 403 : 401;
    assert.equal((await server.request('POST', '/api/callups', { token, body: { units: [ids.bucha], message: 'x' } })).status, code);
    assert.equal((await server.request('POST', `/api/callups/${first.id}/cancel`, { token, body: {} })).status, code);
    assert.equal((await server.request('POST', `/api/callups/${first.id}/close`, { token, body: {} })).status, code);
    assert.equal((await server.request('POST', `/api/callups/${first.id}/links`, { token, body: {} })).status, code);
  }
  assert.equal((await server.request('GET', `/api/callups/${first.id}`)).status, 401);

  // New links replace the old ones.
  const fresh = await post(server, `/api/callups/${first.id}/links`, { members: [ids.petro] });
  assert.equal(fresh.links.length, 1);
  assert.equal((await answer(first.id, { token: petroFirst })).status, 403, 'the old link stopped working');
  assert.equal((await answer(first.id, { token: fresh.links[0].token })).status, 200);

  // The signed-in member sees their call-ups, the exercise marked.
  const mine = await server.request('GET', '/api/callups/mine', { token: server.tokens.warden });
  assert.deepEqual(mine.body.callups.map((c: { callup: { message: string; exercise: boolean } }) => [c.callup.message, c.callup.exercise]), [['Second', false], ['Drill', true]]);
});

test('links and answers end with the deadline and with cancel or close; everything is kept with who and when', async (t) => {
  const server = await startUnitsServer(t);
  const ids = await seedUnits(server);
  const short = await post(server, '/api/callups', { units: [ids.bucha], message: 'Quick', deadline: new Date(Date.now() + 1500).toISOString() });
  const link = short.links[0].token as string;
  assert.equal((await server.request('GET', `/api/callups/link/${link}`)).status, 200);
  const page = await server.request('GET', `/answer/${link}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Call-up for Petro/);
  const uk = await server.request('GET', `/answer/${link}`, { headers: { 'accept-language': 'uk-UA,uk;q=0.9,en;q=0.5' } });
  assert.match(uk.text, /<html lang="uk" dir="ltr">.*Виклик для Petro/s);
  const he = await server.request('GET', `/answer/${link}`, { headers: { 'accept-language': 'he' } });
  assert.match(he.text, /<html lang="he" dir="rtl">/);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const answered = await server.request('POST', `/answer/${link}`, { raw: 'answer=coming&etaMinutes=4', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'da' } });
  assert.equal(answered.status, 200);
  assert.match(answered.text, /Tak: dit svar er modtaget\..*kommer om 4 minutter/s);
  assert.equal((await server.request('GET', `/answer/${'z'.repeat(43)}`)).status, 404);
  // Wait until the deadline has passed (no timing is asserted: the test waits for the condition).
  while (Date.now() <= Date.parse(short.callup.deadline)) await new Promise((r) => setTimeout(r, 100));
  const expired = await server.request('POST', `/api/callups/${short.id}/answers`, { body: { answer: 'coming', etaMinutes: 5, token: link } });
  assert.equal(expired.status, 410);
  assert.equal(expired.body.code, 'LINK_EXPIRED');
  assert.equal((await server.request('GET', `/answer/${link}`)).status, 410);
  const late = await server.request('POST', `/api/callups/${short.id}/answers`, { token: server.tokens.warden, body: { answer: 'coming', etaMinutes: 5 } });
  assert.equal(late.status, 409);
  assert.equal(late.body.code, 'DEADLINE_PASSED');

  const open = await post(server, '/api/callups', { units: [ids.bucha], message: 'Until cancelled' });
  const cancelled = await post(server, `/api/callups/${open.id}/cancel`, { reason: 'water receded' });
  assert.deepEqual([cancelled.callup.state, cancelled.callup.endedBy, cancelled.callup.endReason], ['cancelled', 'operator', 'water receded']);
  assert.equal((await server.request('POST', `/api/callups/${open.id}/close`, { token: server.tokens.operator, body: {} })).status, 409);
  assert.equal((await server.request('POST', `/api/callups/${open.id}/answers`, { body: { answer: 'coming', etaMinutes: 1, token: open.links[0].token } })).status, 410);
  const kept = await server.request('GET', `/api/callups/${open.id}`, { token: server.tokens.approver });
  assert.deepEqual([kept.body.createdBy, kept.body.state, kept.body.counts.pending], ['operator', 'cancelled', 2]);
});

test('personal links point at REFUGE_PUBLIC_URL when it is set', async (t) => {
  const restore = setEnv({ REFUGE_PUBLIC_URL: 'https://refuge.example.org/ignored/path' });
  t.after(restore);
  const server = await startUnitsServer(t);
  const ids = await seedUnits(server);
  const c = await post(server, '/api/callups', { units: [ids.brovary], message: 'x' });
  assert.match(c.links[0].url, /^https:\/\/refuge\.example\.org\/answer\/[A-Za-z0-9_-]{43}$/);
});

test('a region-wide call-up reaches the units of the region and of its sub-regions, not others', async (t) => {
  const server = await startUnitsServer(t);
  const ids = await seedUnits(server);
  const oblast = await post(server, '/api/callups', { region: 'UA-30', message: 'Oblast-wide' });
  assert.deepEqual(oblast.callup.unitIds.sort(), [ids.bucha, ids.brovary].sort());
  assert.equal(oblast.callup.regionCode, 'UA-30');
  const raion = await post(server, '/api/callups', { region: 'UA-30-2', message: 'Raion' });
  assert.deepEqual(raion.callup.unitIds, [ids.brovary]);
  const both = await server.request('POST', '/api/callups', { token: server.tokens.operator, body: { region: 'UA-30', units: [ids.bucha], message: 'x' } });
  assert.equal(both.status, 400);
  const nowhere = await server.request('POST', '/api/callups', { token: server.tokens.operator, body: { region: 'XX', message: 'x' } });
  assert.equal(nowhere.status, 404);
  assert.equal(nowhere.body.field, 'body.region');
  const past = await server.request('POST', '/api/callups', { token: server.tokens.operator, body: { region: 'UA-30', message: 'x', deadline: '2020-01-01T00:00:00Z' } });
  assert.equal(past.body.field, 'body.deadline');
});
