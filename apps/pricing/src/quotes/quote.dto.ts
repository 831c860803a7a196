import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsChannelCode, IsId, IsSkuCode } from '@omni/contracts';

const CODE = /^[A-Za-z0-9._:-]{1,64}$/;
const CODE_MESSAGE = '(1-64 characters of A-Z a-z 0-9 . _ : -)';

/** One cart line: SKU × units. Categories come from pricing's own data, never from the caller. */
export class QuoteLineDto {
  @IsSkuCode()
  sku: string;

  @IsInt({ message: '$property must be an integer between 1 and 10000' })
  @Min(1, { message: '$property must be an integer between 1 and 10000' })
  @Max(10_000, { message: '$property must be an integer between 1 and 10000' })
  quantity: number;
}

/** POST /internal/quotes. */
export class CreateQuoteDto {
  /** The asking channel; only its prices are considered and returned. */
  @IsChannelCode()
  channel: string;

  @IsOptional()
  @Matches(CODE, { message: `$property must be a store code ${CODE_MESSAGE}` })
  storeId?: string;

  /** The buyer, when a member: their tier (tier prices, member-only benefits) is pricing's own projection of member's tier-changed, never the caller's word. */
  @IsOptional()
  @Matches(CODE, { message: `$property must be a member id ${CODE_MESSAGE}` })
  memberId?: string;

  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must contain at least 1 line' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 lines' })
  @ValidateNested({ each: true })
  @Type(() => QuoteLineDto)
  lines: QuoteLineDto[];

  @IsOptional()
  @IsArray({ message: '$property must be an array of coupon codes' })
  @ArrayMaxSize(20, { message: '$property must contain at most 20 codes' })
  @Matches(CODE, { each: true, message: `each value in $property must be a coupon code ${CODE_MESSAGE}` })
  couponCodes?: string[];
}

/** Route params naming a quote. */
export class QuoteParamsDto {
  @IsId()
  id: string;
}

/** Query of GET /internal/quotes/:id: the asking channel (a quote is only visible to its own). */
export class QuoteQueryDto {
  @IsChannelCode()
  channel: string;
}
