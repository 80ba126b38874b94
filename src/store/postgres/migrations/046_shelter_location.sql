-- Shelter locations as PostGIS points, kept in step with lat/lon by the database itself, for spatial queries
-- (nearest shelters, shelters inside an alert's area) through the GiST index.
ALTER TABLE shelters ADD COLUMN IF NOT EXISTS geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED;
CREATE INDEX IF NOT EXISTS shelters_geom ON shelters USING gist (geom);
