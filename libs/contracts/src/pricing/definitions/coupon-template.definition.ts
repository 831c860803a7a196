import { DefinitionField, DefinitionShape, KIND_DESCRIPTION, MAX_DEFINITION_AMOUNT } from './definition.schema';
import { RULE_TARGET_SHAPE, RuleTarget } from './price-rule.definition';

/** Kinds of coupon: a fixed amount, a capped percentage, or an amount once a threshold is reached. */
export const COUPON_TEMPLATE_KINDS = ['cash', 'percent', 'threshold'] as const;
/** A kind of coupon. */
export type CouponTemplateKind = (typeof COUPON_TEMPLATE_KINDS)[number];

/** Fields every coupon template carries. Instances (who holds which code) live in the member wallet. */
export interface CouponTemplateBase {
  /** Stable template id. */
  id: string;
  /** Grows with every change of the template. */
  version: number;
  /** The code a quote names to use the coupon. */
  code: string;
  name: string;
  kind: CouponTemplateKind;
  currency: string;
  /** Inclusive start of validity. */
  validFrom: string;
  /** Exclusive end of validity. */
  validTo: string;
  /** Channels where the coupon may be used; absent means every channel. */
  channels?: string[];
  /** Lines the coupon applies to; absent means all. */
  target?: RuleTarget;
  /** Rule groups whose discounts may sit on the same line as this coupon; [] means none. */
  stacksWithGroups: string[];
}

/** A fixed amount off the eligible lines. */
export interface CashCouponTemplate extends CouponTemplateBase {
  kind: 'cash';
  amount: number;
}

/** A percentage off the eligible lines, optionally capped. */
export interface PercentCouponTemplate extends CouponTemplateBase {
  kind: 'percent';
  percentOffBps: number;
  maxDiscount?: number;
}

/** An amount off once the eligible lines reach a subtotal. */
export interface ThresholdCouponTemplate extends CouponTemplateBase {
  kind: 'threshold';
  minSubtotal: number;
  amount: number;
}

/** Any coupon template, discriminated by `kind`. */
export type CouponTemplate = CashCouponTemplate | PercentCouponTemplate | ThresholdCouponTemplate;

type FieldsOf<T> = { readonly [K in keyof Required<T>]: DefinitionField };

const COUPON_BASE = {
  id: { rule: 'code', noun: 'template id', description: 'Stable template id shared by all its versions', example: 'welcome-10' },
  version: { rule: 'version', max: 1_000_000_000, description: 'Grows with every change of the template' },
  code: { rule: 'code', noun: 'coupon code', description: 'The code a cart names to use the coupon; one template per code', example: 'WELCOME10' },
  name: { rule: 'name', description: 'Shown in quote explanations' },
  currency: { rule: 'currency', description: "ISO 4217; must be the pricing deployment's currency", example: 'CNY' },
  validFrom: { rule: 'instant', description: 'Inclusive start of validity (UTC)' },
  validTo: { rule: 'instant', description: 'Exclusive end of validity (UTC), after validFrom' },
  channels: { rule: 'codes', list: 'channel', noun: 'channel code', nonEmpty: false, optional: true, description: 'Channels where the coupon may be used; absent: every channel' },
  target: { rule: 'object', shape: RULE_TARGET_SHAPE, optional: true, description: 'Lines the coupon applies to (list at least one SKU or category); absent: all' },
  stacksWithGroups: {
    rule: 'codes',
    list: 'code',
    noun: 'group code',
    nonEmpty: false,
    description: 'Rule groups whose discounts may sit on the same line as this coupon; [] for none',
  },
} as const satisfies Omit<FieldsOf<CouponTemplateBase>, 'kind'>;

const kind = (value: CouponTemplateKind) => ({ rule: 'kind', kinds: COUPON_TEMPLATE_KINDS, value, description: KIND_DESCRIPTION }) as const;
const positiveAmount = (description: string, optional = false) => ({ rule: 'int', min: 1, max: MAX_DEFINITION_AMOUNT, unit: 'positive', optional, description }) as const;

/** The shape of each kind of coupon template, in COUPON_TEMPLATE_KINDS order. */
export const COUPON_TEMPLATE_SHAPES: Readonly<Record<CouponTemplateKind, DefinitionShape>> = {
  cash: {
    name: 'CashCouponTemplate',
    description: 'A fixed amount off the eligible lines.',
    fields: {
      ...COUPON_BASE,
      kind: kind('cash'),
      amount: positiveAmount('Amount off in minor units (never more than the eligible subtotal)'),
    } satisfies FieldsOf<CashCouponTemplate>,
  },
  percent: {
    name: 'PercentCouponTemplate',
    description: 'A percentage off the eligible lines, optionally capped.',
    fields: {
      ...COUPON_BASE,
      kind: kind('percent'),
      percentOffBps: { rule: 'int', min: 1, max: 10_000, unit: 'bps', description: 'Basis points off (1000 = 10 %)' },
      maxDiscount: positiveAmount('Largest discount in minor units; absent: uncapped', true),
    } satisfies FieldsOf<PercentCouponTemplate>,
  },
  threshold: {
    name: 'ThresholdCouponTemplate',
    description: 'An amount off once the eligible lines reach a subtotal.',
    fields: {
      ...COUPON_BASE,
      kind: kind('threshold'),
      minSubtotal: positiveAmount('Eligible subtotal (minor units, after rule discounts) to reach'),
      amount: positiveAmount('Amount off in minor units'),
    } satisfies FieldsOf<ThresholdCouponTemplate>,
  },
};
