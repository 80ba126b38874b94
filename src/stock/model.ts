// Depots, items and the stock ledger as plain data.
//
// Quantities are integers. An item says how many decimals its unit of measure allows (`decimals`, 0-3: pieces 0,
// litres of water 1, kilograms 3); the ledger stores every quantity in the smallest such step ("minor" units: an
// item with decimals = 1 counts tenths), so sums never drift as floating-point sums do. The API speaks in the item's
// own unit (1.5 litres) and refuses a quantity finer than the item allows.
import { StockError } from './errors.ts';

export const MOVEMENT_TYPES = ['receipt', 'issue', 'return', 'transfer', 'transfer-receipt', 'adjustment', 'write-off', 'reversal'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];
/** The types a client may post to /api/stock/movements (transfer-receipt and reversal have their own routes). */
export const POSTABLE_TYPES = ['receipt', 'issue', 'return', 'transfer', 'adjustment', 'write-off'] as const;
export type PostableType = (typeof POSTABLE_TYPES)[number];
export const WRITE_OFF_REASONS = ['expired', 'damaged', 'lost'] as const;

export interface Depot {
  id: string;
  name: string;
  lat: number | null;
  lon: number | null;
  region: string | null;
  responsible: string | null;
  contact: string | null;
  createdAt: string;
  createdBy: string | null;
}

export interface Item {
  id: string;
  /** The organisation's own article code (unique when given); CSV imports key on it. */
  code: string | null;
  name: string;
  category: string;
  /** Unit of measure as text: piece, box, litre, kg ... */
  unit: string;
  /** Decimals the unit allows (0-3); quantities are stored in steps of 10^-decimals. */
  decimals: number;
  tracksLots: boolean;
  createdAt: string;
  createdBy: string | null;
}

/** The balance of one lot of one item in one depot, in minor units. Items without lots have the single lot ''. */
export interface LotBalance {
  lot: string;
  expires: string | null;
  quantity: number;
  /** Ledger order of the lot's first line in this depot (FEFO tie-break: first in, first out). */
  firstSeq: number;
}

/** A change to one lot: signed, minor units. */
export interface LineDraft {
  lot: string;
  expires: string | null;
  delta: number;
}

export interface MovementDraft {
  id: string;
  type: MovementType;
  depotId: string;
  itemId: string;
  /** Total moved, minor units, always positive except for an adjustment (signed) . */
  quantity: number;
  toDepotId: string | null;
  unitId: string | null;
  shelterId: string | null;
  recipient: string | null;
  reason: string | null;
  reference: string | null;
  /** For an adjustment after a count: what was counted (minor units). */
  counted: number | null;
  reverses: string | null;
  transferId: string | null;
  countId: string | null;
  actor: string | null;
  at: string;
}

export interface Movement extends MovementDraft {
  seq: number;
  lines: LineDraft[];
  /** The reversal that undid this movement, if any. */
  reversedBy: string | null;
}

export interface TransferLine {
  lot: string;
  expires: string | null;
  dispatched: number;
  received: number | null;
}

export interface Transfer {
  id: string;
  fromDepotId: string;
  toDepotId: string;
  itemId: string;
  status: 'in-transit' | 'received';
  dispatchedAt: string;
  dispatchedBy: string | null;
  receivedAt: string | null;
  receivedBy: string | null;
  lines: TransferLine[];
  differenceReason: string | null;
}

export interface Count {
  id: string;
  depotId: string;
  status: 'open' | 'posted';
  startedAt: string;
  startedBy: string | null;
  postedAt: string | null;
  postedBy: string | null;
  note: string | null;
  lines: CountLine[];
}

export interface CountLine {
  itemId: string;
  lot: string;
  expires: string | null;
  counted: number;
  recordedAt: string;
  recordedBy: string | null;
}

/** A balance row of a depot with the item and lot expiry joined. */
export interface BalanceRow {
  depotId: string;
  itemId: string;
  lot: string;
  expires: string | null;
  quantity: number;
}

/** One ledger line with its movement, for stock cards and issue reports. */
export interface LedgerLine {
  seq: number;
  movementId: string;
  type: MovementType;
  depotId: string;
  itemId: string;
  lot: string;
  expires: string | null;
  delta: number;
  at: string;
  actor: string | null;
  reason: string | null;
  reference: string | null;
  unitId: string | null;
  shelterId: string | null;
  recipient: string | null;
  toDepotId: string | null;
  reverses: string | null;
}

export const MAX_MINOR = 1e12; // far below 2^53 even when a million lines are summed

/** A quantity in the item's unit (number or decimal text) as an integer number of minor units; exact, never floats. */
export function toMinor(value: unknown, decimals: number, field = 'quantity', { allowNegative = false, allowZero = false } = {}): number {
  let text: string;
  if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'string' && value.trim() !== '') text = value.trim();
  else throw new StockError('INVALID_QUANTITY', `${field} must be a number`, field);
  if (/e/i.test(text)) text = Number(text).toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new StockError('INVALID_QUANTITY', `${field} must be a number, not ${JSON.stringify(value)}`, field);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) {
    throw new StockError('INVALID_QUANTITY', decimals === 0 ? `${field} must be a whole number for this item` : `${field} allows at most ${decimals} decimals for this item`, field);
  }
  const minor = Number(m[2] + frac.padEnd(decimals, '0')) * (m[1] ? -1 : 1);
  if (!Number.isSafeInteger(minor) || Math.abs(minor) > MAX_MINOR) throw new StockError('INVALID_QUANTITY', `${field} is too large`, field);
  if (minor < 0 && !allowNegative) throw new StockError('INVALID_QUANTITY', `${field} must not be negative`, field);
  if (minor === 0 && !allowZero) throw new StockError('INVALID_QUANTITY', `${field} must not be zero`, field);
  return minor === 0 ? 0 : minor;
}

/** Minor units back to the item's unit, as a number (exact for display: 15 tenths -> 1.5). */
export function fromMinor(minor: number, decimals: number): number {
  if (decimals === 0) return minor;
  return Number(minorText(minor, decimals));
}

/** Minor units as decimal text (for CSV): 15 tenths -> "1.5", 20 tenths -> "2". */
export function minorText(minor: number, decimals: number): string {
  if (decimals === 0) return String(minor);
  const neg = minor < 0;
  const digits = String(Math.abs(minor)).padStart(decimals + 1, '0');
  const int = digits.slice(0, -decimals);
  const frac = digits.slice(-decimals).replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? '.' + frac : ''}`;
}

/** A lot's expiry as YYYY-MM-DD (a real calendar date), or null. */
export function parseDate(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) throw new StockError('INVALID_MOVEMENT', `${field} must be a date YYYY-MM-DD`, field);
  const v = value.trim();
  const d = new Date(`${v}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) throw new StockError('INVALID_MOVEMENT', `${field} is not a calendar date: ${v}`, field);
  return v;
}

/** A lot is usable through its expiry day; from the next day on it may only be written off. */
export function isExpired(expires: string | null, today: string): boolean {
  return expires !== null && expires < today;
}
