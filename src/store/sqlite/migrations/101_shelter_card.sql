-- The shelter card (issue 14): how to find the entrance, the floor, opening hours, the source's links, and photos an
-- operator uploads (the bytes here, the records carry only ids).
ALTER TABLE shelters ADD COLUMN entrance TEXT;
ALTER TABLE shelters ADD COLUMN floor TEXT;
ALTER TABLE shelters ADD COLUMN opening_hours TEXT;
ALTER TABLE shelters ADD COLUMN links TEXT NOT NULL DEFAULT '[]';

CREATE TABLE IF NOT EXISTS shelter_photos (
  id TEXT PRIMARY KEY,
  shelter_id TEXT NOT NULL REFERENCES shelters(id),
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  size INTEGER NOT NULL CHECK (size > 0),
  data BLOB NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT
);
CREATE INDEX IF NOT EXISTS shelter_photos_shelter ON shelter_photos(shelter_id, created_at, id);
