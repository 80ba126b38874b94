-- Planning jobs in the database (issue 11), so every process sharing it reads any job and a restart loses none:
-- who asked, what, its state and progress, the stored plan holding its result (or the error), and which process
-- runs it with its last heartbeat (a job whose process stopped heartbeating is failed or, if not started, re-run).
CREATE TABLE plan_jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('coverage', 'assign', 'siting')),
  -- the request as JSON (minutes, what-if filters, count, capacity, candidates)
  request TEXT NOT NULL,
  requested_by TEXT,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  -- {"phase", "done", "total"} as JSON, written at most about once a second while running
  progress TEXT,
  -- the result: a row of plans (kind = this job's kind); NULL until done
  plan_id TEXT REFERENCES plans(id) ON DELETE SET NULL,
  error TEXT,
  -- the inputs' versions the job uses (registry, population, network) as JSON
  inputs TEXT,
  -- sha256 of the request and the inputs: identical GET requests on unchanged inputs share one job
  share_key TEXT,
  -- "host/pid/random" of the process that runs it (or will); NULL: any process may take it
  owner TEXT,
  heartbeat_at TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX plan_jobs_created ON plan_jobs (created_at);
CREATE INDEX plan_jobs_active ON plan_jobs (state, requested_by) WHERE state IN ('queued', 'running');
CREATE INDEX plan_jobs_share ON plan_jobs (share_key) WHERE share_key IS NOT NULL;
