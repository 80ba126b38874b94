import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import {
  capToXml,
  CapError,
  importCap,
  parseCap,
  parseCapDocument,
  validateCapXml,
  MAX_CAP_BYTES,
} from '../../src/alerts/cap/index.ts';
import {
  ALERT_STAGES,
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_MSG_TYPES,
  CAP_SCOPES,
  CAP_SEVERITIES,
  CAP_STATUSES,
  CAP_URGENCIES,
  EVENT_TYPES,
  type CapAlert,
  type CapInfo,
} from '../../src/alerts/model.ts';
import { SHARED } from '../helpers.ts';

const SAMPLES = `${SHARED}/cap/samples`;
const sample = (name: string) => readFileSync(`${SAMPLES}/${name}`);

// An independent validator built straight from the shared OASIS schema (not the repo copy used by the code).
const sharedXsd = XmlDocument.fromBuffer(readFileSync(`${SHARED}/cap/schema/cap12.xsd`));
const oasis12 = XsdValidator.fromDoc(sharedXsd);
function assertValidAgainstOasis(xml: string): void {
  const doc = XmlDocument.fromString(xml);
  try {
    oasis12.validate(doc);
  } finally {
    doc.dispose();
  }
}

function baseInfo(over: Partial<CapInfo> = {}): CapInfo {
  return {
    language: 'he-IL',
    category: [],
    event: 'Missile attack',
    eventType: 'missile',
    stage: 'alert',
    urgency: 'Immediate',
    severity: 'Extreme',
    certainty: 'Observed',
    headline: 'Missiles — enter the protected space',
    description: 'Rocket & missile fire <now>',
    instruction: 'Enter the protected space and stay 10 minutes',
    onset: '2026-11-25T01:30:00+02:00',
    expires: '2026-11-25T02:30:00+02:00',
    senderName: 'Refuge test',
    web: null,
    areas: [
      {
        areaDesc: 'תל אביב - מרכז העיר',
        regionCodes: ['5000742'],
        polygons: [[[32.07, 34.77], [32.08, 34.77], [32.08, 34.79], [32.07, 34.77]]],
      },
    ],
    ...over,
  };
}

function baseAlert(over: Partial<CapAlert> = {}): CapAlert {
  return {
    identifier: 'refuge-0001',
    sender: 'alerts@refuge.example',
    sent: '2026-11-25T01:29:00+02:00',
    status: 'Actual',
    msgType: 'Alert',
    scope: 'Public',
    note: null,
    references: [],
    info: [baseInfo()],
    ...over,
  };
}

test('every schema-valid shared sample imports; invalid.cap and xee.cap are rejected naming the problem', () => {
  const valid = readdirSync(SAMPLES).filter((f) => f.endsWith('.cap') && f !== 'invalid.cap' && f !== 'xee.cap');
  assert.deepEqual(valid.sort(), ['43b080713727.cap', 'canada_signed.cap', 'earthquake.cap', 'thunderstorm.cap', 'weather.cap']);
  for (const f of valid) {
    const parsed = parseCapDocument(sample(f));
    assert.ok(parsed.alert.identifier.length > 0, f);
    assert.ok(parsed.alert.info.length > 0, f);
  }
  assert.throws(
    () => parseCap(sample('invalid.cap')),
    (e: unknown) => e instanceof CapError && e.code === 'schema' && e.element === 'info' && /Expected is one of \( source, scope \)/.test(e.message) && e.line === 9,
  );
  assert.throws(() => parseCap(sample('xee.cap')), (e: unknown) => e instanceof CapError && e.code === 'doctype' && /DOCTYPE/.test(e.message));
});

test('sample contents map onto the model (1.2 and 1.1)', () => {
  const t = parseCapDocument(sample('thunderstorm.cap'));
  assert.equal(t.version, '1.2');
  assert.equal(t.alert.identifier, 'KSTO1055887203');
  assert.equal(t.alert.sent, '2003-06-17T14:57:00-07:00');
  const info = t.alert.info[0];
  assert.deepEqual(info.category, ['Met']);
  assert.equal(info.language, 'en-US'); // CAP default when <language> is absent
  assert.equal(info.eventType, null);
  assert.equal(info.expires, '2003-06-17T16:00:00-07:00');
  assert.equal(info.areas[0].polygons[0][0][0], 38.47);
  assert.equal(info.areas[0].polygons[0][0][1], -120.14);
  const w = parseCapDocument(sample('weather.cap'));
  assert.equal(w.version, '1.1');
  assert.equal(w.alert.info[0].event, 'Flash Flood Watch');
  const canada = parseCapDocument(sample('canada_signed.cap'));
  assert.equal(canada.hasSignatureElement, true);
  assert.equal(canada.alert.msgType, 'Update');
  assert.equal(canada.alert.references.length, 9);
});

test('an expired alert imports but is flagged expired', () => {
  const old = importCap(sample('thunderstorm.cap'), new Date('2026-11-25T00:00:00Z'));
  assert.equal(old.expired, true);
  const before = importCap(sample('thunderstorm.cap'), new Date('2003-06-17T22:00:00Z'));
  assert.equal(before.expired, false);
  // No <expires> at all: never considered expired.
  assert.equal(importCap(sample('43b080713727.cap')).expired, false);
});

test('a cap: prefix (and any other prefix) parses the same as the default namespace', () => {
  const plain = sample('thunderstorm.cap').toString('utf8');
  const prefixed = plain
    .replace('<alert xmlns = "urn:oasis:names:tc:emergency:cap:1.2">', '<cap:alert xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2">')
    .replace(/<(\/?)(?!\?|cap:alert)([A-Za-z]+)/g, '<$1cap:$2')
    .replace('</alert>', '</cap:alert>');
  assert.match(prefixed, /<cap:info>/);
  assert.deepEqual(parseCap(prefixed), parseCap(plain));
  // A CAP 1.1 document with a prefix too.
  const w = sample('weather.cap').toString('utf8');
  const w11 = w
    .replace("<alert xmlns = 'urn:oasis:names:tc:emergency:cap:1.1'>", "<c:alert xmlns:c='urn:oasis:names:tc:emergency:cap:1.1'>")
    .replace(/<(\/?)(?!\?|!|c:alert)([A-Za-z]+)/g, '<$1c:$2')
    .replace('</alert>', '</c:alert>');
  assert.deepEqual(parseCap(w11), parseCap(w));
});

test('entities, oversized documents, foreign roots and non-XML are rejected with a clear code', () => {
  const xml = sample('thunderstorm.cap').toString('utf8');
  const withEntity = xml.replace('<contact>BARUFFALDI/JUSKIE</contact>', '<contact>BARUFFALDI&foo;</contact>');
  assert.throws(() => parseCap(withEntity), (e: unknown) => e instanceof CapError && e.code === 'entity' && /&foo;/.test(e.message));
  const declared = xml.replace('<?xml version = "1.0" encoding = "UTF-8"?>', '<?xml version="1.0"?><!ENTITY x "y">');
  assert.throws(() => parseCap(declared), (e: unknown) => e instanceof CapError && (e.code === 'entity' || e.code === 'doctype'));
  // Text about DOCTYPEs and entities inside CDATA or a comment is just text.
  const quoted = xml.replace('<contact>BARUFFALDI/JUSKIE</contact>', '<contact><![CDATA[<!DOCTYPE x> &xxe;]]></contact><!-- <!ENTITY y "z"> -->');
  assert.equal(parseCap(quoted).identifier, 'KSTO1055887203');
  // A DOCTYPE hidden from the text check by UTF-16 is still refused (libxml2 sees it).
  const utf16Doctype = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace('encoding = "UTF-8"', 'encoding = "UTF-16"').replace('<alert', '<!DOCTYPE alert [<!ENTITY a "b">]><alert'), 'utf16le')]);
  assert.throws(() => parseCap(utf16Doctype), (e: unknown) => e instanceof CapError && e.code === 'doctype');
  // Predefined entities and character references are fine.
  const ok = xml.replace('<contact>BARUFFALDI/JUSKIE</contact>', '<contact>A &amp; B &#233; &#x41;</contact>');
  assert.doesNotThrow(() => parseCap(ok));
  const big = xml.replace('<contact>', `<contact>${'x'.repeat(MAX_CAP_BYTES)}`);
  assert.throws(() => parseCap(big), (e: unknown) => e instanceof CapError && e.code === 'too-large' && /256 KB/.test(e.message));
  assert.throws(
    () => parseCap('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>'),
    (e: unknown) => e instanceof CapError && e.code === 'not-well-formed' && /Premature end of data in tag identifier/.test(e.message),
  );
  assert.throws(
    () => parseCap(`<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">${'<x>'.repeat(5000)}`),
    (e: unknown) => e instanceof CapError && e.code === 'not-well-formed' && /Excessive depth/.test(e.message),
  );
  assert.throws(() => parseCap('<feed xmlns="http://www.w3.org/2005/Atom"/>'), (e: unknown) => e instanceof CapError && e.code === 'not-cap');
  assert.throws(() => parseCap(sample('weather.atom')), (e: unknown) => e instanceof CapError && e.code === 'not-cap');
  assert.throws(
    () => parseCap(xml.replace('urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.0')),
    (e: unknown) => e instanceof CapError && e.code === 'unsupported-version',
  );
  // A schema violation deep inside: a bad enumeration value names its element.
  assert.throws(
    () => parseCap(xml.replace('<urgency>Immediate</urgency>', '<urgency>Now</urgency>')),
    (e: unknown) => e instanceof CapError && e.code === 'schema' && e.element === 'urgency',
  );
  assert.throws(
    () => parseCap(xml.replace(/<polygon>[^<]*<\/polygon>/, '<polygon>38.47,-120.14 oops</polygon>')),
    (e: unknown) => e instanceof CapError && e.code === 'invalid-value' && e.element === 'polygon',
  );
});

test('an emitted alert validates against cap12.xsd and round-trips event type, stage, regions and polygons', () => {
  const alert = baseAlert();
  const xml = capToXml(alert);
  assertValidAgainstOasis(xml);
  assert.match(xml, /<category>Security<\/category>/);
  assert.match(xml, /<responseType>Shelter<\/responseType>/);
  assert.match(xml, /<valueName>refuge-event<\/valueName>\s*<value>missile<\/value>/);
  const back = parseCap(xml);
  assert.deepEqual(back, { ...alert, info: [{ ...alert.info[0], category: ['Security'] }] });
});

test('each event type and stage maps to a CAP category and survives the round trip', () => {
  for (const eventType of EVENT_TYPES) {
    for (const stage of ALERT_STAGES) {
      const back = parseCap(capToXml(baseAlert({ info: [baseInfo({ eventType, stage })] })));
      assert.equal(back.info[0].eventType, eventType);
      assert.equal(back.info[0].stage, stage);
      const expected = eventType === 'chemical' || eventType === 'radiological' ? 'CBRNE' : eventType === 'other' ? 'Other' : 'Security';
      assert.deepEqual(back.info[0].category, [expected]);
    }
  }
});

test('Exercise and Test status survive the round trip; Update/Cancel keep their references', () => {
  for (const status of ['Exercise', 'Test'] as const) {
    const xml = capToXml(baseAlert({ status }));
    assert.match(xml, new RegExp(`<status>${status}</status>`));
    assert.equal(parseCap(xml).status, status);
  }
  const ref = 'alerts@refuge.example,refuge-0001,2026-11-25T01:29:00+02:00';
  const cancel = parseCap(capToXml(baseAlert({ identifier: 'refuge-0002', msgType: 'Cancel', references: [ref] })));
  assert.equal(cancel.msgType, 'Cancel');
  assert.deepEqual(cancel.references, [ref]);
});

test('emit normalises ISO instants to CAP date-times and refuses what CAP cannot carry', () => {
  const xml = capToXml(baseAlert({ sent: '2026-11-25T01:29:00.123Z' }));
  assert.match(xml, /<sent>2026-11-25T01:29:00-00:00<\/sent>/);
  const bad = (over: Partial<CapAlert>, element: string) =>
    assert.throws(() => capToXml(baseAlert(over)), (e: unknown) => e instanceof CapError && e.element === element);
  bad({ identifier: 'has space' }, 'identifier');
  bad({ sender: 'a,b' }, 'sender');
  bad({ sent: 'yesterday' }, 'sent');
  bad({ info: [baseInfo({ eventType: null, category: [] })] }, 'category');
  bad({ info: [baseInfo({ headline: 'bell \u0007' })] }, 'headline');
  bad({ info: [baseInfo({ language: 'not a language!' })] }, 'language');
  bad({ info: [baseInfo({ areas: [{ areaDesc: 'x', regionCodes: [], polygons: [[[1, 1], [2, 2], [1, 1]]] }] })] }, 'polygon');
  bad({ references: ['only-two,parts'] }, 'references');
});

// Generated alerts: every one emitted validates against the OASIS schema and parses back unchanged.
const capTime = fc
  .record({
    t: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
    off: fc.constantFrom('+00:00', '-00:00', '+02:00', '+03:00', '-05:00', '+05:30'),
  })
  .map(({ t, off }) => `${new Date(Math.floor(t / 1000) * 1000).toISOString().slice(0, 19)}${off}`);
const token = fc.stringMatching(/^[A-Za-z0-9._@:-]{1,40}$/);
const xmlText = fc.string({ unit: 'grapheme', maxLength: 60 }).filter((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(s));
// -0 prints as "0" in CAP text; it is the same place, so generate +0 only.
const coord = (max: number) => fc.double({ min: -max, max, noNaN: true }).map((v) => (v === 0 ? 0 : v));
const point = fc.tuple(coord(90), coord(180));
const ring = fc.array(point, { minLength: 3, maxLength: 8 }).map((pts) => [...pts, pts[0]] as Array<[number, number]>);
const info = fc.record<CapInfo>({
  language: fc.constantFrom('en-US', 'he-IL', 'uk', 'ar', 'ru-UA'),
  category: fc.uniqueArray(fc.constantFrom(...CAP_CATEGORIES), { minLength: 1, maxLength: 3 }),
  event: xmlText,
  eventType: fc.option(fc.constantFrom(...EVENT_TYPES)),
  stage: fc.option(fc.constantFrom(...ALERT_STAGES)),
  urgency: fc.constantFrom(...CAP_URGENCIES),
  severity: fc.constantFrom(...CAP_SEVERITIES),
  certainty: fc.constantFrom(...CAP_CERTAINTIES),
  headline: fc.option(xmlText),
  description: fc.option(xmlText),
  instruction: fc.option(xmlText),
  onset: fc.option(capTime),
  expires: fc.option(capTime),
  senderName: fc.option(xmlText),
  web: fc.option(fc.webUrl()),
  areas: fc.array(
    fc.record({ areaDesc: xmlText, regionCodes: fc.array(token, { maxLength: 3 }), polygons: fc.array(ring, { maxLength: 2 }) }, { noNullPrototype: true }),
    { maxLength: 3 },
  ),
}, { noNullPrototype: true });
const alertArb = fc.record<CapAlert>({
  identifier: token,
  sender: token,
  sent: capTime,
  status: fc.constantFrom(...CAP_STATUSES),
  msgType: fc.constantFrom(...CAP_MSG_TYPES),
  scope: fc.constantFrom(...CAP_SCOPES),
  note: fc.option(xmlText),
  references: fc.array(fc.tuple(token, token, capTime).map((t) => t.join(',')), { maxLength: 3 }),
  info: fc.array(info, { maxLength: 3 }),
}, { noNullPrototype: true });

test('property: every generated alert emits schema-valid CAP 1.2 that parses back to the same alert', () => {
  fc.assert(
    fc.property(alertArb, (alert) => {
      const xml = capToXml(alert);
      assertValidAgainstOasis(xml);
      assert.equal(validateCapXml(xml).version, '1.2');
      assert.deepEqual(parseCap(xml), alert);
    }),
    { numRuns: 300 },
  );
});

test('text is read as an XML parser reads it: other encodings, CDATA, CRLF line ends, character references', () => {
  const xml = sample('thunderstorm.cap').toString('utf8');
  const latin1 = Buffer.from(
    xml.replace('encoding = "UTF-8"', 'encoding = "ISO-8859-1"').replace('<contact>BARUFFALDI/JUSKIE</contact>', '<contact>Météo é</contact>'),
    'latin1',
  );
  assert.equal(parseCap(latin1).info[0].areas.length, 1);
  assert.equal(parseCapDocument(latin1).alert.info[0].event, 'SEVERE THUNDERSTORM');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace('encoding = "UTF-8"', 'encoding = "UTF-16"').replace('SEVERE THUNDERSTORM WARNING', 'אזעקה'), 'utf16le')]);
  assert.equal(parseCap(utf16).info[0].headline, 'אזעקה');
  const tricky = xml
    .replace(/<description>[\s\S]*?<\/description>/, '<description><![CDATA[a <b> & c]]> and &lt;d&gt; &#x5D0;&#1489;</description>')
    .replace(/\n/g, '\r\n')
    .replace('<instruction>', '<instruction>x&#13;y');
  const info = parseCap(tricky).info[0];
  assert.equal(info.description, 'a <b> & c and <d> אב');
  assert.ok(info.instruction?.startsWith('x\ry'));
  assert.doesNotMatch(info.instruction ?? '', /\r\n/);
});
