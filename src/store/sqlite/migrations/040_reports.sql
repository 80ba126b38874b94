-- Resident reports about shelters (locked, closed, missing) and the operator's decision.
CREATE TABLE shelter_reports (
  id TEXT PRIMARY KEY,
  shelter_id TEXT NOT NULL REFERENCES shelters(id),
  kind TEXT NOT NULL CHECK (kind IN ('locked', 'closed', 'missing')),
  note TEXT,
  created_at TEXT NOT NULL,
  reporter_key TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'confirmed', 'dismissed')),
  resolved_at TEXT,
  resolved_by TEXT
);
CREATE INDEX shelter_reports_open ON shelter_reports(state, created_at);
CREATE INDEX shelter_reports_shelter ON shelter_reports(shelter_id, state);
CREATE INDEX shelter_reports_reporter ON shelter_reports(reporter_key, created_at);
