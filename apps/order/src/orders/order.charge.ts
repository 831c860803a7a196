import { pointsValue } from '@omni/contracts';
import { discountShares } from '../returns/refund.allocation';


/** What member froze for an order (its Try reply's detail): the order charges from this. */
export interface MemberFrozen {
  couponIds: string[];
  points: number;
  giftCardId: string | null;
  giftCardAmount: number;
}

/** What pricing locked for an order (its Try reply's detail): the quote's total after promotions and coupons. */
export interface QuoteLocked {
  total: number;
  currency: string;
}

/** What the order had computed from its request when it was created. */
export interface ChargeBasis {
  goodsTotal: number;
  /** Σ unit price × quantity per line, from the request. */
  grossByLine: number[];
  /** Promotions and coupons of the request (used only when no quote was locked). */
  requestDiscount: number;
  currency: string;
}

/** What the order charges once every Try held. */
export interface Charge {
  goodsTotal: number;
  discountTotal: number;
  total: number;
  shares: number[];
  points: { points: number; value: number } | null;
  giftCard: { cardId: string; amount: number } | null;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The frozen amounts in a member Try reply's detail, or null when the detail is not one. */
export function memberFrozenOf(detail: Record<string, unknown> | undefined): MemberFrozen | null {
  if (!detail || !isCount(detail.points) || !isCount(detail.giftCardAmount) || !Array.isArray(detail.couponIds)) return null;
  const giftCardId = typeof detail.giftCardId === 'string' ? detail.giftCardId : null;
  if (detail.giftCardAmount > 0 && giftCardId === null) return null;
  return { couponIds: detail.couponIds.map(String), points: detail.points, giftCardId, giftCardAmount: detail.giftCardAmount };
}

/** The locked quote's total in a pricing Try reply's detail, or null when the detail is not one. */
export function quoteLockedOf(detail: Record<string, unknown> | undefined): QuoteLocked | null {
  if (!detail || !isCount(detail.total) || typeof detail.currency !== 'string' || detail.currency === '') return null;
  return { total: detail.total, currency: detail.currency };
}


/**
 * The order's charge from what its participants hold, never from its request: the locked quote's
 * total (its prices, promotions and coupons) when there is one, else the request's goods minus its
 * promotions and coupons; minus the value of the points member froze; the gift card pays the
 * amount member froze of what remains. A quote worth more than the request's goods raises the goods
 * to it (the request understated the prices); neither points nor the gift card take the total below
 * zero (creation refuses points or a gift card worth more than the request's total).
 */
export function settleCharge(basis: ChargeBasis, quote: QuoteLocked | null, frozen: MemberFrozen | null): Charge {
  const beforePoints = quote ? quote.total : basis.goodsTotal - basis.requestDiscount;
  const goodsTotal = Math.max(basis.goodsTotal, beforePoints);
  const value = frozen && frozen.points > 0 ? Math.min(pointsValue(frozen.points), beforePoints) : 0;
  const total = beforePoints - value;
  const discountTotal = goodsTotal - total;
  const gross = basis.grossByLine.reduce((a, b) => a + b, 0);
  return {
    goodsTotal,
    discountTotal,
    total,
    shares: discountShares(Math.min(discountTotal, gross), basis.grossByLine),
    points: frozen && frozen.points > 0 ? { points: frozen.points, value } : null,
    giftCard: frozen && frozen.giftCardId && frozen.giftCardAmount > 0 ? { cardId: frozen.giftCardId, amount: Math.min(frozen.giftCardAmount, total) } : null,
  };
}

/** What the payment provider must capture: the total minus the gift-card amount member froze. */
export function payableOf(total: number, giftCard: { amount?: number } | null): number {
  return total - (giftCard?.amount ?? 0);
}
