import { allowed, refused, RuleResult } from '../member-rule.result';

/** What a coupon template (pricing's) allows: where and when its coupons may be used. */
export interface CouponTerms {
  readonly templateId: string;
  /** The code a quote names to apply the template's discount. */
  readonly code: string;
  /** Channels where it may be used; empty means every channel. */
  readonly channels: readonly string[];
  readonly validFrom: Date;
  /** Exclusive end of validity. */
  readonly validTo: Date;
}

/** States of a coupon in a wallet. */
export const COUPON_STATUSES = ['available', 'frozen', 'redeemed'] as const;
/** A coupon's state. */
export type CouponStatus = (typeof COUPON_STATUSES)[number];

/** Events that move a coupon. */
export type CouponTransition = 'freeze' | 'redeem' | 'unfreeze';

/** The coupon lifecycle as a table: a Try freezes, a Confirm redeems (usable once), a Cancel unfreezes. */
export const COUPON_TRANSITIONS: Readonly<Record<CouponTransition, { from: CouponStatus; to: CouponStatus }>> = Object.freeze({
  freeze: { from: 'available', to: 'frozen' },
  redeem: { from: 'frozen', to: 'redeemed' },
  unfreeze: { from: 'frozen', to: 'available' },
});

/** The status after `transition`, or a refusal naming the illegal move. */
export function couponTransition(status: CouponStatus, transition: CouponTransition): RuleResult<CouponStatus> {
  const rule = COUPON_TRANSITIONS[transition];
  if (status === rule.from) return allowed(rule.to);
  if (status === 'redeemed') return refused('COUPON_USED', 'the coupon was already used');
  if (status === 'frozen') return refused('COUPON_IN_USE', 'the coupon is held by another order');
  return refused('COUPON_NOT_HELD', `a ${status} coupon cannot ${transition}`);
}

/** Whether a coupon may be issued from the template now: a coupon that could never be used is not issued. */
export function canIssue(terms: CouponTerms, now: Date): RuleResult<CouponTerms> {
  if (terms.validTo.getTime() <= terms.validFrom.getTime()) return refused('COUPON_WINDOW_EMPTY', 'validTo must be after validFrom');
  if (terms.validTo.getTime() <= now.getTime()) return refused('COUPON_TEMPLATE_EXPIRED', `the template ended at ${terms.validTo.toISOString()}`);
  return allowed(terms);
}

/** A coupon of a wallet as the use rules need it. */
export interface WalletCoupon extends CouponTerms {
  readonly memberId: string;
  readonly status: CouponStatus;
}

/** Whether `memberId` may use the coupon in `channel` at `now` (freeze it for an order). */
export function canUse(coupon: WalletCoupon, memberId: string, channel: string, now: Date): RuleResult<WalletCoupon> {
  if (coupon.memberId !== memberId) return refused('COUPON_NOT_OWNED', 'the coupon is not in this member’s wallet');
  if (coupon.channels.length > 0 && !coupon.channels.includes(channel)) return refused('COUPON_NOT_IN_CHANNEL', `the coupon is not valid in channel ${channel}`);
  if (now.getTime() < coupon.validFrom.getTime()) return refused('COUPON_NOT_YET_VALID', `the coupon is valid from ${coupon.validFrom.toISOString()}`);
  if (now.getTime() >= coupon.validTo.getTime()) return refused('COUPON_EXPIRED', `the coupon expired at ${coupon.validTo.toISOString()}`);
  const next = couponTransition(coupon.status, 'freeze');
  return next.ok ? allowed(coupon) : next;
}
