import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { defineEvent } from '../core/event-contract';
import { EventPayloadBase } from '../core/event-payload.base';
import { Money } from '../core/money.value';
import { IsChannelCode, IsId, IsText } from '../core/validators';

/** Why money goes back to the buyer. */
export const REFUND_REASONS = ['paid-after-cancel', 'return'] as const;
/** Refund reason. */
export type RefundReason = (typeof REFUND_REASONS)[number];

/** Money must go back to the buyer: a payment that came after the order was cancelled, or a returned line. */
export class OrderRefundRequiredEvent extends EventPayloadBase {
  /** Order id. */
  @IsId()
  orderId: string;

  /** Channel the order came from. */
  @IsChannelCode()
  channel: string;

  /** 'paid-after-cancel' (the whole payment) or 'return' (one returned line). */
  @IsIn(REFUND_REASONS, { message: `$property must be one of ${REFUND_REASONS.join(', ')}` })
  reason: RefundReason;

  /** What the buyer gets back in all: the payment provider's part (`paymentAmount`) and the gift card's. */
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => Money)
  amount: Money;

  /**
   * The part the payment provider refunds against `paymentRef`. The rest of `amount` is the order's
   * gift-card share (giftCardRefundShare), which member puts back on the card. Absent in events
   * written before this field, where an order without a gift card refunds `amount` in full.
   */
  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => Money)
  paymentAmount?: Money;

  /** The provider's payment reference to refund against. */
  @IsText(128)
  paymentRef: string;

  /** The return this refund is for (reason 'return'). */
  @IsOptional()
  @IsId()
  returnId?: string;
}

/** order-refund-required: keyed by order id. */
export const ORDER_REFUND_REQUIRED = defineEvent<OrderRefundRequiredEvent>({
  topic: 'order-refund-required',
  type: 'com.omniretail.order.order-refund-required.v1',
  version: 1,
  source: 'order',
  payload: OrderRefundRequiredEvent,
  key: (payload) => payload.orderId,
  partitions: 6,
  summary: 'Money must go back to the buyer: a payment after the order was cancelled, or a returned line (with its share of discounts).',
});
