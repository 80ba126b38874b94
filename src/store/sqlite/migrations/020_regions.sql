-- Regions (alerts 020-024): named areas with a warning time, imported from GeoJSON. A re-import of the same
-- source replaces that source's regions; codes are unique across sources.
CREATE TABLE regions (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  warning_time_s REAL,
  parent_code TEXT,
  source TEXT NOT NULL,
  -- GeoJSON MultiPolygon geometry (lon, lat)
  geometry TEXT NOT NULL,
  imported_at TEXT NOT NULL
);
CREATE INDEX regions_source ON regions (source);
