import { DefinitionField, DefinitionShape, KIND_DESCRIPTION, MAX_DEFINITION_AMOUNT } from './definition.schema';

/** Every kind of price rule. Price-stage kinds set the unit price; the others discount it. */
export const PRICE_RULE_KINDS = [
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
export type PriceRuleKind = (typeof PRICE_RULE_KINDS)[number];
/** Kinds that decide a line's unit price (at most one wins per line). */
export const PRICE_STAGE_KINDS: readonly PriceRuleKind[] = ['channel-adjustment', 'special-price', 'limited-time-price'];

/** A cart-level JsonLogic condition over the quote facts. */
export type JsonLogicCondition = { [operator: string]: unknown };

/** Which lines a rule or coupon touches: a line matches when its SKU is listed or it has a listed category. */
export interface RuleTarget {
  skus?: string[];
  categoryIds?: string[];
}

/** A fixed price for one SKU, in minor units of the rule's currency. */
export interface SkuPrice {
  sku: string;
  amount: number;
}

/** One step of a spend-threshold rule: reach `minSubtotal`, get `discount` off. */
export interface SpendThresholdStep {
  minSubtotal: number;
  discount: number;
}

/** Fields every price rule carries. */
export interface PriceRuleBase {
  /** Stable rule id, shared by all versions of the rule. */
  id: string;
  /** Grows with every change of the rule; the highest version effective at an instant wins. */
  version: number;
  name: string;
  kind: PriceRuleKind;
  /** Higher priority applies first; ties apply by id. */
  priority: number;
  /** Exclusion group: a line gets at most one discount from each group; coupons name the groups they stack with. */
  group: string;
  /** An exclusive rule only touches undiscounted lines and then blocks every later discount and coupon on them. */
  exclusive?: boolean;
  /** Currency of every amount in the rule; rules apply only to quotes in that currency. */
  currency: string;
  /** Inclusive start of the effective window; absent means since ever. */
  effectiveFrom?: string;
  /** Exclusive end of the effective window; absent means open-ended. */
  effectiveTo?: string;
  conditions?: JsonLogicCondition;
}

/** Channel price = list price × priceRatioBps / 10000 (e.g. tmall at 9000 = 90 %). */
export interface ChannelAdjustmentRule extends PriceRuleBase {
  kind: 'channel-adjustment';
  channels: string[];
  priceRatioBps: number;
  target?: RuleTarget;
}

/** A fixed unit price for some SKUs in given stores and/or channels. */
export interface SpecialPriceRule extends PriceRuleBase {
  kind: 'special-price';
  channels?: string[];
  storeIds?: string[];
  prices: SkuPrice[];
}

/** A fixed unit price for some SKUs during a required time window. */
export interface LimitedTimePriceRule extends PriceRuleBase {
  kind: 'limited-time-price';
  channels?: string[];
  prices: SkuPrice[];
}

/** A percentage off each line for members of some tiers. */
export interface MemberTierDiscountRule extends PriceRuleBase {
  kind: 'member-tier-discount';
  tiers: string[];
  percentOffBps: number;
  target?: RuleTarget;
}

/** A percentage off every line in a set of SKUs or categories. */
export interface PercentOffRule extends PriceRuleBase {
  kind: 'percent-off';
  target: RuleTarget;
  percentOffBps: number;
}

/** Spend X get Y off, with tiers: the highest threshold reached applies. */
export interface SpendThresholdRule extends PriceRuleBase {
  kind: 'spend-threshold';
  thresholds: SpendThresholdStep[];
  target?: RuleTarget;
}

/** Buy X get Y free, per line: every (X + Y) units, Y are free. */
export interface BuyXGetYRule extends PriceRuleBase {
  kind: 'buy-x-get-y';
  target: RuleTarget;
  buyQuantity: number;
  freeQuantity: number;
}

/** A sale price for one SKU in a required window, limited per member and capped in total. */
export interface FlashSaleRule extends PriceRuleBase {
  kind: 'flash-sale';
  sku: string;
  salePrice: number;
  quantityCap: number;
  perMemberLimit: number;
  channels?: string[];
}

/** Any price rule, discriminated by `kind`. */
export type PriceRule =
  | ChannelAdjustmentRule
  | SpecialPriceRule
  | LimitedTimePriceRule
  | MemberTierDiscountRule
  | PercentOffRule
  | SpendThresholdRule
  | BuyXGetYRule
  | FlashSaleRule;

/** The fields of a shape of `T`: exactly its properties, so the schema and the type cannot drift apart. */
type FieldsOf<T> = { readonly [K in keyof Required<T>]: DefinitionField };

/** Which lines a rule or coupon touches. */
export const RULE_TARGET_SHAPE: DefinitionShape = {
  name: 'RuleTarget',
  description: 'Which lines a rule or coupon touches: a line matches when its SKU is listed or it has a listed category.',
  fields: {
    skus: { rule: 'codes', list: 'sku', noun: 'SKU code', nonEmpty: false, optional: true, description: 'SKUs in the target' },
    categoryIds: { rule: 'codes', list: 'code', noun: 'category code', nonEmpty: false, optional: true, description: 'Category ids in the target' },
  } satisfies FieldsOf<RuleTarget>,
};

/** A fixed unit price of one SKU. */
export const SKU_PRICE_SHAPE: DefinitionShape = {
  name: 'SkuPrice',
  description: 'A fixed unit price of one SKU.',
  fields: {
    sku: { rule: 'sku', description: 'SKU code', example: 'TEA-250' },
    amount: { rule: 'int', min: 0, max: MAX_DEFINITION_AMOUNT, unit: 'non-negative', description: 'Minor units of the rule currency' },
  } satisfies FieldsOf<SkuPrice>,
};

/** One step of a spend threshold. */
export const SPEND_THRESHOLD_STEP_SHAPE: DefinitionShape = {
  name: 'SpendThresholdStep',
  description: 'One step of a spend threshold: reach `minSubtotal`, get `discount` off.',
  fields: {
    minSubtotal: { rule: 'int', min: 1, max: MAX_DEFINITION_AMOUNT, unit: 'positive', description: 'Subtotal (minor units) the eligible lines must reach' },
    discount: { rule: 'int', min: 1, max: MAX_DEFINITION_AMOUNT, unit: 'positive', description: 'Amount off (minor units) once reached; at most minSubtotal' },
  } satisfies FieldsOf<SpendThresholdStep>,
};

/** The fields every rule has; `windowed` kinds require both ends of their effective window. */
function ruleBase(windowed: boolean) {
  return {
    id: { rule: 'code', noun: 'rule id', description: 'Stable rule id shared by all its versions', example: 'spring-tea-10' },
    version: { rule: 'version', max: 1_000_000_000, description: 'Grows with every change of the rule; the highest version effective at an instant wins' },
    name: { rule: 'name', description: 'Shown in quote explanations' },
    priority: { rule: 'int', min: -1_000_000, max: 1_000_000, unit: 'between', description: 'Higher applies first; ties by id' },
    group: { rule: 'code', noun: 'group code', description: 'Exclusion group: a line takes at most one discount per group', example: 'member-deals' },
    exclusive: { rule: 'flag', optional: true, description: 'Only touches undiscounted lines, then blocks every later discount and coupon on them' },
    currency: { rule: 'currency', description: "ISO 4217; must be the pricing deployment's currency", example: 'CNY' },
    conditions: {
      rule: 'condition',
      optional: true,
      description: 'JsonLogic condition over the quote facts (channel, storeId, memberTier, isMember, subtotal, itemCount, skus, categoryIds); checked by pricing',
    },
    effectiveFrom: windowed
      ? { rule: 'instant', window: true, description: 'Inclusive start (UTC)' }
      : { rule: 'instant', window: true, optional: true, description: 'Inclusive start (UTC); absent: since ever' },
    effectiveTo: windowed
      ? { rule: 'instant', window: true, description: 'Exclusive end (UTC), after effectiveFrom' }
      : { rule: 'instant', window: true, optional: true, description: 'Exclusive end (UTC), after effectiveFrom; absent: open-ended' },
  } as const satisfies Omit<FieldsOf<PriceRuleBase>, 'kind'>;
}

const kind = (value: PriceRuleKind) => ({ rule: 'kind', kinds: PRICE_RULE_KINDS, value, description: KIND_DESCRIPTION }) as const;
const target = (optional: boolean) =>
  ({ rule: 'object', shape: RULE_TARGET_SHAPE, optional, description: 'SKUs or categories the rule applies to (list at least one)' }) as const;
const channels = (optional: boolean, description: string) => ({ rule: 'codes', list: 'channel', noun: 'channel code', nonEmpty: !optional, optional, description }) as const;
const prices = { rule: 'objects', shape: SKU_PRICE_SHAPE, noun: 'price', description: 'Fixed unit prices; each SKU once' } as const;
const bps = (max: number, description: string) => ({ rule: 'int', min: 1, max, unit: 'bps', description }) as const;

/** The shape of each kind of price rule, in PRICE_RULE_KINDS order. */
export const PRICE_RULE_SHAPES: Readonly<Record<PriceRuleKind, DefinitionShape>> = {
  'channel-adjustment': {
    name: 'ChannelAdjustmentRule',
    description: 'Channel price = list price × priceRatioBps / 10000 on some channels.',
    fields: {
      ...ruleBase(false),
      kind: kind('channel-adjustment'),
      channels: channels(false, 'Channels the adjustment applies to'),
      priceRatioBps: bps(100_000, 'Share of the list price in basis points (9000 = 90 %; above 10000 marks up)'),
      target: target(true),
    } satisfies FieldsOf<ChannelAdjustmentRule>,
  },
  'special-price': {
    name: 'SpecialPriceRule',
    description: 'A fixed unit price of some SKUs in some channels and/or stores.',
    fields: {
      ...ruleBase(false),
      kind: kind('special-price'),
      channels: channels(true, 'Channels where the price holds (channels or storeIds, at least one)'),
      storeIds: { rule: 'codes', list: 'code', noun: 'store code', nonEmpty: false, optional: true, description: 'Stores where the price holds' },
      prices,
    } satisfies FieldsOf<SpecialPriceRule>,
  },
  'limited-time-price': {
    name: 'LimitedTimePriceRule',
    description: 'A fixed unit price of some SKUs during a window.',
    fields: {
      ...ruleBase(true),
      kind: kind('limited-time-price'),
      channels: channels(true, 'Channels where the price holds; absent: every channel'),
      prices,
    } satisfies FieldsOf<LimitedTimePriceRule>,
  },
  'member-tier-discount': {
    name: 'MemberTierDiscountRule',
    description: 'A percentage off for members of some tiers.',
    fields: {
      ...ruleBase(false),
      kind: kind('member-tier-discount'),
      tiers: { rule: 'codes', list: 'code', noun: 'tier code', nonEmpty: true, description: 'Member tiers that get the discount' },
      percentOffBps: bps(10_000, 'Basis points off (500 = 5 %)'),
      target: target(true),
    } satisfies FieldsOf<MemberTierDiscountRule>,
  },
  'percent-off': {
    name: 'PercentOffRule',
    description: 'A percentage off every line of some SKUs or categories.',
    fields: {
      ...ruleBase(false),
      kind: kind('percent-off'),
      target: target(false),
      percentOffBps: bps(10_000, 'Basis points off (1000 = 10 %)'),
    } satisfies FieldsOf<PercentOffRule>,
  },
  'spend-threshold': {
    name: 'SpendThresholdRule',
    description: 'Spend X get Y off, in ascending tiers; the highest reached applies.',
    fields: {
      ...ruleBase(false),
      kind: kind('spend-threshold'),
      thresholds: { rule: 'objects', shape: SPEND_THRESHOLD_STEP_SHAPE, noun: 'threshold', description: 'Ascending minSubtotal, non-decreasing discount' },
      target: target(true),
    } satisfies FieldsOf<SpendThresholdRule>,
  },
  'buy-x-get-y': {
    name: 'BuyXGetYRule',
    description: 'Buy X get Y free, per line.',
    fields: {
      ...ruleBase(false),
      kind: kind('buy-x-get-y'),
      target: target(false),
      buyQuantity: { rule: 'int', min: 1, max: 10_000, unit: 'positive', description: 'Units to pay for' },
      freeQuantity: { rule: 'int', min: 1, max: 10_000, unit: 'positive', description: 'Units free for every buyQuantity paid' },
    } satisfies FieldsOf<BuyXGetYRule>,
  },
  'flash-sale': {
    name: 'FlashSaleRule',
    description: 'A sale price of one SKU in a window, capped in total and per member.',
    fields: {
      ...ruleBase(true),
      kind: kind('flash-sale'),
      sku: { rule: 'sku', description: 'The SKU on sale', example: 'TEA-250' },
      salePrice: { rule: 'int', min: 0, max: MAX_DEFINITION_AMOUNT, unit: 'non-negative', description: 'Minor units of the rule currency' },
      quantityCap: { rule: 'int', min: 1, max: 100_000_000, unit: 'positive', description: 'Units sold at the sale price in total' },
      perMemberLimit: { rule: 'int', min: 1, max: 100_000, unit: 'positive', description: 'Units one member may buy at the sale price' },
      channels: channels(true, 'Channels where the sale runs; absent: every channel'),
    } satisfies FieldsOf<FlashSaleRule>,
  },
};
