// The push payload carries the alert's other languages (the service worker picks the phone's), and stays under the
// push services' size limit however many languages and regions there are, giving up the least needed parts first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { approver, missileDraft, operator, testEnv } from '../alerts-lifecycle/helpers.ts';
import { MAX_PUSH_PAYLOAD_BYTES, pushPayload } from '../../src/alerts/delivery/push/push-message.ts';
import type { AlertEvent } from '../../src/alerts/delivery/ports.ts';

const UK = { language: 'uk', headline: 'Ракетна небезпека', instruction: 'Негайно пройдіть до найближчого укриття.' };
const HE = { language: 'he', headline: 'ירי טילים', instruction: 'היכנסו למרחב המוגן.' };

async function issuedEvent(t: { after(fn: () => void): void }, translations: unknown[]): Promise<AlertEvent> {
  const env = testEnv();
  t.after(() => env.close());
  await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft({ translations }))).id);
  return (await env.store.pendingOutbox(10))[0]!.event;
}

test('the push payload carries each translation\'s headline and instruction', async (t) => {
  const event = await issuedEvent(t, [UK, HE]);
  const body = JSON.parse(pushPayload(event));
  assert.deepEqual(body.translations, [UK, HE]);
  assert.equal(body.headline, 'Missile attack: take cover now');
  assert.ok(body.regions.length > 0 && body.regions[0].name, 'region names kept when there is room');
});

test('a large alert gives up region names, then translated instructions, then regions, and stays under the limit', async (t) => {
  const long = (lang: string) => ({ language: lang, headline: `${lang} `.repeat(60).slice(0, 160), instruction: `${lang} instruction `.repeat(150).slice(0, 2000) });
  const event = await issuedEvent(t, ['uk', 'he', 'ar', 'ru', 'da', 'de', 'fr', 'pl'].map(long));
  const wide = { ...event, regions: Array.from({ length: 400 }, (_, i) => ({ code: `R-${i}`, name: `Region number ${i} with a long name`, warningTimeS: 90 })) };
  const json = pushPayload(wide);
  assert.ok(Buffer.byteLength(json) <= MAX_PUSH_PAYLOAD_BYTES, `${Buffer.byteLength(json)} bytes`);
  const body = JSON.parse(json);
  // Every language's headline survives (cut to 200 characters), before the region list does.
  assert.deepEqual(body.translations.map((x: { language: string }) => x.language), ['uk', 'he', 'ar', 'ru', 'da', 'de', 'fr', 'pl']);
  assert.equal(body.translations[0].instruction, undefined, 'translated instructions given up');
  assert.deepEqual(body.regions, []);
  assert.equal(body.regionsTruncated, 400);
});
