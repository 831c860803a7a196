import { IsIn } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { IsChannelCode, IsId, IsNonNegativeInt, IsQuantity, IsSkuCode } from '../core/validators';

/** Where returned goods went: back on sale, to the outlet channel, or written off. */
export const RETURN_DISPOSITIONS = ['restocked', 'outlet', 'written_off'] as const;
/** A return's disposition. */
export type ReturnDispositionOutcome = (typeof RETURN_DISPOSITIONS)[number];

/** A received return was disposed of; only 'restocked' puts the units back on sale at the return's location. */
export class OrderReturnDisposedEvent extends EventPayloadBase {
  /** Order id (the order saga's global transaction id). */
  @IsId()
  orderId: string;

  /** The return (one per receipt of units of one line); at most one disposition each. */
  @IsId()
  returnId: string;

  /** Order line the units belong to. */
  @IsNonNegativeInt()
  lineNo: number;

  /** SKU of that line. */
  @IsSkuCode()
  sku: string;

  /** Units returned. */
  @IsQuantity()
  quantity: number;

  /** Location where the units were received (and are restocked). */
  @IsId()
  locationId: string;

  /** Channel the order came from. */
  @IsChannelCode()
  channel: string;

  /** 'restocked', 'outlet' or 'written_off'. */
  @IsIn(RETURN_DISPOSITIONS, { message: `$property must be one of ${RETURN_DISPOSITIONS.join(', ')}` })
  disposition: ReturnDispositionOutcome;
}

/** order-return-disposed: keyed by order id. */
export const ORDER_RETURN_DISPOSED = defineEvent<OrderReturnDisposedEvent>({
  topic: 'order-return-disposed',
  type: 'com.omniretail.order.order-return-disposed.v1',
  version: 1,
  source: 'order',
  payload: OrderReturnDisposedEvent,
  key: (payload) => payload.orderId,
  partitions: 6,
  summary: 'A received return was disposed of: restocked (sellable again at the return location), sent to outlet, or written off.',
});
