// What the stock capability needs from a store. Async, plain data, no driver types.
//
// The ledger methods each own one write transaction: they read the balances the change depends on, call the
// domain's planner with them, and write the movement and its lines, all before any other writer (another request,
// another process) can change those balances. SQLite: BEGIN IMMEDIATE. PostgreSQL: lock the depot+item's balance
// rows (SELECT ... FOR UPDATE on a per depot+item row) or run SERIALIZABLE and retry. A planner that throws refuses
// the change and nothing is written. The store must also refuse, by itself, any write that would leave a balance
// below zero (SQLite: a CHECK on the cached balance), and never update or delete a movement.
import type {
  BalanceRow, Count, CountLine, Depot, Item, LedgerLine, LineDraft, LotBalance, Movement, MovementDraft, MovementType, Transfer, TransferLine,
} from './model.ts';

/** Decides a movement's lines from the current lot balances of its depot and item (minor units). Pure; may throw StockError. */
export type Planner = (balances: LotBalance[]) => LineDraft[];

export interface TransferHeader {
  id: string;
  fromDepotId: string;
  toDepotId: string;
  itemId: string;
  dispatchedAt: string;
  dispatchedBy: string | null;
}

export interface Receipt {
  /** The destination's movement; null when nothing arrived at all. */
  draft: MovementDraft | null;
  lines: LineDraft[];
  received: TransferLine[];
  reason: string | null;
  receivedAt: string;
  receivedBy: string | null;
}

export interface Minimum {
  depotId: string;
  itemId: string;
  minimum: number;
}

export interface LedgerFilter {
  depotId?: string;
  itemId?: string;
  unitId?: string;
  shelterId?: string;
  types?: MovementType[];
}

export interface MovementFilter {
  depotId?: string;
  itemId?: string;
  type?: MovementType;
  limit: number;
  /** Movements with a lower seq than this (paging backwards from the newest). */
  beforeSeq?: number;
}

export interface StockRepository {
  insertDepot(depot: Depot): Promise<void>;
  getDepot(id: string): Promise<Depot | null>;
  listDepots(): Promise<Depot[]>;

  insertItem(item: Item): Promise<void>;
  getItem(id: string): Promise<Item | null>;
  findItemByCode(code: string): Promise<Item | null>;
  listItems(): Promise<Item[]>;
  /** One transaction: inserts the new items and changes name, category and unit of the existing ones. */
  saveCatalogue(inserts: Item[], updates: Item[]): Promise<void>;

  /** Sets (or with null removes) the minimum level of an item in a depot. */
  setMinimum(depotId: string, itemId: string, minimum: number | null): Promise<void>;
  minimums(depotId?: string): Promise<Minimum[]>;
  /** Every lot of an item ever received, with its expiry. */
  lots(itemId: string): Promise<Array<{ lot: string; expires: string | null }>>;

  /** Records one movement (see the transaction rule above). */
  record(draft: MovementDraft, plan: Planner): Promise<Movement>;
  /** Records several movements in one transaction: all or none (opening balances). Plans see earlier steps' effect. */
  recordAll(steps: Array<{ draft: MovementDraft; plan: Planner }>, minimums?: Minimum[]): Promise<Movement[]>;
  /** Dispatches a transfer: the source's movement and the transfer, in transit, together. */
  dispatch(transfer: TransferHeader, draft: MovementDraft, plan: Planner): Promise<{ transfer: Transfer; movement: Movement }>;
  /** Receives a transfer still in transit (refuses TRANSFER_NOT_IN_TRANSIT otherwise, also to a second receiver). */
  receive(transferId: string, build: (transfer: Transfer) => Receipt): Promise<{ transfer: Transfer; movement: Movement | null }>;
  /** Records the reversal of a movement (once: ALREADY_REVERSED), planned from the original and the current balances. */
  reverse(originalId: string, build: (original: Movement, balances: LotBalance[]) => { draft: MovementDraft; lines: LineDraft[] }): Promise<Movement>;

  startCount(count: Count): Promise<void>;
  /** Adds or replaces counted lines of an open count (COUNT_NOT_OPEN otherwise). */
  recordCount(countId: string, lines: CountLine[]): Promise<Count>;
  /** Posts an open count: the adjustments built from its lines and the balances now, and the count marked posted. */
  postCount(countId: string, postedAt: string, postedBy: string | null,
    build: (count: Count, balances: (itemId: string) => LotBalance[]) => Array<{ draft: MovementDraft; lines: LineDraft[] }>): Promise<{ count: Count; movements: Movement[] }>;
  getCount(id: string): Promise<Count | null>;
  listCounts(depotId?: string): Promise<Count[]>;

  getTransfer(id: string): Promise<Transfer | null>;
  listTransfers(status?: Transfer['status']): Promise<Transfer[]>;
  getMovement(id: string): Promise<Movement | null>;
  /** Newest first. */
  listMovements(filter: MovementFilter): Promise<Movement[]>;

  /** Balances per depot, item and lot with a quantity other than zero. */
  balances(filter: { depotId?: string; itemId?: string }): Promise<BalanceRow[]>;
  /** Ledger lines in ledger order. */
  ledger(filter: LedgerFilter): Promise<LedgerLine[]>;
}
