-- Depots and stock on PostgreSQL (same shape as SQLite's 080): catalogue, an append-only ledger of movements, and a
-- cached balance per depot, item and lot that only the ledger's own trigger writes.
-- Quantities are BIGINT minor units (MAX_MINOR is 1e12, beyond INTEGER). Times are the same ISO text as on SQLite.
-- Text that is sorted on is COLLATE "C" so the order is SQLite's (bytewise), whatever the database's locale.
CREATE TABLE IF NOT EXISTS stock_depots (
  id TEXT PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL,
  lat DOUBLE PRECISION,
  lon DOUBLE PRECISION,
  region TEXT,
  responsible TEXT,
  contact TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS stock_depots_name ON stock_depots(name);

CREATE TABLE IF NOT EXISTS stock_items (
  id TEXT COLLATE "C" PRIMARY KEY,
  code TEXT,
  name TEXT COLLATE "C" NOT NULL,
  category TEXT COLLATE "C" NOT NULL,
  unit TEXT NOT NULL,
  decimals INTEGER NOT NULL DEFAULT 0 CHECK (decimals BETWEEN 0 AND 3),
  tracks_lots BOOLEAN NOT NULL DEFAULT false,
  created_at TEXT NOT NULL,
  created_by TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS stock_items_code ON stock_items(code) WHERE code IS NOT NULL;

CREATE TABLE IF NOT EXISTS stock_minimums (
  depot_id TEXT COLLATE "C" NOT NULL REFERENCES stock_depots(id),
  item_id TEXT COLLATE "C" NOT NULL REFERENCES stock_items(id),
  minimum BIGINT NOT NULL CHECK (minimum >= 0),
  PRIMARY KEY (depot_id, item_id)
);

-- A lot's expiry date belongs to the lot (the maker's batch), the same in every depot. Items without lots use lot ''.
CREATE TABLE IF NOT EXISTS stock_lots (
  item_id TEXT NOT NULL REFERENCES stock_items(id),
  lot TEXT COLLATE "C" NOT NULL,
  expires TEXT COLLATE "C",
  PRIMARY KEY (item_id, lot)
);

-- ord: insertion order, SQLite's rowid (lists break ties on it).
CREATE TABLE IF NOT EXISTS stock_transfers (
  id TEXT PRIMARY KEY,
  ord BIGINT GENERATED ALWAYS AS IDENTITY,
  from_depot TEXT NOT NULL REFERENCES stock_depots(id),
  to_depot TEXT NOT NULL REFERENCES stock_depots(id),
  item_id TEXT NOT NULL REFERENCES stock_items(id),
  status TEXT NOT NULL CHECK (status IN ('in-transit', 'received')),
  dispatched_at TEXT COLLATE "C" NOT NULL,
  dispatched_by TEXT,
  received_at TEXT,
  received_by TEXT,
  -- JSON [{lot, received}] once received: the differences, per lot.
  received_lines TEXT,
  difference_reason TEXT
);
CREATE INDEX IF NOT EXISTS stock_transfers_status ON stock_transfers(status, dispatched_at);

CREATE TABLE IF NOT EXISTS stock_counts (
  id TEXT PRIMARY KEY,
  ord BIGINT GENERATED ALWAYS AS IDENTITY,
  depot_id TEXT NOT NULL REFERENCES stock_depots(id),
  status TEXT NOT NULL CHECK (status IN ('open', 'posted')),
  started_at TEXT COLLATE "C" NOT NULL,
  started_by TEXT,
  posted_at TEXT,
  posted_by TEXT,
  note TEXT
);
CREATE TABLE IF NOT EXISTS stock_count_lines (
  count_id TEXT NOT NULL REFERENCES stock_counts(id),
  item_id TEXT COLLATE "C" NOT NULL REFERENCES stock_items(id),
  lot TEXT COLLATE "C" NOT NULL,
  expires TEXT,
  counted BIGINT NOT NULL CHECK (counted >= 0),
  recorded_at TEXT COLLATE "C" NOT NULL,
  recorded_by TEXT,
  PRIMARY KEY (count_id, item_id, lot)
);

-- One movement as made. Never updated or deleted (triggers below). seq may have gaps (a sequence: rolled-back
-- movements use numbers up); it orders the ledger.
CREATE TABLE IF NOT EXISTS stock_movements (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('receipt', 'issue', 'return', 'transfer', 'transfer-receipt', 'adjustment', 'write-off', 'reversal')),
  depot_id TEXT NOT NULL REFERENCES stock_depots(id),
  item_id TEXT NOT NULL REFERENCES stock_items(id),
  quantity BIGINT NOT NULL,
  to_depot TEXT REFERENCES stock_depots(id),
  unit_id TEXT,          -- a unit's id; no foreign key: units are their own capability (docs/stock.md)
  shelter_id TEXT,
  recipient TEXT,
  reason TEXT,
  reference TEXT,
  counted BIGINT,
  reverses TEXT REFERENCES stock_movements(id),
  transfer_id TEXT REFERENCES stock_transfers(id),
  count_id TEXT REFERENCES stock_counts(id),
  actor TEXT,
  at TEXT NOT NULL,
  CONSTRAINT stock_movements_reverses_once UNIQUE (reverses)
);
CREATE INDEX IF NOT EXISTS stock_movements_depot_item ON stock_movements(depot_id, item_id, seq);
CREATE INDEX IF NOT EXISTS stock_movements_unit ON stock_movements(unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS stock_movements_shelter ON stock_movements(shelter_id) WHERE shelter_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS stock_movements_transfer ON stock_movements(transfer_id) WHERE transfer_id IS NOT NULL;

-- What a movement did to each lot: signed quantity. Sum of these per depot, item and lot is the balance.
CREATE TABLE IF NOT EXISTS stock_movement_lines (
  movement_seq BIGINT NOT NULL REFERENCES stock_movements(seq),
  depot_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  lot TEXT COLLATE "C" NOT NULL,
  delta BIGINT NOT NULL CHECK (delta <> 0),
  PRIMARY KEY (movement_seq, lot)
);
CREATE INDEX IF NOT EXISTS stock_movement_lines_balance ON stock_movement_lines(depot_id, item_id, lot, movement_seq);

-- The cached balance. CHECK: the database itself refuses a negative balance, whatever writes to it.
CREATE TABLE IF NOT EXISTS stock_balances (
  depot_id TEXT COLLATE "C" NOT NULL,
  item_id TEXT COLLATE "C" NOT NULL,
  lot TEXT COLLATE "C" NOT NULL,
  quantity BIGINT NOT NULL CONSTRAINT stock_balances_not_negative CHECK (quantity >= 0),
  PRIMARY KEY (depot_id, item_id, lot)
);

-- One row per depot and item ever moved: the row a ledger write locks (SELECT ... FOR UPDATE) before it reads the
-- balances it plans from, so writers of one depot+item queue up across processes, also before its first lot exists.
-- No foreign keys: an unknown depot or item is refused by the movement's own insert, after the planner, as on SQLite.
CREATE TABLE IF NOT EXISTS stock_positions (
  depot_id TEXT COLLATE "C" NOT NULL,
  item_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (depot_id, item_id)
);

CREATE OR REPLACE FUNCTION stock_line_to_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Not INSERT ... ON CONFLICT DO UPDATE: PostgreSQL checks the CHECK on the proposed row (the bare delta) first,
  -- which would refuse every negative line.
  UPDATE stock_balances SET quantity = quantity + NEW.delta WHERE depot_id = NEW.depot_id AND item_id = NEW.item_id AND lot = NEW.lot;
  IF NOT FOUND THEN
    -- A first line below zero inserts a negative row: the CHECK refuses it, as an update below zero.
    INSERT INTO stock_balances (depot_id, item_id, lot, quantity) VALUES (NEW.depot_id, NEW.item_id, NEW.lot, NEW.delta) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN -- inserted meanwhile by a writer that did not hold the position's lock
      UPDATE stock_balances SET quantity = quantity + NEW.delta WHERE depot_id = NEW.depot_id AND item_id = NEW.item_id AND lot = NEW.lot;
    END IF;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS stock_movement_lines_balance ON stock_movement_lines;
CREATE TRIGGER stock_movement_lines_balance AFTER INSERT ON stock_movement_lines FOR EACH ROW EXECUTE FUNCTION stock_line_to_balance();

-- Only the trigger above writes balances (it runs at trigger depth 2 here); a hand-written change would part them
-- from the ledger.
CREATE OR REPLACE FUNCTION stock_balances_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'stock balances are kept by the ledger: record a movement' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
DROP TRIGGER IF EXISTS stock_balances_guard ON stock_balances;
CREATE TRIGGER stock_balances_guard BEFORE INSERT OR UPDATE OR DELETE ON stock_balances FOR EACH ROW EXECUTE FUNCTION stock_balances_guard();
DROP TRIGGER IF EXISTS stock_balances_guard_truncate ON stock_balances;
CREATE TRIGGER stock_balances_guard_truncate BEFORE TRUNCATE ON stock_balances FOR EACH STATEMENT EXECUTE FUNCTION stock_balances_guard();

CREATE OR REPLACE FUNCTION stock_movements_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END $$;
DROP TRIGGER IF EXISTS stock_movements_immutable ON stock_movements;
CREATE TRIGGER stock_movements_immutable BEFORE UPDATE OR DELETE ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION stock_movements_immutable('stock movements are immutable: correct with a reversing movement');
DROP TRIGGER IF EXISTS stock_movements_immutable_truncate ON stock_movements;
CREATE TRIGGER stock_movements_immutable_truncate BEFORE TRUNCATE ON stock_movements
  FOR EACH STATEMENT EXECUTE FUNCTION stock_movements_immutable('stock movements are immutable: correct with a reversing movement');
DROP TRIGGER IF EXISTS stock_movement_lines_immutable ON stock_movement_lines;
CREATE TRIGGER stock_movement_lines_immutable BEFORE UPDATE OR DELETE ON stock_movement_lines
  FOR EACH ROW EXECUTE FUNCTION stock_movements_immutable('stock movements are immutable');
DROP TRIGGER IF EXISTS stock_movement_lines_immutable_truncate ON stock_movement_lines;
CREATE TRIGGER stock_movement_lines_immutable_truncate BEFORE TRUNCATE ON stock_movement_lines
  FOR EACH STATEMENT EXECUTE FUNCTION stock_movements_immutable('stock movements are immutable');
