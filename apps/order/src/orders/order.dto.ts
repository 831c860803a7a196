import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { QueryInt } from '@omni/platform';
import { FULFILMENT_TYPES, IsChannelCode, IsId, IsNonNegativeInt, IsQuantity, IsSkuCode, Money } from '@omni/contracts';

/** The buyer: a member id, or anonymous (a store QR login may still give a member id). */
export class BuyerDto {
  @ValidateIf((b: BuyerDto) => b.anonymous !== true || b.memberId !== undefined)
  @IsId()
  memberId?: string;

  @IsBoolean({ message: '$property must be a boolean' })
  anonymous: boolean;
}

/** One ordered SKU at the unit price the buyer saw. */
export class OrderLineDto {
  @IsSkuCode()
  sku: string;

  @IsQuantity()
  quantity: number;

  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => Money)
  unitPrice: Money;
}

/** A shipping address; coordinates let routing prefer near locations. */
export class AddressDto {
  @IsString({ message: '$property must be a string' })
  @MaxLength(200, { message: '$property must be at most 200 characters' })
  line1: string;

  @IsString({ message: '$property must be a string' })
  @MaxLength(100, { message: '$property must be at most 100 characters' })
  city: string;

  @IsString({ message: '$property must be a string' })
  @MaxLength(2, { message: '$property must be an ISO 3166 alpha-2 code' })
  country: string;

  @IsOptional()
  @IsNumber({}, { message: '$property must be a number' })
  @Min(-90, { message: '$property must be between -90 and 90' })
  @Max(90, { message: '$property must be between -90 and 90' })
  lat?: number;

  @IsOptional()
  @IsNumber({}, { message: '$property must be a number' })
  @Min(-180, { message: '$property must be between -180 and 180' })
  @Max(180, { message: '$property must be between -180 and 180' })
  lng?: number;
}

/** Ship to an address, pick up at a store, or on-demand delivery from a store. */
export class FulfilmentDto {
  @IsIn(FULFILMENT_TYPES, { message: `$property must be one of ${FULFILMENT_TYPES.join(', ')}` })
  type: 'ship' | 'pickup' | 'delivery';

  /** The store: required for pickup and delivery. */
  @ValidateIf((f: FulfilmentDto) => f.type !== 'ship' || f.locationId !== undefined)
  @IsId()
  locationId?: string;

  /** Required for ship. */
  @ValidateIf((f: FulfilmentDto) => f.type === 'ship' || f.address !== undefined)
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
}

/**
 * A coupon the buyer applied and the discount it gave (pricing computes it in the quote). A coupon of
 * the buyer's wallet names its id: the member participant freezes it, and the order needs a quote.
 */
export class CouponDto {
  @IsString({ message: '$property must be a string' })
  @MaxLength(64, { message: '$property must be at most 64 characters' })
  code: string;

  /** The wallet coupon (member) this code is, when the buyer holds it there. */
  @IsOptional()
  @IsId()
  couponId?: string;

  @IsNonNegativeInt()
  discount: number;
}

/** A price rule (promotion, flash sale) and the discount it gave the order (pricing computed it in the buyer's quote). */
export class PromotionDto {
  @IsString({ message: '$property must be a string' })
  @MaxLength(64, { message: '$property must be at most 64 characters' })
  ruleId: string;

  @IsNonNegativeInt()
  discount: number;
}

/** Points redeemed and what they are worth (must be points × the point value; member freezes the points). */
export class PointsDto {
  @IsNonNegativeInt()
  points: number;

  @IsNonNegativeInt()
  value: number;
}

/** A gift card of the buyer's wallet paying part of the order (member freezes the amount). */
export class GiftCardDto {
  @IsId()
  cardId: string;

  @IsNonNegativeInt()
  amount: number;
}

/** POST /orders. */
export class CreateOrderDto {
  /** Channel code: app, web, marketplace, social, store-pos, o2o… */
  @IsChannelCode()
  channel: string;

  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => BuyerDto)
  buyer: BuyerDto;

  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must contain at least 1 line' })
  @ArrayMaxSize(100, { message: '$property must contain at most 100 lines' })
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines: OrderLineDto[];

  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => FulfilmentDto)
  fulfilment: FulfilmentDto;

  @IsOptional()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(10, { message: '$property must contain at most 10 coupons' })
  @ValidateNested({ each: true })
  @Type(() => CouponDto)
  coupons?: CouponDto[];

  /** Order-level discounts of price rules, as the buyer's quote gave them (part of the order's discount). */
  @IsOptional()
  @IsArray({ message: '$property must be an array' })
  @ArrayMaxSize(50, { message: '$property must contain at most 50 promotions' })
  @ValidateNested({ each: true })
  @Type(() => PromotionDto)
  promotions?: PromotionDto[];

  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => PointsDto)
  points?: PointsDto;

  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => GiftCardDto)
  giftCard?: GiftCardDto;

  /**
   * The price quote the buyer saw: the saga locks it (and its flash-sale units) in pricing until the
   * payment deadline; an expired, unknown, other-channel or already locked quote rejects the order.
   */
  @IsOptional()
  @IsId()
  quoteId?: string;
}

/** Route param of order endpoints. */
export class OrderIdParamDto {
  @IsId()
  id: string;
}

/** Query of GET /orders: whose orders, how many, and the keyset cursor. */
export class MemberOrdersQueryDto {
  @IsId()
  memberId: string;

  @IsOptional()
  @QueryInt()
  @IsInt({ message: '$property must be an integer between 1 and 100' })
  @Min(1, { message: '$property must be an integer between 1 and 100' })
  @Max(100, { message: '$property must be an integer between 1 and 100' })
  limit?: number;

  /** The `nextBefore` of the previous page (an order id). */
  @IsOptional()
  @IsId()
  before?: string;
}

/** POST /orders/:id/channel-cancel: why the channel cancelled (logged by the channel's adapter). */
export class ChannelCancelDto {
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(200, { message: '$property must be at most 200 characters' })
  reason?: string;
}
