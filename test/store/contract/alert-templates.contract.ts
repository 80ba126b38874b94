// The contract every AlertTemplateStore implementation must meet (SQLite and PostgreSQL run it; alert-templates.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertTemplateStore } from '../../../src/alerts/templates/ports.ts';
import type { AlertTemplate } from '../../../src/alerts/templates/model.ts';

export type MakeTemplateStore = (t: any) => Promise<{ alertTemplates: AlertTemplateStore; audit?: { entries?: unknown } }>;

function template(over: Partial<AlertTemplate> = {}): AlertTemplate {
  return {
    eventType: 'missile', stage: 'alert', language: 'uk', headline: 'Ракетна небезпека', description: 'Опис',
    instruction: 'Негайно пройдіть до найближчого укриття.', updatedBy: 'admin', updatedAt: '2026-03-01T10:00:00.000Z', ...over,
  };
}

export function alertTemplateStoreContract(name: string, make: MakeTemplateStore): void {
  test(`${name}: an empty store lists nothing and finds nothing`, async (t) => {
    const s = (await make(t)).alertTemplates;
    assert.deepEqual(await s.list(), []);
    assert.equal(await s.get({ eventType: 'missile', stage: 'alert', language: 'uk' }), null);
  });

  test(`${name}: put adds, a second put of the same key replaces (text, nulls, author, time); list is ordered by key`, async (t) => {
    const s = (await make(t)).alertTemplates;
    const a = template();
    const b = template({ eventType: 'drone', stage: 'all-clear', language: 'he', headline: 'סיום האירוע', description: null, instruction: null });
    const c = template({ eventType: 'missile', stage: 'alert', language: 'ar', headline: 'إنذار صاروخي' });
    const d = template({ eventType: 'missile', stage: 'pre-alert', language: 'en', headline: 'Missile threat' });
    for (const x of [a, b, c, d]) await s.put(x);
    assert.deepEqual(await s.list(), [b, c, a, d], 'event type, then stage, then language, by code point');
    const changed = template({ headline: 'Ракетна тривога', description: null, instruction: 'Залишайтеся в укритті.', updatedBy: 'approver2', updatedAt: '2026-03-02T08:00:00.000Z' });
    await s.put(changed);
    assert.deepEqual(await s.get({ eventType: 'missile', stage: 'alert', language: 'uk' }), changed);
    assert.equal((await s.list()).length, 4);
    assert.deepEqual(await s.get({ eventType: 'drone', stage: 'all-clear', language: 'he' }), b, 'nulls and right-to-left text come back as stored');
  });

  test(`${name}: remove deletes one key once; the others stay`, async (t) => {
    const s = (await make(t)).alertTemplates;
    await s.put(template());
    await s.put(template({ language: 'ru', headline: 'Ракетная опасность' }));
    assert.equal(await s.remove({ eventType: 'missile', stage: 'alert', language: 'uk' }), true);
    assert.equal(await s.remove({ eventType: 'missile', stage: 'alert', language: 'uk' }), false);
    assert.equal(await s.get({ eventType: 'missile', stage: 'alert', language: 'uk' }), null);
    assert.deepEqual((await s.list()).map((x) => x.language), ['ru']);
  });
}
