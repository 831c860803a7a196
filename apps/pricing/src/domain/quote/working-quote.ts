import { allocateLargestRemainder } from '../money/allocation.util';
import { QuoteFacts } from '../rules/condition.evaluator';
import { AppliedKind, AppliedRule, FlashSaleAllocation, QuoteLineDiscount } from './quote.model';

/** A line while discounts are being applied. */
export interface WorkingLine {
  /** SKU code. */
  sku: string;
  /** Units. */
  quantity: number;
  /** The SKU's categories. */
  categoryIds: readonly string[];
  /** unitPrice × quantity. */
  lineSubtotal: number;
  /** What is still payable on the line after the discounts so far. */
  current: number;
  /** Groups of the discounts on the line. */
  groups: Set<string>;
  /** Whether an exclusive rule discounted the line (then nothing else may). */
  exclusive: boolean;
  /** Whether a coupon discounted the line (one coupon per line). */
  couponed: boolean;
  /** Discounts so far, in application order. */
  discounts: QuoteLineDiscount[];
}

/** The quote under construction, shared by the discount and coupon stages. */
export interface WorkingQuote {
  /** Currency of every amount. */
  currency: string;
  /** Facts for conditions. */
  facts: QuoteFacts;
  /** Lines in input order. */
  lines: WorkingLine[];
  /** Applied rules and coupons so far. */
  applied: AppliedRule[];
  /** Flash-sale units so far. */
  flashSales: FlashSaleAllocation[];
}

/** Who gets a discount: the rule or coupon's identity, copied onto each line share. */
export interface DiscountSource {
  /** Rule or template id. */
  ruleId: string;
  /** Version. */
  version: number;
  /** Kind. */
  kind: AppliedKind;
  /** Name. */
  name: string;
  /** Group marked on the lines (coupons use none). */
  group?: string;
  /** Whether the rule is exclusive. */
  exclusive: boolean;
  /** Coupon code, for coupons. */
  couponCode?: string;
}

/**
 * Records per-line amounts from one rule or coupon: clamps each to what is still payable, marks
 * `participants` (lines that counted towards it) with its group, and appends the applied entry.
 * Returns the total actually applied (0 records nothing).
 */
export function recordDiscount(
  quote: WorkingQuote,
  source: DiscountSource,
  amounts: ReadonlyMap<WorkingLine, { amount: number; explanation: string }>,
  participants: readonly WorkingLine[],
  explanation: string,
): number {
  let total = 0;
  for (const [line, share] of amounts) total += Math.min(share.amount, line.current);
  if (total <= 0) return 0;
  for (const [line, share] of amounts) {
    const amount = Math.min(share.amount, line.current);
    if (amount <= 0) continue;
    line.current -= amount;
    line.discounts.push({
      ruleId: source.ruleId,
      kind: source.kind,
      amount,
      explanation: share.explanation,
      ...(source.couponCode !== undefined ? { couponCode: source.couponCode } : {}),
    });
  }
  for (const line of participants) {
    if (source.group !== undefined) line.groups.add(source.group);
    if (source.exclusive) line.exclusive = true;
    if (source.couponCode !== undefined) line.couponed = true;
  }
  quote.applied.push({
    ruleId: source.ruleId,
    version: source.version,
    kind: source.kind,
    name: source.name,
    amount: total,
    explanation,
    ...(source.couponCode !== undefined ? { couponCode: source.couponCode } : {}),
  });
  return total;
}

/** Splits an order-level amount over lines by what is still payable on each (largest remainder). */
export function allocateOverLines(
  amount: number,
  lines: readonly WorkingLine[],
  explanation: string,
): Map<WorkingLine, { amount: number; explanation: string }> {
  const parts = allocateLargestRemainder(
    amount,
    lines.map((line) => line.current),
  );
  const shares = new Map<WorkingLine, { amount: number; explanation: string }>();
  lines.forEach((line, index) => shares.set(line, { amount: parts[index], explanation: `Share of: ${explanation}` }));
  return shares;
}

/** Σ of what is still payable on the lines. */
export function payable(lines: readonly WorkingLine[]): number {
  return lines.reduce((sum, line) => sum + line.current, 0);
}
