import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsObject, ValidateIf, ValidateNested } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { Money } from '../core/money.value';
import { IsChannelCode, IsId, IsQuantity, IsSkuCode } from '../core/validators';

/** Who bought: a known member, or an anonymous buyer (who may still have a member id from a store QR login). */
export class OrderBuyer {
  /** Member id; required unless the buyer is anonymous. */
  @ValidateIf((buyer: OrderBuyer) => buyer.anonymous !== true || buyer.memberId !== undefined)
  @IsId()
  memberId?: string;

  /** True when the buyer is not a signed-in member. */
  @IsBoolean({ message: '$property must be a boolean' })
  anonymous: boolean;
}

/** One ordered SKU at the unit price the buyer was quoted. */
export class OrderLine {
  /** SKU code. */
  @IsSkuCode()
  sku: string;

  /** Units, at least 1. */
  @IsQuantity()
  quantity: number;

  /** Price per unit after channel pricing and line promotions. */
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => Money)
  unitPrice: Money;
}

/** How the goods reach the buyer. */
export const FULFILMENT_TYPES = ['ship', 'pickup', 'delivery'] as const;
/** Fulfilment type. */
export type FulfilmentType = (typeof FULFILMENT_TYPES)[number];

/** Fulfilment choice; a pickup names the store it happens at. */
export class OrderFulfilment {
  /** 'ship', 'pickup' (BOPIS) or 'delivery' (O2O). */
  @IsIn(FULFILMENT_TYPES, { message: `$property must be one of ${FULFILMENT_TYPES.join(', ')}` })
  type: FulfilmentType;

  /** Fulfilling location; required for pickup, optional otherwise (routing may choose it later). */
  @ValidateIf((fulfilment: OrderFulfilment) => fulfilment.type === 'pickup' || fulfilment.locationId !== undefined)
  @IsId()
  locationId?: string;
}

/** An order was accepted from a channel. */
export class OrderCreatedEvent extends EventPayloadBase {
  /** Order id. */
  @IsId()
  orderId: string;

  /** Channel the order came from. */
  @IsChannelCode()
  channel: string;

  /** The buyer. */
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => OrderBuyer)
  buyer: OrderBuyer;

  /** Ordered lines, at least one. */
  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must contain at least 1 line' })
  @ValidateNested({ each: true })
  @Type(() => OrderLine)
  lines: OrderLine[];

  /** Fulfilment choice. */
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => OrderFulfilment)
  fulfilment: OrderFulfilment;

  /** Amount payable for the whole order. */
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => Money)
  total: Money;
}

/** order-created: keyed by order id. */
export const ORDER_CREATED = defineEvent<OrderCreatedEvent>({
  topic: 'order-created',
  type: 'com.omniretail.order.order-created.v1',
  version: 1,
  source: 'order',
  payload: OrderCreatedEvent,
  key: (payload) => payload.orderId,
  partitions: 6,
  summary: 'An order was accepted from a channel, with its buyer, lines at quoted prices, fulfilment and total.',
});
