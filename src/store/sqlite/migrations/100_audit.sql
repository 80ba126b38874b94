-- The tamper-evident audit log (issue 15, docs/audit.md). Every change to an audited table appends an entry here in
-- the same transaction, from triggers that src/store/sqlite/audit-triggers.ts installs from src/audit/coverage.ts
-- (and refreshes when a table's columns change). Each entry's hash covers its content and the hash before it
-- (src/audit/chain.ts); seq has no gaps. before/after are the row as JSON text, kept exactly as hashed.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  tbl TEXT NOT NULL,
  op TEXT NOT NULL,
  key TEXT NOT NULL,
  before TEXT,
  after TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log (tbl, key, seq);

-- The chain's head signed with the alert signing key (src/audit/seal.ts), one row per sealed head.
CREATE TABLE audit_seals (
  seq INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  at TEXT NOT NULL,
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL
);
