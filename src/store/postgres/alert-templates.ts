// PostgreSQL store of the alert template overrides (migration 102).
import type pg from 'pg';
import type { AlertTemplateStore } from '../../alerts/templates/ports.ts';
import type { AlertTemplate, TemplateKey } from '../../alerts/templates/model.ts';

interface Row { event_type: string; stage: string; language: string; headline: string; description: string | null; instruction: string | null; updated_by: string; updated_at: string }

const toTemplate = (r: Row): AlertTemplate => ({
  eventType: r.event_type as AlertTemplate['eventType'], stage: r.stage as AlertTemplate['stage'], language: r.language as AlertTemplate['language'],
  headline: r.headline, description: r.description, instruction: r.instruction, updatedBy: r.updated_by, updatedAt: r.updated_at,
});

export class PostgresAlertTemplateStore implements AlertTemplateStore {
  constructor(private readonly pool: pg.Pool) {}

  async list(): Promise<AlertTemplate[]> {
    // COLLATE "C": the same byte order as SQLite's default, so both stores list alike.
    return ((await this.pool.query('SELECT * FROM alert_templates ORDER BY event_type COLLATE "C", stage COLLATE "C", language COLLATE "C"')).rows as Row[]).map(toTemplate);
  }

  async get(k: TemplateKey): Promise<AlertTemplate | null> {
    const row = (await this.pool.query('SELECT * FROM alert_templates WHERE event_type = $1 AND stage = $2 AND language = $3', [k.eventType, k.stage, k.language])).rows[0] as Row | undefined;
    return row ? toTemplate(row) : null;
  }

  async put(t: AlertTemplate): Promise<void> {
    await this.pool.query(`INSERT INTO alert_templates (event_type, stage, language, headline, description, instruction, updated_by, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (event_type, stage, language) DO UPDATE SET headline = excluded.headline, description = excluded.description,
        instruction = excluded.instruction, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    [t.eventType, t.stage, t.language, t.headline, t.description, t.instruction, t.updatedBy, t.updatedAt]);
  }

  async remove(k: TemplateKey): Promise<boolean> {
    return (await this.pool.query('DELETE FROM alert_templates WHERE event_type = $1 AND stage = $2 AND language = $3', [k.eventType, k.stage, k.language])).rowCount === 1;
  }
}
