-- How many Web Push notifications each delivered event reached (shown in the operator console).
ALTER TABLE alert_outbox ADD COLUMN push_sent INTEGER NOT NULL DEFAULT 0;
