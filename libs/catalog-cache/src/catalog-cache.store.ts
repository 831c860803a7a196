import type { ProductSnapshot } from '@omni/contracts';
import { toChannelView, type CachedProduct, type ChannelProductView } from './channel-view';

/** One product state to merge: from the full export or from a product-changed delta. */
export type ProductState =
  | { productId: string; version: number; op: 'upserted'; product: ProductSnapshot }
  | { productId: string; version: number; op: 'deleted' };

/** What merging a state did. */
export type MergeOutcome = 'applied' | 'stale';

/** A listing query for one channel; filters combine with AND. */
export interface CatalogQuery {
  channel: string;
  /** Products in this category or any category below it. */
  categoryId?: string;
  /** Products carrying this tag. */
  tag?: string;
  /** Case-insensitive substring of the channel title, a tag, the brand or a SKU code. */
  text?: string;
  /** Products with ids after this one (the previous page's nextAfter). */
  after?: string;
  /** Page size (default 50, at most 500). */
  limit?: number;
}

/** One page of a listing query, ordered by product id. */
export interface CatalogPage {
  items: ChannelProductView[];
  nextAfter: string | null;
}

/** Largest page a query returns. */
export const MAX_PAGE_SIZE = 500;

/**
 * The in-memory catalog of a consumer: products by id with category (subtree) and tag indexes.
 * Every state, whether from the full export or a delta, goes through `merge`, which keeps the
 * highest version per product and remembers deletions as tombstones. That makes the result
 * independent of arrival order: a reload racing with deltas, a duplicate, or an old delta
 * redelivered cannot move a product backwards or bring a deleted one back.
 */
export class CatalogCacheStore {
  private readonly products = new Map<string, CachedProduct>();
  /** Highest version seen per product, including deleted ones. */
  private readonly versions = new Map<string, number>();
  private readonly byCategory = new Map<string, Set<string>>();
  private readonly byTag = new Map<string, Set<string>>();
  /** SKU code to product id (SKU codes are unique across the catalog). */
  private readonly bySku = new Map<string, string>();
  private sortedIds: string[] | null = [];

  /** Number of live products. */
  get size(): number {
    return this.products.size;
  }

  /** Highest version seen for a product (0 when never seen). */
  versionOf(productId: string): number {
    return this.versions.get(productId) ?? 0;
  }

  /** Merges one state; a version not above the one held is stale and changes nothing. */
  merge(state: ProductState): MergeOutcome {
    if (state.version <= this.versionOf(state.productId)) return 'stale';
    this.versions.set(state.productId, state.version);
    this.unindex(state.productId);
    if (state.op === 'deleted') {
      this.products.delete(state.productId);
    } else {
      const cached: CachedProduct = { productId: state.productId, version: state.version, product: state.product };
      this.products.set(state.productId, cached);
      this.index(cached);
    }
    this.sortedIds = null;
    return 'applied';
  }

  /** A product as catalog published it, whatever the channel. */
  get(productId: string): CachedProduct | undefined {
    return this.products.get(productId);
  }

  /** A product as `channel` shows it; undefined when unknown or not visible there. */
  getForChannel(productId: string, channel: string): ChannelProductView | undefined {
    const cached = this.products.get(productId);
    return cached ? toChannelView(cached, channel) : undefined;
  }

  /** The product that has SKU `sku`, whatever the channel. */
  getBySku(sku: string): CachedProduct | undefined {
    const id = this.bySku.get(sku);
    return id === undefined ? undefined : this.products.get(id);
  }

  /** The product with SKU `sku` as `channel` shows it; undefined when unknown or not visible there. */
  getForChannelBySku(sku: string, channel: string): ChannelProductView | undefined {
    const cached = this.getBySku(sku);
    return cached ? toChannelView(cached, channel) : undefined;
  }

  /** Products visible in the query's channel matching its filters, by product id. */
  list(query: CatalogQuery): CatalogPage {
    const limit = Math.min(Math.max(1, Math.floor(query.limit ?? 50)), MAX_PAGE_SIZE);
    const text = query.text?.trim().toLowerCase();
    let candidates: readonly string[] = this.ids();
    for (const [index, key] of [[this.byCategory, query.categoryId], [this.byTag, query.tag]] as const) {
      if (key === undefined) continue;
      const hits = index.get(key);
      if (!hits) return { items: [], nextAfter: null };
      candidates = [...hits].sort();
    }
    const items: ChannelProductView[] = [];
    let more = false;
    for (let i = query.after === undefined ? 0 : firstAfter(candidates, query.after); i < candidates.length; i++) {
      const id = candidates[i];
      const cached = this.products.get(id);
      if (!cached) continue;
      if (query.categoryId !== undefined && !this.categoriesOf(cached.product).includes(query.categoryId)) continue;
      if (query.tag !== undefined && !cached.product.tags.includes(query.tag)) continue;
      const view = toChannelView(cached, query.channel);
      if (!view || (text && !matches(view, text))) continue;
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(view);
    }
    return { items, nextAfter: more ? items[items.length - 1].productId : null };
  }

  /** Every live product (for diagnostics and tests). */
  all(): CachedProduct[] {
    return this.ids().map((id) => this.products.get(id)!);
  }

  private ids(): string[] {
    if (this.sortedIds === null) this.sortedIds = [...this.products.keys()].sort();
    return this.sortedIds;
  }

  /** Categories a product is filed under, its categories' ancestors included when catalog sent them. */
  private categoriesOf(product: ProductSnapshot): string[] {
    return product.categoryAncestry ?? product.categoryIds;
  }

  private index(cached: CachedProduct): void {
    for (const category of this.categoriesOf(cached.product)) add(this.byCategory, category, cached.productId);
    for (const tag of cached.product.tags) add(this.byTag, tag, cached.productId);
    for (const sku of cached.product.skus) this.bySku.set(sku.sku, cached.productId);
  }

  private unindex(productId: string): void {
    const previous = this.products.get(productId);
    if (!previous) return;
    for (const category of this.categoriesOf(previous.product)) remove(this.byCategory, category, productId);
    for (const tag of previous.product.tags) remove(this.byTag, tag, productId);
    // Only drop entries still pointing here: a SKU moved to another product must keep its new owner.
    for (const sku of previous.product.skus) if (this.bySku.get(sku.sku) === productId) this.bySku.delete(sku.sku);
  }
}

/** Index of the first id greater than `after` in sorted `ids` (binary search, so deep pages stay cheap). */
function firstAfter(ids: readonly string[], after: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function add(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key) ?? new Set<string>();
  set.add(id);
  index.set(key, set);
}

function remove(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) index.delete(key);
}

function matches(view: ChannelProductView, text: string): boolean {
  return (
    view.title.toLowerCase().includes(text) ||
    (view.brand ?? '').toLowerCase().includes(text) ||
    view.tags.some((tag) => tag.toLowerCase().includes(text)) ||
    view.skus.some((sku) => sku.sku.toLowerCase().includes(text))
  );
}
