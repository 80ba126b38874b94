-- Resident reports about shelters (locked, closed, missing) and the operator's decision (same shape as SQLite's 040).
CREATE TABLE IF NOT EXISTS shelter_reports (
  id TEXT PRIMARY KEY,
  shelter_id TEXT NOT NULL REFERENCES shelters(id),
  kind TEXT NOT NULL CHECK (kind IN ('locked', 'closed', 'missing')),
  note TEXT,
  -- COLLATE "C": ISO times compare and sort bytewise, as in SQLite, whatever the database's locale.
  created_at TEXT COLLATE "C" NOT NULL,
  reporter_key TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'confirmed', 'dismissed')),
  resolved_at TEXT,
  resolved_by TEXT,
  -- Insertion order: breaks ties between reports made in the same millisecond, as SQLite's rowid does.
  seq BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX IF NOT EXISTS shelter_reports_open ON shelter_reports(state, created_at, seq);
CREATE INDEX IF NOT EXISTS shelter_reports_shelter ON shelter_reports(shelter_id, state);
CREATE INDEX IF NOT EXISTS shelter_reports_reporter ON shelter_reports(reporter_key, created_at);
