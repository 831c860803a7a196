/**
 * Splits `total` minor units over `weights` in proportion, by largest remainder: every part is an
 * integer, the parts add up to `total` exactly, ties go to the earlier weight.
 */
export function allocateLargestRemainder(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError('total must be a non-negative integer');
  if (weights.some((w) => !Number.isInteger(w) || w < 0)) throw new RangeError('weights must be non-negative integers');
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  // Integer arithmetic throughout (BigInt): no float rounding on large amounts.
  const floors = weights.map((w) => (BigInt(total) * BigInt(w)) / BigInt(sum));
  const remainders = weights.map((w, i) => ({ i, r: (BigInt(total) * BigInt(w)) % BigInt(sum) }));
  let left = total - Number(floors.reduce((a, b) => a + b, 0n));
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  const parts = floors.map(Number);
  for (const { i } of remainders) {
    if (left === 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}

/** A line as refunds see it: its gross (unit price × quantity) and its share of order-level discounts. */
export interface RefundableLine {
  quantity: number;
  gross: number;
  discountShare: number;
}

/** Each line's share of the order-level discount (coupon, points), in proportion to its gross. */
export function discountShares(orderDiscount: number, grossByLine: readonly number[]): number[] {
  const gross = grossByLine.reduce((a, b) => a + b, 0);
  if (orderDiscount > gross) throw new RangeError('an order-level discount cannot exceed the goods');
  return allocateLargestRemainder(orderDiscount, grossByLine);
}

/**
 * Refund for returning `quantity` more units of a line of which `alreadyReturned` came back before:
 * the line's net (gross minus its discount share) spread over its units so that returning every
 * unit, in any number of returns, refunds exactly the net.
 */
export function refundForReturn(line: RefundableLine, alreadyReturned: number, quantity: number): number {
  if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError('quantity must be a positive integer');
  if (alreadyReturned + quantity > line.quantity) throw new RangeError('cannot return more units than were bought');
  const net = line.gross - line.discountShare;
  const upTo = (units: number): number => (units === line.quantity ? net : Math.floor((net * units) / line.quantity));
  return upTo(alreadyReturned + quantity) - upTo(alreadyReturned);
}
