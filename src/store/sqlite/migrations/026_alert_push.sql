-- Web Push: VAPID keys (made at first start, then kept), subscriptions per region, and the retry queue.
CREATE TABLE push_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE push_subscriptions (
  endpoint TEXT PRIMARY KEY,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  regions TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- The subscription's regions and their ancestors, so an oblast-wide alert finds raion subscribers.
CREATE TABLE push_subscription_regions (
  region_code TEXT NOT NULL,
  endpoint TEXT NOT NULL REFERENCES push_subscriptions(endpoint) ON DELETE CASCADE,
  PRIMARY KEY (region_code, endpoint)
) WITHOUT ROWID;
CREATE INDEX push_subscription_regions_endpoint ON push_subscription_regions(endpoint);

CREATE TABLE push_jobs (
  seq INTEGER NOT NULL,
  endpoint TEXT NOT NULL REFERENCES push_subscriptions(endpoint) ON DELETE CASCADE,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  last_error TEXT,
  PRIMARY KEY (seq, endpoint)
);
CREATE INDEX push_jobs_due ON push_jobs(next_attempt_ms);
CREATE INDEX push_jobs_endpoint ON push_jobs(endpoint);
