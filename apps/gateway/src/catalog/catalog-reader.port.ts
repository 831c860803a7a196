import type { CatalogPage, CatalogQuery, ChannelProductView } from '@omni/catalog-cache';

/**
 * The gateway's local, event-fed copy of the catalog (full reload at start, then product-changed
 * deltas). Every read names the channel and answers only what that channel shows; reads are in
 * memory, so product views never call the catalog service synchronously.
 */
export interface CatalogReader {
  /** False until the first full load finished; product routes answer 503 meanwhile. */
  isReady(): boolean;
  /** The product as `channel` shows it, or undefined when unknown or not shown there. */
  getForChannel(productId: string, channel: string): ChannelProductView | undefined;
  /** Products `channel` shows, filtered, paged by product id. */
  list(query: CatalogQuery): CatalogPage;
  /** The product `channel` shows that has this SKU, if any. */
  findSku(channel: string, sku: string): ChannelProductView | undefined;
}

/** Injection token of the {@link CatalogReader}. */
export const CATALOG_READER = Symbol('CATALOG_READER');
