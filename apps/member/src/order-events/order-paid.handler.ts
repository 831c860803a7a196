import { Injectable } from '@nestjs/common';
import { ORDER_PAID, OrderPaidEvent } from '@omni/contracts';
import { EventHandler, EventScreen, TransactionalEventContext } from '@omni/messaging';
import { OrderRefundService } from './order-refund.service';

/** order-paid → the buyer (a member) earns points, in the inbox transaction (once per event and per order); refunds that arrived first settle then. */
@Injectable()
export class OrderPaidHandler {
  constructor(private readonly orders: OrderRefundService) {}

  /**
   * One paid order → one earn. A run of one event per transaction, as if alone (an earn locks its
   * member, and a longer run would lock several in event order); batched only so the screen below
   * applies.
   */
  @EventHandler(ORDER_PAID, { batched: { maxSize: 1 } })
  async onPaid(paid: OrderPaidEvent, ctx: TransactionalEventContext): Promise<void> {
    await this.orders.earnForPaidOrder(ctx.manager, paid);
  }

  /** An anonymous buyer's order earns nothing and has no refund to settle: passed by before any transaction. */
  @EventScreen(ORDER_PAID)
  async passByAnonymous(paid: readonly OrderPaidEvent[]): Promise<Array<[] | null>> {
    return paid.map((event) => (event.memberId ? null : []));
  }
}
