-- Issue 14. An account's jurisdiction: the region codes an admin gave it, as a JSON array (NULL: none). The composer
-- opens on them; the users audit trigger is regenerated from the live columns, so changes to it are logged.
ALTER TABLE users ADD COLUMN jurisdiction TEXT;
-- A region's names in other languages, as the source gave them (`name:uk`, `name_en`, ...): a JSON object
-- language -> name, keys sorted (NULL: none). The display name stays in `name`.
ALTER TABLE regions ADD COLUMN names TEXT;
