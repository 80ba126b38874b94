// Domain errors of the stock capability; the HTTP edge maps the codes to problem documents.
export type StockErrorCode =
  | 'INVALID_DEPOT' | 'INVALID_ITEM' | 'INVALID_MOVEMENT' | 'INVALID_QUANTITY'
  | 'DEPOT_NOT_FOUND' | 'ITEM_NOT_FOUND' | 'MOVEMENT_NOT_FOUND' | 'TRANSFER_NOT_FOUND' | 'COUNT_NOT_FOUND' | 'SHELTER_NOT_FOUND' | 'UNIT_NOT_FOUND'
  | 'DUPLICATE' | 'INSUFFICIENT_STOCK' | 'LOT_EXPIRED' | 'LOT_NOT_FOUND' | 'LOT_EXPIRY_MISMATCH'
  | 'ALREADY_REVERSED' | 'NOT_REVERSIBLE' | 'TRANSFER_NOT_IN_TRANSIT' | 'COUNT_NOT_OPEN';

export class StockError extends Error {
  constructor(
    readonly code: StockErrorCode,
    message: string,
    readonly field: string | null = null,
    /** Extra members for the problem document (what is available, per lot ...). */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'StockError';
  }
}

/** Whether an error means "the ledger refuses this" (409) rather than bad input or a missing record. */
export const CONFLICT_CODES: ReadonlySet<StockErrorCode> = new Set([
  'DUPLICATE', 'INSUFFICIENT_STOCK', 'LOT_EXPIRED', 'LOT_NOT_FOUND', 'LOT_EXPIRY_MISMATCH', 'ALREADY_REVERSED', 'NOT_REVERSIBLE', 'TRANSFER_NOT_IN_TRANSIT', 'COUNT_NOT_OPEN',
]);
