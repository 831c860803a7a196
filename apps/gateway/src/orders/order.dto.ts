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

/** The most points or gift-card minor units one order may name. */
const MAX_SPEND = 100_000_000;

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

/** A gift card of the signed-in member's wallet paying part of the order. */
export class SpendGiftCardDto {
  @ApiProperty({ format: 'uuid', description: "One of the member's gift cards (GET /me/gift-cards)" })
  @IsId()
  cardId: string;

  @ApiProperty({ minimum: 1, maximum: MAX_SPEND, description: 'Minor units to take from the card' })
  @IsInt({ message: `$property must be an integer between 1 and ${MAX_SPEND}` })
  @Min(1, { message: `$property must be an integer between 1 and ${MAX_SPEND}` })
  @Max(MAX_SPEND, { message: `$property must be an integer between 1 and ${MAX_SPEND}` })
  amount: number;
}

/**
 * What the signed-in member spends from their wallet. Member freezes exactly this in the order's
 * saga and refuses what the member does not hold (the order is then rejected); what the order
 * charges comes from what member froze, never from these numbers.
 */
export class SpendDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_SPEND, description: 'Points to redeem (each worth POINT_VALUE_MINOR minor units)' })
  @IsOptional()
  @IsInt({ message: `$property must be an integer between 1 and ${MAX_SPEND}` })
  @Min(1, { message: `$property must be an integer between 1 and ${MAX_SPEND}` })
  @Max(MAX_SPEND, { message: `$property must be an integer between 1 and ${MAX_SPEND}` })
  points?: number;

  @ApiPropertyOptional({ type: SpendGiftCardDto })
  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => SpendGiftCardDto)
  giftCard?: SpendGiftCardDto;
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

  @ApiPropertyOptional({
    type: SpendDto,
    description:
      "Points and a gift card the signed-in member spends (a member token or X-Channel-Account-Id is required). The quote's coupon codes are taken from the member's wallet, one available coupon per code; a code the member does not hold is 409 COUPON_NOT_IN_WALLET.",
  })
  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => SpendDto)
  spend?: SpendDto;
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
