-- Depots and stock: catalogue, an append-only ledger of movements, and a cached balance per depot, item and lot that
-- only the ledger's own trigger writes (a test checks it always equals the sum of the ledger).
-- Quantities are integers in the item's smallest unit: an item with decimals = 1 counts tenths (see docs/stock.md).
CREATE TABLE stock_depots (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  lat REAL,
  lon REAL,
  region TEXT,
  responsible TEXT,
  contact TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT
);
CREATE UNIQUE INDEX stock_depots_name ON stock_depots(name);

CREATE TABLE stock_items (
  id TEXT PRIMARY KEY,
  code TEXT,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  unit TEXT NOT NULL,
  decimals INTEGER NOT NULL DEFAULT 0 CHECK (decimals BETWEEN 0 AND 3),
  tracks_lots INTEGER NOT NULL DEFAULT 0 CHECK (tracks_lots IN (0, 1)),
  created_at TEXT NOT NULL,
  created_by TEXT
);
CREATE UNIQUE INDEX stock_items_code ON stock_items(code) WHERE code IS NOT NULL;

CREATE TABLE stock_minimums (
  depot_id TEXT NOT NULL REFERENCES stock_depots(id),
  item_id TEXT NOT NULL REFERENCES stock_items(id),
  minimum INTEGER NOT NULL CHECK (minimum >= 0),
  PRIMARY KEY (depot_id, item_id)
) WITHOUT ROWID;

-- A lot's expiry date belongs to the lot (the maker's batch), the same in every depot. Items without lots use lot ''.
CREATE TABLE stock_lots (
  item_id TEXT NOT NULL REFERENCES stock_items(id),
  lot TEXT NOT NULL,
  expires TEXT,
  PRIMARY KEY (item_id, lot)
) WITHOUT ROWID;

CREATE TABLE stock_transfers (
  id TEXT PRIMARY KEY,
  from_depot TEXT NOT NULL REFERENCES stock_depots(id),
  to_depot TEXT NOT NULL REFERENCES stock_depots(id),
  item_id TEXT NOT NULL REFERENCES stock_items(id),
  status TEXT NOT NULL CHECK (status IN ('in-transit', 'received')),
  dispatched_at TEXT NOT NULL,
  dispatched_by TEXT,
  received_at TEXT,
  received_by TEXT,
  -- JSON [{lot, dispatched, received}] once received: the differences, per lot.
  received_lines TEXT,
  difference_reason TEXT
);
CREATE INDEX stock_transfers_status ON stock_transfers(status, dispatched_at);

CREATE TABLE stock_counts (
  id TEXT PRIMARY KEY,
  depot_id TEXT NOT NULL REFERENCES stock_depots(id),
  status TEXT NOT NULL CHECK (status IN ('open', 'posted')),
  started_at TEXT NOT NULL,
  started_by TEXT,
  posted_at TEXT,
  posted_by TEXT,
  note TEXT
);
CREATE TABLE stock_count_lines (
  count_id TEXT NOT NULL REFERENCES stock_counts(id),
  item_id TEXT NOT NULL REFERENCES stock_items(id),
  lot TEXT NOT NULL,
  expires TEXT,
  counted INTEGER NOT NULL CHECK (counted >= 0),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT,
  PRIMARY KEY (count_id, item_id, lot)
) WITHOUT ROWID;

-- One movement as made: who, when, why, reference, to whom. Never updated or deleted (triggers below).
CREATE TABLE stock_movements (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('receipt', 'issue', 'return', 'transfer', 'transfer-receipt', 'adjustment', 'write-off', 'reversal')),
  depot_id TEXT NOT NULL REFERENCES stock_depots(id),
  item_id TEXT NOT NULL REFERENCES stock_items(id),
  quantity INTEGER NOT NULL,
  to_depot TEXT REFERENCES stock_depots(id),
  unit_id TEXT,          -- a unit's id; no foreign key: units are their own capability (docs/stock.md)
  shelter_id TEXT,
  recipient TEXT,
  reason TEXT,
  reference TEXT,
  counted INTEGER,
  reverses TEXT UNIQUE REFERENCES stock_movements(id),
  transfer_id TEXT REFERENCES stock_transfers(id),
  count_id TEXT REFERENCES stock_counts(id),
  actor TEXT,
  at TEXT NOT NULL
);
CREATE INDEX stock_movements_depot_item ON stock_movements(depot_id, item_id, seq);
CREATE INDEX stock_movements_unit ON stock_movements(unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX stock_movements_shelter ON stock_movements(shelter_id) WHERE shelter_id IS NOT NULL;

-- What a movement did to each lot: signed quantity. Sum of these per depot, item and lot is the balance.
CREATE TABLE stock_movement_lines (
  movement_seq INTEGER NOT NULL REFERENCES stock_movements(seq),
  depot_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  lot TEXT NOT NULL,
  delta INTEGER NOT NULL CHECK (delta <> 0),
  PRIMARY KEY (movement_seq, lot)
) WITHOUT ROWID;
CREATE INDEX stock_movement_lines_balance ON stock_movement_lines(depot_id, item_id, lot);

-- The cached balance. CHECK: the database itself refuses a negative balance, whatever writes to it.
CREATE TABLE stock_balances (
  depot_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  lot TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (depot_id, item_id, lot)
) WITHOUT ROWID;

CREATE TRIGGER stock_movement_lines_balance AFTER INSERT ON stock_movement_lines
BEGIN
  INSERT OR IGNORE INTO stock_balances (depot_id, item_id, lot, quantity) VALUES (NEW.depot_id, NEW.item_id, NEW.lot, 0);
  UPDATE stock_balances SET quantity = quantity + NEW.delta WHERE depot_id = NEW.depot_id AND item_id = NEW.item_id AND lot = NEW.lot;
END;

CREATE TRIGGER stock_movements_immutable_update BEFORE UPDATE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'stock movements are immutable: correct with a reversing movement'); END;
CREATE TRIGGER stock_movements_immutable_delete BEFORE DELETE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'stock movements are immutable: correct with a reversing movement'); END;
CREATE TRIGGER stock_movement_lines_immutable_update BEFORE UPDATE ON stock_movement_lines
BEGIN SELECT RAISE(ABORT, 'stock movements are immutable'); END;
CREATE TRIGGER stock_movement_lines_immutable_delete BEFORE DELETE ON stock_movement_lines
BEGIN SELECT RAISE(ABORT, 'stock movements are immutable'); END;
