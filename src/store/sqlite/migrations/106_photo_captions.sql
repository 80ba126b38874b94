-- Issue 14 (the shelter card): what a photo shows, in the operator's words ("The entrance is the green door left of
-- the pharmacy"). The card shows it under the photo and uses it as the photo's alt text; NULL: none given (the card
-- falls back to "Photo 1 of <name>"). At most 300 characters, trimmed, no control characters (checked by the API).
ALTER TABLE shelter_photos ADD COLUMN caption TEXT;
-- The order the operator chose (0, 1, 2 ...); photos uploaded before this (all 0) keep the order they were added in.
ALTER TABLE shelter_photos ADD COLUMN ordinal INTEGER NOT NULL DEFAULT 0;
