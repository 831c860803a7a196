import type { ChannelProductView as CachedChannelView } from '@omni/catalog-cache';
import type { ChannelProductView, SkuPriceView, StockHintView } from './product.view';

/** Warning codes a view may carry when a part could not be composed. */
export const VIEW_WARNINGS = {
  priceUnavailable: 'PRICE_UNAVAILABLE',
  stockUnavailable: 'STOCK_UNAVAILABLE',
  stockNeedsStore: 'STOCK_HINT_NEEDS_STORE_KEY',
} as const;

/** Prices and hints fetched for the channel, per SKU; a missing SKU means "not available". */
export interface ChannelFigures {
  prices: ReadonlyMap<string, SkuPriceView>;
  hints: ReadonlyMap<string, StockHintView>;
  /** Warnings raised while fetching (upstream down, store hint without a store key). */
  warnings: readonly string[];
}

/**
 * The product as its channel shows it, with the channel's figures. Pure: the catalog view is
 * already the channel's and prices and hints were fetched for that channel only, so nothing of
 * another channel can appear here.
 */
export function composeProductView(view: CachedChannelView, figures: ChannelFigures): ChannelProductView {
  const warnings = new Set(figures.warnings);
  const skus = view.skus.map(({ sku, attributes }) => {
    const price = figures.prices.get(sku) ?? null;
    const stock = figures.hints.get(sku) ?? null;
    if (!price) warnings.add(VIEW_WARNINGS.priceUnavailable);
    if (!stock && !warnings.has(VIEW_WARNINGS.stockNeedsStore)) warnings.add(VIEW_WARNINGS.stockUnavailable);
    return { sku, attributes: { ...attributes }, price, stock };
  });
  return {
    id: view.productId,
    version: view.version,
    channel: view.channel,
    title: view.title,
    description: view.description,
    brand: view.brand,
    categoryIds: [...view.categoryIds],
    tags: [...view.tags],
    media: view.media.map(({ kind, url, position }) => ({ kind, url, position })),
    badges: [...(view.display?.badges ?? [])],
    skus,
    warnings: [...warnings].sort(),
  };
}
