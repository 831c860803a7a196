import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { CHANNEL_PATTERN } from '@omni/contracts';
import { RuleTargetDefinition } from './price-rule.definition';
import {
  CODE_PATTERN,
  IsBps,
  IsCode,
  IsCodeList,
  IsCurrency,
  IsInstant,
  IsName,
  IsOneOf,
  IsPositiveInt,
} from './definition.validators';

/** Kinds of coupon: a fixed amount, a capped percentage, or an amount once a threshold is reached. */
export const COUPON_KINDS = ['cash', 'percent', 'threshold'] as const;
/** A kind of coupon. */
export type CouponKind = (typeof COUPON_KINDS)[number];

/** Fields every coupon template carries. Instances (who holds which code) live in the member wallet. */
export abstract class CouponTemplateDefinitionBase {
  /** Stable template id. */
  @IsCode()
  id: string;

  /** Grows with every change of the template. */
  @IsPositiveInt(1_000_000_000)
  version: number;

  /** The code a quote names to use the coupon. */
  @IsCode()
  code: string;

  /** Human-readable name used in explanations. */
  @IsName()
  name: string;

  /** The coupon kind. */
  @IsOneOf(COUPON_KINDS)
  kind: CouponKind;

  /** Currency of every amount in the template. */
  @IsCurrency()
  currency: string;

  /** Inclusive start of validity. */
  @IsInstant()
  validFrom: string;

  /** Exclusive end of validity. */
  @IsInstant()
  validTo: string;

  /** Channels where the coupon may be used; absent means every channel. */
  @IsOptional()
  @IsCodeList(CHANNEL_PATTERN, 'channel codes', false)
  channels?: string[];

  /** Lines the coupon applies to; absent means all. */
  @IsOptional()
  @ValidateNested()
  @Type(() => RuleTargetDefinition)
  target?: RuleTargetDefinition;

  /** Rule groups whose discounts may sit on the same line as this coupon; [] means none. */
  @IsCodeList(CODE_PATTERN, 'group codes', false)
  stacksWithGroups: string[];
}

/** A fixed amount off the eligible lines. */
export class CashCouponTemplateDefinition extends CouponTemplateDefinitionBase {
  declare kind: 'cash';

  /** Amount off in minor units (never more than the eligible subtotal). */
  @IsPositiveInt()
  amount: number;
}

/** A percentage off the eligible lines, optionally capped. */
export class PercentCouponTemplateDefinition extends CouponTemplateDefinitionBase {
  declare kind: 'percent';

  /** Percentage off, in basis points. */
  @IsBps(1, 10_000)
  percentOffBps: number;

  /** Largest discount in minor units; absent means uncapped. */
  @IsOptional()
  @IsPositiveInt()
  maxDiscount?: number;
}

/** An amount off once the eligible lines reach a subtotal. */
export class ThresholdCouponTemplateDefinition extends CouponTemplateDefinitionBase {
  declare kind: 'threshold';

  /** Eligible subtotal (minor units, after rule discounts) to reach. */
  @IsPositiveInt()
  minSubtotal: number;

  /** Amount off in minor units. */
  @IsPositiveInt()
  amount: number;
}

/** Any coupon template, discriminated by `kind`. */
export type CouponTemplateDefinition =
  | CashCouponTemplateDefinition
  | PercentCouponTemplateDefinition
  | ThresholdCouponTemplateDefinition;

/** The validation class for each coupon kind. */
export const COUPON_TEMPLATE_CLASSES: Readonly<Record<CouponKind, new () => CouponTemplateDefinitionBase>> = {
  cash: CashCouponTemplateDefinition,
  percent: PercentCouponTemplateDefinition,
  threshold: ThresholdCouponTemplateDefinition,
};
