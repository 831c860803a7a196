import { giftCardRefundShare } from '@omni/contracts';

/** What an order gave a member and took from their gift card, as refunds see it (integer units). */
export interface RefundBasis {
  /** Captured by the payment provider (minor units). */
  readonly paid: number;
  /** Spent from the gift card for the order (minor units). */
  readonly giftCardSpent: number;
  /** Points the order earned. */
  readonly earned: number;
}

/** What earlier refunds of the order already settled. */
export interface RefundSettled {
  /** Points whose reversal was settled (taken, or forgiven as shortfall). */
  readonly pointsReversed: number;
  /** Minor units already refunded to the gift card. */
  readonly giftCardRefunded: number;
}

/** What is still to do after every refund so far: points to take back and an amount to put back on the gift card. */
export interface RefundDue {
  /** Refunds counted, capped at the order's total (paid + gift card). */
  readonly refunded: number;
  readonly points: number;
  readonly giftCard: number;
}

/** ⌊value × part / whole⌋ in integers (BigInt: no float rounding however large). */
function share(value: number, part: number, whole: number): number {
  return Number((BigInt(value) * BigInt(part)) / BigInt(whole));
}

/**
 * The reversal due once `refundedTotal` of the order has been refunded in all: the points it earned
 * and the gift card's part of what it cost, each in proportion to the share refunded (all of both
 * once the whole order is refunded). Cumulative, not per refund, so partial refunds settle to the
 * same result whatever order they arrive in, and a repeat adds nothing.
 */
export function refundDue(basis: RefundBasis, refundedTotal: number, settled: RefundSettled): RefundDue {
  const total = basis.paid + basis.giftCardSpent;
  if (total <= 0) return { refunded: 0, points: 0, giftCard: 0 };
  const refunded = Math.min(Math.max(0, refundedTotal), total);
  return {
    refunded,
    points: Math.max(0, share(basis.earned, refunded, total) - settled.pointsReversed),
    giftCard: Math.max(0, giftCardRefundShare(refunded, basis.paid, basis.giftCardSpent) - settled.giftCardRefunded),
  };
}
