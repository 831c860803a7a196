import { formatBps, formatCompact, formatMinor, mulDivRoundHalfUp, percentOfRoundHalfUp } from '../money/money.value';
import { evaluateCondition } from '../rules/condition.evaluator';
import { CompiledRule, matchesTarget } from '../rules/rule.compiler';
import {
  BuyXGetYRuleDefinition,
  FlashSaleRuleDefinition,
  SpendThresholdRuleDefinition,
} from '../rules/price-rule.definition';
import { FlashSaleUsage } from './quote.model';
import { allocateOverLines, DiscountSource, payable, recordDiscount, WorkingLine, WorkingQuote } from './working-quote';

type Shares = Map<WorkingLine, { amount: number; explanation: string }>;

/**
 * Applies the discount-stage rules in order (already sorted by priority, then id). Each rule sees
 * what is still payable after the rules before it. A line takes at most one discount per group;
 * an exclusive rule takes only undiscounted lines and then closes them to everything else.
 */
export function applyDiscountRules(
  quote: WorkingQuote,
  rules: readonly CompiledRule[],
  flashSaleUsage: Readonly<Record<string, FlashSaleUsage>>,
): void {
  for (const rule of rules) {
    if (rule.priceStage) continue;
    if (!evaluateCondition(rule.definition.conditions, quote.facts)) continue;
    const eligible = quote.lines.filter((line) => isEligible(rule, line));
    if (eligible.length === 0) continue;
    applyRule(quote, rule, eligible, flashSaleUsage);
  }
}

function isEligible(rule: CompiledRule, line: WorkingLine): boolean {
  if (line.current <= 0 || line.exclusive || line.groups.has(rule.definition.group)) return false;
  if (rule.definition.exclusive && line.discounts.length > 0) return false;
  return matchesTarget(rule.target, line);
}

function sourceOf(rule: CompiledRule): DiscountSource {
  const definition = rule.definition;
  return {
    ruleId: definition.id,
    version: definition.version,
    kind: definition.kind,
    name: definition.name,
    group: definition.group,
    exclusive: definition.exclusive === true,
  };
}

function applyRule(
  quote: WorkingQuote,
  rule: CompiledRule,
  eligible: WorkingLine[],
  flashSaleUsage: Readonly<Record<string, FlashSaleUsage>>,
): void {
  const definition = rule.definition;
  const currency = quote.currency;
  switch (definition.kind) {
    case 'member-tier-discount': {
      const tier = quote.facts.memberTier;
      if (tier === null || !definition.tiers.includes(tier)) return;
      const label = `Member tier ${tier}: ${formatBps(definition.percentOffBps)} off`;
      return applyPercentPerLine(quote, rule, eligible, definition.percentOffBps, label);
    }
    case 'percent-off': {
      const label = `${definition.name}: ${formatBps(definition.percentOffBps)} off`;
      return applyPercentPerLine(quote, rule, eligible, definition.percentOffBps, label);
    }
    case 'buy-x-get-y':
      return applyBuyXGetY(quote, rule, definition, eligible);
    case 'flash-sale':
      return applyFlashSale(quote, rule, definition, eligible, flashSaleUsage[definition.id]);
    case 'spend-threshold':
      return applySpendThreshold(quote, rule, definition, eligible, currency);
    default:
      return;
  }
}

/** Percentage per line, each rounded half up in minor units on what is still payable. */
function applyPercentPerLine(quote: WorkingQuote, rule: CompiledRule, eligible: WorkingLine[], bps: number, label: string): void {
  const shares: Shares = new Map();
  let base = 0;
  for (const line of eligible) {
    const amount = percentOfRoundHalfUp(line.current, bps);
    if (amount > 0) {
      shares.set(line, { amount, explanation: `${label} (on ${formatMinor(line.current, quote.currency)})` });
      base += line.current;
    }
  }
  recordDiscount(quote, sourceOf(rule), shares, [...shares.keys()], `${label} (on ${formatMinor(base, quote.currency)})`);
}

/** Every (buy + free) units on a line, `free` are free; their value is the payable share of those units. */
function applyBuyXGetY(quote: WorkingQuote, rule: CompiledRule, definition: BuyXGetYRuleDefinition, eligible: WorkingLine[]): void {
  const { buyQuantity: buy, freeQuantity: free } = definition;
  const shares: Shares = new Map();
  let freeUnits = 0;
  for (const line of eligible) {
    const units = Math.floor(line.quantity / (buy + free)) * free;
    if (units === 0) continue;
    const amount = mulDivRoundHalfUp(line.current, units, line.quantity);
    shares.set(line, { amount, explanation: `Buy ${buy} get ${free} free: ${units} free unit(s) of ${line.sku}` });
    freeUnits += units;
  }
  recordDiscount(quote, sourceOf(rule), shares, [...shares.keys()], `Buy ${buy} get ${free} free (${freeUnits} free unit(s))`);
}

/**
 * Sale price for as many units as the remaining cap and the member's remaining limit allow,
 * lines in input order; the rest of the line keeps its price.
 */
function applyFlashSale(
  quote: WorkingQuote,
  rule: CompiledRule,
  definition: FlashSaleRuleDefinition,
  eligible: WorkingLine[],
  usage: FlashSaleUsage | undefined,
): void {
  if (definition.channels?.length && !definition.channels.includes(quote.facts.channel)) return;
  const remainingCap = usage ? usage.remainingCap : definition.quantityCap;
  const remainingLimit = definition.perMemberLimit - (usage ? usage.memberPurchased : 0);
  let available = Math.max(0, Math.min(remainingCap, remainingLimit));
  const shares: Shares = new Map();
  let units = 0;
  const price = formatMinor(definition.salePrice, quote.currency);
  for (const line of eligible) {
    if (line.sku !== definition.sku || available === 0) continue;
    const saleUnits = Math.min(line.quantity, available);
    const portion = mulDivRoundHalfUp(line.current, saleUnits, line.quantity);
    const amount = portion - definition.salePrice * saleUnits;
    if (amount <= 0) continue;
    available -= saleUnits;
    units += saleUnits;
    shares.set(line, { amount, explanation: `Flash sale ${definition.name}: ${saleUnits} unit(s) at ${price}` });
  }
  const applied = recordDiscount(
    quote,
    sourceOf(rule),
    shares,
    [...shares.keys()],
    `Flash sale ${definition.name}: ${units} unit(s) of ${definition.sku} at ${price}`,
  );
  if (applied > 0) quote.flashSales.push({ ruleId: definition.id, sku: definition.sku, units });
}

/** The highest threshold reached by the eligible payable subtotal applies, allocated over those lines. */
function applySpendThreshold(
  quote: WorkingQuote,
  rule: CompiledRule,
  definition: SpendThresholdRuleDefinition,
  eligible: WorkingLine[],
  currency: string,
): void {
  const subtotal = payable(eligible);
  let reached: { minSubtotal: number; discount: number } | undefined;
  for (const step of definition.thresholds) if (subtotal >= step.minSubtotal) reached = step;
  if (!reached) return;
  const amount = Math.min(reached.discount, subtotal);
  const explanation =
    `Spend ${formatCompact(reached.minSubtotal, currency)} get ${formatCompact(reached.discount, currency)} off` +
    ` (subtotal ${formatMinor(subtotal, currency)})`;
  recordDiscount(quote, sourceOf(rule), allocateOverLines(amount, eligible, explanation), eligible, explanation);
}
