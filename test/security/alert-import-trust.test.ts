// Issue 9, the alert half: no single account gets an Actual alert to residents by importing CAP; imported alerts can
// be ended by our staff; a foreign Cancel cannot end our alert; imports get our limits; residents see who speaks;
// MQTT payloads are signed; the reach figure counts distinct clients. Each attack is reproduced over real HTTP
// against a real server and shown refused (or, for a trusted authority with a valid signature, accepted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { ROOT, cliStore, tempDir, type TestServer } from '../helpers.ts';
import { SseClient, expiresIn, issueAlert, reachable, startAlertServer } from '../alerts-delivery/http-helpers.ts';
import { capToXml, generateSigningKeyPair, signCap, verifyPayload, type CapAlert } from '../../src/alerts/index.ts';
import { alertServices } from '../../src/server/capabilities/alerts-lifecycle.ts';
import { MAX_REACH_PER_ADDRESS } from '../../src/alerts/delivery/index.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');
const refuge = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, env });
/** `refuge …` on the server's own store (its SQLite file, or its PostgreSQL schema). */
const refugeOn = (server: TestServer, args: string[]) => {
  const where = cliStore(server);
  return refuge([...args, ...where.args], where.env);
};

const OUR_SENDER = 'alerts@refuge.local';
const OBLAST = 'alerts@oblast.example.gov.ua';

function capAlert(over: Partial<CapAlert> & { expires?: string | null; senderName?: string | null } = {}): CapAlert {
  const { expires, senderName, ...rest } = over;
  const now = Date.now();
  return {
    identifier: `ext-${randomBytes(6).toString('hex')}`, sender: 'someone@else.example', sent: new Date(now - 1000).toISOString().replace(/\.\d+Z$/, '-00:00'),
    status: 'Actual', msgType: 'Alert', scope: 'Public', note: null, references: [],
    info: [{
      language: 'uk', category: ['Security'], event: 'Air raid', eventType: 'air-raid', stage: 'alert', urgency: 'Immediate', severity: 'Extreme',
      certainty: 'Observed', headline: 'Повітряна тривога', description: null, instruction: 'Пройдіть в укриття', onset: null,
      expires: expires === undefined ? expiresIn(30) : expires, senderName: senderName ?? null, web: null,
      areas: [{ areaDesc: 'Kyiv oblast', regionCodes: ['UA-30'], polygons: [] }],
    }],
    ...rest,
  };
}

const importXml = (server: TestServer, xml: string, token = server.tokens.approver) =>
  server.request('POST', '/api/alerts/import', { token, raw: xml, headers: { 'content-type': 'application/xml' } });

/** What residents of UA-30 see: the public list, the Atom feed. */
async function residentsSee(server: TestServer): Promise<{ ids: string[]; feed: string; alerts: any[] }> {
  const list = await server.request('GET', '/api/alerts?regions=UA-30');
  const feed = await server.request('GET', '/api/alerts/feed.atom');
  return { ids: list.body.alerts.map((a: { id: string }) => a.id), feed: feed.text, alerts: list.body.alerts };
}

/** Trusts the oblast authority with a fresh key, through the CLI on the server's database, as an operator on the host would. */
function trustOblast(server: TestServer, dir: string) {
  const pair = generateSigningKeyPair();
  const keyFile = join(dir, 'oblast.pub.pem');
  writeFileSync(keyFile, pair.publicKeyPem);
  const add = refugeOn(server, ['alerts', 'trust', 'add', '--sender', OBLAST, '--name', 'Kyiv Oblast Military Administration', '--key', keyFile, '--json']);
  assert.equal(add.status, 0, add.stderr);
  assert.equal(JSON.parse(add.stdout).keyId, pair.keyId);
  return pair;
}

test('one account alone cannot get an Actual alert out by importing: own sender, untrusted sender, trusted sender with a bad or missing signature; a valid trusted signature goes live', async (t) => {
  const logged: Array<{ level: number; msg: string; sender?: string }> = [];
  const server = await startAlertServer(t, { logger: { level: 'warn', stream: { write: (line: string) => void logged.push(JSON.parse(line)) } } });
  const dir = tempDir(t);
  const oblastKey = trustOblast(server, dir);
  const list = refugeOn(server, ['alerts', 'trust', 'list', '--json']);
  assert.deepEqual(JSON.parse(list.stdout).map((a: { sender: string }) => a.sender), [OBLAST]);
  const staffList = await server.request('GET', '/api/alerts/trusted-authorities', { token: server.tokens.operator });
  assert.deepEqual(staffList.body.authorities.map((a: { sender: string; keyId: string }) => [a.sender, a.keyId]), [[OBLAST, oblastKey.keyId]]);
  assert.equal((await server.request('GET', '/api/alerts/trusted-authorities')).status, 401);
  const ownTrust = refugeOn(server, ['alerts', 'trust', 'add', '--sender', OUR_SENDER, '--name', 'Us', '--key', join(dir, 'oblast.pub.pem')]);
  assert.equal(ownTrust.status, 1, 'our own sender cannot be made a trusted foreign authority');

  for (const token of [server.tokens.approver, server.tokens.admin]) {
    // 1. Our own sender: refused outright, nothing stored.
    const own = await importXml(server, capToXml(capAlert({ sender: OUR_SENDER })), token);
    assert.equal(own.status, 403, own.text);
    assert.equal(own.body.code, 'IMPORT_SENDER_RESERVED');
    assert.equal(own.body.field, 'sender');
    // Our name as senderName, from another sender: refused too.
    const ownName = await importXml(server, capToXml(capAlert({ senderName: 'Refuge' })), token);
    assert.equal(ownName.status, 403, ownName.text);
    assert.equal(ownName.body.field, 'senderName');

    // 2. Another sender nobody configured: waits for a second person.
    const foreign = await importXml(server, capToXml(capAlert()), token);
    assert.equal(foreign.status, 202, foreign.text);
    assert.deepEqual([foreign.body.delivered, foreign.body.pendingApproval, foreign.body.state, foreign.body.trusted], [false, true, 'draft', false]);
    assert.match(foreign.body.notDeliveredBecause, /not a configured trusted authority/);
    // The importer cannot approve it.
    const self = await server.request('POST', `/api/alerts/${foreign.body.id}/approve`, { token, body: {} });
    assert.equal(self.status, 403, self.text);
    assert.equal(self.body.code, 'TWO_PERSON_RULE');

    // 3. A trusted sender without a signature: unverified, so it waits like any unknown sender's message.
    const unsigned = await importXml(server, capToXml(capAlert({ sender: OBLAST })), token);
    assert.equal(unsigned.status, 202, unsigned.text);
    assert.match(unsigned.body.notDeliveredBecause, /carries no signature/);
    // With another key's signature, or a changed signed document: forged or tampered, so refused outright (nothing
    // stored, nothing for an approver to wave through), and the refusal is logged naming the sender.
    const wrongKey = await importXml(server, signCap(capToXml(capAlert({ sender: OBLAST })), generateSigningKeyPair()).signedXml, token);
    assert.equal(wrongKey.status, 422, wrongKey.text);
    assert.equal(wrongKey.body.code, 'CAP_SIGNATURE_INVALID');
    assert.match(wrongKey.body.detail, new RegExp(`${OBLAST}.*signature does not verify.*not the trusted key`));
    const tampered = signCap(capToXml(capAlert({ sender: OBLAST })), oblastKey).signedXml.replace('Пройдіть в укриття', 'Stay at home');
    const changed = await importXml(server, tampered, token);
    assert.equal(changed.status, 422, changed.text);
    assert.equal(changed.body.code, 'CAP_SIGNATURE_INVALID');
    assert.match(changed.body.detail, /content changed after signing/);
  }
  const refusedLines = logged.filter((l) => /CAP import refused/.test(l.msg));
  assert.equal(refusedLines.length, 4, 'one warning per refused import');
  for (const l of refusedLines) assert.deepEqual([l.level, l.sender], [40, OBLAST]);
  const stored = (await server.request('GET', '/api/alerts?state=any', { token: server.tokens.approver })).body.alerts;
  assert.equal(stored.filter((a: { cap: { sender: string } }) => a.cap.sender === OBLAST).length, 2, 'only the two unsigned ones were kept (pending)');
  const nothing = await residentsSee(server);
  assert.deepEqual(nothing.ids, [], 'residents see none of them');
  assert.doesNotMatch(nothing.feed, /<entry>/, 'the Atom feed lists none of them');
  assert.equal((await alertServices(server.ctx).outbox.pendingOutbox(100)).length, 0, 'nothing went to the outbox (so nothing to MQTT or push)');

  // 4. A trusted authority's valid signature: live at once, shown with its configured name and marked as another authority's.
  const signed = signCap(capToXml(capAlert({ sender: OBLAST, senderName: 'Anything it claims' })), oblastKey).signedXml;
  const ok = await importXml(server, signed);
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual([ok.body.delivered, ok.body.trusted, ok.body.trust, ok.body.trustedAuthority], [true, true, 'signed', 'Kyiv Oblast Military Administration']);
  const seen = await residentsSee(server);
  assert.deepEqual(seen.ids, [ok.body.id]);
  const ev = seen.alerts[0];
  assert.deepEqual([ev.senderName, ev.foreign, ev.trust, ev.sender], ['Kyiv Oblast Military Administration', true, 'signed', OBLAST]);
  assert.match(seen.feed, /<author><name>Kyiv Oblast Military Administration<\/name><\/author>/);
  assert.match(seen.feed, /term="other-authority"/);

  // A pending import goes live when a second person approves it, and says it was reviewed.
  const pending = await importXml(server, capToXml(capAlert({ senderName: 'Neighbouring district' })));
  const approved = await server.request('POST', `/api/alerts/${pending.body.id}/approve`, { token: server.tokens.approver2, body: {} });
  assert.equal(approved.status, 200, approved.text);
  const after = await residentsSee(server);
  const reviewed = after.alerts.find((a: { id: string }) => a.id === pending.body.id);
  assert.deepEqual([reviewed.senderName, reviewed.foreign, reviewed.trust], ['Neighbouring district', true, 'reviewed']);

  // Removing the authority: its next signed message waits like any other.
  assert.equal(refugeOn(server, ['alerts', 'trust', 'remove', '--sender', OBLAST]).status, 0);
  const later = await importXml(server, signCap(capToXml(capAlert({ sender: OBLAST })), oblastKey).signedXml);
  assert.equal(later.status, 202, later.text);
});

test('imports get our limits: <expires> beyond 48 hours and <sent> in the future are refused naming the element; Exercise imports keep their mark', async (t) => {
  const server = await startAlertServer(t);
  const far = await importXml(server, capToXml(capAlert({ expires: '2099-01-01T00:00:00-00:00' })));
  assert.equal(far.status, 400, far.text);
  assert.equal(far.body.field, 'expires');
  const future = await importXml(server, capToXml(capAlert({ sent: '2099-01-01T00:00:00-00:00', expires: null })));
  assert.equal(future.status, 400, future.text);
  assert.equal(future.body.field, 'sent');
  const skewed = await importXml(server, capToXml(capAlert({ sent: new Date(Date.now() + 10 * 60_000).toISOString() })));
  assert.equal(skewed.status, 400, skewed.text);
  assert.equal((await server.request('GET', '/api/alerts?state=any', { token: server.tokens.approver })).body.alerts.length, 0, 'nothing stored');

  const drill = await importXml(server, capToXml(capAlert({ status: 'Exercise', senderName: 'Neighbouring district' })));
  assert.equal(drill.status, 201, drill.text);
  assert.equal(drill.body.delivered, true);
  const ev = (await residentsSee(server)).alerts[0];
  assert.deepEqual([ev.status, ev.exercise, ev.foreign, ev.trust], ['Exercise', true, true, 'unverified']);
  assert.match(ev.headline, /^EXERCISE - /);
});

test('imported alerts can be ended by our staff: a false alarm with one approver, or a Cancel approved by a second person; our Cancel references theirs', async (t) => {
  const server = await startAlertServer(t);
  const dir = tempDir(t);
  const key = trustOblast(server, dir);
  const stream = await SseClient.open(`${server.url}/api/alerts/stream?regions=UA-30`);
  t.after(() => stream.close());
  const live = async () => (await residentsSee(server)).ids;

  const a = await importXml(server, signCap(capToXml(capAlert({ sender: OBLAST })), key).signedXml);
  assert.equal(a.status, 201, a.text);
  assert.deepEqual(await live(), [a.body.id]);
  const fa = await server.request('POST', `/api/alerts/${a.body.id}/cancel`, { token: server.tokens.approver, body: { falseAlarm: true } });
  assert.equal(fa.status, 200, fa.text);
  assert.deepEqual([fa.body.msgType, fa.body.falseAlarm, fa.body.cap.sender], ['Cancel', true, OUR_SENDER]);
  assert.match(fa.body.cap.references[0], new RegExp(`^${OBLAST},${a.body.identifier},`));
  assert.deepEqual(await live(), [], 'delivery stopped');
  await stream.until((c) => c.events().some((e) => JSON.parse(e.data).id === fa.body.id));
  const cancelEvent = JSON.parse(stream.events().find((e) => JSON.parse(e.data).id === fa.body.id)!.data);
  assert.deepEqual(cancelEvent.replaces, [a.body.id], 'the Cancel went out on the stream');
  assert.equal((await server.request('GET', `/api/alerts/${fa.body.id}.cap`)).status, 200, 'our signed Cancel is published');

  const b = await importXml(server, signCap(capToXml(capAlert({ sender: OBLAST })), key).signedXml);
  const draft = await server.request('POST', `/api/alerts/${b.body.id}/cancel`, { token: server.tokens.operator, body: { reason: 'Wrong region' } });
  assert.equal(draft.status, 201, draft.text);
  assert.equal(draft.body.needsApproval, true);
  assert.equal((await server.request('POST', `/api/alerts/${draft.body.id}/approve`, { token: server.tokens.operator, body: {} })).status, 403);
  const done = await server.request('POST', `/api/alerts/${draft.body.id}/approve`, { token: server.tokens.approver, body: {} });
  assert.equal(done.status, 200, done.text);
  assert.deepEqual(await live(), []);
});

test('a foreign Cancel cannot end our alert; another sender\'s Cancel of a trusted alert cannot either', async (t) => {
  const server = await startAlertServer(t);
  const ours = await issueAlert(server, { regions: ['UA-30'] });
  const record = (await server.request('GET', `/api/alerts/${ours.id}`)).body;
  const cancel = capAlert({ msgType: 'Cancel', references: [`${record.cap.sender},${record.cap.identifier},${record.cap.sent}`] });
  const r = await importXml(server, capToXml(cancel));
  assert.equal(r.status, 409, r.text);
  assert.equal(r.body.code, 'IMPORT_FOREIGN_REFERENCE');
  assert.equal(r.body.field, 'references');
  assert.deepEqual((await residentsSee(server)).ids, [ours.id], 'our alert is still live');
  // Nor can a trusted authority's message touch our alert.
  const key = trustOblast(server, tempDir(t));
  const trustedCancel = signCap(capToXml({ ...cancel, identifier: 'c-2', sender: OBLAST }), key).signedXml;
  assert.equal((await importXml(server, trustedCancel)).status, 409);
  assert.deepEqual((await residentsSee(server)).ids, [ours.id]);

  // Same sender, but without its signature: an unsigned Cancel of the authority's signed (exercise) alert waits for
  // a second person instead of ending it; the signed Cancel ends it at once.
  const drill = capAlert({ sender: OBLAST, status: 'Exercise' });
  const signedDrill = await importXml(server, signCap(capToXml(drill), key).signedXml);
  assert.equal(signedDrill.body.trust, 'signed');
  const ref = `${OBLAST},${drill.identifier},${drill.sent}`;
  const unsignedCancel = await importXml(server, capToXml(capAlert({ sender: OBLAST, status: 'Exercise', msgType: 'Cancel', references: [ref] })));
  assert.equal(unsignedCancel.status, 202, unsignedCancel.text);
  assert.match(unsignedCancel.body.notDeliveredBecause, /would replace a signed alert/);
  assert.ok((await residentsSee(server)).ids.includes(signedDrill.body.id), 'the signed alert is still live');
  const signedCancel = await importXml(server, signCap(capToXml(capAlert({ sender: OBLAST, status: 'Exercise', msgType: 'Cancel', references: [ref] })), key).signedXml);
  assert.equal(signedCancel.status, 201, signedCancel.text);
  assert.deepEqual((await residentsSee(server)).ids, [ours.id], 'the authority\'s own signed Cancel ended its alert');
});

test('a draft with a character CAP cannot carry is refused with 400 naming the field; the public record of an import does not name the importer', async (t) => {
  const server = await startAlertServer(t);
  for (const [field, value] of [['headline', 'Missile\u0001 attack'], ['headline', 'Missile \uD800 attack'], ['instruction', 'Go\u001F now']]) {
    const r = await server.request('POST', '/api/alerts', { token: server.tokens.operator, body: { ...(await import('../alerts-delivery/http-helpers.ts')).draftBody(), [field]: value } });
    assert.equal(r.status, 400, `${field}: ${r.text}`);
    assert.equal(r.body.field, field);
  }
  const drill = await importXml(server, capToXml(capAlert({ status: 'Exercise' })));
  assert.equal(drill.status, 201, drill.text);
  const pub = await server.request('GET', `/api/alerts/${drill.body.id}`);
  assert.equal(pub.status, 200);
  assert.doesNotMatch(pub.text, /approver/, 'no staff name in the public record');
  assert.deepEqual([pub.body.createdBy, pub.body.origin], [null, 'import']);
  const staff = await server.request('GET', `/api/alerts/${drill.body.id}`, { token: server.tokens.operator });
  assert.equal(staff.body.origin, 'import by approver', 'staff still see who imported it');
});

test('the reach figure counts distinct clients: many streams from one address count at most MAX_REACH_PER_ADDRESS, one client id once', async (t) => {
  const server = await startAlertServer(t);
  const streams: SseClient[] = [];
  t.after(() => { for (const s of streams) s.close(); });
  const n = MAX_REACH_PER_ADDRESS + 14;
  for (let i = 0; i < n; i++) streams.push(await SseClient.open(`${server.url}/api/alerts/stream?regions=UA-30`));
  for (const s of streams) await s.until((c) => c.text.includes(': connected'));
  const issued = await issueAlert(server, { regions: ['UA-30'] });
  for (const s of streams) await s.until((c) => c.events().some((e) => e.id === String(issued.seq)));
  const figures = await server.request('GET', `/api/alerts/${issued.id}/delivery`, { token: server.tokens.operator });
  assert.equal(figures.body.stream.reached, MAX_REACH_PER_ADDRESS, `${n} streams from one address, all written to`);

  // A hub seen directly: 2,000 streams from one address, and one from another.
  const { SseHub } = await import('../../src/alerts/delivery/index.ts');
  const { reachIdentity } = await import('../../src/server/routes/alerts-stream.ts');
  const hub = new SseHub({ regions: { region: () => undefined } });
  t.after(() => hub.close());
  const sink = { write: () => true, end: () => {} };
  for (let i = 0; i < 2000; i++) hub.connect(sink, ['*'], null, reachIdentity('203.0.113.9', 'bot', `c${i}`));
  // One phone elsewhere whose page reconnected twice (the same client id): one client.
  for (let i = 0; i < 3; i++) hub.connect(sink, ['*'], null, reachIdentity('198.51.100.1', 'phone', 'x'));
  const event = { ...(await server.request('GET', '/api/alerts')).body.alerts[0], seq: 999 };
  hub.accept(event);
  assert.equal(hub.reachedCount(999), MAX_REACH_PER_ADDRESS + 1);
  // Streams opened after the alert get it by replay: the same cap, and a reloaded page (no Last-Event-ID) is not counted again.
  for (let i = 0; i < 500; i++) hub.connect(sink, ['*'], null, reachIdentity('203.0.113.9', 'bot', `late${i}`));
  hub.connect(sink, ['*'], null, reachIdentity('198.51.100.1', 'phone', 'x'));
  assert.equal(hub.reachedCount(999), MAX_REACH_PER_ADDRESS + 1);
  hub.connect(sink, ['*'], null, reachIdentity('192.0.2.7', 'phone', 'y'));
  assert.equal(hub.reachedCount(999), MAX_REACH_PER_ADDRESS + 2, 'a new resident counts');
});

test('MQTT payloads carry a signature and key id a siren controller verifies offline; a forged "verified": true does not verify; refuge verify reads the payload', async (t) => {
  const dir = tempDir(t);
  const mqttUp = await reachable(1883);
  const saved = { url: process.env.REFUGE_MQTT_URL, prefix: process.env.REFUGE_MQTT_PREFIX };
  const prefix = `refuge-test-${randomBytes(6).toString('hex')}`;
  if (mqttUp) {
    process.env.REFUGE_MQTT_URL = 'mqtt://127.0.0.1:1883';
    process.env.REFUGE_MQTT_PREFIX = prefix;
  }
  let server: TestServer;
  try {
    server = await startAlertServer(t);
  } finally {
    for (const [k, v] of [['REFUGE_MQTT_URL', saved.url], ['REFUGE_MQTT_PREFIX', saved.prefix]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const s = alertServices(server.ctx);
  const keyFile = join(dir, 'refuge.pub.pem');
  writeFileSync(keyFile, (await server.request('GET', '/.well-known/refuge-signing-key')).text);

  let payload: Record<string, any>;
  if (mqttUp) {
    const siren = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
    t.after(async () => {
      await siren.publishAsync(`${prefix}/UA-30`, '', { retain: true, qos: 1 });
      await siren.endAsync();
    });
    const got: Array<Record<string, any>> = [];
    siren.on('message', (_topic, p) => p.length > 0 && got.push(JSON.parse(p.toString())));
    await siren.subscribeAsync(`${prefix}/#`, { qos: 1 });
    const issued = await issueAlert(server, { regions: ['UA-30'] });
    for (let i = 0; i < 500 && !got.some((p) => p.id === issued.id); i++) await new Promise((r) => setTimeout(r, 20));
    payload = got.find((p) => p.id === issued.id)!;
    assert.ok(payload, 'the siren controller received the alert');
  } else {
    t.diagnostic('MQTT broker not reachable on 127.0.0.1:1883: checking the payload the publisher would send');
    const issued = await issueAlert(server, { regions: ['UA-30'] });
    const { signPayload } = await import('../../src/alerts/signing/index.ts');
    payload = signPayload((await s.store.eventFor(issued.id))!, s.signingKey);
  }
  assert.equal(payload.payloadSignature.keyId, s.signingKey.keyId);
  assert.equal(payload.senderName, 'Refuge', 'who speaks travels with the alert');
  assert.equal(payload.foreign, false);
  assert.equal(verifyPayload(payload, s.signingKey.publicKey).valid, true);
  // A forger on an open broker: the same message, now "verified" and for another region, or signed with their own key.
  const forged = { ...payload, verified: true, regions: [{ code: 'UA-32', name: 'Elsewhere', warningTimeS: 60 }] };
  assert.equal(verifyPayload(forged, s.signingKey.publicKey).valid, false);
  const { signPayload } = await import('../../src/alerts/signing/index.ts');
  const ownKey = signPayload({ ...payload, headline: 'Fake' }, generateSigningKeyPair());
  assert.match(verifyPayload(ownKey, s.signingKey.publicKey).reason!, /not the trusted key/);

  const good = join(dir, 'payload.json');
  writeFileSync(good, JSON.stringify(payload));
  const ok = refuge(['verify', good, '--key', keyFile]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /verified: .*payload\.json is an alert payload signed by trusted key/);
  const bad = join(dir, 'forged.json');
  writeFileSync(bad, JSON.stringify(forged));
  const no = refuge(['verify', bad, '--key', keyFile]);
  assert.equal(no.status, 1);
  assert.match(no.stderr, /NOT VERIFIED: .*forged\.json: the signature does not match/);
});
