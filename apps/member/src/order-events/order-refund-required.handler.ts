import { Injectable } from '@nestjs/common';
import { ORDER_REFUND_REQUIRED, OrderRefundRequiredEvent } from '@omni/contracts';
import { EventHandler, TransactionalEventContext } from '@omni/messaging';
import { OrderRefundService } from './order-refund.service';

/** order-refund-required → the order's points are reversed and its gift-card part refunded, in proportion, in the inbox transaction. */
@Injectable()
export class OrderRefundRequiredHandler {
  constructor(private readonly orders: OrderRefundService) {}

  /** One refund → recorded once, then the order settled. */
  @EventHandler(ORDER_REFUND_REQUIRED)
  async onRefund(refund: OrderRefundRequiredEvent, ctx: TransactionalEventContext): Promise<void> {
    await this.orders.recordRefundIn(ctx.manager, refund);
  }
}
