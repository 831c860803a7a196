import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId, IsText, IsUtcTimestamp } from '../core/validators';

/** A shipping or delivery order left its location: handed to the carrier, or picked up by the platform's courier. */
export class OrderShippedEvent extends EventPayloadBase {
  /** Order id. */
  @IsId()
  orderId: string;

  /** Channel the order came from. */
  @IsChannelCode()
  channel: string;

  /** Carrier (or the delivery platform's courier service). */
  @IsText(64)
  carrier: string;

  /** The carrier's tracking number. */
  @IsText(64)
  trackingNumber: string;

  /** When the goods left. */
  @IsUtcTimestamp()
  shippedAt: string;
}

/** order-shipped: keyed by order id. */
export const ORDER_SHIPPED = defineEvent<OrderShippedEvent>({
  topic: 'order-shipped',
  type: 'com.omniretail.order.order-shipped.v1',
  version: 1,
  source: 'order',
  payload: OrderShippedEvent,
  key: (payload) => payload.orderId,
  partitions: 6,
  summary: 'A shipping or delivery order left its location (carrier hand-over, or the delivery courier picked it up).',
});
