-- Alerts and their delivery outbox (src/alerts/lifecycle, src/alerts/delivery).
CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  sender TEXT NOT NULL,
  identifier TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'approved', 'issued', 'rejected', 'imported')),
  status TEXT NOT NULL,
  msg_type TEXT NOT NULL,
  cap_json TEXT NOT NULL,
  cap_xml TEXT,
  signature TEXT,
  signature_key_id TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  approved_by TEXT,
  approved_at TEXT,
  issued_at TEXT,
  origin TEXT,
  false_alarm INTEGER NOT NULL DEFAULT 0,
  prepared_for TEXT REFERENCES alerts(id),
  replaced_by TEXT REFERENCES alerts(id),
  withdrawn_by TEXT,
  withdrawn_at TEXT,
  -- milliseconds since epoch of the first info's expiry, for the active-alerts query
  expires_ms INTEGER
);
CREATE UNIQUE INDEX alerts_identity ON alerts(sender, identifier);
CREATE INDEX alerts_live ON alerts(state, expires_ms);
CREATE INDEX alerts_prepared_for ON alerts(prepared_for) WHERE prepared_for IS NOT NULL;

-- One row per message to deliver, written in the same transaction that issues the alert.
-- seq is the event id clients see (SSE id) and only grows.
CREATE TABLE alert_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id TEXT NOT NULL REFERENCES alerts(id),
  event_json TEXT NOT NULL,
  expires_ms INTEGER,
  created_at TEXT NOT NULL,
  completed_at TEXT,
  outcome TEXT CHECK (outcome IN ('published', 'expired'))
);
CREATE INDEX alert_outbox_pending ON alert_outbox(seq) WHERE completed_at IS NULL;
