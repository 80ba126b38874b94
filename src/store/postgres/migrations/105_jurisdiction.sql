-- Issue 14 (same shape as SQLite's 105). An account's jurisdiction: the region codes an admin gave it (NULL: none).
-- The audit capture functions are regenerated from the live columns, so changes to it are logged.
ALTER TABLE users ADD COLUMN IF NOT EXISTS jurisdiction TEXT[];
-- A region's names in other languages (`name:uk`, `name_en`, ...): language -> name, keys sorted. JSON, not JSONB:
-- kept as written, so the keys come back in SQLite's order (NULL: none).
ALTER TABLE regions ADD COLUMN IF NOT EXISTS names JSON;
