-- Alert trust (docs/alerts.md, "Imports and trust"): who speaks on each alert, and the authorities whose signed CAP
-- messages go live on import.
-- trust: own | signed | reviewed | unverified (NULL on drafts and on rows stored before this migration).
ALTER TABLE alerts ADD COLUMN trust TEXT CHECK (trust IS NULL OR trust IN ('own', 'signed', 'reviewed', 'unverified'));
-- The name residents see: ours, a trusted authority's configured name, or the name an imported message gives.
ALTER TABLE alerts ADD COLUMN authority_name TEXT;

-- Managed with `refuge alerts trust add|list|remove` (host access to the database; deliberately not over HTTP).
CREATE TABLE alert_trusted_authorities (
  sender TEXT PRIMARY KEY COLLATE NOCASE,
  name TEXT NOT NULL,
  public_key_pem TEXT NOT NULL,
  key_id TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL
);
