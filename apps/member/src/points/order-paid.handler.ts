import { Injectable } from '@nestjs/common';
import { ORDER_PAID, OrderPaidEvent } from '@omni/contracts';
import { EventHandler, TransactionalEventContext } from '@omni/messaging';
import { PointsService } from './points.service';

/** order-paid → the buyer (a member) earns points, in the inbox transaction (once per event and per order). */
@Injectable()
export class OrderPaidHandler {
  constructor(private readonly points: PointsService) {}

  /** One paid order → one earn. */
  @EventHandler(ORDER_PAID)
  async onPaid(paid: OrderPaidEvent, ctx: TransactionalEventContext): Promise<void> {
    await this.points.earnForPaidOrder(ctx.manager, paid);
  }
}
