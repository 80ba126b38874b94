CREATE TABLE IF NOT EXISTS shelter_wardens (
  shelter_id TEXT NOT NULL REFERENCES shelters(id),
  user_name TEXT NOT NULL,
  assigned_at TEXT NOT NULL,
  assigned_by TEXT,
  PRIMARY KEY (shelter_id, user_name)
);
CREATE INDEX IF NOT EXISTS shelter_wardens_user ON shelter_wardens(user_name);
