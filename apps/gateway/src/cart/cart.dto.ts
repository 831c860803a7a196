import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsObject, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsSkuCode } from '@omni/contracts';

/** Most lines one cart may have. */
export const MAX_CART_LINES = 100;
/** Most units of one line. */
export const MAX_LINE_QUANTITY = 999;

const QTY = `$property must be an integer between 1 and ${MAX_LINE_QUANTITY}`;

/** One cart line. */
export class CartLineDto {
  @ApiProperty({ pattern: '^[A-Za-z0-9._-]{1,64}$', example: 'TEA-250G' })
  @IsSkuCode()
  sku: string;

  @ApiProperty({ minimum: 1, maximum: MAX_LINE_QUANTITY, example: 2 })
  @IsInt({ message: QTY })
  @Min(1, { message: QTY })
  @Max(MAX_LINE_QUANTITY, { message: QTY })
  quantity: number;
}

/** Rules of a `lines` array of cart lines. */
export function CartLines(): PropertyDecorator {
  return (target, key) => {
    IsArray({ message: '$property must be an array' })(target, key);
    ArrayMinSize(1, { message: '$property must contain at least 1 line' })(target, key);
    ArrayMaxSize(MAX_CART_LINES, { message: `$property must contain at most ${MAX_CART_LINES} lines` })(target, key);
    IsObject({ each: true, message: 'each item of $property must be an object' })(target, key);
    ValidateNested({ each: true })(target, key);
    Type(() => CartLineDto)(target, key);
  };
}

/** Coupon codes as pricing's coupon templates define them: 1-64 characters of A-Z a-z 0-9 . _ : -. */
export const COUPON_CODE_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** Coupon codes: up to 10 codes. */
export function CouponCodes(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsArray({ message: '$property must be an array' })(target, key);
    ArrayMaxSize(10, { message: '$property must contain at most 10 codes' })(target, key);
    Matches(COUPON_CODE_PATTERN, { each: true, message: 'each value in $property must be a coupon code (1-64 characters of A-Z a-z 0-9 . _ : -)' })(target, key);
  };
}

/** Body of POST /cart/quote. The channel (and store) come from the API key. */
export class CartQuoteDto {
  @ApiProperty({ type: [CartLineDto], minItems: 1, maxItems: MAX_CART_LINES })
  @CartLines()
  lines: CartLineDto[];

  @ApiPropertyOptional({ type: [String], maxItems: 10, example: ['WELCOME10'] })
  @CouponCodes()
  couponCodes?: string[];
}
