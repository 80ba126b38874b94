-- Issue 14 (same shape as SQLite's 106). What a photo shows, in the operator's words; the card shows it under the
-- photo and uses it as the alt text. NULL: none given. At most 300 characters, trimmed, no control characters
-- (checked by the API). The audit capture functions are regenerated from the live columns, so changes are logged.
ALTER TABLE shelter_photos ADD COLUMN IF NOT EXISTS caption TEXT;
-- The order the operator chose (0, 1, 2 ...); photos uploaded before this (all 0) keep the order they were added in.
ALTER TABLE shelter_photos ADD COLUMN IF NOT EXISTS ordinal INTEGER NOT NULL DEFAULT 0;
