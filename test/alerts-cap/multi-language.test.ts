// A CAP message from another authority in several languages (one <info> per language, CAP 1.2 §3.2.2): the parser
// keeps every block, the import delivers it with the other languages in the live event, and a further block in the
// main language (another area) is not taken for a translation. Real parser, real SQLite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importCap } from '../../src/alerts/cap/index.ts';
import { approver, testEnv } from '../alerts-lifecycle/helpers.ts';

function info(language: string, headline: string, instruction: string, region = 'UA-30', expires = '2026-03-01T10:30:00+00:00'): string {
  return `  <info>
    <language>${language}</language>
    <category>Safety</category>
    <event>Missile attack</event>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Observed</certainty>
    <expires>${expires}</expires>
    <headline>${headline}</headline>
    <instruction>${instruction}</instruction>
    <area><areaDesc>Kyiv oblast</areaDesc><geocode><valueName>refuge-region</valueName><value>${region}</value></geocode></area>
  </info>
`;
}

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>dsns-2026-0301-1</identifier>
  <sender>alerts@dsns.example</sender>
  <sent>2026-03-01T10:00:00+00:00</sent>
  <status>Exercise</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
${info('uk', 'Ракетна небезпека', 'Негайно пройдіть до найближчого укриття.')}${info('en-GB', 'Missile alert', 'Go to the nearest shelter now.')}${info('uk', 'Ракетна небезпека (Бровари)', 'Інша область.', 'UA-30-2')}${info('ar', 'إنذار صاروخي', 'توجّهوا الآن إلى أقرب ملجأ.')}</alert>
`;

test('a multi-language CAP import keeps every info block and delivers the other languages, marked as an exercise', async (t) => {
  const imported = importCap(Buffer.from(XML));
  assert.deepEqual(imported.alert.info.map((i) => i.language), ['uk', 'en-GB', 'uk', 'ar'], 'the parser keeps every block in order');
  assert.equal(imported.alert.info[3]!.headline, 'إنذار صاروخي');

  const env = testEnv();
  t.after(() => env.close());
  const result = await env.lifecycle.recordImported(approver, imported.alert, XML, 'test');
  assert.equal(result.delivered, true, result.reason ?? '');
  assert.deepEqual(result.record.cap.info.map((i) => i.language), ['uk', 'en-GB', 'uk', 'ar'], 'stored as received');
  const event = (await env.store.pendingOutbox(10))[0]!.event;
  assert.equal(event.language, 'uk');
  assert.equal(event.headline, 'EXERCISE - Ракетна небезпека');
  assert.deepEqual(event.translations, [
    { language: 'en-GB', headline: 'EXERCISE - Missile alert', description: null, instruction: 'EXERCISE - Go to the nearest shelter now.' },
    { language: 'ar', headline: 'EXERCISE - إنذار صاروخي', description: null, instruction: 'EXERCISE - توجّهوا الآن إلى أقرب ملجأ.' },
  ], 'one per other language; the second Ukrainian block (another area) is not a translation');
});
