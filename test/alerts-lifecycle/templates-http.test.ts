// Alert templates and translations over HTTP (issue 14), on a real server (SQLite, or PostgreSQL with
// REFUGE_TEST_DATABASE_URL): who may read and change templates, validation errors naming the field, reset to the
// built-in text, and drafts whose translations are refused field by field or carried to the public history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAlertServer, draftBody, issueAlert } from '../alerts-delivery/http-helpers.ts';

const PATH = '/api/alert-templates/missile/alert/uk';

test('templates: staff read all 144 (8 event types × 3 stages × 6 languages); anonymous and wardens are refused', async (t) => {
  const s = await startAlertServer(t);
  assert.equal((await s.request('GET', '/api/alert-templates')).status, 401);
  assert.equal((await s.request('GET', '/api/alert-templates', { token: s.tokens.warden })).status, 403);
  const res = await s.request('GET', '/api/alert-templates', { token: s.tokens.operator });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.languages, ['en', 'uk', 'he', 'da', 'ar', 'ru']);
  assert.equal(res.body.templates.length, 144);
  const find = (e: string, st: string, l: string) => res.body.templates.find((x: any) => x.eventType === e && x.stage === st && x.language === l);
  assert.equal(find('missile', 'alert', 'en').instruction, 'Go to the nearest shelter now and stay there for 10 minutes.');
  assert.match(find('missile', 'all-clear', 'en').instruction, /^You may leave the shelter/);
  assert.equal(find('missile', 'alert', 'uk').headline, 'Ракетна небезпека');
  for (const x of res.body.templates) {
    assert.ok(x.headline.trim(), `${x.eventType}/${x.stage}/${x.language} has a headline`);
    assert.ok(x.instruction?.trim(), `${x.eventType}/${x.stage}/${x.language} has an instruction`);
    assert.doesNotMatch(`${x.headline} ${x.instruction}`, /EXERCISE|TEST -/, 'no exercise mark in a template');
    assert.equal(x.custom, false);
  }
  // Every language says something of its own (no English left standing in another language's template).
  const en = new Set(res.body.templates.filter((x: any) => x.language === 'en').map((x: any) => x.instruction));
  assert.equal(res.body.templates.filter((x: any) => x.language !== 'en' && en.has(x.instruction)).length, 0);
});

test('templates: approvers and admins change one; operators may not; errors name the field; reset brings the built-in text back', async (t) => {
  const s = await startAlertServer(t);
  const body = { headline: 'Ракетна тривога!', description: null, instruction: 'Негайно в укриття. Залишайтеся там 15 хвилин.' };
  const asOperator = await s.request('PUT', PATH, { token: s.tokens.operator, body });
  assert.equal(asOperator.status, 403);
  assert.equal(asOperator.body.code, 'ROLE_NOT_ALLOWED');
  const saved = await s.request('PUT', PATH, { token: s.tokens.approver, body });
  assert.equal(saved.status, 200, saved.text);
  assert.equal(saved.body.custom, true);
  assert.equal(saved.body.headline, body.headline);
  assert.equal(saved.body.updatedBy, 'approver');
  assert.equal(saved.body.builtIn.headline, 'Ракетна небезпека');
  const listed = (await s.request('GET', '/api/alert-templates', { token: s.tokens.operator })).body.templates
    .find((x: any) => x.eventType === 'missile' && x.stage === 'alert' && x.language === 'uk');
  assert.equal(listed.instruction, body.instruction);
  assert.equal(listed.custom, true);

  const bad: Array<[string, unknown, string]> = [
    [PATH, { description: 'x' }, 'headline'],
    [PATH, { headline: 'x'.repeat(161) }, 'headline'],
    [PATH, { headline: 'ok', instruction: 'x'.repeat(2001) }, 'instruction'],
    [PATH, { headline: 'EXERCISE - Ракетна небезпека' }, 'headline'],
    [PATH, { headline: 'ok', colour: 'red' }, 'colour'],
    [PATH, { headline: 'bell \u0007' }, 'headline'],
    ['/api/alert-templates/tsunami/alert/uk', { headline: 'x' }, 'eventType'],
    ['/api/alert-templates/missile/later/uk', { headline: 'x' }, 'stage'],
    ['/api/alert-templates/missile/alert/fr', { headline: 'x' }, 'language'],
  ];
  for (const [path, b, field] of bad) {
    const res = await s.request('PUT', path, { token: s.tokens.admin, body: b });
    assert.equal(res.status, 400, `${path} ${JSON.stringify(b).slice(0, 40)}: ${res.text}`);
    assert.equal(res.body.field, field, res.text);
  }
  assert.equal((await s.request('GET', '/api/alert-templates', { token: s.tokens.admin })).body.templates.filter((x: any) => x.custom).length, 1, 'nothing changed by refused requests');

  const reset = await s.request('DELETE', PATH, { token: s.tokens.admin });
  assert.equal(reset.status, 200, reset.text);
  assert.equal(reset.body.custom, false);
  assert.equal(reset.body.headline, 'Ракетна небезпека');
  // Saving the built-in text again is a reset too, not an override.
  await s.request('PUT', PATH, { token: s.tokens.admin, body });
  const same = await s.request('PUT', PATH, { token: s.tokens.admin, body: saved.body.builtIn });
  assert.equal(same.body.custom, false);
});

test('drafts: translations are refused with the field named (400, nothing stored); accepted ones reach the event and the history', async (t) => {
  const s = await startAlertServer(t);
  const refused = await s.request('POST', '/api/alerts', {
    token: s.tokens.operator,
    body: draftBody({ translations: [{ language: 'uk', headline: 'Ракетна небезпека' }, { language: 'ar', instruction: 'x' }] }),
  });
  assert.equal(refused.status, 400, refused.text);
  assert.equal(refused.body.field, 'translations[1].headline');
  const drafts = await s.request('GET', '/api/alerts?state=draft', { token: s.tokens.operator });
  assert.equal(JSON.stringify(drafts.body).includes('Ракетна'), false, 'nothing half-written');

  const uk = { language: 'uk', headline: 'Ракетна небезпека', instruction: 'Негайно пройдіть до найближчого укриття.' };
  const issued = await issueAlert(s, { language: 'en', translations: [uk] });
  const rec = await s.request('GET', `/api/alerts/${issued.id}`);
  assert.equal(rec.status, 200);
  assert.deepEqual(rec.body.cap.info.map((i: any) => i.language), ['en', 'uk']);
  const active = await s.request('GET', '/api/alerts');
  const ev = active.body.alerts.find((a: any) => a.id === issued.id);
  assert.deepEqual(ev.translations, [{ language: 'uk', headline: uk.headline, description: null, instruction: uk.instruction }]);
  const hist = await s.request('GET', '/api/alerts/history');
  assert.equal(hist.status, 200, hist.text);
  const entry = hist.body.alerts.find((a: any) => a.id === issued.id);
  assert.equal(entry.language, 'en');
  assert.deepEqual(entry.translations, [{ language: 'uk', headline: uk.headline }]);
});
