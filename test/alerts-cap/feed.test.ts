import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XmlDocument } from 'libxml2-wasm';
import { capAtomFeed, capToXml, parseCap } from '../../src/alerts/index.ts';
import type { CapAlert } from '../../src/alerts/model.ts';

const make = (identifier: string, status: CapAlert['status'], sent: string): CapAlert => ({
  identifier, sender: 'alerts@refuge.example', sent, status, msgType: 'Alert', scope: 'Public', note: null, references: [],
  info: [{
    language: 'en-US', category: ['Security'], event: 'Missile attack', eventType: 'missile', stage: 'alert', urgency: 'Immediate',
    severity: 'Extreme', certainty: 'Observed', headline: 'Take cover <now> & stay', description: 'Rockets', instruction: null,
    onset: null, expires: '2026-11-25T03:00:00+02:00', senderName: null, web: null,
    areas: [{ areaDesc: 'Kyiv', regionCodes: ['UA-30'], polygons: [] }, { areaDesc: 'Kyiv Oblast', regionCodes: ['UA-32'], polygons: [] }],
  }],
});

test('the Atom index lists active alerts newest first, links their CAP, and labels exercises', () => {
  const alerts = [make('a-1', 'Actual', '2026-11-25T01:00:00+02:00'), make('a-2', 'Exercise', '2026-11-25T01:05:00+02:00')];
  const feed = capAtomFeed(alerts.map((cap) => ({ cap: parseCap(capToXml(cap)), capUrl: `https://refuge.example/api/alerts/${cap.identifier}.cap` })), {
    selfUrl: 'https://refuge.example/api/alerts/feed.atom', now: '2026-11-25T00:00:00Z',
  });
  const doc = XmlDocument.fromString(feed);
  try {
    const ns = { a: 'http://www.w3.org/2005/Atom', cap: 'urn:oasis:names:tc:emergency:cap:1.2' };
    const titles = doc.find('/a:feed/a:entry/a:title', ns).map((n) => n.content);
    assert.deepEqual(titles, ['[EXERCISE] Take cover <now> & stay', 'Take cover <now> & stay']);
    const links = doc.find('/a:feed/a:entry/a:link[@type="application/cap+xml"]/@href', ns).map((n) => n.content);
    assert.deepEqual(links, ['https://refuge.example/api/alerts/a-2.cap', 'https://refuge.example/api/alerts/a-1.cap']);
    assert.equal(doc.get('/a:feed/a:updated', ns)?.content, '2026-11-25T01:05:00+02:00');
    assert.deepEqual(doc.find('/a:feed/a:entry/cap:status', ns).map((n) => n.content), ['Exercise', 'Actual']);
    assert.equal(doc.get('/a:feed/a:entry/cap:areaDesc', ns)?.content, 'Kyiv; Kyiv Oblast');
  } finally {
    doc.dispose();
  }
  const empty = capAtomFeed([], { selfUrl: 'https://refuge.example/api/alerts/feed.atom', now: '2026-11-25T00:00:00Z' });
  assert.match(empty, /<updated>2026-11-25T00:00:00-00:00<\/updated>/);
  assert.doesNotMatch(empty, /<entry>/);
});
