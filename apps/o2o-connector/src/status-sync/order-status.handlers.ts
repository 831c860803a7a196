import { Injectable } from '@nestjs/common';
import {
  ORDER_CANCELLED,
  ORDER_READY_FOR_PICKUP,
  ORDER_REFUND_REQUIRED,
  ORDER_SHIPPED,
  type OrderCancelledEvent,
  type OrderReadyForPickupEvent,
  type OrderRefundRequiredEvent,
  type OrderShippedEvent,
} from '@omni/contracts';
import { EventHandler, type TransactionalEventContext } from '@omni/messaging';
import { StatusSyncService } from './status-sync.service';

/** Our order events → the status the platform should show (recorded in the inbox transaction, sent by StatusSyncService). */
@Injectable()
export class OrderStatusHandlers {
  constructor(private readonly sync: StatusSyncService) {}

  /** Ready for the courier. */
  @EventHandler(ORDER_READY_FOR_PICKUP)
  async onReady(event: OrderReadyForPickupEvent, ctx: TransactionalEventContext): Promise<void> {
    await this.sync.want(ctx.manager, event.orderId, 'ready');
  }

  /** The courier picked it up. */
  @EventHandler(ORDER_SHIPPED)
  async onShipped(event: OrderShippedEvent, ctx: TransactionalEventContext): Promise<void> {
    await this.sync.want(ctx.manager, event.orderId, 'picked-up');
  }

  /** Cancelled on our side (one the platform cancelled itself needs no word back). */
  @EventHandler(ORDER_CANCELLED)
  async onCancelled(event: OrderCancelledEvent, ctx: TransactionalEventContext): Promise<void> {
    if (event.reason === 'channel') return;
    await this.sync.want(ctx.manager, event.orderId, 'cancelled');
  }

  /** Money goes back to the buyer. */
  @EventHandler(ORDER_REFUND_REQUIRED)
  async onRefund(event: OrderRefundRequiredEvent, ctx: TransactionalEventContext): Promise<void> {
    await this.sync.want(ctx.manager, event.orderId, 'refunded');
  }
}
