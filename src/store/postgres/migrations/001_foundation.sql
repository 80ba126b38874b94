-- PostgreSQL schema of the foundation (same shape as the SQLite one).
CREATE TABLE IF NOT EXISTS shelters (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  address TEXT,
  lat DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
  capacity INTEGER CHECK (capacity >= 0),
  kind TEXT NOT NULL,
  protection_class TEXT NOT NULL,
  step_free BOOLEAN,
  amenities JSONB NOT NULL,
  operator TEXT,
  contact TEXT,
  access TEXT NOT NULL,
  key_holder_phone TEXT,
  status TEXT NOT NULL,
  status_set_at TEXT,
  status_set_by TEXT,
  last_verified_at TEXT,
  last_verified_by TEXT,
  source TEXT,
  source_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  decommissioned_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS shelters_source ON shelters(source, source_id) WHERE source IS NOT NULL AND source_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS shelter_history (
  id BIGSERIAL PRIMARY KEY,
  shelter_id TEXT NOT NULL REFERENCES shelters(id),
  version INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor TEXT,
  action TEXT NOT NULL,
  changes JSONB NOT NULL
);
CREATE INDEX IF NOT EXISTS shelter_history_shelter ON shelter_history(shelter_id, version);

CREATE TABLE IF NOT EXISTS sources (
  name TEXT PRIMARY KEY,
  attribution TEXT,
  licence TEXT,
  imported_at TEXT NOT NULL
);
