import type { ProductMedia, ProductSnapshot, StockHintRule } from '@omni/contracts';
import { queryRows, type SqlExecutor } from '@omni/sql';
import type { ListingView, ProductView } from './product.dto';

/** A display profile as listings resolve it. */
export interface ResolvedProfile {
  code: string;
  stockHint: StockHintRule;
  badges: string[];
}

/** Everything catalog knows about one product, read in one transaction. */
export interface ProductRecord {
  id: string;
  version: number;
  changeSeq: number;
  title: string;
  description: string | null;
  brandId: string | null;
  brandName: string | null;
  categoryIds: string[];
  categoryAncestry: string[];
  tags: string[];
  media: ProductMedia[];
  skus: { sku: string; attributes: Record<string, string> }[];
  listings: (ListingView & { profile: ResolvedProfile | null })[];
  createdAt: string;
  updatedAt: string;
}

interface ProductRow {
  id: string;
  version: number;
  change_seq: string;
  title: string;
  description: string | null;
  brand_id: string | null;
  brand_name: string | null;
  category_ids: string[];
  tags: string[];
  media: ProductMedia[];
  created_at: Date;
  updated_at: Date;
}

/** Loads products with their SKUs, listings, resolved profiles and category ancestry (ids in the given order). */
export async function loadProductRecords(tx: SqlExecutor, ids: readonly string[]): Promise<ProductRecord[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<ProductRow>(
    tx,
    `SELECT p.id, p.version, p.change_seq, p.title, p.description, p.brand_id, b.name AS brand_name, p.category_ids, p.tags, p.media,
            p.created_at, p.updated_at
       FROM products p LEFT JOIN brands b ON b.id = p.brand_id WHERE p.id = ANY($1::uuid[])`,
    [ids],
  );
  const skus = await queryRows<{ product_id: string; code: string; attributes: Record<string, string> }>(
    tx,
    `SELECT product_id, code, attributes FROM skus WHERE product_id = ANY($1::uuid[]) ORDER BY created_at, code`,
    [ids],
  );
  const listings = await queryRows<{
    product_id: string; channel: string; visible: boolean; title: string | null; media: ProductMedia[] | null;
    display_profile: string | null; stock_hint: StockHintRule | null; badges: string[] | null;
  }>(
    tx,
    `SELECT l.product_id, l.channel, l.visible, l.title, l.media, l.display_profile, d.stock_hint, d.badges
       FROM product_listings l LEFT JOIN display_profiles d ON d.code = l.display_profile
      WHERE l.product_id = ANY($1::uuid[]) ORDER BY l.channel`,
    [ids],
  );
  const ancestry = await queryRows<{ product_id: string; category_id: string }>(
    tx,
    `WITH RECURSIVE up(product_id, category_id) AS (
       SELECT p.id, c FROM products p, unnest(p.category_ids) AS c WHERE p.id = ANY($1::uuid[])
       UNION SELECT up.product_id, cat.parent_id FROM up JOIN categories cat ON cat.id = up.category_id WHERE cat.parent_id IS NOT NULL
     ) SELECT product_id, category_id FROM up ORDER BY category_id`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const skusOf = groupBy(skus, (s) => s.product_id);
  const listingsOf = groupBy(listings, (l) => l.product_id);
  const ancestryOf = groupBy(ancestry, (a) => a.product_id);
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [{
      id: row.id,
      version: Number(row.version),
      changeSeq: Number(row.change_seq),
      title: row.title,
      description: row.description,
      brandId: row.brand_id,
      brandName: row.brand_name,
      categoryIds: row.category_ids,
      categoryAncestry: (ancestryOf.get(id) ?? []).map((a) => a.category_id),
      tags: row.tags,
      media: row.media,
      skus: (skusOf.get(id) ?? []).map((s) => ({ sku: s.code, attributes: s.attributes })),
      listings: (listingsOf.get(id) ?? []).map((l) => ({
        channel: l.channel,
        visible: l.visible,
        title: l.title,
        media: l.media,
        displayProfile: l.display_profile,
        profile: l.display_profile && l.stock_hint ? { code: l.display_profile, stockHint: l.stock_hint, badges: l.badges ?? [] } : null,
      })),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    }];
  });
}

/** Rows grouped by a key, keeping their order (one pass, so a 1,000-product export page stays linear). */
function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** The product as the internal API returns it. */
export function toProductView(record: ProductRecord): ProductView {
  return {
    id: record.id,
    version: record.version,
    title: record.title,
    description: record.description,
    brandId: record.brandId,
    categoryIds: record.categoryIds,
    tags: record.tags,
    media: record.media,
    skus: record.skus,
    listings: record.listings.map(({ profile: _profile, ...listing }) => listing),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** The product as `product-changed` carries it: what channels and caches need. */
export function toProductSnapshot(record: ProductRecord): ProductSnapshot {
  return {
    title: record.title,
    ...(record.description !== null ? { description: record.description } : {}),
    ...(record.brandName !== null ? { brand: record.brandName } : {}),
    ...(record.brandId !== null ? { brandId: record.brandId } : {}),
    categoryIds: record.categoryIds,
    categoryAncestry: record.categoryAncestry,
    tags: record.tags,
    media: record.media,
    skus: record.skus,
    channels: record.listings.map((l) => ({
      channel: l.channel,
      visible: l.visible,
      ...(l.title !== null ? { title: l.title } : {}),
      ...(l.media !== null ? { media: l.media } : {}),
      ...(l.displayProfile !== null ? { displayProfile: l.displayProfile } : {}),
      ...(l.profile ? { display: { stockHint: l.profile.stockHint, badges: l.profile.badges } } : {}),
    })),
  };
}
