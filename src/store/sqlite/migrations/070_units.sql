-- Civil-defence units and their members; call-ups, who they reached and every answer; the durable event log the
-- live streams replay from; members' push subscriptions; readiness regime changes per region.
CREATE TABLE units (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  region_code TEXT,
  base TEXT,
  required_roles TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX units_region ON units(region_code);

CREATE TABLE unit_members (
  id TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL REFERENCES units(id),
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  phone TEXT,
  email TEXT,
  user_name TEXT,
  skills TEXT NOT NULL,
  certificates TEXT NOT NULL,
  availability TEXT NOT NULL CHECK (availability IN ('available', 'on-leave', 'unavailable')),
  available_from TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX unit_members_unit ON unit_members(unit_id);
CREATE INDEX unit_members_user ON unit_members(user_name);

CREATE TABLE callups (
  id TEXT PRIMARY KEY,
  unit_ids TEXT NOT NULL,
  region_code TEXT,
  message TEXT NOT NULL,
  report_to TEXT,
  deadline TEXT,
  exercise INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'cancelled', 'closed')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  ended_at TEXT,
  ended_by TEXT,
  end_reason TEXT
);
CREATE INDEX callups_created ON callups(created_at);

CREATE TABLE callup_recipients (
  callup_id TEXT NOT NULL REFERENCES callups(id),
  member_id TEXT NOT NULL REFERENCES unit_members(id),
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
CREATE INDEX callup_recipients_member ON callup_recipients(member_id);

CREATE TABLE callup_answers (
  callup_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  answer TEXT NOT NULL,
  eta_minutes INTEGER,
  reason TEXT,
  at TEXT NOT NULL,
  by TEXT NOT NULL,
  via TEXT NOT NULL
);
CREATE INDEX callup_answers_callup ON callup_answers(callup_id, at);

CREATE TABLE unit_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  callup_id TEXT NOT NULL,
  member_id TEXT,
  data TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX unit_events_member ON unit_events(member_id, seq);
CREATE INDEX unit_events_callup ON unit_events(callup_id, seq);

CREATE TABLE unit_member_push (
  endpoint TEXT NOT NULL,
  member_id TEXT NOT NULL REFERENCES unit_members(id),
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (endpoint, member_id)
);
CREATE INDEX unit_member_push_member ON unit_member_push(member_id);

CREATE TABLE regime_changes (
  id TEXT PRIMARY KEY,
  region_code TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('everyday', 'heightened', 'emergency', 'martial-law')),
  reason TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'in-force', 'rejected', 'superseded')),
  decided_by TEXT,
  decided_at TEXT
);
CREATE INDEX regime_changes_region ON regime_changes(region_code, requested_at);
CREATE INDEX regime_changes_state ON regime_changes(state);
