-- Issue 14: Web Push to approvers when a draft waits (per staff user), and the "test my alerts" push per device.
-- Same tables as SQLite's 103_approvals_push.sql.
CREATE TABLE staff_push_subscriptions (
  endpoint TEXT PRIMARY KEY,
  user_name TEXT COLLATE "C" NOT NULL REFERENCES users(name) ON DELETE CASCADE ON UPDATE CASCADE,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX staff_push_subscriptions_user ON staff_push_subscriptions(user_name);

CREATE TABLE push_test_sends (
  endpoint TEXT PRIMARY KEY,
  last_ms BIGINT NOT NULL
);
