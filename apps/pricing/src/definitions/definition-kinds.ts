import type { EntityManager } from 'typeorm';
import {
  CouponTemplateDefinition,
  FlashSaleRuleDefinition,
  PriceRuleDefinition,
  validateCouponTemplate,
  validatePriceRule,
} from '../domain';
import { skusMovedBy } from '../price-events/rule-scope';
import { DefinitionKindConfig } from './definition.service';

/** Price rules: a write may move effective prices; a flash sale keeps its cap in a counter row. */
export const PRICE_RULE_KIND: DefinitionKindConfig<PriceRuleDefinition> = {
  noun: 'rule',
  codeStem: 'RULE',
  table: 'price_rules',
  versionsTable: 'price_rule_versions',
  validate: (input) => validatePriceRule(input, 'body'),
  skusMoved: skusMovedBy,
  afterWrite: async (tx: EntityManager, definition: PriceRuleDefinition) => {
    if (definition.kind !== 'flash-sale') return;
    // A new version may change the cap; units already sold or locked stay counted.
    await tx.query(
      `INSERT INTO flash_sale_counters (rule_id, cap, sold) VALUES ($1, $2, 0) ON CONFLICT (rule_id) DO UPDATE SET cap = EXCLUDED.cap`,
      [definition.id, (definition as FlashSaleRuleDefinition).quantityCap],
    );
  },
};

/** Coupon templates: codes are unique; coupons never change a shelf price. */
export const COUPON_TEMPLATE_KIND: DefinitionKindConfig<CouponTemplateDefinition> = {
  noun: 'coupon template',
  codeStem: 'COUPON_TEMPLATE',
  table: 'coupon_templates',
  versionsTable: 'coupon_template_versions',
  validate: (input) => validateCouponTemplate(input, 'body'),
  headColumns: (definition) => ({ code: definition.code }),
  skusMoved: () => [],
};
