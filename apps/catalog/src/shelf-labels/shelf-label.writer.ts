import { Injectable } from '@nestjs/common';
import { queryRows, type SqlExecutor } from '@omni/sql';
import { composeLabel, sameLabel, type LabelContent } from './shelf-label.policy';

/** Which labels to recompute: those of some SKUs (in every store), or of one store, or both. */
export interface LabelScope {
  skus?: readonly string[];
  locationId?: string;
}

interface InputRow {
  location_id: string;
  sku: string;
  product_id: string;
  product_title: string;
  listing_title: string | null;
  attributes: Record<string, string>;
  /** Minor units (a JSON number: the row comes as JSON). */
  amount: number | null;
  currency: string | null;
  available: number | null;
  low_stock_threshold: number;
}

interface LabelRow {
  location_id: string;
  sku: string;
  title: string;
  price_amount: number | null;
  price_currency: string | null;
  stock_hint: LabelContent['stockHint'];
  removed: boolean;
}

const pairKey = (locationId: string, sku: string): string => `${locationId}\u0000${sku}`;

/**
 * Keeps shelf-label rows equal to what their inputs (assortment, product, listing, price, stock)
 * say, inside the caller's transaction. Only labels whose printed content changes get a new
 * version; versions are per store and taken under the store's row lock, so a store's feed commits
 * in version order and "since version N" never misses a label.
 */
@Injectable()
export class ShelfLabelWriter {
  /** Recomputes the labels in `scope`; returns how many labels changed. */
  async refresh(tx: SqlExecutor, scope: LabelScope): Promise<number> {
    const skus = scope.skus ? [...new Set(scope.skus)] : null;
    if (skus !== null && skus.length === 0) return 0;
    const locationId = scope.locationId ?? null;
    const filter = `($1::text[] IS NULL OR sku = ANY($1)) AND ($2::uuid IS NULL OR location_id = $2)`;
    const stores = await queryRows<{ location_id: string }>(
      tx,
      `SELECT location_id FROM stores WHERE location_id IN (
         SELECT location_id FROM store_assortments WHERE ${filter}
         UNION SELECT location_id FROM shelf_labels WHERE NOT removed AND ${filter}
       ) ORDER BY location_id FOR UPDATE`,
      [skus, locationId],
    );
    if (stores.length === 0) return 0;
    // The inputs and the labels as they stand, in one read: after the stores' locks, nothing that
    // decides these labels changes under this transaction.
    const [read] = await queryRows<{ inputs: InputRow[]; existing: LabelRow[] }>(
      tx,
      `SELECT
         (SELECT COALESCE(json_agg(i), '[]'::json) FROM (
            SELECT a.location_id, a.sku, k.product_id, p.title AS product_title, l.title AS listing_title, k.attributes,
                   pr.amount, pr.currency, st.available, s.low_stock_threshold
              FROM store_assortments a
              JOIN stores s ON s.location_id = a.location_id
              JOIN skus k ON k.code = a.sku
              JOIN products p ON p.id = k.product_id
              LEFT JOIN product_listings l ON l.product_id = p.id AND l.channel = s.channel
              LEFT JOIN LATERAL (
                SELECT x.amount, x.currency FROM sku_prices x
                 WHERE x.sku = a.sku AND x.channel IN (s.channel, '') AND x.effective_from <= now()
                 ORDER BY (x.channel = '') ASC, x.version DESC LIMIT 1
              ) pr ON true
              LEFT JOIN sku_stock st ON st.sku = a.sku AND st.location_id = a.location_id
             WHERE ($1::text[] IS NULL OR a.sku = ANY($1)) AND ($2::uuid IS NULL OR a.location_id = $2)) i) AS inputs,
         (SELECT COALESCE(json_agg(e), '[]'::json) FROM (
            SELECT location_id, sku, title, price_amount, price_currency, stock_hint, removed FROM shelf_labels WHERE ${filter}) e) AS existing`,
      [skus, locationId],
    );
    const { inputs, existing } = read;
    const current = new Map(existing.map((row) => [pairKey(row.location_id, row.sku), row]));
    const writes: { locationId: string; sku: string; productId: string | null; content: LabelContent | null }[] = [];
    const wanted = new Set<string>();
    for (const row of inputs) {
      const key = pairKey(row.location_id, row.sku);
      wanted.add(key);
      const content = composeLabel({
        productTitle: row.product_title,
        listingTitle: row.listing_title,
        attributes: row.attributes,
        price: row.amount === null || row.currency === null ? null : { amount: Number(row.amount), currency: row.currency },
        available: row.available,
        lowStockThreshold: row.low_stock_threshold,
      });
      const before = current.get(key);
      if (before && !before.removed && sameLabel(toContent(before), content)) continue;
      writes.push({ locationId: row.location_id, sku: row.sku, productId: row.product_id, content });
    }
    for (const row of existing) {
      if (!row.removed && !wanted.has(pairKey(row.location_id, row.sku))) {
        writes.push({ locationId: row.location_id, sku: row.sku, productId: null, content: null });
      }
    }
    for (const store of stores) {
      const own = writes.filter((w) => w.locationId === store.location_id);
      if (own.length === 0) continue;
      const [{ label_version }] = await queryRows<{ label_version: string }>(
        tx,
        `UPDATE stores SET label_version = label_version + $2 WHERE location_id = $1 RETURNING label_version`,
        [store.location_id, own.length],
      );
      let version = Number(label_version) - own.length;
      for (const write of own) {
        version += 1;
        await this.write(tx, write.locationId, write.sku, write.productId, write.content, version);
      }
    }
    return writes.length;
  }

  private async write(tx: SqlExecutor, locationId: string, sku: string, productId: string | null, content: LabelContent | null, version: number): Promise<void> {
    if (content === null) {
      // A label leaving the assortment stays as a tombstone so the incremental feed can say so.
      await tx.query(`UPDATE shelf_labels SET removed = true, version = $3, updated_at = now() WHERE location_id = $1 AND sku = $2`, [locationId, sku, version]);
      return;
    }
    await tx.query(
      `INSERT INTO shelf_labels (location_id, sku, product_id, title, price_amount, price_currency, stock_hint, removed, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, false, $8)
       ON CONFLICT (location_id, sku) DO UPDATE SET product_id = EXCLUDED.product_id, title = EXCLUDED.title,
         price_amount = EXCLUDED.price_amount, price_currency = EXCLUDED.price_currency, stock_hint = EXCLUDED.stock_hint,
         removed = false, version = EXCLUDED.version, updated_at = now()`,
      [locationId, sku, productId, content.title, content.price?.amount ?? null, content.price?.currency ?? null, JSON.stringify(content.stockHint), version],
    );
  }
}

function toContent(row: LabelRow): LabelContent {
  return {
    title: row.title,
    price: row.price_amount === null || row.price_currency === null ? null : { amount: Number(row.price_amount), currency: row.price_currency },
    stockHint: row.stock_hint,
  };
}
