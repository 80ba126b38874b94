-- A process writes its reach row for an event one last time when the event leaves its live log (expired) or the
-- process stops cleanly: such a row is final and always counts. Only rows that are not final and not updated for
-- 30 s belong to a silent (crashed or stuck) process.
ALTER TABLE alert_reach ADD COLUMN final INTEGER NOT NULL DEFAULT 0;
