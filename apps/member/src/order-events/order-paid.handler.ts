import { Injectable } from '@nestjs/common';
import { ORDER_PAID, OrderPaidEvent } from '@omni/contracts';
import { EventHandler, TransactionalEventContext } from '@omni/messaging';
import { OrderRefundService } from './order-refund.service';

/** order-paid → the buyer (a member) earns points, in the inbox transaction (once per event and per order); refunds that arrived first settle then. */
@Injectable()
export class OrderPaidHandler {
  constructor(private readonly orders: OrderRefundService) {}

  /** One paid order → one earn. */
  @EventHandler(ORDER_PAID)
  async onPaid(paid: OrderPaidEvent, ctx: TransactionalEventContext): Promise<void> {
    await this.orders.earnForPaidOrder(ctx.manager, paid);
  }
}
