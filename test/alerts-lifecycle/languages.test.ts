// Alerts in several languages (issue 14): a draft's translations become further CAP <info> blocks, survive emit and
// parse (the signed XML), reach the live event with the exercise mark, are covered by the payload signature, and bad
// translations are refused with the field named. Real SQLite, real CAP emitter and parser, real Ed25519.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { approver, approver2, missileDraft, operator, operator2, testEnv } from './helpers.ts';
import { LifecycleError } from '../../src/alerts/lifecycle/index.ts';
import { parseCap, capToXml } from '../../src/alerts/cap/index.ts';
import { generateSigningKeyPair, signPayload, verifyPayload } from '../../src/alerts/signing/index.ts';
import { textFor } from '../../src/api/alerts.ts';

const UK = { language: 'uk', headline: 'Ракетна небезпека', description: 'У напрямку Київщини запущено ракети.', instruction: 'Негайно пройдіть до найближчого укриття і залишайтеся там 10 хвилин.' };
const AR = { language: 'ar', headline: 'إنذار صاروخي', instruction: 'توجّهوا الآن إلى أقرب ملجأ وابقوا فيه لمدة 10 دقائق.' };
const HE = { language: 'he-IL', headline: 'ירי טילים', description: 'שוגרו טילים לעבר אזור זה.' };

test('translations become one CAP info block each: same event, urgency, times and areas; the signed XML parses back to the same blocks', async (t) => {
  const env = testEnv();
  t.after(() => env.close());
  const draft = await env.lifecycle.draft(operator, missileDraft({ language: 'en', translations: [UK, AR, HE] }));
  const infos = draft.cap.info;
  assert.deepEqual(infos.map((i) => i.language), ['en', 'uk', 'ar', 'he-IL']);
  for (const i of infos.slice(1)) {
    for (const k of ['event', 'eventType', 'stage', 'urgency', 'severity', 'certainty', 'onset', 'expires', 'senderName', 'category', 'areas'] as const) {
      assert.deepEqual(i[k], infos[0]![k], `${i.language}: ${k} as in the main block`);
    }
  }
  assert.equal(infos[1]!.headline, UK.headline);
  assert.equal(infos[2]!.description, null, 'a missing description stays missing');
  assert.equal(infos[3]!.instruction, null);

  const issued = await env.lifecycle.approve(approver, draft.id);
  const xml = issued.record.capXml!;
  assert.equal(xml.match(/<info>/g)?.length, 4);
  assert.match(xml, /<language>uk<\/language>[\s\S]*<headline>Ракетна небезпека<\/headline>/);
  const parsed = parseCap(xml);
  assert.deepEqual(parsed.info, issued.record.cap.info, 'CAP emit → parse keeps every block as it was');
  assert.equal(capToXml(parsed), xml, 'and emits the same document again');

  const [entry] = await env.store.pendingOutbox(10);
  const event = entry!.event;
  assert.equal(event.language, 'en');
  assert.deepEqual(event.translations, [
    { language: 'uk', headline: UK.headline, description: UK.description, instruction: UK.instruction },
    { language: 'ar', headline: AR.headline, description: null, instruction: AR.instruction },
    { language: 'he-IL', headline: HE.headline, description: HE.description, instruction: null },
  ]);
  assert.equal(textFor(event, event.translations, 'uk').headline, UK.headline);
  assert.equal(textFor(event, event.translations, 'he').headline, HE.headline, 'he matches he-IL by primary language');
  assert.equal(textFor(event, event.translations, 'da').headline, event.headline, 'no Danish: the main text');
});

test('an exercise marks every language, in the CAP blocks and the event; a one-language event has no translations member', async (t) => {
  const env = testEnv();
  t.after(() => env.close());
  const draft = await env.lifecycle.draft(operator, missileDraft({ status: 'Exercise', translations: [UK] }));
  assert.equal(draft.cap.info[1]!.headline, `EXERCISE - ${UK.headline}`);
  assert.equal(draft.cap.info[1]!.instruction, `EXERCISE - ${UK.instruction}`);
  await env.lifecycle.approve(approver, draft.id);
  const single = await env.lifecycle.draft(operator, missileDraft());
  await env.lifecycle.approve(approver, single.id);
  const events = (await env.store.pendingOutbox(10)).map((e) => e.event);
  const ex = events.find((e) => e.id === draft.id)!;
  assert.equal(ex.translations?.[0]?.headline, `EXERCISE - ${UK.headline}`);
  assert.equal(ex.exercise, true);
  const one = events.find((e) => e.id === single.id)!;
  assert.equal('translations' in one, false, 'the event keeps the shape it always had');
});

test('the payload signature covers the translations; events without them (stored before) still verify', async (t) => {
  const env = testEnv();
  t.after(() => env.close());
  const key = generateSigningKeyPair();
  const draft = await env.lifecycle.draft(operator, missileDraft({ translations: [UK, AR] }));
  await env.lifecycle.approve(approver, draft.id);
  const event = (await env.store.pendingOutbox(10))[0]!.event;
  const signed = signPayload(event, key);
  assert.deepEqual(verifyPayload(JSON.parse(JSON.stringify(signed)), key.publicKey), { valid: true, reason: null, keyId: key.keyId });
  const changed = JSON.parse(JSON.stringify(signed));
  changed.translations[0].instruction = 'Залишайтеся вдома.';
  assert.equal(verifyPayload(changed, key.publicKey).valid, false, 'a changed translation breaks the signature');
  const dropped = JSON.parse(JSON.stringify(signed));
  delete dropped.translations;
  assert.equal(verifyPayload(dropped, key.publicKey).valid, false, 'so does removing them');
  // An event as stored before translations existed: no member at all.
  const { translations: _t, ...old } = event;
  const oldSigned = signPayload(old, key);
  assert.equal(verifyPayload(JSON.parse(JSON.stringify(oldSigned)), key.publicKey).valid, true);
});

test('bad translations are refused with the field named, and nothing is stored', async (t) => {
  const env = testEnv();
  t.after(() => env.close());
  const cases: Array<[unknown, string, RegExp]> = [
    ['uk', 'translations', /array/],
    [[UK, { language: 'uk', headline: 'x' }], 'translations[1].language', /twice/],
    [[{ ...UK, language: 'EN' }], 'translations[0].language', /main language/],
    [[{ ...UK, language: 'ukrainian language' }], 'translations[0].language', /RFC 3066/],
    [[{ language: 'uk' }], 'translations[0].headline', /required/],
    [[{ language: 'uk', headline: '   ' }], 'translations[0].headline', /required/],
    [[UK, { language: 'ar', headline: 'x'.repeat(161) }], 'translations[1].headline', /at most 160/],
    [[{ ...UK, description: 'x'.repeat(4001) }], 'translations[0].description', /at most 4000/],
    [[{ ...UK, instruction: 'bad \u0007 bell' }], 'translations[0].instruction', /U\+0007/],
    [[{ ...UK, instruction: 5 }], 'translations[0].instruction', /string/],
    [[{ ...UK, colour: 'red' }], 'translations[0].colour', /unknown field/],
    [[null], 'translations[0]', /object/],
    [['da', 'de', 'fr', 'it', 'es', 'pl', 'ro', 'nl', 'sv'].map((language) => ({ language, headline: 'x' })), 'translations', /at most 8/],
  ];
  for (const [translations, field, reason] of cases) {
    await assert.rejects(env.lifecycle.draft(operator, missileDraft({ translations })), (err: unknown) => {
      assert.ok(err instanceof LifecycleError, String(err));
      assert.equal(err.field, field, `${JSON.stringify(translations).slice(0, 60)}: ${err.message}`);
      assert.match(err.message, reason);
      return true;
    });
  }
  assert.equal((await env.store.listRecent(100)).length, 0, 'nothing half-written');
  const eight = await env.lifecycle.draft(operator, missileDraft({ translations: ['da', 'de', 'fr', 'it', 'es', 'pl', 'ro', 'nl'].map((language) => ({ language, headline: `x ${language}` })) }));
  assert.equal(eight.cap.info.length, 9, 'eight more languages are accepted');
});

test('a false alarm and an ordinary cancel end the alert in every language it was written in', async (t) => {
  const env = testEnv();
  t.after(() => env.close());
  const issued = await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft({ language: 'en', translations: [UK, HE, { language: 'sw', headline: 'Tahadhari ya kombora' }] }))).id);
  env.clock.now += 5_000;
  const falseAlarm = await env.lifecycle.cancel(approver, issued.record.id);
  assert.ok('seq' in falseAlarm);
  const blocks = parseCap(falseAlarm.record.capXml!).info;
  assert.deepEqual(blocks.map((i) => i.language), ['en', 'uk', 'he-IL', 'sw']);
  assert.deepEqual(blocks.slice(1).map((i) => i.headline), [
    `ХИБНА ТРИВОГА: ${UK.headline}`,
    `התרעת שווא: ${HE.headline}`,
    'FALSE ALARM: Tahadhari ya kombora', // no wording in Swahili: English, under the block's own language tag
  ]);
  assert.match(blocks[0]!.headline!, /^FALSE ALARM: /);
  assert.equal(blocks[1]!.instruction, 'Загрози немає. Можна залишити укриття й повернутися до звичайних справ.');
  assert.equal(blocks[2]!.description, `ההתרעה "${HE.headline}" הופעלה בטעות. אין איום.`);
  const event = (await env.store.pendingOutbox(10)).map((e) => e.event).find((e) => e.falseAlarm)!;
  assert.equal(textFor(event, event.translations, 'uk').headline, `ХИБНА ТРИВОГА: ${UK.headline}`);

  // An ordinary cancel (drafted, approved by someone else): "Cancelled" in each language, the reason as written.
  const second = await env.lifecycle.approve(approver, (await env.lifecycle.draft(operator, missileDraft({ language: 'en', translations: [UK] }))).id);
  const cancel = await env.lifecycle.draftCancel(operator2, second.record.id, null);
  assert.deepEqual(cancel.cap.info.map((i) => [i.language, i.instruction]), [['en', 'This alert is cancelled.'], ['uk', 'Цю тривогу скасовано.']]);
  assert.equal(cancel.cap.info[1]!.headline, `Скасовано: ${UK.headline}`);
  await env.lifecycle.approve(approver2, cancel.id);
});
