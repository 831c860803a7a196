import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { CHANNEL_PATTERN, SKU_PATTERN } from '@omni/contracts';
import type { ConditionExpression } from './condition.evaluator';
import {
  CODE_PATTERN,
  IsBps,
  IsCode,
  IsCodeList,
  IsCurrency,
  IsFlag,
  IsInstant,
  IsIntBetween,
  IsJsonObject,
  IsName,
  IsNonNegativeInt,
  IsOneOf,
  IsPositiveInt,
  IsSku,
} from './definition.validators';

/** Every kind of price rule. Price-stage kinds set the unit price; the others discount it. */
export const RULE_KINDS = [
  'channel-adjustment',
  'special-price',
  'limited-time-price',
  'member-tier-discount',
  'percent-off',
  'spend-threshold',
  'buy-x-get-y',
  'flash-sale',
] as const;
/** A kind of price rule. */
export type RuleKind = (typeof RULE_KINDS)[number];
/** Kinds that decide a line's unit price (at most one wins per line). */
export const PRICE_STAGE_KINDS: readonly RuleKind[] = ['channel-adjustment', 'special-price', 'limited-time-price'];

/** Which lines a rule touches: a line matches when its SKU is listed or it has a listed category. */
export class RuleTargetDefinition {
  /** SKUs in the target. */
  @IsOptional()
  @IsCodeList(SKU_PATTERN, 'SKU codes', false)
  skus?: string[];

  /** Category ids in the target. */
  @IsOptional()
  @IsCodeList(CODE_PATTERN, 'category codes', false)
  categoryIds?: string[];
}

/** A fixed price for one SKU, in minor units of the rule's currency. */
export class SkuPriceDefinition {
  /** SKU code. */
  @IsSku()
  sku: string;

  /** Price per unit in minor units. */
  @IsNonNegativeInt()
  amount: number;
}

/** One step of a spend-threshold rule: reach `minSubtotal`, get `discount` off. */
export class ThresholdDefinition {
  /** Subtotal (minor units) the eligible lines must reach. */
  @IsPositiveInt()
  minSubtotal: number;

  /** Amount off (minor units) once reached. */
  @IsPositiveInt()
  discount: number;
}

/** Fields every price rule carries. */
export abstract class PriceRuleDefinitionBase {
  /** Stable rule id, shared by all versions of the rule. */
  @IsCode()
  id: string;

  /** Grows with every change of the rule; the highest version effective at an instant wins. */
  @IsPositiveInt(1_000_000_000)
  version: number;

  /** Human-readable name used in explanations. */
  @IsName()
  name: string;

  /** The rule kind. */
  @IsOneOf(RULE_KINDS)
  kind: RuleKind;

  /** Higher priority applies first; ties apply by id. */
  @IsIntBetween(-1_000_000, 1_000_000)
  priority: number;

  /** Exclusion group: a line gets at most one discount from each group; coupons name the groups they stack with. */
  @IsCode()
  group: string;

  /** An exclusive rule only touches undiscounted lines and then blocks every later discount and coupon on them. */
  @IsOptional()
  @IsFlag()
  exclusive?: boolean;

  /** Currency of every amount in the rule; rules apply only to quotes in that currency. */
  @IsCurrency()
  currency: string;

  /** Inclusive start of the effective window; absent means since ever. */
  @IsOptional()
  @IsInstant()
  effectiveFrom?: string;

  /** Exclusive end of the effective window; absent means open-ended. */
  @IsOptional()
  @IsInstant()
  effectiveTo?: string;

  /** Cart-level JsonLogic condition over the quote facts (channel, storeId, memberTier, subtotal, ...). */
  @IsOptional()
  @IsJsonObject()
  conditions?: ConditionExpression;
}

/** Channel price = list price × priceRatioBps / 10000 (e.g. tmall at 9000 = 90 %). */
export class ChannelAdjustmentRuleDefinition extends PriceRuleDefinitionBase {
  declare kind: 'channel-adjustment';

  /** Channels the adjustment applies to. */
  @IsCodeList(CHANNEL_PATTERN, 'channel codes', true)
  channels: string[];

  /** The adjusted price as a share of the list price; above 10000 is a mark-up. */
  @IsBps(1, 100_000)
  priceRatioBps: number;

  /** Restricts the adjustment to some SKUs or categories; absent means all. */
  @IsOptional()
  @ValidateNested()
  @Type(() => RuleTargetDefinition)
  target?: RuleTargetDefinition;
}

/** A fixed unit price for some SKUs in given stores and/or channels. */
export class SpecialPriceRuleDefinition extends PriceRuleDefinitionBase {
  declare kind: 'special-price';

  /** Channels where the price holds (at least one of channels or storeIds is required). */
  @IsOptional()
  @IsCodeList(CHANNEL_PATTERN, 'channel codes', false)
  channels?: string[];

  /** Stores where the price holds. */
  @IsOptional()
  @IsCodeList(CODE_PATTERN, 'store codes', false)
  storeIds?: string[];

  /** The fixed prices. */
  @IsArray({ message: 'must be an array' })
  @ArrayNotEmpty({ message: 'must list at least one price' })
  @ValidateNested({ each: true })
  @Type(() => SkuPriceDefinition)
  prices: SkuPriceDefinition[];
}

/** A fixed unit price for some SKUs during a required time window. */
export class LimitedTimePriceRuleDefinition extends PriceRuleDefinitionBase {
  declare kind: 'limited-time-price';

  /** Channels where the price holds; absent means every channel. */
  @IsOptional()
  @IsCodeList(CHANNEL_PATTERN, 'channel codes', false)
  channels?: string[];

  /** The fixed prices. */
  @IsArray({ message: 'must be an array' })
  @ArrayNotEmpty({ message: 'must list at least one price' })
  @ValidateNested({ each: true })
  @Type(() => SkuPriceDefinition)
  prices: SkuPriceDefinition[];
}

/** A percentage off each line for members of some tiers. */
export class MemberTierDiscountRuleDefinition extends PriceRuleDefinitionBase {
  declare kind: 'member-tier-discount';

  /** Member tiers that get the discount. */
  @IsCodeList(CODE_PATTERN, 'tier codes', true)
  tiers: string[];

  /** Percentage off, in basis points (500 = 5 %). */
  @IsBps(1, 10_000)
  percentOffBps: number;

  /** Restricts the discount to some SKUs or categories; absent means all. */
  @IsOptional()
  @ValidateNested()
  @Type(() => RuleTargetDefinition)
  target?: RuleTargetDefinition;
}

/** A percentage off every line in a set of SKUs or categories. */
export class PercentOffRuleDefinition extends PriceRuleDefinitionBase {
  declare kind: 'percent-off';

  /** Lines the discount applies to. */
  @IsJsonObject()
  @ValidateNested()
  @Type(() => RuleTargetDefinition)
  target: RuleTargetDefinition;

  /** Percentage off, in basis points. */
  @IsBps(1, 10_000)
  percentOffBps: number;
}

/** Spend X get Y off, with tiers: the highest threshold reached applies. */
export class SpendThresholdRuleDefinition extends PriceRuleDefinitionBase {
  declare kind: 'spend-threshold';

  /** Thresholds in ascending order of minSubtotal. */
  @IsArray({ message: 'must be an array' })
  @ArrayNotEmpty({ message: 'must list at least one threshold' })
  @ValidateNested({ each: true })
  @Type(() => ThresholdDefinition)
  thresholds: ThresholdDefinition[];

  /** Lines that count towards the threshold and share the discount; absent means all. */
  @IsOptional()
  @ValidateNested()
  @Type(() => RuleTargetDefinition)
  target?: RuleTargetDefinition;
}

/** Buy X get Y free, per line: every (X + Y) units, Y are free. */
export class BuyXGetYRuleDefinition extends PriceRuleDefinitionBase {
  declare kind: 'buy-x-get-y';

  /** Lines the offer applies to. */
  @IsJsonObject()
  @ValidateNested()
  @Type(() => RuleTargetDefinition)
  target: RuleTargetDefinition;

  /** Units to pay for. */
  @IsPositiveInt(10_000)
  buyQuantity: number;

  /** Units free for every buyQuantity paid. */
  @IsPositiveInt(10_000)
  freeQuantity: number;
}

/** A sale price for one SKU in a required window, limited per member and capped in total. */
export class FlashSaleRuleDefinition extends PriceRuleDefinitionBase {
  declare kind: 'flash-sale';

  /** The SKU on sale. */
  @IsSku()
  sku: string;

  /** Sale price per unit in minor units. */
  @IsNonNegativeInt()
  salePrice: number;

  /** Units that may be sold at the sale price in total (the service tracks what remains). */
  @IsPositiveInt(100_000_000)
  quantityCap: number;

  /** Units one member may buy at the sale price. */
  @IsPositiveInt(100_000)
  perMemberLimit: number;

  /** Channels where the sale runs; absent means every channel. */
  @IsOptional()
  @IsCodeList(CHANNEL_PATTERN, 'channel codes', false)
  channels?: string[];
}

/** Any price rule definition, discriminated by `kind`. */
export type PriceRuleDefinition =
  | ChannelAdjustmentRuleDefinition
  | SpecialPriceRuleDefinition
  | LimitedTimePriceRuleDefinition
  | MemberTierDiscountRuleDefinition
  | PercentOffRuleDefinition
  | SpendThresholdRuleDefinition
  | BuyXGetYRuleDefinition
  | FlashSaleRuleDefinition;

/** The validation class for each rule kind. */
export const RULE_DEFINITION_CLASSES: Readonly<Record<RuleKind, new () => PriceRuleDefinitionBase>> = {
  'channel-adjustment': ChannelAdjustmentRuleDefinition,
  'special-price': SpecialPriceRuleDefinition,
  'limited-time-price': LimitedTimePriceRuleDefinition,
  'member-tier-discount': MemberTierDiscountRuleDefinition,
  'percent-off': PercentOffRuleDefinition,
  'spend-threshold': SpendThresholdRuleDefinition,
  'buy-x-get-y': BuyXGetYRuleDefinition,
  'flash-sale': FlashSaleRuleDefinition,
};
