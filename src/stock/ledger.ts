// The ledger's arithmetic: how a movement turns into signed lines per lot, given the lot balances at that moment.
// Pure functions; the store calls them inside its write transaction (see ports.ts).
import { StockError } from './errors.ts';
import { isExpired, type LineDraft, type LotBalance } from './model.ts';

/** First expiry first out: earliest expiry first, lots without expiry last, then the lot received first. */
export function fefoOrder(a: LotBalance, b: LotBalance): number {
  if (a.expires !== b.expires) {
    if (a.expires === null) return 1;
    if (b.expires === null) return -1;
    return a.expires < b.expires ? -1 : 1;
  }
  return a.firstSeq - b.firstSeq || (a.lot < b.lot ? -1 : a.lot > b.lot ? 1 : 0);
}

export interface TakeOptions {
  /** A named lot; otherwise lots are picked first-expiry-first-out. */
  lot?: string | null;
  /** The date today (YYYY-MM-DD): lots that expired before it cannot be issued or transferred. */
  today: string;
  /** Expired lots may be taken (write-offs). */
  allowExpired?: boolean;
  /** Only expired lots may be taken (a write-off for expiry). */
  onlyExpired?: boolean;
  /** Says what the quantities are, for messages: minor units to text. */
  show?: (minor: number) => string;
}

/** Lines that take `quantity` out of the balances; refuses with INSUFFICIENT_STOCK, LOT_EXPIRED or LOT_NOT_FOUND. */
export function planTake(balances: LotBalance[], quantity: number, o: TakeOptions): LineDraft[] {
  const show = o.show ?? String;
  if (o.lot !== undefined && o.lot !== null) {
    const b = balances.find((x) => x.lot === o.lot);
    if (!b || b.quantity <= 0) throw new StockError('LOT_NOT_FOUND', `lot ${o.lot} is not in stock here`, 'lot', { available: 0 });
    const expired = isExpired(b.expires, o.today);
    if (expired && !o.allowExpired) throw new StockError('LOT_EXPIRED', `lot ${o.lot} expired on ${b.expires}; expired stock can only be written off`, 'lot', { expires: b.expires });
    if (!expired && o.onlyExpired) throw new StockError('INVALID_MOVEMENT', `lot ${o.lot} has not expired (${b.expires ?? 'no expiry date'}); write it off as damaged or lost instead`, 'reason');
    if (b.quantity < quantity) {
      throw new StockError('INSUFFICIENT_STOCK', `only ${show(b.quantity)} of lot ${o.lot} in stock, ${show(quantity)} asked for`, 'quantity', { available: b.quantity });
    }
    return [{ lot: b.lot, expires: b.expires, delta: -quantity }];
  }
  const usable = balances
    .filter((b) => b.quantity > 0)
    .filter((b) => {
      const expired = isExpired(b.expires, o.today);
      return o.onlyExpired ? expired : expired ? !!o.allowExpired : true;
    })
    .sort(fefoOrder);
  const available = usable.reduce((n, b) => n + b.quantity, 0);
  if (available < quantity) {
    const expired = o.allowExpired ? 0 : balances.filter((b) => b.quantity > 0 && isExpired(b.expires, o.today)).reduce((n, b) => n + b.quantity, 0);
    const more = expired > 0 ? ` (and ${show(expired)} expired, which can only be written off)` : '';
    throw new StockError('INSUFFICIENT_STOCK', `only ${show(available)} in stock${more}, ${show(quantity)} asked for`, 'quantity', { available, expired });
  }
  const lines: LineDraft[] = [];
  let left = quantity;
  for (const b of usable) {
    if (left === 0) break;
    const take = Math.min(left, b.quantity);
    lines.push({ lot: b.lot, expires: b.expires, delta: -take });
    left -= take;
  }
  return lines;
}

/** A receipt or return into one lot. */
export function planPut(lot: string, expires: string | null, quantity: number): LineDraft[] {
  return [{ lot, expires, delta: quantity }];
}

/** An adjustment of one lot: to a counted quantity, or by a signed difference; never below zero. */
export function planAdjust(balances: LotBalance[], lot: string, expires: string | null, change: { counted: number } | { delta: number }, show: (minor: number) => string = String): LineDraft[] {
  const current = balances.find((b) => b.lot === lot);
  const have = current?.quantity ?? 0;
  const delta = 'counted' in change ? change.counted - have : change.delta;
  if (have + delta < 0) throw new StockError('INSUFFICIENT_STOCK', `an adjustment of ${show(delta)} would leave ${show(have + delta)} in stock`, 'quantity', { available: have });
  if (delta === 0) return [];
  return [{ lot, expires: current?.expires ?? expires, delta }];
}

/** The lines undoing a movement; refuses when the stock it brought in has been used since. */
export function planReverse(balances: LotBalance[], lines: LineDraft[], show: (minor: number) => string = String): LineDraft[] {
  return lines.map((l) => {
    const have = balances.find((b) => b.lot === l.lot)?.quantity ?? 0;
    if (have - l.delta < 0) {
      throw new StockError('INSUFFICIENT_STOCK', `cannot reverse: only ${show(have)} of ${l.lot ? `lot ${l.lot}` : 'this item'} left of the ${show(l.delta)} it brought in`, 'id', { available: have });
    }
    return { lot: l.lot, expires: l.expires, delta: -l.delta };
  });
}
