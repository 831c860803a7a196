import type { CouponKind } from '../rules/coupon-template.definition';
import type { RuleKind } from '../rules/price-rule.definition';
import type { ListPriceSource } from '../prices/price.resolver';

/** One cart line to price. */
export interface QuoteLineInput {
  /** SKU code. */
  sku: string;
  /** Units, a positive integer. */
  quantity: number;
  /** The SKU's categories (from the catalog), used by targets and conditions. */
  categoryIds: string[];
}

/** What the flash-sale cap accounting (kept by the service) says is left for this buyer. */
export interface FlashSaleUsage {
  /** Units of the cap not yet sold or locked. */
  remainingCap: number;
  /** Units this member already bought or locked at the sale price. */
  memberPurchased: number;
}

/** A request for a quote. */
export interface QuoteInput {
  /** Channel code; only this channel's prices are considered. */
  channel: string;
  /** Store code (POS, pickup), if any. */
  storeId?: string;
  /** Member tier, if the buyer is a known member. */
  memberTier?: string;
  /** Member id, if known. */
  memberId?: string;
  /** Cart lines, priced in this order. */
  lines: QuoteLineInput[];
  /** Coupon codes the buyer wants to use (order does not matter). */
  couponCodes: string[];
  /** The instant to price at. */
  now: Date;
  /** Flash-sale usage per rule id; a rule without an entry has its full cap and no member purchases. */
  flashSaleUsage?: Readonly<Record<string, FlashSaleUsage>>;
}

/** The kind of an applied rule or coupon. */
export type AppliedKind = RuleKind | `coupon-${CouponKind}`;

/** One discount on one line. */
export interface QuoteLineDiscount {
  /** Rule id, or coupon template id. */
  ruleId: string;
  /** Kind of the rule or coupon. */
  kind: AppliedKind;
  /** Amount off this line in minor units (> 0). */
  amount: number;
  /** Why, in words. */
  explanation: string;
  /** The coupon code, for coupon discounts. */
  couponCode?: string;
}

/** A priced line. */
export interface QuoteLine {
  /** SKU code. */
  sku: string;
  /** Units. */
  quantity: number;
  /** List price per unit: the channel price-list entry in force, else the base price. */
  listPrice: number;
  /** Where the list price came from. */
  listPriceSource: ListPriceSource;
  /** Price per unit after the price stage (channel adjustment, special or limited-time price). */
  unitPrice: number;
  /** Price-stage rule that set unitPrice, if any. */
  priceRuleId?: string;
  /** unitPrice × quantity. */
  lineSubtotal: number;
  /** Discounts in the order they applied; order-level ones are this line's allocated share. */
  discounts: QuoteLineDiscount[];
  /** Σ discounts. */
  discountTotal: number;
  /** lineSubtotal − discountTotal, never negative. */
  finalLineTotal: number;
}

/** A rule or coupon that changed the quote. */
export interface AppliedRule {
  /** Rule id, or coupon template id. */
  ruleId: string;
  /** Version of the rule or template that applied. */
  version: number;
  /** Kind of the rule or coupon. */
  kind: AppliedKind;
  /** Rule or template name. */
  name: string;
  /**
   * Discount-stage rules and coupons: the amount off (> 0, part of discountTotal). Price-stage rules:
   * the saving against list price (negative for a mark-up), not part of discountTotal.
   */
  amount: number;
  /** Why, in words, e.g. "Spend 600 get 70 off (subtotal 642.00)". */
  explanation: string;
  /** The coupon code, for coupons. */
  couponCode?: string;
}

/** Why a coupon code did not apply. */
export type CouponRejectionReason =
  | 'unknown-code'
  | 'duplicate-code'
  | 'not-valid-now'
  | 'currency-mismatch'
  | 'channel-not-allowed'
  | 'no-eligible-line'
  | 'does-not-stack'
  | 'below-threshold'
  | 'no-discount';

/** A coupon code that did not apply, and why. */
export interface RejectedCoupon {
  /** The code as given. */
  code: string;
  /** Machine-readable reason. */
  reason: CouponRejectionReason;
  /** Why, in words. */
  message: string;
}

/** Units sold at a flash-sale price in this quote (what a quote lock counts against the cap). */
export interface FlashSaleAllocation {
  /** Flash-sale rule id. */
  ruleId: string;
  /** SKU on sale. */
  sku: string;
  /** Units at the sale price. */
  units: number;
}

/** A priced cart. All money in integer minor units of `currency`. */
export interface Quote {
  /** Currency of every amount. */
  currency: string;
  /** Channel the quote was made for. */
  channel: string;
  /** The instant priced at (UTC ISO-8601). */
  pricedAt: string;
  /** Lines in input order. */
  lines: QuoteLine[];
  /** Applied rules and coupons: price-stage rules first, then discounts in the order they applied. */
  appliedRules: AppliedRule[];
  /** Coupon codes that did not apply, sorted by code. */
  rejectedCoupons: RejectedCoupon[];
  /** Flash-sale units, sorted by rule id then SKU. */
  flashSaleAllocations: FlashSaleAllocation[];
  /** Σ lineSubtotal. */
  subtotal: number;
  /** Σ line discounts (≤ subtotal). */
  discountTotal: number;
  /** subtotal − discountTotal (≥ 0). */
  total: number;
}

/** A quote, or the business reason none could be made. */
export type QuoteOutcome = { ok: true; quote: Quote } | { ok: false; reason: 'sku-not-priced'; skus: string[] };
