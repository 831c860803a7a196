import { PRODUCT_CHANGED } from '../catalog/product-changed.event';
import type { EventContract } from '../core/event-contract';
import { CHANNEL_PATTERN } from '../core/validators';
import { STOCK_CHANGED } from '../inventory/stock-changed.event';
import { ORDER_CANCELLED } from '../order/order-cancelled.event';
import { ORDER_CREATED } from '../order/order-created.event';
import { ORDER_PAID } from '../order/order-paid.event';
import { ORDER_READY_FOR_PICKUP } from '../order/order-ready-for-pickup.event';
import { ORDER_REFUND_REQUIRED } from '../order/order-refund-required.event';
import { ORDER_RETURN_DISPOSED } from '../order/order-return-disposed.event';
import { ORDER_SHIPPED } from '../order/order-shipped.event';
import { PRICE_CHANGED } from '../pricing/price-changed.event';

/**
 * Channel-scoped feeds: what a channel integration reads instead of the internal topics, which
 * carry every channel's prices, quotas and listings. Each feed event is its internal event cut
 * down to one channel (same payload class, same key, so one SKU's or product's order holds):
 *
 * - `feed.<channel>.price-changed`: the channel's own prices and the base price (which applies to
 *   every channel without one), never another channel's override;
 * - `feed.<channel>.stock-changed`: the change with only the channel's ATP (published only when the
 *   change concerns the channel and may move its offer: see movesAvailability);
 * - `feed.<channel>.product-changed`: the product with only the channel's listing;
 * - `feed.<channel>.order-*` (created, paid, cancelled, ready-for-pickup, shipped, refund-required,
 *   return-disposed): the channel's own orders, as they are (an order belongs to one channel).
 *
 * The catalog service publishes them (it already consumes prices and stock for shelf labels).
 */
export const CHANNEL_FEED_PREFIX = 'feed.';

/** The channels whose integrations read Kafka (the marketplace, the delivery platform, the stores' systems); a new one is added here, and its topics and user follow. */
export const FEED_CHANNELS = ['tmall', 'eleme', 'pos'] as const;

/** The order facts a channel's feed carries for the channel's own orders. */
export const ORDER_FEED_SOURCES: readonly EventContract[] = [
  ORDER_CREATED,
  ORDER_PAID,
  ORDER_CANCELLED,
  ORDER_READY_FOR_PICKUP,
  ORDER_SHIPPED,
  ORDER_REFUND_REQUIRED,
  ORDER_RETURN_DISPOSED,
] as EventContract[];

/** The internal facts a feed is cut from. */
export const FEED_SOURCES: readonly EventContract[] = [PRICE_CHANGED, STOCK_CHANGED, PRODUCT_CHANGED, ...ORDER_FEED_SOURCES] as EventContract[];

/** The feed topic of `channel` for an internal topic, e.g. `feed.tmall.price-changed`. */
export function channelFeedTopic(channel: string, topic: string): string {
  return `${CHANNEL_FEED_PREFIX}${channel}.${topic}`;
}

/** The contract of `channel`'s feed of `source`: the source's payload and key, published by catalog. */
export function channelFeedContract<T extends object>(channel: string, source: EventContract<T>): EventContract<T> {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`feed channel '${channel}' must be a channel code`);
  const topic = channelFeedTopic(channel, source.topic);
  return Object.freeze({
    topic,
    type: `com.omniretail.catalog.${topic}.v${source.version}`,
    version: source.version,
    source: 'catalog',
    payload: source.payload,
    key: source.key,
    partitions: source.partitions,
    summary: `${source.summary} Cut down to channel ${channel} only.`,
  });
}

/** Every channel feed: FEED_CHANNELS × FEED_SOURCES. */
export const CHANNEL_FEED_CONTRACTS: readonly EventContract[] = Object.freeze(
  FEED_CHANNELS.flatMap((channel) => FEED_SOURCES.map((source) => channelFeedContract(channel, source))),
);

/** The feed contract of `channel` for an internal contract, or undefined when the channel has no feed. */
export function feedContractOf<T extends object>(channel: string, source: EventContract<T>): EventContract<T> | undefined {
  const topic = channelFeedTopic(channel, source.topic);
  return CHANNEL_FEED_CONTRACTS.find((contract) => contract.topic === topic) as EventContract<T> | undefined;
}

/** The internal topic a feed topic is cut from (`feed.tmall.price-changed` → `price-changed`), or undefined. */
export function feedSourceTopic(topic: string): string | undefined {
  const match = /^feed\.[a-z0-9-]{1,32}\.([a-z][a-z0-9-]*)$/.exec(topic);
  return match?.[1];
}
