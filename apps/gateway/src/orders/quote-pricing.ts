import { DomainError, DomainErrorType } from '@omni/platform';
import type { StoredQuote } from '../pricing/pricing.gateway';

/** What an order is charged when the buyer orders from a quote: the quote's prices and discounts. */
export interface QuotedOrderPricing {
  lines: Array<{ sku: string; quantity: number; unitPrice: { amount: number; currency: string } }>;
  /** Discounts of price rules (promotions, flash sales), one per rule. */
  promotions: Array<{ ruleId: string; discount: number }>;
  /** Discounts of coupons, one per code. */
  coupons: Array<{ code: string; discount: number }>;
}

/**
 * Prices an order from the buyer's quote, so the order charges exactly what the quote showed
 * (Σ unit price × quantity − the quote's discounts = the quote's total) and the quote lock holds
 * those prices. The order's lines must be the quote's lines, in order: a quote for one cart never
 * prices another (409 QUOTE_LINES_MISMATCH).
 */
export function orderPricingFromQuote(quote: StoredQuote, lines: ReadonlyArray<{ sku: string; quantity: number }>): QuotedOrderPricing {
  const same = quote.lines.length === lines.length && quote.lines.every((q, i) => q.sku === lines[i].sku && q.quantity === lines[i].quantity);
  if (!same) {
    throw new DomainError(DomainErrorType.Conflict, 'QUOTE_LINES_MISMATCH', `Quote ${quote.quoteId} priced other lines than this order's`, [
      { field: 'lines', reason: `must be the quote's lines: ${quote.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}` },
    ]);
  }
  const promotions = new Map<string, number>();
  const coupons = new Map<string, number>();
  for (const line of quote.lines) {
    for (const d of line.discounts) {
      if (d.couponCode) coupons.set(d.couponCode, (coupons.get(d.couponCode) ?? 0) + d.amount);
      else promotions.set(d.ruleId, (promotions.get(d.ruleId) ?? 0) + d.amount);
    }
  }
  const discount = [...promotions.values(), ...coupons.values()].reduce((a, b) => a + b, 0);
  // The quote is pricing's own arithmetic; a quote whose parts do not add up is a pricing bug, not a buyer error.
  if (discount !== quote.discountTotal || quote.subtotal - quote.discountTotal !== quote.total) {
    throw new Error(`quote ${quote.quoteId} does not add up: discounts ${discount} vs ${quote.discountTotal}, total ${quote.total}`);
  }
  return {
    lines: quote.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: { amount: l.unitPrice, currency: quote.currency } })),
    promotions: [...promotions].map(([ruleId, amount]) => ({ ruleId, discount: amount })),
    coupons: [...coupons].map(([code, amount]) => ({ code, discount: amount })),
  };
}
