import { IsIn } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId } from '../core/validators';

/**
 * Why an order was cancelled: the buyer asked; it was reserved and not paid in its payment window
 * ('payment-timeout'); a participant refused it ('rejected'); its reservation was never decided in
 * time, e.g. the broker was down ('not-decided'); an operator cancelled it; or the channel it came
 * from (a delivery platform or marketplace) cancelled it ('channel').
 */
export const ORDER_CANCEL_REASONS = ['buyer', 'payment-timeout', 'rejected', 'not-decided', 'operator', 'channel'] as const;
/** Reason for a cancellation. */
export type OrderCancelReason = (typeof ORDER_CANCEL_REASONS)[number];

/** An order was cancelled; its saga cancels every branch. */
export class OrderCancelledEvent extends EventPayloadBase {
  /** Order id. */
  @IsId()
  orderId: string;

  /** Channel the order came from. */
  @IsChannelCode()
  channel: string;

  /** 'buyer', 'payment-timeout', 'rejected', 'not-decided', 'operator' or 'channel'. */
  @IsIn(ORDER_CANCEL_REASONS, { message: `$property must be one of ${ORDER_CANCEL_REASONS.join(', ')}` })
  reason: OrderCancelReason;
}

/** order-cancelled: keyed by order id. */
export const ORDER_CANCELLED = defineEvent<OrderCancelledEvent>({
  topic: 'order-cancelled',
  type: 'com.omniretail.order.order-cancelled.v1',
  version: 1,
  source: 'order',
  payload: OrderCancelledEvent,
  key: (payload) => payload.orderId,
  partitions: 6,
  summary: 'An order was cancelled (by the buyer, payment timeout, rejection, no decision in time, an operator or its channel).',
});
