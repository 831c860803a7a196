import {
  BuyXGetYRule,
  ChannelAdjustmentRule,
  FlashSaleRule,
  LimitedTimePriceRule,
  MemberTierDiscountRule,
  PercentOffRule,
  PRICE_RULE_KINDS,
  PRICE_RULE_SHAPES,
  PRICE_STAGE_KINDS,
  PriceRule,
  PriceRuleBase,
  PriceRuleKind,
  RuleTarget,
  SkuPrice,
  SpecialPriceRule,
  SpendThresholdRule,
  SpendThresholdStep,
} from '@omni/contracts';
import { pricingDefinitionClass } from './definition.validators';

// Pricing publishes its price-rule definitions in @omni/contracts (kinds, types and field rules,
// which the gateway's back-office bodies use too); these are the domain's names for them.

/** Every kind of price rule, in the contracts' order. */
export const RULE_KINDS = PRICE_RULE_KINDS;
export { PRICE_STAGE_KINDS };
/** A kind of price rule. */
export type RuleKind = PriceRuleKind;
/** Which lines a rule touches. */
export type RuleTargetDefinition = RuleTarget;
/** A fixed price for one SKU. */
export type SkuPriceDefinition = SkuPrice;
/** One step of a spend-threshold rule. */
export type ThresholdDefinition = SpendThresholdStep;
/** Fields every price rule carries. */
export type PriceRuleDefinitionBase = PriceRuleBase;
/** Channel price = list price × priceRatioBps / 10000. */
export type ChannelAdjustmentRuleDefinition = ChannelAdjustmentRule;
/** A fixed unit price for some SKUs in given stores and/or channels. */
export type SpecialPriceRuleDefinition = SpecialPriceRule;
/** A fixed unit price for some SKUs during a required window. */
export type LimitedTimePriceRuleDefinition = LimitedTimePriceRule;
/** A percentage off each line for members of some tiers. */
export type MemberTierDiscountRuleDefinition = MemberTierDiscountRule;
/** A percentage off every line in a set of SKUs or categories. */
export type PercentOffRuleDefinition = PercentOffRule;
/** Spend X get Y off, with tiers. */
export type SpendThresholdRuleDefinition = SpendThresholdRule;
/** Buy X get Y free, per line. */
export type BuyXGetYRuleDefinition = BuyXGetYRule;
/** A sale price for one SKU in a required window, limited per member and capped in total. */
export type FlashSaleRuleDefinition = FlashSaleRule;
/** Any price rule definition, discriminated by `kind`. */
export type PriceRuleDefinition = PriceRule;

/** The validation class for each rule kind, built from the contracts' schema. */
export const RULE_DEFINITION_CLASSES: Readonly<Record<RuleKind, new () => object>> = Object.fromEntries(
  RULE_KINDS.map((kind) => [kind, pricingDefinitionClass(PRICE_RULE_SHAPES[kind])]),
) as Record<RuleKind, new () => object>;
