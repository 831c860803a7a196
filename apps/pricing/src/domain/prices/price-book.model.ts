import { assertMinorUnits } from '../money/money.value';
import { PricingDomainError } from '../pricing.error';

/** The base price of a SKU: what every channel pays unless something overrides it. */
export interface BasePriceEntry {
  /** SKU code. */
  sku: string;
  /** Price per unit in minor units. */
  amount: number;
}

/** A channel price-list entry: overrides the base price for one channel, optionally within [from, to). */
export interface ChannelPriceEntry {
  /** SKU code. */
  sku: string;
  /** Channel the price belongs to; no other channel ever sees it. */
  channel: string;
  /** Price per unit in minor units. */
  amount: number;
  /** Inclusive start (UTC ISO-8601); absent means since ever. */
  effectiveFrom?: string;
  /** Exclusive end (UTC ISO-8601); absent means open-ended. */
  effectiveTo?: string;
}

/** Price data for one currency: base prices and channel price lists. */
export interface PriceBook {
  /** Currency of every amount in the book (and of every quote priced from it). */
  currency: string;
  /** One base price per SKU. */
  basePrices: BasePriceEntry[];
  /** Channel overrides. */
  channelPrices: ChannelPriceEntry[];
}

/** A channel entry with parsed instants. */
export interface CompiledChannelPrice {
  /** Price per unit in minor units. */
  amount: number;
  /** Inclusive start, epoch ms (−∞ when open). */
  from: number;
  /** Exclusive end, epoch ms (+∞ when open). */
  to: number;
}

/** A price book indexed for lookups. */
export interface CompiledPriceBook {
  /** Currency of the book. */
  currency: string;
  /** Base price per SKU. */
  base: ReadonlyMap<string, number>;
  /** Channel entries per channel then SKU, newest start first. */
  channel: ReadonlyMap<string, ReadonlyMap<string, readonly CompiledChannelPrice[]>>;
}

/** Parses an optional ISO instant to epoch ms, `fallback` when absent. */
export function parseInstant(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new PricingDomainError('INVALID_DEFINITION', `${what} is not an instant: "${value}"`);
  return ms;
}

/** Indexes a price book; rejects duplicate base prices and amounts that are not minor units. */
export function compilePriceBook(book: PriceBook): CompiledPriceBook {
  const base = new Map<string, number>();
  for (const entry of book.basePrices) {
    assertMinorUnits(entry.amount, `base price of ${entry.sku}`);
    if (entry.amount < 0) throw new PricingDomainError('INVALID_AMOUNT', `base price of ${entry.sku} is negative`);
    if (base.has(entry.sku)) throw new PricingDomainError('INVALID_DEFINITION', `two base prices for ${entry.sku}`);
    base.set(entry.sku, entry.amount);
  }
  const channel = new Map<string, Map<string, CompiledChannelPrice[]>>();
  for (const entry of book.channelPrices) {
    assertMinorUnits(entry.amount, `${entry.channel} price of ${entry.sku}`);
    if (entry.amount < 0) throw new PricingDomainError('INVALID_AMOUNT', `${entry.channel} price of ${entry.sku} is negative`);
    const compiled = {
      amount: entry.amount,
      from: parseInstant(entry.effectiveFrom, -Infinity, 'effectiveFrom'),
      to: parseInstant(entry.effectiveTo, Infinity, 'effectiveTo'),
    };
    const bySku = channel.get(entry.channel) ?? new Map<string, CompiledChannelPrice[]>();
    channel.set(entry.channel, bySku);
    bySku.set(entry.sku, [...(bySku.get(entry.sku) ?? []), compiled]);
  }
  // The newest start wins among overlapping entries; equal starts fall back to the lower price.
  for (const bySku of channel.values()) {
    for (const entries of bySku.values()) entries.sort((a, b) => b.from - a.from || a.amount - b.amount);
  }
  return { currency: book.currency, base, channel };
}
