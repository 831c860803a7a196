import {
  CashCouponTemplate,
  COUPON_TEMPLATE_KINDS,
  COUPON_TEMPLATE_SHAPES,
  CouponTemplate,
  CouponTemplateBase,
  CouponTemplateKind,
  PercentCouponTemplate,
  ThresholdCouponTemplate,
} from '@omni/contracts';
import { pricingDefinitionClass } from './definition.validators';

// Pricing publishes its coupon-template definitions in @omni/contracts; these are the domain's names for them.

/** Kinds of coupon, in the contracts' order. */
export const COUPON_KINDS = COUPON_TEMPLATE_KINDS;
/** A kind of coupon. */
export type CouponKind = CouponTemplateKind;
/** Fields every coupon template carries. */
export type CouponTemplateDefinitionBase = CouponTemplateBase;
/** A fixed amount off the eligible lines. */
export type CashCouponTemplateDefinition = CashCouponTemplate;
/** A percentage off the eligible lines, optionally capped. */
export type PercentCouponTemplateDefinition = PercentCouponTemplate;
/** An amount off once the eligible lines reach a subtotal. */
export type ThresholdCouponTemplateDefinition = ThresholdCouponTemplate;
/** Any coupon template, discriminated by `kind`. */
export type CouponTemplateDefinition = CouponTemplate;

/** The validation class for each coupon kind, built from the contracts' schema. */
export const COUPON_TEMPLATE_CLASSES: Readonly<Record<CouponKind, new () => object>> = Object.fromEntries(
  COUPON_KINDS.map((kind) => [kind, pricingDefinitionClass(COUPON_TEMPLATE_SHAPES[kind])]),
) as Record<CouponKind, new () => object>;
