import type { PriceRuleDefinition, RuleTargetDefinition } from '../domain';

/**
 * The SKUs whose shelf price (QuoteEngine.effectiveUnitPrice: price stage, percent-off and flash
 * sales for one anonymous unit) a rule can change, so a rule write recomputes only those.
 * Undefined means every SKU (a rule without a target); cart- and member-level kinds change none.
 */
export function skusMovedBy(rules: readonly PriceRuleDefinition[], categories: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const skus = new Set<string>();
  const inTarget = (target: RuleTargetDefinition | undefined): boolean => {
    if (!target) return false;
    for (const sku of target.skus ?? []) skus.add(sku);
    const wanted = new Set(target.categoryIds ?? []);
    if (wanted.size > 0) {
      for (const [sku, cats] of categories) if (cats.some((cat) => wanted.has(cat))) skus.add(sku);
    }
    return true;
  };
  for (const rule of rules) {
    switch (rule.kind) {
      case 'channel-adjustment':
        if (!inTarget(rule.target)) return undefined;
        break;
      case 'special-price':
      case 'limited-time-price':
        for (const price of rule.prices) skus.add(price.sku);
        break;
      case 'percent-off':
        inTarget(rule.target);
        break;
      case 'flash-sale':
        skus.add(rule.sku);
        break;
      default:
        // member-tier-discount, spend-threshold, buy-x-get-y: never part of a shelf price.
        break;
    }
  }
  return [...skus].sort();
}
