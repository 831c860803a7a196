import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { Money } from '../core/money.value';
import { IsChannelCode, IsId, IsText, IsUtcTimestamp } from '../core/validators';

/** An order's payment was captured. */
export class OrderPaidEvent extends EventPayloadBase {
  /** Order id. */
  @IsId()
  orderId: string;

  /** Channel the order came from. */
  @IsChannelCode()
  channel: string;

  /** Amount captured. */
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => Money)
  amount: Money;

  /** Payment provider's reference, for reconciliation. */
  @IsText(128)
  paymentRef: string;

  /** When the provider confirmed the payment. */
  @IsUtcTimestamp()
  paidAt: string;

  /** The buyer, when a member (member earns points on the amount captured); absent for an anonymous buyer. */
  @IsOptional()
  @IsId()
  memberId?: string;
}

/** order-paid: keyed by order id. */
export const ORDER_PAID = defineEvent<OrderPaidEvent>({
  topic: 'order-paid',
  type: 'com.omniretail.order.order-paid.v1',
  version: 1,
  source: 'order',
  payload: OrderPaidEvent,
  key: (payload) => payload.orderId,
  partitions: 6,
  summary: "An order's payment was captured; the saga confirms its branches next.",
});
