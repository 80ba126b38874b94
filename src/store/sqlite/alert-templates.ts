// SQLite store of the alert template overrides (migration 102).
import type { Db } from './db.ts';
import type { AlertTemplateStore } from '../../alerts/templates/ports.ts';
import type { AlertTemplate, TemplateKey } from '../../alerts/templates/model.ts';

interface Row { event_type: string; stage: string; language: string; headline: string; description: string | null; instruction: string | null; updated_by: string; updated_at: string }

const toTemplate = (r: Row): AlertTemplate => ({
  eventType: r.event_type as AlertTemplate['eventType'], stage: r.stage as AlertTemplate['stage'], language: r.language as AlertTemplate['language'],
  headline: r.headline, description: r.description, instruction: r.instruction, updatedBy: r.updated_by, updatedAt: r.updated_at,
});

export class SqliteAlertTemplateStore implements AlertTemplateStore {
  constructor(private readonly db: Db) {}

  async list(): Promise<AlertTemplate[]> {
    return (this.db.prepare('SELECT * FROM alert_templates ORDER BY event_type, stage, language').all() as Row[]).map(toTemplate);
  }

  async get(k: TemplateKey): Promise<AlertTemplate | null> {
    const row = this.db.prepare('SELECT * FROM alert_templates WHERE event_type = ? AND stage = ? AND language = ?').get(k.eventType, k.stage, k.language) as Row | undefined;
    return row ? toTemplate(row) : null;
  }

  async put(t: AlertTemplate): Promise<void> {
    this.db.prepare(`INSERT INTO alert_templates (event_type, stage, language, headline, description, instruction, updated_by, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(event_type, stage, language) DO UPDATE SET headline = excluded.headline, description = excluded.description,
        instruction = excluded.instruction, updated_by = excluded.updated_by, updated_at = excluded.updated_at`)
      .run(t.eventType, t.stage, t.language, t.headline, t.description, t.instruction, t.updatedBy, t.updatedAt);
  }

  async remove(k: TemplateKey): Promise<boolean> {
    return this.db.prepare('DELETE FROM alert_templates WHERE event_type = ? AND stage = ? AND language = ?').run(k.eventType, k.stage, k.language).changes === 1;
  }
}
