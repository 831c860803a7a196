import type { ChannelDisplay, ProductChannelListing, ProductMedia, ProductSku, ProductSnapshot } from '@omni/contracts';

/** A cached product exactly as catalog published it, with its version. */
export interface CachedProduct {
  productId: string;
  version: number;
  product: ProductSnapshot;
}

/** A product as one channel shows it: the channel's listing laid over the product. */
export interface ChannelProductView {
  productId: string;
  version: number;
  channel: string;
  /** The channel title when the listing has one, else the product title. */
  title: string;
  description: string | null;
  brand: string | null;
  brandId: string | null;
  categoryIds: string[];
  tags: string[];
  /** The channel's media when the listing has its own, else the product's; in display order. */
  media: ProductMedia[];
  skus: ProductSku[];
  /** Display profile code of the listing, when it has one. */
  displayProfile: string | null;
  /** Which stock hint to show and which badges, from the listing's display profile. */
  display: ChannelDisplay | null;
}

/** The product's listing on `channel`, when it has one. */
export function listingOf(product: ProductSnapshot, channel: string): ProductChannelListing | undefined {
  return product.channels.find((listing) => listing.channel === channel);
}

/** True when the channel shows the product: it needs a listing on the channel marked visible. */
export function isVisibleIn(product: ProductSnapshot, channel: string): boolean {
  return listingOf(product, channel)?.visible === true;
}

/** Lays the channel's listing over the product; undefined when the channel does not show it. */
export function toChannelView(cached: CachedProduct, channel: string): ChannelProductView | undefined {
  const { product } = cached;
  const listing = listingOf(product, channel);
  if (!listing?.visible) return undefined;
  const media = listing.media ?? product.media;
  return {
    productId: cached.productId,
    version: cached.version,
    channel,
    title: listing.title ?? product.title,
    description: product.description ?? null,
    brand: product.brand ?? null,
    brandId: product.brandId ?? null,
    categoryIds: product.categoryIds,
    tags: product.tags,
    media: [...media].sort((a, b) => a.position - b.position),
    skus: product.skus,
    displayProfile: listing.displayProfile ?? null,
    display: listing.display ?? null,
  };
}
