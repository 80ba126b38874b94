-- Regions (same shape as SQLite's 020): named areas with a warning time, imported per source; codes are unique
-- across sources. `geometry` keeps the GeoJSON text as imported, so all() returns exactly what SQLite returns;
-- `geom` is the same shape for PostGIS queries, derived from it so the two can never disagree.
CREATE TABLE IF NOT EXISTS regions (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  warning_time_s DOUBLE PRECISION,
  parent_code TEXT,
  source TEXT NOT NULL,
  geometry TEXT NOT NULL,
  geom geometry(MultiPolygon, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_Multi(ST_GeomFromGeoJSON(geometry)), 4326)) STORED,
  imported_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS regions_source ON regions (source);
CREATE INDEX IF NOT EXISTS regions_geom ON regions USING gist (geom);
