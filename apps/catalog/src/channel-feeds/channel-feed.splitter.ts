import type { PriceChangedEvent, ProductChangedEvent, StockChangedEvent } from '@omni/contracts';

/** One channel's cut of an internal event. */
export interface ChannelCut<T> {
  channel: string;
  payload: T;
}

/**
 * A price change for the feeds of `channels`: a channel's own price goes to that channel alone; a
 * base price (no channel) goes to every feed, since it is every channel's price until it has its own.
 */
export function splitPriceChanged(event: PriceChangedEvent, channels: readonly string[]): ChannelCut<PriceChangedEvent>[] {
  const channel = event.channel ?? null;
  if (channel === null) return channels.map((feed) => ({ channel: feed, payload: { ...event } }));
  return channels.includes(channel) ? [{ channel, payload: { ...event } }] : [];
}

/**
 * A stock change for the feeds of `channels`: each channel the change concerns gets it with its own
 * ATP only; a channel whose ATP is not in the event gets nothing (its figure did not change).
 */
export function splitStockChanged(event: StockChangedEvent, channels: readonly string[]): ChannelCut<StockChangedEvent>[] {
  return channels.flatMap((channel) => {
    const own = event.atp.filter((entry) => entry.channel === channel);
    return own.length === 0 ? [] : [{ channel, payload: { ...event, atp: own.map((entry) => ({ ...entry })) } }];
  });
}

/**
 * A product change for the feeds of `channels`: every channel gets it (a listing may have just been
 * removed), with its own listing only; a deletion goes to every channel as it is.
 */
export function splitProductChanged(event: ProductChangedEvent, channels: readonly string[]): ChannelCut<ProductChangedEvent>[] {
  return channels.map((channel) => {
    if (!event.product) return { channel, payload: { ...event } };
    const listings = event.product.channels.filter((listing) => listing.channel === channel);
    return { channel, payload: { ...event, product: { ...event.product, channels: listings } } };
  });
}

/** An order fact for the feeds of `channels`: the order's own channel gets it as it is; no other channel does. */
export function splitOrderFact<T extends { channel: string }>(event: T, channels: readonly string[]): ChannelCut<T>[] {
  return channels.includes(event.channel) ? [{ channel: event.channel, payload: { ...event } }] : [];
}
