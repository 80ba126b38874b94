-- Live occupancy: people inside a shelter now, when and by whom it was reported. Null until someone reports it
-- (existing shelters stay null). A count above capacity is allowed: overcrowding is real and must be recorded.
ALTER TABLE shelters ADD COLUMN occupancy INTEGER CHECK (occupancy >= 0);
ALTER TABLE shelters ADD COLUMN occupancy_at TEXT;
ALTER TABLE shelters ADD COLUMN occupancy_by TEXT;
