import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmpty,
  IsInt,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { FULFILMENT_TYPES, IsId, IsText } from '@omni/contracts';
import { CartLineDto, CartLines, MAX_LINE_QUANTITY } from '../cart/cart.dto';

/**
 * The buyer. A member order is the member the credentials name (a member token, or a channel
 * integration's X-Channel-Account-Id), never one from the body: `buyer.memberId` is refused.
 */
export class BuyerDto {
  /** Refused when sent (400): the member comes from the credentials. */
  @IsEmpty({ message: '$property must not be sent: the member is the one the member token (or X-Channel-Account-Id) names' })
  memberId?: string;

  @ApiProperty({ description: 'True for a guest checkout; false orders as the signed-in member (a member token or X-Channel-Account-Id is then required)' })
  @IsBoolean({ message: '$property must be a boolean' })
  anonymous: boolean;
}

/** A shipping address; coordinates let routing prefer near locations. */
export class AddressDto {
  @ApiProperty({ maxLength: 200 })
  @IsText(200)
  line1: string;

  @ApiProperty({ maxLength: 100 })
  @IsText(100)
  city: string;

  @ApiProperty({ pattern: '^[A-Z]{2}$', example: 'CN' })
  @Matches(/^[A-Z]{2}$/, { message: '$property must be an ISO 3166 alpha-2 code' })
  country: string;

  @ApiPropertyOptional({ minimum: -90, maximum: 90 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number between -90 and 90' })
  @Min(-90, { message: '$property must be a number between -90 and 90' })
  @Max(90, { message: '$property must be a number between -90 and 90' })
  lat?: number;

  @ApiPropertyOptional({ minimum: -180, maximum: 180 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number between -180 and 180' })
  @Min(-180, { message: '$property must be a number between -180 and 180' })
  @Max(180, { message: '$property must be a number between -180 and 180' })
  lng?: number;
}

/** Ship to an address, pick up at a store, or on-demand delivery from a store. */
export class FulfilmentDto {
  @ApiProperty({ enum: FULFILMENT_TYPES })
  @IsIn(FULFILMENT_TYPES, { message: `$property must be one of ${FULFILMENT_TYPES.join(', ')}` })
  type: 'ship' | 'pickup' | 'delivery';

  @ApiPropertyOptional({ format: 'uuid', description: 'The store; required for pickup and delivery' })
  @ValidateIf((f: FulfilmentDto) => f.type !== 'ship' || f.locationId !== undefined)
  @IsId()
  locationId?: string;

  @ApiPropertyOptional({ type: AddressDto, description: 'Required for ship' })
  @ValidateIf((f: FulfilmentDto) => f.type === 'ship' || f.address !== undefined)
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
}

/** Body of POST /orders. The channel comes from the API key; prices come from pricing, never from the caller. */
export class PlaceOrderDto {
  @ApiProperty({ type: BuyerDto })
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => BuyerDto)
  buyer: BuyerDto;

  @ApiProperty({ type: [CartLineDto], minItems: 1, maxItems: 100 })
  @CartLines()
  lines: CartLineDto[];

  @ApiProperty({ type: FulfilmentDto })
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => FulfilmentDto)
  fulfilment: FulfilmentDto;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "The quote the buyer saw (POST /cart/quote). The order is charged what it showed (its unit prices, promotions and coupons; the lines must be the quote's lines, else 409 QUOTE_LINES_MISMATCH; an unknown or other-channel quote is 404 QUOTE_NOT_FOUND) and locks it, with its flash-sale units, until the payment deadline; an expired or already locked quote rejects the order. Without a quote the order is charged the channel's current unit prices.",
  })
  @IsOptional()
  @IsId()
  quoteId?: string;
}

/** Route params naming one order. */
export class OrderIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  id: string;
}

/** Body of POST /orders/:id/pickup: the code the buyer shows at the store. */
export class ConfirmPickupDto {
  @ApiProperty({ pattern: '^[0-9]{6}$', example: '483920' })
  @Matches(/^\d{6}$/, { message: '$property must be the 6-digit pickup code' })
  code: string;
}

/** Body of POST /orders/:id/returns: units of one order line handed back at the key's store. */
export class ReceiveReturnDto {
  @ApiProperty({ description: 'Line number in the order (0 first)', minimum: 0, maximum: 99 })
  @IsInt({ message: '$property must be an integer between 0 and 99' })
  @Min(0, { message: '$property must be an integer between 0 and 99' })
  @Max(99, { message: '$property must be an integer between 0 and 99' })
  lineNo: number;

  @ApiProperty({ minimum: 1, maximum: MAX_LINE_QUANTITY })
  @IsInt({ message: `$property must be an integer between 1 and ${MAX_LINE_QUANTITY}` })
  @Min(1, { message: `$property must be an integer between 1 and ${MAX_LINE_QUANTITY}` })
  @Max(MAX_LINE_QUANTITY, { message: `$property must be an integer between 1 and ${MAX_LINE_QUANTITY}` })
  quantity: number;
}
