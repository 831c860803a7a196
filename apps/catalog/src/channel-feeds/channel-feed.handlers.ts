import { Injectable } from '@nestjs/common';
import {
  FEED_CHANNELS,
  feedContractOf,
  movesAvailability,
  ORDER_CANCELLED,
  ORDER_CREATED,
  ORDER_PAID,
  ORDER_READY_FOR_PICKUP,
  ORDER_REFUND_REQUIRED,
  ORDER_RETURN_DISPOSED,
  ORDER_SHIPPED,
  PRICE_CHANGED,
  PRODUCT_CHANGED,
  STOCK_CHANGED,
  type EventContract,
  type OrderCancelledEvent,
  type OrderCreatedEvent,
  type OrderPaidEvent,
  type OrderReadyForPickupEvent,
  type OrderRefundRequiredEvent,
  type OrderReturnDisposedEvent,
  type OrderShippedEvent,
  type PriceChangedEvent,
  type ProductChangedEvent,
  type StockChangedEvent,
} from '@omni/contracts';
import { EventHandler, EventScreen, Outbox, type TransactionalEventContext } from '@omni/messaging';
import { splitOrderFact, splitPriceChanged, splitProductChanged, splitStockChanged, type ChannelCut } from './channel-feed.splitter';

/** The consumer group of the feed publisher: its own offsets and inbox, apart from the shelf-label handlers'. */
export const CHANNEL_FEED_GROUP = 'catalog-feeds';

/** Every feed handler only writes outbox rows: a run of a partition's events goes in one transaction. */
const FEED = { group: CHANNEL_FEED_GROUP, batched: true } as const;

/**
 * Cuts price-changed, stock-changed and product-changed into each channel's feed
 * (`feed.<channel>.<topic>`), and passes each order fact to its own channel's feed only. The feed events go through the outbox in the inbox transaction: a
 * redelivered event has no second effect, and the feed keeps the source's key (SKU or product),
 * so one key's events stay in order.
 */
@Injectable()
export class ChannelFeedHandlers {
  constructor(private readonly outbox: Outbox) {}

  /** A price: the channel's own to its feed, the base price to every feed. */
  @EventHandler(PRICE_CHANGED, FEED)
  onPriceChanged(event: PriceChangedEvent, ctx: TransactionalEventContext): Promise<void> {
    return this.publish(ctx, PRICE_CHANGED, splitPriceChanged(event, FEED_CHANNELS));
  }

  /** A stock change: each concerned channel gets its own ATP only; a shipped reservation, which moves no channel's offer, reaches no feed. */
  @EventHandler(STOCK_CHANGED, FEED)
  async onStockChanged(event: StockChangedEvent, ctx: TransactionalEventContext): Promise<void> {
    if (!movesAvailability(event)) return;
    return this.publish(ctx, STOCK_CHANGED, splitStockChanged(event, FEED_CHANNELS));
  }

  /** Passes a run's shipped reservations by before its transaction: they reach no feed, so they need no inbox row either. */
  @EventScreen(STOCK_CHANGED, { group: CHANNEL_FEED_GROUP })
  async passByStock(events: readonly StockChangedEvent[]): Promise<Array<[] | null>> {
    return events.map((event) => (movesAvailability(event) ? null : []));
  }

  /** A product change: each channel gets its own listing only. */
  @EventHandler(PRODUCT_CHANGED, FEED)
  onProductChanged(event: ProductChangedEvent, ctx: TransactionalEventContext): Promise<void> {
    return this.publish(ctx, PRODUCT_CHANGED, splitProductChanged(event, FEED_CHANNELS));
  }

  /** Order facts: each to its order's channel only. */
  @EventHandler(ORDER_CREATED, FEED)
  onOrderCreated(event: OrderCreatedEvent, ctx: TransactionalEventContext): Promise<void> {
    return this.publish(ctx, ORDER_CREATED, splitOrderFact(event, FEED_CHANNELS));
  }

  @EventHandler(ORDER_PAID, FEED)
  onOrderPaid(event: OrderPaidEvent, ctx: TransactionalEventContext): Promise<void> {
    return this.publish(ctx, ORDER_PAID, splitOrderFact(event, FEED_CHANNELS));
  }

  @EventHandler(ORDER_CANCELLED, FEED)
  onOrderCancelled(event: OrderCancelledEvent, ctx: TransactionalEventContext): Promise<void> {
    return this.publish(ctx, ORDER_CANCELLED, splitOrderFact(event, FEED_CHANNELS));
  }

  @EventHandler(ORDER_READY_FOR_PICKUP, FEED)
  onOrderReadyForPickup(event: OrderReadyForPickupEvent, ctx: TransactionalEventContext): Promise<void> {
    return this.publish(ctx, ORDER_READY_FOR_PICKUP, splitOrderFact(event, FEED_CHANNELS));
  }

  @EventHandler(ORDER_SHIPPED, FEED)
  onOrderShipped(event: OrderShippedEvent, ctx: TransactionalEventContext): Promise<void> {
    return this.publish(ctx, ORDER_SHIPPED, splitOrderFact(event, FEED_CHANNELS));
  }

  @EventHandler(ORDER_REFUND_REQUIRED, FEED)
  onOrderRefundRequired(event: OrderRefundRequiredEvent, ctx: TransactionalEventContext): Promise<void> {
    return this.publish(ctx, ORDER_REFUND_REQUIRED, splitOrderFact(event, FEED_CHANNELS));
  }

  @EventHandler(ORDER_RETURN_DISPOSED, FEED)
  onOrderReturnDisposed(event: OrderReturnDisposedEvent, ctx: TransactionalEventContext): Promise<void> {
    return this.publish(ctx, ORDER_RETURN_DISPOSED, splitOrderFact(event, FEED_CHANNELS));
  }

  private async publish<T extends object>(ctx: TransactionalEventContext, source: EventContract<T>, cuts: ChannelCut<T>[]): Promise<void> {
    for (const cut of cuts) {
      const feed = feedContractOf(cut.channel, source);
      if (feed) await this.outbox.add(ctx.manager, feed, cut.payload);
    }
  }
}
