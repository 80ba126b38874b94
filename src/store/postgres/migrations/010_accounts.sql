-- Accounts, sessions, API tokens and the account log: the same shape as SQLite's 001 and 060, with the ISO time strings
-- SQLite keeps. Names and the times that are compared or ordered use COLLATE "C", so they compare bytewise as in SQLite,
-- whatever the database's locale.
CREATE TABLE IF NOT EXISTS users (
  id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'approver', 'warden')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled_at TEXT,
  created_by TEXT,
  -- Not null while the account waits for a second admin to activate it; it can neither sign in nor use tokens.
  pending_since TEXT,
  pending_reason TEXT,
  -- The admins who made it pending in this episode: none of them may activate it.
  pending_by TEXT[],
  -- Someone other than the owner chose the password: the owner must choose their own at the next sign-in.
  must_change_password BOOLEAN NOT NULL DEFAULT false,
  password_changed_at TEXT
);

CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);

CREATE TABLE IF NOT EXISTS api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  label TEXT,
  created_at TEXT COLLATE "C" NOT NULL,
  revoked_at TEXT,
  id TEXT NOT NULL UNIQUE,
  created_by TEXT,
  expires_at TEXT,
  last_used_at TEXT,
  revoked_by TEXT,
  -- Insertion order: breaks ties between tokens made in the same millisecond, as SQLite's rowid does.
  seq BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens(user_id);

CREATE TABLE IF NOT EXISTS account_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT,              -- the account that acted; null for the server's own housekeeping
  via TEXT NOT NULL,       -- 'http', 'cli' or 'local'
  action TEXT NOT NULL,    -- e.g. user.created, user.activated, token.revoked
  subject TEXT,            -- the account acted on
  detail JSON NOT NULL     -- JSON, not JSONB: kept as written, keys in their order
);
CREATE INDEX IF NOT EXISTS account_events_subject ON account_events(subject, id);
