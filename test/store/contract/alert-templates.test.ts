// The AlertTemplateStore contract against SQLite and PostgreSQL, and that every change lands in the audit log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertTemplateStoreContract } from './alert-templates.contract.ts';
import { freshPostgres, freshSqlite } from './databases.ts';

alertTemplateStoreContract('sqlite', freshSqlite);
alertTemplateStoreContract('postgres', freshPostgres);

for (const [name, make] of [['sqlite', freshSqlite], ['postgres', freshPostgres]] as const) {
  test(`${name}: a template change and its reset are audited under event type/stage/language`, async (t) => {
    const store = await make(t);
    const key = { eventType: 'missile', stage: 'alert', language: 'da' } as const;
    await store.alertTemplates.put({ ...key, headline: 'Missilalarm', description: null, instruction: 'Gå i beskyttelsesrum nu.', updatedBy: 'admin', updatedAt: '2026-03-01T10:00:00.000Z' });
    await store.alertTemplates.remove(key);
    const entries = await store.audit.entriesFor('alert_templates', 'missile/alert/da', 10);
    assert.deepEqual(entries.map((e) => e.op).sort(), ['delete', 'insert']);
    assert.ok(entries.some((e) => e.after !== null && e.after.includes('Missilalarm')), 'the text is in the log');
  });
}
