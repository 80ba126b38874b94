-- Accounts that no single admin can turn into a second person (issue 9): accounts an admin creates, re-roles or
-- resets over HTTP wait for a second admin; tokens act only for their creator, expire and can be revoked; every
-- account change is logged.
ALTER TABLE users ADD COLUMN created_by TEXT;
-- Not null while the account waits for a second admin to activate it; it can neither sign in nor use tokens.
ALTER TABLE users ADD COLUMN pending_since TEXT;
ALTER TABLE users ADD COLUMN pending_reason TEXT;
-- JSON array of the admins who made it pending in this episode: none of them may activate it.
ALTER TABLE users ADD COLUMN pending_by TEXT;
-- Set when someone other than the owner chose the password: the owner must choose their own at the next sign-in.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_changed_at TEXT;

ALTER TABLE api_tokens ADD COLUMN id TEXT;
ALTER TABLE api_tokens ADD COLUMN created_by TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_by TEXT;
UPDATE api_tokens SET id = 'tok_' || lower(hex(randomblob(8))) WHERE id IS NULL;
-- Tokens made before expiry existed get the default 90 days from the upgrade, not an instant lock-out.
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days') WHERE expires_at IS NULL;
CREATE UNIQUE INDEX api_tokens_id ON api_tokens(id);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE account_events (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT,              -- the account that acted; null for the server's own housekeeping
  via TEXT NOT NULL,       -- 'http' (a signed-in account), 'cli' (shell access to the server), 'local' (in-process code)
  action TEXT NOT NULL,    -- e.g. user.created, user.activated, token.revoked
  subject TEXT,            -- the account acted on
  detail TEXT NOT NULL     -- JSON
);
CREATE INDEX account_events_subject ON account_events(subject, id);
