import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId, IsText, IsUtcTimestamp } from '../core/validators';

/** A pickup order is packed and waiting at its store; the buyer shows the pickup code there. */
export class OrderReadyForPickupEvent extends EventPayloadBase {
  /** Order id. */
  @IsId()
  orderId: string;

  /** Channel the order came from. */
  @IsChannelCode()
  channel: string;

  /** Store where the goods wait. */
  @IsId()
  locationId: string;

  /** Code the buyer gives at the counter (sent to the buyer by the channel). */
  @IsText(16)
  pickupCode: string;

  /** When the goods became ready. */
  @IsUtcTimestamp()
  readyAt: string;
}

/** order-ready-for-pickup: keyed by order id. */
export const ORDER_READY_FOR_PICKUP = defineEvent<OrderReadyForPickupEvent>({
  topic: 'order-ready-for-pickup',
  type: 'com.omniretail.order.order-ready-for-pickup.v1',
  version: 1,
  source: 'order',
  payload: OrderReadyForPickupEvent,
  key: (payload) => payload.orderId,
  partitions: 6,
  summary: 'A pickup (BOPIS) order is ready at its store, with the code the buyer shows at the counter.',
});
