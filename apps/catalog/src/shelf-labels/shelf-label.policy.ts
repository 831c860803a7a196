/** A price on a label: integer minor units and currency. */
export interface LabelPrice {
  amount: number;
  currency: string;
}

/** Stock hint codes a shelf label shows. */
export type LabelStockHintCode = 'IN_STOCK_HERE' | 'ONLY_N_LEFT' | 'SOLD_OUT' | 'UNKNOWN';

/** The stock hint on a label; `quantity` only for ONLY_N_LEFT. */
export interface LabelStockHint {
  code: LabelStockHintCode;
  quantity?: number;
}

/** What a label prints. */
export interface LabelContent {
  title: string;
  price: LabelPrice | null;
  stockHint: LabelStockHint;
}

/** Everything a label is computed from, for one SKU in one store. */
export interface LabelInputs {
  productTitle: string;
  /** Title of the product's listing on the store's channel, overriding the product title. */
  listingTitle?: string | null;
  attributes: Record<string, string>;
  /** Current price for the store's channel (its override, else the base price); null when unpriced. */
  price: LabelPrice | null;
  /** Units free at the store; null when no stock event was received yet. */
  available: number | null;
  /** At or below this many units the label says "only N left". */
  lowStockThreshold: number;
}

/** Longest label title; longer titles are cut so a long product name never breaks the label. */
export const MAX_LABEL_TITLE = 200;

/** The label title: the channel title or product title, followed by the SKU's attribute values in key order. */
export function labelTitle(inputs: Pick<LabelInputs, 'productTitle' | 'listingTitle' | 'attributes'>): string {
  const base = inputs.listingTitle ?? inputs.productTitle;
  const values = Object.keys(inputs.attributes)
    .sort()
    .map((key) => inputs.attributes[key])
    .filter((value) => value.length > 0);
  const title = values.length > 0 ? `${base} ${values.join(' / ')}` : base;
  return title.length > MAX_LABEL_TITLE ? title.slice(0, MAX_LABEL_TITLE) : title;
}

/** The stock hint a store label shows for `available` units. */
export function labelStockHint(available: number | null, lowStockThreshold: number): LabelStockHint {
  if (available === null) return { code: 'UNKNOWN' };
  if (available <= 0) return { code: 'SOLD_OUT' };
  if (available <= lowStockThreshold) return { code: 'ONLY_N_LEFT', quantity: available };
  return { code: 'IN_STOCK_HERE' };
}

/** Computes what a label prints. */
export function composeLabel(inputs: LabelInputs): LabelContent {
  return { title: labelTitle(inputs), price: inputs.price, stockHint: labelStockHint(inputs.available, inputs.lowStockThreshold) };
}

/** True when two labels print the same thing (then no new label version is issued). */
export function sameLabel(a: LabelContent, b: LabelContent): boolean {
  return (
    a.title === b.title &&
    (a.price?.amount ?? null) === (b.price?.amount ?? null) &&
    (a.price?.currency ?? null) === (b.price?.currency ?? null) &&
    a.stockHint.code === b.stockHint.code &&
    (a.stockHint.quantity ?? null) === (b.stockHint.quantity ?? null)
  );
}
