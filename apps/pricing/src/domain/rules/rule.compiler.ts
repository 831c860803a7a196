import { parseInstant } from '../prices/price-book.model';
import { CouponTemplateDefinition } from './coupon-template.definition';
import { PRICE_STAGE_KINDS, PriceRuleDefinition, RuleTargetDefinition } from './price-rule.definition';

/** A target as sets, for O(1) line matching. */
export interface CompiledTarget {
  /** SKUs in the target. */
  skus: ReadonlySet<string>;
  /** Categories in the target. */
  categoryIds: ReadonlySet<string>;
}

/** A rule definition with parsed window and target, ready for evaluation. */
export interface CompiledRule {
  /** The validated definition. */
  definition: PriceRuleDefinition;
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
  /** Parsed target, when the kind has one. */
  target?: CompiledTarget;
  /** Whether the rule sets unit prices rather than discounting them. */
  priceStage: boolean;
  /** Fixed prices by SKU, for special and limited-time prices. */
  prices?: ReadonlyMap<string, number>;
}

/** A coupon template with parsed validity and target. */
export interface CompiledCoupon {
  /** The validated template. */
  definition: CouponTemplateDefinition;
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
  /** Parsed target, if any. */
  target?: CompiledTarget;
  /** Groups the coupon stacks with. */
  stacksWith: ReadonlySet<string>;
}

/** A line as targets see it. */
export interface TargetableLine {
  /** SKU code. */
  sku: string;
  /** The SKU's categories. */
  categoryIds: readonly string[];
}

/** Parses a target definition. */
export function compileTarget(target: RuleTargetDefinition | undefined): CompiledTarget | undefined {
  if (!target) return undefined;
  return { skus: new Set(target.skus ?? []), categoryIds: new Set(target.categoryIds ?? []) };
}

/** Whether a line is in the target; no target means every line. */
export function matchesTarget(target: CompiledTarget | undefined, line: TargetableLine): boolean {
  if (!target) return true;
  if (target.skus.has(line.sku)) return true;
  for (const category of line.categoryIds) if (target.categoryIds.has(category)) return true;
  return false;
}

/** Compiles validated rule definitions, ordered by id then version (newest first). */
export function compileRules(definitions: readonly PriceRuleDefinition[]): CompiledRule[] {
  return definitions
    .map((definition) => ({
      definition,
      from: parseInstant(definition.effectiveFrom, -Infinity, `${definition.id}.effectiveFrom`),
      to: parseInstant(definition.effectiveTo, Infinity, `${definition.id}.effectiveTo`),
      target: 'target' in definition ? compileTarget(definition.target) : undefined,
      priceStage: PRICE_STAGE_KINDS.includes(definition.kind),
      prices: 'prices' in definition ? new Map(definition.prices.map((p) => [p.sku, p.amount])) : undefined,
    }))
    .sort((a, b) => compareIds(a.definition.id, b.definition.id) || b.definition.version - a.definition.version);
}

/** Compiles validated coupon templates, ordered by code. */
export function compileCoupons(definitions: readonly CouponTemplateDefinition[]): CompiledCoupon[] {
  return definitions
    .map((definition) => ({
      definition,
      from: parseInstant(definition.validFrom, -Infinity, `${definition.id}.validFrom`),
      to: parseInstant(definition.validTo, Infinity, `${definition.id}.validTo`),
      target: compileTarget(definition.target),
      stacksWith: new Set(definition.stacksWithGroups),
    }))
    .sort((a, b) => compareIds(a.definition.code, b.definition.code) || b.definition.version - a.definition.version);
}

/** Whether `at` lies in the half-open window [from, to). */
export function inWindow(window: { from: number; to: number }, at: number): boolean {
  return window.from <= at && at < window.to;
}

/**
 * The rules in force at `at` for a currency: per rule id the highest version whose window holds
 * `at`, ordered by priority (highest first) then id, so input order never matters.
 */
export function selectActiveRules(rules: readonly CompiledRule[], currency: string, at: number): CompiledRule[] {
  const active: CompiledRule[] = [];
  let lastId: string | undefined;
  for (const rule of rules) {
    if (rule.definition.id === lastId) continue;
    if (rule.definition.currency !== currency || !inWindow(rule, at)) continue;
    active.push(rule);
    lastId = rule.definition.id;
  }
  return active.sort(compareRuleOrder);
}

/** Application order: higher priority first, then id. */
export function compareRuleOrder(a: CompiledRule, b: CompiledRule): number {
  return b.definition.priority - a.definition.priority || compareIds(a.definition.id, b.definition.id);
}

/** Locale-independent string order, so ordering is the same on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
