-- Alert templates (docs/alerts.md, "Templates"): the overrides of the built-in wording (src/alerts/templates/defaults.ts)
-- per event type, stage and interface language. Only changed entries are stored; audited (src/audit/coverage/alert-templates.ts).
CREATE TABLE alert_templates (
  event_type TEXT NOT NULL,
  stage TEXT NOT NULL CHECK (stage IN ('pre-alert', 'alert', 'all-clear')),
  language TEXT NOT NULL,
  headline TEXT NOT NULL,
  description TEXT,
  instruction TEXT,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (event_type, stage, language)
);
