import { formatBps, formatCompact, formatMinor, percentOfRoundHalfUp } from '../money/money.value';
import { CompiledCoupon, compareIds, inWindow, matchesTarget } from '../rules/rule.compiler';
import { CouponRejectionReason, RejectedCoupon } from './quote.model';
import { allocateOverLines, payable, recordDiscount, WorkingLine, WorkingQuote } from './working-quote';

/**
 * Applies coupons after every rule, in code order (so the order the buyer typed them does not
 * matter). A coupon takes the lines in its target whose discounts all come from groups it stacks
 * with; a line takes at most one coupon; order-level amounts are allocated by largest remainder.
 * Returns the rejected codes, sorted by code.
 */
export function applyCoupons(
  quote: WorkingQuote,
  findCoupon: (code: string) => CompiledCoupon | undefined,
  codes: readonly string[],
  at: number,
): RejectedCoupon[] {
  const rejected: RejectedCoupon[] = [];
  const reject = (code: string, reason: CouponRejectionReason, message: string) => rejected.push({ code, reason, message });
  const sorted = [...codes].sort(compareIds);
  sorted.forEach((code, index) => {
    if (index > 0 && sorted[index - 1] === code) return reject(code, 'duplicate-code', `Coupon ${code} was given twice`);
    const coupon = findCoupon(code);
    if (!coupon) return reject(code, 'unknown-code', `Coupon ${code} does not exist`);
    const outcome = applyCoupon(quote, coupon, at);
    if (outcome) reject(code, outcome.reason, outcome.message);
  });
  return rejected;
}

function applyCoupon(
  quote: WorkingQuote,
  coupon: CompiledCoupon,
  at: number,
): { reason: CouponRejectionReason; message: string } | undefined {
  const definition = coupon.definition;
  const code = definition.code;
  const currency = quote.currency;
  if (!inWindow(coupon, at)) {
    return { reason: 'not-valid-now', message: `Coupon ${code} is valid from ${definition.validFrom} until ${definition.validTo}` };
  }
  if (definition.currency !== currency) {
    return { reason: 'currency-mismatch', message: `Coupon ${code} is in ${definition.currency}, the quote in ${currency}` };
  }
  if (definition.channels?.length && !definition.channels.includes(quote.facts.channel)) {
    return { reason: 'channel-not-allowed', message: `Coupon ${code} is not valid in channel ${quote.facts.channel}` };
  }
  const inTarget = quote.lines.filter((line) => line.current > 0 && matchesTarget(coupon.target, line));
  if (inTarget.length === 0) return { reason: 'no-eligible-line', message: `Coupon ${code} applies to no line in the cart` };
  const eligible = inTarget.filter((line) => stacks(coupon, line));
  if (eligible.length === 0) {
    const groups = [...new Set(inTarget.flatMap((line) => blockers(coupon, line)))].sort(compareIds);
    return { reason: 'does-not-stack', message: `Coupon ${code} does not stack with ${groups.join(', ')}` };
  }
  const subtotal = payable(eligible);
  let amount: number;
  let explanation: string;
  switch (definition.kind) {
    case 'cash':
      amount = Math.min(definition.amount, subtotal);
      explanation = `Coupon ${code}: ${formatCompact(definition.amount, currency)} off (subtotal ${formatMinor(subtotal, currency)})`;
      break;
    case 'percent': {
      const raw = percentOfRoundHalfUp(subtotal, definition.percentOffBps);
      amount = definition.maxDiscount === undefined ? raw : Math.min(raw, definition.maxDiscount);
      const cap = definition.maxDiscount === undefined ? '' : `, at most ${formatCompact(definition.maxDiscount, currency)}`;
      explanation = `Coupon ${code}: ${formatBps(definition.percentOffBps)} off${cap} (subtotal ${formatMinor(subtotal, currency)})`;
      break;
    }
    case 'threshold':
      if (subtotal < definition.minSubtotal) {
        return {
          reason: 'below-threshold',
          message: `Coupon ${code} needs ${formatMinor(definition.minSubtotal, currency)}, eligible subtotal is ${formatMinor(subtotal, currency)}`,
        };
      }
      amount = Math.min(definition.amount, subtotal);
      explanation =
        `Coupon ${code}: spend ${formatCompact(definition.minSubtotal, currency)} get ` +
        `${formatCompact(definition.amount, currency)} off (subtotal ${formatMinor(subtotal, currency)})`;
      break;
  }
  if (amount <= 0) return { reason: 'no-discount', message: `Coupon ${code} gives nothing off ${formatMinor(subtotal, currency)}` };
  const source = {
    ruleId: definition.id,
    version: definition.version,
    kind: `coupon-${definition.kind}` as const,
    name: definition.name,
    exclusive: false,
    couponCode: code,
  };
  recordDiscount(quote, source, allocateOverLines(amount, eligible, explanation), eligible, explanation);
  return undefined;
}

function stacks(coupon: CompiledCoupon, line: WorkingLine): boolean {
  if (line.couponed || line.exclusive) return false;
  for (const group of line.groups) if (!coupon.stacksWith.has(group)) return false;
  return true;
}

/** What keeps a coupon off a line: another coupon, an exclusive rule, or groups it does not stack with. */
function blockers(coupon: CompiledCoupon, line: WorkingLine): string[] {
  const found: string[] = [];
  if (line.couponed) found.push('another coupon');
  if (line.exclusive) found.push('an exclusive promotion');
  for (const group of line.groups) if (!coupon.stacksWith.has(group)) found.push(`group ${group}`);
  return found;
}
