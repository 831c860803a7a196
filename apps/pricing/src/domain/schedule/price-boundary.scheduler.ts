import { PricingDomainError } from '../pricing.error';
import { QuoteEngine } from '../quote/quote.engine';
import { compareIds } from '../rules/rule.compiler';

/** Where a price is shown: a channel, optionally one store of it (shelf labels, POS). */
export interface PricePoint {
  /** Channel code. */
  channel: string;
  /** Store code, for store-specific prices. */
  storeId?: string;
}

/** A SKU whose price is watched, with the categories that rule targets match on. */
export interface WatchedSku {
  /** SKU code. */
  sku: string;
  /** The SKU's categories. */
  categoryIds: string[];
}

/** An effective price change at an instant: what the service publishes as `price-changed`. */
export interface ScheduledPriceChange {
  /** When the new price starts (UTC ISO-8601): a rule or price-list window boundary. */
  effectiveFrom: string;
  /** SKU code. */
  sku: string;
  /** Channel code. */
  channel: string;
  /** Store code, when the point is a store. */
  storeId?: string;
  /** Price per unit just before the boundary, or null if unpriced. */
  previousPrice: number | null;
  /** Price per unit from the boundary on, or null if no longer priced. */
  price: number | null;
  /** Currency of both prices. */
  currency: string;
}

/** The question: which effective prices change within [from, to)? */
export interface BoundaryQuery {
  /** SKUs to watch. */
  skus: readonly WatchedSku[];
  /** Channels (and stores) to watch. */
  points: readonly PricePoint[];
  /** Inclusive start. */
  from: Date;
  /** Exclusive end. */
  to: Date;
}

/**
 * Lists every instant in [from, to) where some SKU × point effective price (see
 * QuoteEngine.effectiveUnitPrice) changes, with the price before and after. Prices only change at
 * window boundaries of rules and channel price entries, so comparing each boundary instant with
 * the millisecond before it is exact. Sorted by instant, SKU, channel, store.
 */
export function listPriceChanges(engine: QuoteEngine, query: BoundaryQuery): ScheduledPriceChange[] {
  const from = query.from.getTime();
  const to = query.to.getTime();
  if (!(from < to)) throw new PricingDomainError('INVALID_TIME_RANGE', `from must be before to`);
  const changes: ScheduledPriceChange[] = [];
  for (const instant of engine.windowEdges().filter((edge) => edge >= from && edge < to)) {
    const before = new Date(instant - 1);
    const at = new Date(instant);
    for (const point of query.points) {
      for (const watched of query.skus) {
        const storeId = point.storeId ?? null;
        const previousPrice = engine.effectiveUnitPrice(watched.sku, watched.categoryIds, point.channel, storeId, before) ?? null;
        const price = engine.effectiveUnitPrice(watched.sku, watched.categoryIds, point.channel, storeId, at) ?? null;
        if (previousPrice === price) continue;
        changes.push({
          effectiveFrom: at.toISOString(),
          sku: watched.sku,
          channel: point.channel,
          ...(point.storeId !== undefined ? { storeId: point.storeId } : {}),
          previousPrice,
          price,
          currency: engine.currency,
        });
      }
    }
  }
  return changes.sort(
    (a, b) =>
      compareIds(a.effectiveFrom, b.effectiveFrom) ||
      compareIds(a.sku, b.sku) ||
      compareIds(a.channel, b.channel) ||
      compareIds(a.storeId ?? '', b.storeId ?? ''),
  );
}

/** The question on write: which effective prices differ between two snapshots of pricing data at `at`? */
export interface SnapshotDiffQuery {
  /** SKUs to compare. */
  skus: readonly WatchedSku[];
  /** Channels (and stores) to compare. */
  points: readonly PricePoint[];
  /** The instant the new data takes effect. */
  at: Date;
}

/**
 * The effective price changes a write causes (a price-list entry or rule added, changed or
 * removed): each SKU × point whose effective unit price at `at` differs between the engine built
 * before and the one built after. Future boundaries of the new data are listPriceChanges' job.
 */
export function diffEffectivePrices(before: QuoteEngine, after: QuoteEngine, query: SnapshotDiffQuery): ScheduledPriceChange[] {
  if (before.currency !== after.currency) {
    throw new PricingDomainError('CURRENCY_MISMATCH', `${before.currency} vs ${after.currency}`);
  }
  const changes: ScheduledPriceChange[] = [];
  for (const watched of [...query.skus].sort((a, b) => compareIds(a.sku, b.sku))) {
    for (const point of [...query.points].sort((a, b) => compareIds(a.channel, b.channel) || compareIds(a.storeId ?? '', b.storeId ?? ''))) {
      const storeId = point.storeId ?? null;
      const previousPrice = before.effectiveUnitPrice(watched.sku, watched.categoryIds, point.channel, storeId, query.at) ?? null;
      const price = after.effectiveUnitPrice(watched.sku, watched.categoryIds, point.channel, storeId, query.at) ?? null;
      if (previousPrice === price) continue;
      changes.push({
        effectiveFrom: query.at.toISOString(),
        sku: watched.sku,
        channel: point.channel,
        ...(point.storeId !== undefined ? { storeId: point.storeId } : {}),
        previousPrice,
        price,
        currency: after.currency,
      });
    }
  }
  return changes;
}
