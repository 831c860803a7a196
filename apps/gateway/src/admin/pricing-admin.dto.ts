import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsChannelCode, IsSkuCode, IsUtcTimestamp } from '@omni/contracts';

/** Largest amount (minor units) a price may have. */
export const MAX_PRICE = 1_000_000_000_000;
const AMOUNT = `$property must be an integer number of minor units between 0 and ${MAX_PRICE}`;

/** Body of PUT /admin/prices/base/:sku. */
export class BasePriceDto {
  @ApiProperty({ description: 'Minor units of the service currency', minimum: 0, maximum: MAX_PRICE })
  @IsInt({ message: AMOUNT })
  @Min(0, { message: AMOUNT })
  @Max(MAX_PRICE, { message: AMOUNT })
  amount: number;

  @ApiPropertyOptional({ type: [String], maxItems: 50, description: 'Category codes rules match on' })
  @IsOptional()
  @IsArray({ message: '$property must be an array of category codes' })
  @ArrayMaxSize(50, { message: '$property must list at most 50 categories' })
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { each: true, message: 'each value in $property must be a category code (1-64 characters of A-Z a-z 0-9 . _ : -)' })
  categoryIds?: string[];
}

/** Body of PUT /admin/prices/channels/:channel/:sku: a channel-exclusive price, optionally time-boxed. */
export class ChannelPriceDto {
  @ApiProperty({ minimum: 0, maximum: MAX_PRICE })
  @IsInt({ message: AMOUNT })
  @Min(0, { message: AMOUNT })
  @Max(MAX_PRICE, { message: AMOUNT })
  amount: number;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsUtcTimestamp()
  effectiveFrom?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsUtcTimestamp()
  effectiveTo?: string;
}

/** Route params naming a SKU. */
export class SkuParamsDto {
  @ApiProperty({ pattern: '^[A-Za-z0-9._-]{1,64}$' })
  @IsSkuCode()
  sku: string;
}

/** Route params naming a channel's price of a SKU. */
export class ChannelSkuParamsDto extends SkuParamsDto {
  @ApiProperty({ pattern: '^[a-z0-9-]{1,32}$' })
  @IsChannelCode()
  channel: string;
}
