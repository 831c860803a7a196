import { ArrayMaxSize, IsArray, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsChannelCode, IsSkuCode, IsUtcTimestamp } from '@omni/contracts';

/** Largest amount (minor units) a price may have: far above any real price, far below 2^53. */
export const MAX_PRICE = 1_000_000_000_000;
const AMOUNT = `$property must be an integer number of minor units between 0 and ${MAX_PRICE}`;
const CODE = /^[A-Za-z0-9._:-]{1,64}$/;

/** Route params naming a SKU. */
export class SkuParamsDto {
  @IsSkuCode()
  sku: string;
}

/** Route params naming a channel. */
export class ChannelParamsDto {
  @IsChannelCode()
  channel: string;
}

/** Route params naming a channel's entry for a SKU. */
export class ChannelSkuParamsDto {
  @IsChannelCode()
  channel: string;

  @IsSkuCode()
  sku: string;
}

/** PUT /internal/base-prices/:sku. */
export class BasePriceDto {
  /** Price per unit in minor units of the service currency. */
  @IsInt({ message: AMOUNT })
  @Min(0, { message: AMOUNT })
  @Max(MAX_PRICE, { message: AMOUNT })
  amount: number;

  /** The SKU's categories, which rule targets and conditions match on (default: unchanged, or none). */
  @IsOptional()
  @IsArray({ message: '$property must be an array of category codes' })
  @ArrayMaxSize(50, { message: '$property must list at most 50 categories' })
  @Matches(CODE, { each: true, message: 'each value in $property must be a category code (1-64 characters of A-Z a-z 0-9 . _ : -)' })
  categoryIds?: string[];
}

/** PUT /internal/channel-prices/:channel/:sku: a channel-exclusive price, optionally within [effectiveFrom, effectiveTo). */
export class ChannelPriceDto {
  @IsInt({ message: AMOUNT })
  @Min(0, { message: AMOUNT })
  @Max(MAX_PRICE, { message: AMOUNT })
  amount: number;

  @IsOptional()
  @IsUtcTimestamp()
  effectiveFrom?: string;

  @IsOptional()
  @IsUtcTimestamp()
  effectiveTo?: string;
}

/** GET /internal/prices/:sku?channel=: who is asking. */
export class EffectivePriceQueryDto {
  @IsChannelCode()
  channel: string;

  @IsOptional()
  @Matches(CODE, { message: '$property must be a store code (1-64 characters of A-Z a-z 0-9 . _ : -)' })
  storeId?: string;
}
