-- Planning (090-099) on PostgreSQL (same shape as SQLite's 090): the population cells planners count, and stored
-- plans. One population data set per database: an import replaces the previous one whole (population_imports keeps
-- the history of versions; cells belong to the current import).
-- ord columns keep insertion order (SQLite's rowid / INTEGER PRIMARY KEY), which reads return.
CREATE TABLE IF NOT EXISTS population_imports (
  -- Given by the store as max + 1 under a table lock, as SQLite's rowid, so versions read "1:...", "2:..." alike.
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  population_field TEXT NOT NULL,
  cells INTEGER NOT NULL,
  total BIGINT NOT NULL,
  imported_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS population_cells (
  import_id INTEGER NOT NULL REFERENCES population_imports(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL,
  key TEXT NOT NULL,
  lat DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
  population INTEGER NOT NULL CHECK (population >= 0),
  -- GeoJSON MultiPolygon coordinates of the cell's area as text (read back exactly as written); NULL for a point
  polygons TEXT,
  PRIMARY KEY (import_id, ord)
);
CREATE UNIQUE INDEX IF NOT EXISTS population_cells_key ON population_cells (import_id, key);

CREATE TABLE IF NOT EXISTS plans (
  id TEXT PRIMARY KEY,
  ord BIGINT GENERATED ALWAYS AS IDENTITY,
  kind TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  created_by TEXT,
  mode TEXT NOT NULL,
  -- JSON as text: jsonb would reorder the keys
  params TEXT NOT NULL,
  registry_version TEXT NOT NULL,
  population_version TEXT NOT NULL,
  network_version TEXT,
  summary TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS plans_kind_created ON plans (kind, created_at, ord);

-- People of one demand point (a cell, or the part of a cell at one network node) sent to one shelter.
-- people and seconds are DOUBLE PRECISION: solver flows are stored as given, as SQLite does.
CREATE TABLE IF NOT EXISTS plan_assignments (
  plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL,
  cell_key TEXT NOT NULL,
  lat DOUBLE PRECISION NOT NULL,
  lon DOUBLE PRECISION NOT NULL,
  shelter_id TEXT,
  people DOUBLE PRECISION NOT NULL,
  seconds DOUBLE PRECISION,
  PRIMARY KEY (plan_id, ord)
);
CREATE INDEX IF NOT EXISTS plan_assignments_plan ON plan_assignments (plan_id, cell_key);
