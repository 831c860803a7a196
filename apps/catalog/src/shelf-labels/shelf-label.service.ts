import { Injectable } from '@nestjs/common';
import { queryRows, type SqlExecutor } from '@omni/sql';
import { DataSource } from 'typeorm';
import { storeNotFound } from '../stores/store.service';
import type { LabelPrice, LabelStockHint } from './shelf-label.policy';

/** A shelf label as stores receive it. */
export interface ShelfLabelView {
  sku: string;
  productId: string | null;
  title: string;
  price: LabelPrice | null;
  stockHint: LabelStockHint;
  /** The store's label version at which this label last changed. */
  version: number;
  /** True when the SKU left the store's assortment (only in the incremental feed). */
  removed: boolean;
}

/** One page of a store's full label export. */
export interface LabelExportPage {
  locationId: string;
  channel: string;
  /** The store's label version when this page was read: continue with the incremental feed since the first page's version. */
  version: number;
  labels: ShelfLabelView[];
  nextAfter: string | null;
}

/** One page of a store's incremental label feed. */
export interface LabelChangesPage {
  locationId: string;
  /** Labels that changed after `since`, in version order (removals included). */
  labels: ShelfLabelView[];
  /** Pass as `since` next time. */
  nextSince: number;
  /** The store's current label version. */
  highWaterMark: number;
}

interface LabelRow {
  sku: string;
  product_id: string | null;
  title: string;
  price_amount: string | null;
  price_currency: string | null;
  stock_hint: LabelStockHint;
  version: string;
  removed: boolean;
}

const LABEL_COLUMNS = `sku, product_id, title, price_amount, price_currency, stock_hint, version, removed`;

function toView(row: LabelRow): ShelfLabelView {
  return {
    sku: row.sku,
    productId: row.product_id,
    title: row.title,
    price: row.price_amount === null || row.price_currency === null ? null : { amount: Number(row.price_amount), currency: row.price_currency },
    stockHint: row.stock_hint,
    version: Number(row.version),
    removed: row.removed,
  };
}

/** Reads a store's shelf labels: a full export and an incremental feed by label version. */
@Injectable()
export class ShelfLabelService {
  constructor(private readonly dataSource: DataSource) {}

  /** A page of the store's current labels by SKU, with the version they are consistent with. */
  exportPage(locationId: string, after: string | undefined, limit = 1000): Promise<LabelExportPage> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const store = await this.store(tx, locationId);
      const rows = await queryRows<LabelRow>(
        tx,
        `SELECT ${LABEL_COLUMNS} FROM shelf_labels WHERE location_id = $1 AND NOT removed AND ($2::text IS NULL OR sku > $2) ORDER BY sku LIMIT $3`,
        [locationId, after ?? null, limit + 1],
      );
      const more = rows.length > limit;
      const labels = rows.slice(0, limit).map(toView);
      return { locationId, channel: store.channel, version: store.version, labels, nextAfter: more ? labels[labels.length - 1].sku : null };
    });
  }

  /** Labels changed after version `since`, oldest first. */
  changes(locationId: string, since: number, limit = 1000): Promise<LabelChangesPage> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const store = await this.store(tx, locationId);
      const rows = await queryRows<LabelRow>(
        tx,
        `SELECT ${LABEL_COLUMNS} FROM shelf_labels WHERE location_id = $1 AND version > $2 ORDER BY version LIMIT $3`,
        [locationId, since, limit],
      );
      const labels = rows.map(toView);
      const nextSince = labels.length === limit ? labels[labels.length - 1].version : Math.max(since, store.version);
      return { locationId, labels, nextSince, highWaterMark: store.version };
    });
  }

  private async store(tx: SqlExecutor, locationId: string): Promise<{ channel: string; version: number }> {
    const [row] = await queryRows<{ channel: string; label_version: string }>(tx, `SELECT channel, label_version FROM stores WHERE location_id = $1`, [locationId]);
    if (!row) throw storeNotFound(locationId);
    return { channel: row.channel, version: Number(row.label_version) };
  }
}
