-- Delivery figures per issued alert event (GET /api/alerts/:id/delivery, the operator console).
-- Web Push outcomes are counted on the outbox row as they happen, in the store, so every process sees them:
--   targeted: jobs queued when the event fanned out; accepted: the push service took it (push_sent, migration 027);
--   failed: gave up (permanent 4xx or attempts exhausted); expired: dropped because the alert expired (TTL) first;
--   gone: the subscription was removed while the job was queued (404/410 from the push service, or unsubscribed).
-- Pending is what is still in push_jobs. targeted = accepted + failed + expired + gone + pending.
ALTER TABLE alert_outbox ADD COLUMN push_targeted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alert_outbox ADD COLUMN push_failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alert_outbox ADD COLUMN push_expired INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alert_outbox ADD COLUMN push_gone INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alert_outbox ADD COLUMN push_first_ms INTEGER;
ALTER TABLE alert_outbox ADD COLUMN push_last_ms INTEGER;
-- When the issuing transaction wrote the row, in ms (issued_at has CAP's whole seconds): "issued -> on the stream".
ALTER TABLE alert_outbox ADD COLUMN committed_ms INTEGER;
-- Which bus the outbox worker published the event on (in-process, nats, redis), and when MQTT first took it.
ALTER TABLE alert_outbox ADD COLUMN published_via TEXT;
ALTER TABLE alert_outbox ADD COLUMN mqtt_published_ms INTEGER;

-- Server-Sent-Event clients each server process wrote an event to, written by that process every ~2 s while the
-- event is live and once more on stop. Rows not updated for 30 s belong to a silent process and stop counting.
CREATE TABLE alert_reach (
  process_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  reached INTEGER NOT NULL,
  first_ms INTEGER,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (seq, process_id)
) WITHOUT ROWID;
