/** A base price as the API returns it. */
export interface BasePriceView {
  sku: string;
  amount: number;
  currency: string;
  categoryIds: string[];
  version: number;
  updatedAt: string;
}

/** A channel price-list entry as the API returns it (only ever to its own channel's requests). */
export interface ChannelPriceView {
  channel: string;
  sku: string;
  amount: number;
  currency: string;
  effectiveFrom?: string;
  effectiveTo?: string;
  version: number;
  updatedAt: string;
}

/** What one channel pays for one unit of a SKU now. */
export interface EffectivePriceView {
  sku: string;
  channel: string;
  storeId?: string;
  currency: string;
  /** The channel's list price: its own price-list entry in force, else the base price. */
  listPrice: number;
  /** Where the list price came from. */
  listPriceSource: 'base' | 'channel-price';
  /** After the price stage (channel adjustment, special or limited-time price). */
  unitPrice: number;
  /** The price-stage rule that set unitPrice, if any. */
  priceRuleId?: string;
  /** Shelf price of one unit for an anonymous buyer (item-level promotions included). */
  effectivePrice: number;
  /** The instant priced at. */
  pricedAt: string;
}
