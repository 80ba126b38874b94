-- Planning (090-099): the population cells planners count, and stored plans (assignments of cells to shelters).
-- One population data set per database: an import replaces the previous one whole (population_imports keeps the
-- history of versions; cells belong to the current import).
CREATE TABLE population_imports (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  population_field TEXT NOT NULL,
  cells INTEGER NOT NULL,
  total INTEGER NOT NULL,
  imported_at TEXT NOT NULL
);

CREATE TABLE population_cells (
  id INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES population_imports(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
  population INTEGER NOT NULL CHECK (population >= 0),
  -- GeoJSON MultiPolygon coordinates of the cell's area; NULL for a point
  polygons TEXT
);
CREATE UNIQUE INDEX population_cells_key ON population_cells (import_id, key);

CREATE TABLE plans (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT,
  mode TEXT NOT NULL,
  params TEXT NOT NULL,
  registry_version TEXT NOT NULL,
  population_version TEXT NOT NULL,
  network_version TEXT,
  summary TEXT NOT NULL
);
CREATE INDEX plans_kind_created ON plans (kind, created_at);

-- People of one demand point (a cell, or the part of a cell at one network node) sent to one shelter.
CREATE TABLE plan_assignments (
  plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  cell_key TEXT NOT NULL,
  lat REAL NOT NULL,
  lon REAL NOT NULL,
  shelter_id TEXT,
  people INTEGER NOT NULL,
  seconds REAL
);
CREATE INDEX plan_assignments_plan ON plan_assignments (plan_id, cell_key);
