/**
 * The part of an order's refunds that goes back to its gift card once `refundedTotal` has been
 * refunded in all: the gift card's share of what the order cost (`paid` by the payment provider
 * plus `giftCardSpent`), rounded down, so the provider's part is never short. Cumulative, so the
 * share of one refund is the difference before and after it, and partial refunds in any order add
 * up to the same split. Order (which tells the provider what to refund) and member (which puts the
 * rest back on the card) both take it from here.
 */
export function giftCardRefundShare(refundedTotal: number, paid: number, giftCardSpent: number): number {
  const total = paid + giftCardSpent;
  if (total <= 0 || giftCardSpent <= 0) return 0;
  const refunded = Math.min(Math.max(0, refundedTotal), total);
  return Number((BigInt(giftCardSpent) * BigInt(refunded)) / BigInt(total));
}
