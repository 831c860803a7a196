import { formatBps, formatMinor, scaleRoundHalfDown } from '../money/money.value';
import { evaluateCondition, QuoteFacts } from '../rules/condition.evaluator';
import { compareIds, CompiledRule, matchesTarget, TargetableLine } from '../rules/rule.compiler';
import { CompiledPriceBook } from './price-book.model';

/** Where a line's list price came from. */
export type ListPriceSource = 'base' | 'channel-price';

/** A resolved list price: the channel's own entry when it has one in force, else the base price. */
export interface ListPrice {
  /** Price per unit in minor units. */
  amount: number;
  /** Which table supplied it. */
  source: ListPriceSource;
}

/** The price a line is sold at before discounts, and why. */
export interface ResolvedUnitPrice {
  /** List price per unit (minor units). */
  listPrice: number;
  /** Where the list price came from. */
  listSource: ListPriceSource;
  /** Unit price after the price stage (minor units). */
  unitPrice: number;
  /** The price-stage rule that set the unit price, if any. */
  rule?: CompiledRule;
  /** Human-readable reason when a rule set the price. */
  explanation?: string;
}

/** Who is asking: only the asking channel's (and store's) prices are ever considered. */
export interface PriceContext {
  /** Channel code. */
  channel: string;
  /** Store code, if the quote is for a store. */
  storeId: string | null;
  /** Facts for rule conditions. */
  facts: QuoteFacts;
  /** Condition results per rule: conditions are cart-level, so each is evaluated once per quote. */
  conditionMemo?: Map<CompiledRule, boolean>;
}

function conditionHolds(rule: CompiledRule, context: PriceContext): boolean {
  const memo = context.conditionMemo?.get(rule);
  if (memo !== undefined) return memo;
  const holds = evaluateCondition(rule.definition.conditions, context.facts);
  context.conditionMemo?.set(rule, holds);
  return holds;
}

/** The list price of a SKU in a channel at epoch ms `at`, or undefined when the SKU is not priced. */
export function resolveListPrice(book: CompiledPriceBook, sku: string, channel: string, at: number): ListPrice | undefined {
  const entries = book.channel.get(channel)?.get(sku);
  if (entries) {
    for (const entry of entries) {
      if (entry.from <= at && at < entry.to) return { amount: entry.amount, source: 'channel-price' };
    }
  }
  const base = book.base.get(sku);
  return base === undefined ? undefined : { amount: base, source: 'base' };
}

/**
 * The unit price of a line: the list price, replaced by the winning price-stage rule among
 * `activeRules` (highest priority, then lowest price, then id). Undefined when the SKU has no price.
 */
export function resolveUnitPrice(
  book: CompiledPriceBook,
  activeRules: readonly CompiledRule[],
  line: TargetableLine,
  context: PriceContext,
  at: number,
): ResolvedUnitPrice | undefined {
  const list = resolveListPrice(book, line.sku, context.channel, at);
  if (!list) return undefined;
  let best: { rule: CompiledRule; price: number } | undefined;
  for (const rule of activeRules) {
    if (!rule.priceStage) continue;
    const price = proposedPrice(rule, line, list.amount, context);
    if (price === undefined) continue;
    if (!best || isBetter(rule, price, best.rule, best.price)) best = { rule, price };
  }
  if (!best) return { listPrice: list.amount, listSource: list.source, unitPrice: list.amount };
  return {
    listPrice: list.amount,
    listSource: list.source,
    unitPrice: best.price,
    rule: best.rule,
    explanation: explainPrice(best.rule, list.amount, best.price, book.currency, context),
  };
}

function isBetter(rule: CompiledRule, price: number, than: CompiledRule, thanPrice: number): boolean {
  const byPriority = rule.definition.priority - than.definition.priority;
  if (byPriority !== 0) return byPriority > 0;
  if (price !== thanPrice) return price < thanPrice;
  return compareIds(rule.definition.id, than.definition.id) < 0;
}

/** The price a price-stage rule proposes for a line, or undefined when it does not apply. */
function proposedPrice(rule: CompiledRule, line: TargetableLine, listPrice: number, context: PriceContext): number | undefined {
  const definition = rule.definition;
  switch (definition.kind) {
    case 'channel-adjustment':
      if (!definition.channels.includes(context.channel) || !matchesTarget(rule.target, line)) return undefined;
      if (!conditionHolds(rule, context)) return undefined;
      return scaleRoundHalfDown(listPrice, definition.priceRatioBps);
    case 'special-price': {
      if (definition.channels?.length && !definition.channels.includes(context.channel)) return undefined;
      if (definition.storeIds?.length && (context.storeId === null || !definition.storeIds.includes(context.storeId))) {
        return undefined;
      }
      const amount = rule.prices?.get(line.sku);
      if (amount === undefined || !conditionHolds(rule, context)) return undefined;
      return amount;
    }
    case 'limited-time-price': {
      if (definition.channels?.length && !definition.channels.includes(context.channel)) return undefined;
      const amount = rule.prices?.get(line.sku);
      if (amount === undefined || !conditionHolds(rule, context)) return undefined;
      return amount;
    }
    default:
      return undefined;
  }
}

function explainPrice(rule: CompiledRule, list: number, price: number, currency: string, context: PriceContext): string {
  const definition = rule.definition;
  const change = `${formatMinor(list, currency)} → ${formatMinor(price, currency)}`;
  switch (definition.kind) {
    case 'channel-adjustment':
      return `Channel ${context.channel} price ${formatBps(definition.priceRatioBps)} of list (${change})`;
    case 'special-price':
      return `Special price ${definition.name} (${change})`;
    default:
      return `Limited-time price ${definition.name} until ${definition.effectiveTo} (${change})`;
  }
}
