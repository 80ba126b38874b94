-- Issue 14: Web Push to approvers when a draft waits (per staff user), and the "test my alerts" push per device.
-- A staff device's push subscription, for one user: one browser endpoint belongs to whoever subscribed last on it.
CREATE TABLE staff_push_subscriptions (
  endpoint TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE ON UPDATE CASCADE,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX staff_push_subscriptions_user ON staff_push_subscriptions(user_name);

-- When a device last got a test push (POST /api/push/test): at most one per endpoint per interval, across processes.
CREATE TABLE push_test_sends (
  endpoint TEXT PRIMARY KEY,
  last_ms INTEGER NOT NULL
);
