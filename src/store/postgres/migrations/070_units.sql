-- PostgreSQL schema of the units capability (same shape as the SQLite 070_units.sql). Times stay ISO text as on
-- SQLite; JSON columns are `json` (kept as written, so key order matches SQLite); `pos` stands in for SQLite's rowid
-- where the order rows were added is part of the contract. Text sorted on is COLLATE "C": byte order, as SQLite.
CREATE TABLE IF NOT EXISTS units (
  id TEXT PRIMARY KEY,
  pos BIGINT GENERATED ALWAYS AS IDENTITY,
  name TEXT COLLATE "C" NOT NULL,
  type TEXT NOT NULL,
  region_code TEXT,
  base JSON,
  required_roles JSON NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS units_region ON units(region_code);

CREATE TABLE IF NOT EXISTS unit_members (
  id TEXT PRIMARY KEY,
  pos BIGINT GENERATED ALWAYS AS IDENTITY,
  unit_id TEXT NOT NULL REFERENCES units(id),
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  phone TEXT,
  email TEXT,
  user_name TEXT,
  skills JSON NOT NULL,
  certificates JSON NOT NULL,
  availability TEXT NOT NULL CHECK (availability IN ('available', 'on-leave', 'unavailable')),
  available_from TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS unit_members_unit ON unit_members(unit_id, pos);
CREATE INDEX IF NOT EXISTS unit_members_user ON unit_members(user_name, pos);

CREATE TABLE IF NOT EXISTS callups (
  id TEXT PRIMARY KEY,
  pos BIGINT GENERATED ALWAYS AS IDENTITY,
  unit_ids JSON NOT NULL,
  region_code TEXT,
  message TEXT NOT NULL,
  report_to TEXT,
  deadline TEXT,
  exercise BOOLEAN NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'cancelled', 'closed')),
  created_at TEXT COLLATE "C" NOT NULL,
  created_by TEXT NOT NULL,
  ended_at TEXT,
  ended_by TEXT,
  end_reason TEXT
);
CREATE INDEX IF NOT EXISTS callups_created ON callups(created_at, pos);

CREATE TABLE IF NOT EXISTS callup_recipients (
  callup_id TEXT NOT NULL REFERENCES callups(id),
  member_id TEXT NOT NULL REFERENCES unit_members(id),
  pos BIGINT GENERATED ALWAYS AS IDENTITY,
  unit_id TEXT NOT NULL,
  token_hash TEXT UNIQUE,
  answer TEXT CHECK (answer IN ('coming', 'unavailable')),
  eta_minutes INTEGER,
  reason TEXT,
  answered_at TEXT,
  answered_by TEXT,
  answered_via TEXT,
  pushed_at TEXT,
  pushed INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (callup_id, member_id)
);
CREATE INDEX IF NOT EXISTS callup_recipients_member ON callup_recipients(member_id);

CREATE TABLE IF NOT EXISTS callup_answers (
  pos BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  callup_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  answer TEXT NOT NULL,
  eta_minutes INTEGER,
  reason TEXT,
  at TEXT COLLATE "C" NOT NULL,
  by TEXT NOT NULL,
  via TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS callup_answers_callup ON callup_answers(callup_id, at, pos);

-- seq is handed out under a table lock held to commit (see PostgresCallUpRepository), so seq order is commit order
-- and a reader that saw seq n never later finds a smaller one.
CREATE TABLE IF NOT EXISTS unit_events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind TEXT NOT NULL,
  callup_id TEXT NOT NULL,
  member_id TEXT,
  data JSON NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS unit_events_member ON unit_events(member_id, seq);
CREATE INDEX IF NOT EXISTS unit_events_callup ON unit_events(callup_id, seq);

CREATE TABLE IF NOT EXISTS unit_member_push (
  endpoint TEXT NOT NULL,
  member_id TEXT NOT NULL REFERENCES unit_members(id),
  pos BIGINT GENERATED ALWAYS AS IDENTITY,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (endpoint, member_id)
);
CREATE INDEX IF NOT EXISTS unit_member_push_member ON unit_member_push(member_id);

CREATE TABLE IF NOT EXISTS regime_changes (
  id TEXT PRIMARY KEY,
  pos BIGINT GENERATED ALWAYS AS IDENTITY,
  region_code TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('everyday', 'heightened', 'emergency', 'martial-law')),
  reason TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at TEXT COLLATE "C" NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'in-force', 'rejected', 'superseded')),
  decided_by TEXT,
  decided_at TEXT
);
CREATE INDEX IF NOT EXISTS regime_changes_region ON regime_changes(region_code, requested_at);
CREATE INDEX IF NOT EXISTS regime_changes_state ON regime_changes(state);
-- SQLite's single writer kept one in-force change per region; here the index enforces it.
CREATE UNIQUE INDEX IF NOT EXISTS regime_changes_one_in_force ON regime_changes(region_code) WHERE state = 'in-force';

-- One row per region that has had a change, locked by every change of that region so concurrent servers apply
-- them one after another (the row is created on first use, so there is something to lock even before any change).
CREATE TABLE IF NOT EXISTS regime_regions (
  region_code TEXT PRIMARY KEY
);
