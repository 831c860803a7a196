import { PRODUCT_CHANGED, validatePayload, type ProductSnapshot } from '@omni/contracts';
import type { ProductState } from './catalog-cache.store';

/** One page of catalog's GET /internal/products/export. */
interface ExportPage {
  items: { productId: string; version: number; product: unknown }[];
  nextAfter: string | null;
  highWaterMark: number;
}

/** What a full export read. */
export interface ExportResult {
  products: number;
  pages: number;
  /** The high-water mark of the first page: every write up to it is in the export. */
  highWaterMark: number;
}

/** Settings of the export client. */
export interface CatalogExportClientOptions {
  /** Catalog's base URL, e.g. http://catalog:3001. */
  baseUrl: string;
  /** Products per page (default 500). */
  pageSize?: number;
  /** Time limit of one page request in ms (default 10000). */
  requestTimeoutMs?: number;
  /** Headers each page request carries (the host's service credential for catalog), asked for per request. */
  headers?: () => Record<string, string>;
}

/** Reads catalog's full export page by page and hands each product to `sink`. */
export class CatalogExportClient {
  constructor(private readonly options: CatalogExportClientOptions) {}

  /** Reads every page; throws on an HTTP error, a timeout or an item that is not a valid snapshot. */
  async readAll(sink: (state: ProductState) => void): Promise<ExportResult> {
    let after: string | null = null;
    let pages = 0;
    let products = 0;
    let highWaterMark = -1;
    do {
      const page = await this.page(after);
      if (highWaterMark < 0) highWaterMark = page.highWaterMark;
      pages += 1;
      for (const item of page.items) {
        sink({ productId: item.productId, version: item.version, op: 'upserted', product: checkedSnapshot(item) });
        products += 1;
      }
      after = page.nextAfter;
    } while (after !== null);
    return { products, pages, highWaterMark: Math.max(0, highWaterMark) };
  }

  private async page(after: string | null): Promise<ExportPage> {
    const url = new URL('/internal/products/export', this.options.baseUrl);
    url.searchParams.set('limit', String(this.options.pageSize ?? 500));
    if (after !== null) url.searchParams.set('after', after);
    const response = await fetch(url, { headers: this.options.headers?.() ?? {}, signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000) });
    if (!response.ok) throw new Error(`catalog export answered ${response.status} for ${url.pathname}${url.search}`);
    return (await response.json()) as ExportPage;
  }
}

/** Validates an exported item with the product-changed rules, so the export and deltas are held to one standard. */
function checkedSnapshot(item: { productId: string; version: number; product: unknown }): ProductSnapshot {
  const checked = validatePayload(PRODUCT_CHANGED, {
    schemaVersion: PRODUCT_CHANGED.version,
    occurredAt: new Date().toISOString(),
    productId: item.productId,
    version: item.version,
    op: 'upserted',
    product: item.product,
  });
  if (!checked.ok) throw new Error(`catalog export item ${item.productId} is invalid: ${checked.errors.join('; ')}`);
  return checked.value.product!;
}
