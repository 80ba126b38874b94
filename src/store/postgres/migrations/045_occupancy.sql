-- Live occupancy: people inside a shelter now, when and by whom it was reported (same shape as SQLite's 045).
ALTER TABLE shelters ADD COLUMN IF NOT EXISTS occupancy INTEGER CHECK (occupancy >= 0);
ALTER TABLE shelters ADD COLUMN IF NOT EXISTS occupancy_at TEXT;
ALTER TABLE shelters ADD COLUMN IF NOT EXISTS occupancy_by TEXT;
