import type { CatalogPage, CatalogQuery, ChannelProductView } from '@omni/catalog-cache';
import type { CatalogReader } from './catalog-reader.port';

/** What the reader needs from @omni/catalog-cache (CatalogCache, or a CatalogCacheStore in tests). */
export interface CatalogSource {
  getForChannel(productId: string, channel: string): ChannelProductView | undefined;
  list(query: CatalogQuery): CatalogPage;
}

/** Pages scanned at most when looking a SKU up by text (each up to 500 products). */
const MAX_SKU_SCAN_PAGES = 20;

/** The gateway's {@link CatalogReader} over the catalog cache lib. */
export class CatalogCacheReader implements CatalogReader {
  constructor(
    private readonly source: CatalogSource,
    private readonly ready: () => boolean,
  ) {}

  /** {@inheritDoc CatalogReader.isReady} */
  isReady(): boolean {
    return this.ready();
  }

  /** {@inheritDoc CatalogReader.getForChannel} */
  getForChannel(productId: string, channel: string): ChannelProductView | undefined {
    return this.source.getForChannel(productId, channel);
  }

  /** {@inheritDoc CatalogReader.list} */
  list(query: CatalogQuery): CatalogPage {
    return this.source.list(query);
  }

  /** The cache's text search matches SKU codes as substrings; keep the exact match. */
  findSku(channel: string, sku: string): ChannelProductView | undefined {
    let after: string | undefined;
    for (let page = 0; page < MAX_SKU_SCAN_PAGES; page++) {
      const result = this.source.list({ channel, text: sku, after, limit: 500 });
      const hit = result.items.find((view) => view.skus.some((s) => s.sku === sku));
      if (hit) return hit;
      if (result.nextAfter === null) return undefined;
      after = result.nextAfter;
    }
    return undefined;
  }
}
