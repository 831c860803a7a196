/**
 * The refusal of an order for a SKU that has no stock left on the buyer's channel, before any order
 * or saga is written: HTTP 409 with code SOLD_OUT, a detail per sold-out line (`lines.<i>.sku`).
 * The gateway answers it from its sold-out projection, the order service from inventory's ATP;
 * a buyer sees the same body from either. Nothing is stored, so a retry with the same
 * Idempotency-Key is judged afresh.
 */
export const SOLD_OUT_CODE = 'SOLD_OUT';

/** What a SOLD_OUT refusal says: its message and one detail per sold-out line. */
export interface SoldOutRefusal {
  code: typeof SOLD_OUT_CODE;
  message: string;
  details: Array<{ field: string; reason: string }>;
}

/** The SOLD_OUT refusal naming each sold-out line (its index in the order's lines and its SKU). */
export function soldOutRefusal(channel: string, soldOut: ReadonlyArray<{ index: number; sku: string }>): SoldOutRefusal {
  const skus = [...new Set(soldOut.map((line) => line.sku))];
  return {
    code: SOLD_OUT_CODE,
    message: `Sold out on channel ${channel}: ${skus.join(', ')}`,
    details: soldOut.map(({ index, sku }) => ({ field: `lines.${index}.sku`, reason: `SKU ${sku} is sold out on channel ${channel}` })),
  };
}
