-- Accounts, sessions, API tokens, shelters and their history.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'approver', 'warden')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled_at TEXT
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  label TEXT,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

CREATE TABLE shelters (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  address TEXT,
  lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
  capacity INTEGER CHECK (capacity >= 0),
  kind TEXT NOT NULL,
  protection_class TEXT NOT NULL,
  step_free INTEGER,
  amenities TEXT NOT NULL,
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
CREATE UNIQUE INDEX shelters_source ON shelters(source, source_id) WHERE source IS NOT NULL AND source_id IS NOT NULL;

CREATE TABLE shelter_history (
  id INTEGER PRIMARY KEY,
  shelter_id TEXT NOT NULL REFERENCES shelters(id),
  version INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor TEXT,
  action TEXT NOT NULL,
  changes TEXT NOT NULL
);
CREATE INDEX shelter_history_shelter ON shelter_history(shelter_id, version);

-- Datasets and their attribution, shown wherever their records are.
CREATE TABLE sources (
  name TEXT PRIMARY KEY,
  attribution TEXT,
  licence TEXT,
  imported_at TEXT NOT NULL
);
