-- Planning jobs in the database (issue 11); same shape as SQLite's 104_plan_jobs.sql. Every process sharing the
-- database reads any job; a job whose process stopped heartbeating is failed or, if not started, re-run elsewhere.
-- Times are ISO 8601 text in the "C" collation, so they compare as they sort (as the plans table's).
CREATE TABLE IF NOT EXISTS plan_jobs (
  id TEXT PRIMARY KEY,
  -- insertion order (SQLite's rowid), the tie-break of equal creation times
  ord BIGINT GENERATED ALWAYS AS IDENTITY,
  kind TEXT NOT NULL CHECK (kind IN ('coverage', 'assign', 'siting')),
  -- JSON as text: jsonb would reorder the keys, and the API shows the request as given
  request TEXT NOT NULL,
  requested_by TEXT,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  progress TEXT,
  plan_id TEXT REFERENCES plans(id) ON DELETE SET NULL,
  error TEXT,
  inputs TEXT,
  share_key TEXT,
  owner TEXT,
  heartbeat_at TEXT COLLATE "C",
  created_at TEXT COLLATE "C" NOT NULL,
  started_at TEXT COLLATE "C",
  finished_at TEXT COLLATE "C"
);
CREATE INDEX IF NOT EXISTS plan_jobs_created ON plan_jobs (created_at, ord);
CREATE INDEX IF NOT EXISTS plan_jobs_active ON plan_jobs (state, requested_by) WHERE state IN ('queued', 'running');
CREATE INDEX IF NOT EXISTS plan_jobs_share ON plan_jobs (share_key) WHERE share_key IS NOT NULL;
