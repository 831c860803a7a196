import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, Matches, ValidateNested } from 'class-validator';
import { IsText, IsUtcTimestamp } from '@omni/contracts';
import { IsOmittable } from './dto-rules';
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
} from './definition-fields';
import { RuleTargetDto } from './price-rule-admin.dto';

/** Every kind of coupon template pricing knows. */
export const COUPON_TEMPLATE_KINDS = ['cash', 'percent', 'threshold'] as const;

const POSITIVE_AMOUNT = { type: 'integer', minimum: 1, maximum: MAX_DEFINITION_AMOUNT } as const;

/** Fields every coupon template has. Instances (who holds a code) live in the member wallet. */
abstract class CouponTemplateDto {
  @ApiProperty({ ...CODE_SCHEMA, example: 'welcome-10', description: 'Stable template id shared by all its versions' })
  @IsDefinitionCode('a template id')
  id: string;

  @IsIgnoredVersion()
  version?: number;

  @ApiProperty({ ...CODE_SCHEMA, example: 'WELCOME10', description: 'The code a cart names to use the coupon; one template per code' })
  @IsDefinitionCode('a coupon code')
  code: string;

  @ApiProperty({ maxLength: 200, description: 'Shown in quote explanations' })
  @IsText(200)
  name: string;

  @ApiProperty({ pattern: '^[A-Z]{3}$', example: 'CNY', description: "ISO 4217; must be the pricing deployment's currency" })
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 currency code such as CNY' })
  currency: string;

  @ApiProperty({ format: 'date-time', description: 'Inclusive start of validity (UTC)' })
  @IsUtcTimestamp()
  validFrom: string;

  @ApiProperty({ format: 'date-time', description: 'Exclusive end of validity (UTC), after validFrom' })
  @IsUtcTimestamp()
  validTo: string;

  @ApiPropertyOptional(codeListSchema(CHANNEL_LIST, 'Channels where the coupon may be used; absent: every channel'))
  @IsOmittable()
  @IsCodeList(CHANNEL_LIST, false)
  channels?: string[];

  @ApiPropertyOptional({ type: RuleTargetDto, description: 'Lines the coupon applies to (list at least one SKU or category); absent: all' })
  @IsOmittable()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => RuleTargetDto)
  target?: RuleTargetDto;

  @ApiProperty(codeListSchema(codesOf('group code'), 'Rule groups whose discounts may sit on the same line as this coupon; [] for none'))
  @IsCodeList(codesOf('group code'), false)
  stacksWithGroups: string[];
}

/** A fixed amount off the eligible lines. */
export class CashCouponTemplateDto extends CouponTemplateDto {
  @IsKind('cash')
  kind: 'cash';

  @ApiProperty({ ...POSITIVE_AMOUNT, description: 'Amount off in minor units (never more than the eligible subtotal)' })
  @IsIntBetween(1, MAX_DEFINITION_AMOUNT)
  amount: number;
}

/** A percentage off the eligible lines, optionally capped. */
export class PercentCouponTemplateDto extends CouponTemplateDto {
  @IsKind('percent')
  kind: 'percent';

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10_000, description: 'Basis points off (1000 = 10 %)' })
  @IsIntBetween(1, 10_000)
  percentOffBps: number;

  @ApiPropertyOptional({ ...POSITIVE_AMOUNT, description: 'Largest discount in minor units; absent: uncapped' })
  @IsOmittable()
  @IsIntBetween(1, MAX_DEFINITION_AMOUNT)
  maxDiscount?: number;
}

/** An amount off once the eligible lines reach a subtotal. */
export class ThresholdCouponTemplateDto extends CouponTemplateDto {
  @IsKind('threshold')
  kind: 'threshold';

  @ApiProperty({ ...POSITIVE_AMOUNT, description: 'Eligible subtotal (minor units, after rule discounts) to reach' })
  @IsIntBetween(1, MAX_DEFINITION_AMOUNT)
  minSubtotal: number;

  @ApiProperty({ ...POSITIVE_AMOUNT, description: 'Amount off in minor units' })
  @IsIntBetween(1, MAX_DEFINITION_AMOUNT)
  amount: number;
}

/** The body class of each coupon kind. */
export const COUPON_TEMPLATE_BODIES: Readonly<Record<(typeof COUPON_TEMPLATE_KINDS)[number], new () => object>> = {
  cash: CashCouponTemplateDto,
  percent: PercentCouponTemplateDto,
  threshold: ThresholdCouponTemplateDto,
};
