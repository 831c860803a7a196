import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsBoolean, IsObject, Matches, ValidateNested } from 'class-validator';
import { IsSkuCode, IsText, IsUtcTimestamp } from '@omni/contracts';
import { IsOmittable, ObjectArray } from './dto-rules';
import {
  CHANNEL_LIST,
  CODE_SCHEMA,
  codeListSchema,
  codesOf,
  IsCodeList,
  IsDefinitionCode,
  IsIgnoredVersion,
  IsIntBetween,
  IsKind,
  MAX_DEFINITION_AMOUNT,
  MAX_DEFINITION_LIST,
  SKU_LIST,
} from './definition-fields';

/** Every kind of price rule pricing knows, in its order. */
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

const SKU_SCHEMA = { pattern: '^[A-Za-z0-9._-]{1,64}$', example: 'TEA-250' } as const;
const AMOUNT_SCHEMA = { type: 'integer', minimum: 0, maximum: MAX_DEFINITION_AMOUNT, description: 'Minor units of the rule currency' } as const;

/** Which lines a rule or coupon touches: a line matches when its SKU is listed or it has a listed category. */
export class RuleTargetDto {
  @ApiPropertyOptional(codeListSchema(SKU_LIST, 'SKUs in the target'))
  @IsOmittable()
  @IsCodeList(SKU_LIST, false)
  skus?: string[];

  @ApiPropertyOptional(codeListSchema(codesOf('category code'), 'Category ids in the target'))
  @IsOmittable()
  @IsCodeList(codesOf('category code'), false)
  categoryIds?: string[];
}

/** A fixed unit price of one SKU. */
export class SkuPriceDto {
  @ApiProperty(SKU_SCHEMA)
  @IsSkuCode()
  sku: string;

  @ApiProperty(AMOUNT_SCHEMA)
  @IsIntBetween(0, MAX_DEFINITION_AMOUNT)
  amount: number;
}

/** One step of a spend threshold: reach `minSubtotal`, get `discount` off. */
export class SpendThresholdStepDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_DEFINITION_AMOUNT, description: 'Subtotal (minor units) the eligible lines must reach' })
  @IsIntBetween(1, MAX_DEFINITION_AMOUNT)
  minSubtotal: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_DEFINITION_AMOUNT, description: 'Amount off (minor units) once reached; at most minSubtotal' })
  @IsIntBetween(1, MAX_DEFINITION_AMOUNT)
  discount: number;
}

/** A target object (required where the kind needs one). */
function Target(required: boolean): PropertyDecorator {
  return (target, key) => {
    (required ? ApiProperty : ApiPropertyOptional)({ type: RuleTargetDto, description: 'SKUs or categories the rule applies to (list at least one)' })(target, key);
    if (!required) IsOmittable()(target, key);
    IsObject({ message: '$property must be an object' })(target, key);
    ValidateNested()(target, key);
    Type(() => RuleTargetDto)(target, key);
  };
}

/** Channels a rule is limited to (absent: every channel, unless the kind says otherwise). */
function Channels(required: boolean, description: string): PropertyDecorator {
  return (target, key) => {
    (required ? ApiProperty : ApiPropertyOptional)(codeListSchema(CHANNEL_LIST, description, required))(target, key);
    if (!required) IsOmittable()(target, key);
    IsCodeList(CHANNEL_LIST, required)(target, key);
  };
}

/** A non-empty list of fixed SKU prices. */
function Prices(): PropertyDecorator {
  return (target, key) => {
    ApiProperty({ type: [SkuPriceDto], minItems: 1, maxItems: MAX_DEFINITION_LIST, description: 'Fixed unit prices; each SKU once' })(target, key);
    ObjectArray(MAX_DEFINITION_LIST, () => SkuPriceDto)(target, key);
    ArrayNotEmpty({ message: '$property must list at least one price' })(target, key);
  };
}

/** Fields every price rule has, the effective window aside. */
abstract class PriceRuleFieldsDto {
  @ApiProperty({ ...CODE_SCHEMA, description: 'Stable rule id shared by all its versions' })
  @IsDefinitionCode('a rule id')
  id: string;

  @IsIgnoredVersion()
  version?: number;

  @ApiProperty({ maxLength: 200, description: 'Shown in quote explanations' })
  @IsText(200)
  name: string;

  @ApiProperty({ type: 'integer', minimum: -1_000_000, maximum: 1_000_000, description: 'Higher applies first; ties by id' })
  @IsIntBetween(-1_000_000, 1_000_000)
  priority: number;

  @ApiProperty({ ...CODE_SCHEMA, example: 'member-deals', description: 'Exclusion group: a line takes at most one discount per group' })
  @IsDefinitionCode('a group code')
  group: string;

  @ApiPropertyOptional({ description: 'Only touches undiscounted lines, then blocks every later discount and coupon on them' })
  @IsOmittable()
  @IsBoolean({ message: '$property must be a boolean' })
  exclusive?: boolean;

  @ApiProperty({ pattern: '^[A-Z]{3}$', example: 'CNY', description: "ISO 4217; must be the pricing deployment's currency" })
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 currency code such as CNY' })
  currency: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'JsonLogic condition over the quote facts (channel, storeId, memberTier, isMember, subtotal, itemCount, skus, categoryIds); checked by pricing' })
  @IsOmittable()
  @IsObject({ message: '$property must be a JsonLogic object' })
  conditions?: Record<string, unknown>;
}

/** A rule with an optional effective window [effectiveFrom, effectiveTo). */
abstract class PriceRuleDto extends PriceRuleFieldsDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive start (UTC); absent: since ever' })
  @IsOmittable()
  @IsUtcTimestamp()
  effectiveFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive end (UTC), after effectiveFrom; absent: open-ended' })
  @IsOmittable()
  @IsUtcTimestamp()
  effectiveTo?: string;
}

/** A rule that only exists within a window: both ends are required. */
abstract class WindowedPriceRuleDto extends PriceRuleFieldsDto {
  @ApiProperty({ format: 'date-time', description: 'Inclusive start (UTC)' })
  @IsUtcTimestamp()
  effectiveFrom: string;

  @ApiProperty({ format: 'date-time', description: 'Exclusive end (UTC), after effectiveFrom' })
  @IsUtcTimestamp()
  effectiveTo: string;
}

/** Channel price = list price × priceRatioBps / 10000 on some channels. */
export class ChannelAdjustmentRuleDto extends PriceRuleDto {
  @IsKind('channel-adjustment')
  kind: 'channel-adjustment';

  @Channels(true, 'Channels the adjustment applies to')
  channels: string[];

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100_000, description: 'Share of the list price in basis points (9000 = 90 %; above 10000 marks up)' })
  @IsIntBetween(1, 100_000)
  priceRatioBps: number;

  @Target(false)
  target?: RuleTargetDto;
}

/** A fixed unit price of some SKUs in some channels and/or stores. */
export class SpecialPriceRuleDto extends PriceRuleDto {
  @IsKind('special-price')
  kind: 'special-price';

  @Channels(false, 'Channels where the price holds (channels or storeIds, at least one)')
  channels?: string[];

  @ApiPropertyOptional(codeListSchema(codesOf('store code'), 'Stores where the price holds'))
  @IsOmittable()
  @IsCodeList(codesOf('store code'), false)
  storeIds?: string[];

  @Prices()
  prices: SkuPriceDto[];
}

/** A fixed unit price of some SKUs during a window. */
export class LimitedTimePriceRuleDto extends WindowedPriceRuleDto {
  @IsKind('limited-time-price')
  kind: 'limited-time-price';

  @Channels(false, 'Channels where the price holds; absent: every channel')
  channels?: string[];

  @Prices()
  prices: SkuPriceDto[];
}

/** A percentage off for members of some tiers. */
export class MemberTierDiscountRuleDto extends PriceRuleDto {
  @IsKind('member-tier-discount')
  kind: 'member-tier-discount';

  @ApiProperty(codeListSchema(codesOf('tier code'), 'Member tiers that get the discount', true))
  @IsCodeList(codesOf('tier code'), true)
  tiers: string[];

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10_000, description: 'Basis points off (500 = 5 %)' })
  @IsIntBetween(1, 10_000)
  percentOffBps: number;

  @Target(false)
  target?: RuleTargetDto;
}

/** A percentage off every line of some SKUs or categories. */
export class PercentOffRuleDto extends PriceRuleDto {
  @IsKind('percent-off')
  kind: 'percent-off';

  @Target(true)
  target: RuleTargetDto;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10_000, description: 'Basis points off (1000 = 10 %)' })
  @IsIntBetween(1, 10_000)
  percentOffBps: number;
}

/** Spend X get Y off, in ascending tiers; the highest reached applies. */
export class SpendThresholdRuleDto extends PriceRuleDto {
  @IsKind('spend-threshold')
  kind: 'spend-threshold';

  @ApiProperty({ type: [SpendThresholdStepDto], minItems: 1, maxItems: MAX_DEFINITION_LIST, description: 'Ascending minSubtotal, non-decreasing discount' })
  @ObjectArray(MAX_DEFINITION_LIST, () => SpendThresholdStepDto)
  @ArrayNotEmpty({ message: '$property must list at least one threshold' })
  thresholds: SpendThresholdStepDto[];

  @Target(false)
  target?: RuleTargetDto;
}

/** Buy X get Y free, per line. */
export class BuyXGetYRuleDto extends PriceRuleDto {
  @IsKind('buy-x-get-y')
  kind: 'buy-x-get-y';

  @Target(true)
  target: RuleTargetDto;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10_000, description: 'Units to pay for' })
  @IsIntBetween(1, 10_000)
  buyQuantity: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10_000, description: 'Units free for every buyQuantity paid' })
  @IsIntBetween(1, 10_000)
  freeQuantity: number;
}

/** A sale price of one SKU in a window, capped in total and per member. */
export class FlashSaleRuleDto extends WindowedPriceRuleDto {
  @IsKind('flash-sale')
  kind: 'flash-sale';

  @ApiProperty(SKU_SCHEMA)
  @IsSkuCode()
  sku: string;

  @ApiProperty(AMOUNT_SCHEMA)
  @IsIntBetween(0, MAX_DEFINITION_AMOUNT)
  salePrice: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100_000_000, description: 'Units sold at the sale price in total' })
  @IsIntBetween(1, 100_000_000)
  quantityCap: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100_000, description: 'Units one member may buy at the sale price' })
  @IsIntBetween(1, 100_000)
  perMemberLimit: number;

  @Channels(false, 'Channels where the sale runs; absent: every channel')
  channels?: string[];
}

/** The body class of each price-rule kind. */
export const PRICE_RULE_BODIES: Readonly<Record<(typeof PRICE_RULE_KINDS)[number], new () => object>> = {
  'channel-adjustment': ChannelAdjustmentRuleDto,
  'special-price': SpecialPriceRuleDto,
  'limited-time-price': LimitedTimePriceRuleDto,
  'member-tier-discount': MemberTierDiscountRuleDto,
  'percent-off': PercentOffRuleDto,
  'spend-threshold': SpendThresholdRuleDto,
  'buy-x-get-y': BuyXGetYRuleDto,
  'flash-sale': FlashSaleRuleDto,
};
