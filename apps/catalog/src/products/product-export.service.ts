import { Injectable } from '@nestjs/common';
import type { ProductSnapshot } from '@omni/contracts';
import { DataSource } from 'typeorm';
import { queryRows } from '@omni/sql';
import { loadProductRecords, toProductSnapshot } from './product.record';

/** One product in the export: the same snapshot and version product-changed carries. */
export interface ExportedProduct {
  productId: string;
  version: number;
  product: ProductSnapshot;
}

/** One page of the full export. */
export interface ProductExportPage {
  items: ExportedProduct[];
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: string | null;
  /**
   * Highest product change sequence committed in the snapshot this page was read from (every
   * product write takes the next number). Writes after it reach consumers as product-changed
   * deltas; a consumer compares marks to see whether a reload found anything new.
   */
  highWaterMark: number;
}

/** Default and largest page sizes. */
export const EXPORT_PAGE_SIZE = { default: 200, max: 1000 } as const;

/** Full export of the catalog for cache reloads, paged by product id. */
@Injectable()
export class ProductExportService {
  constructor(private readonly dataSource: DataSource) {}

  /** One page, read in one repeatable-read snapshot so versions and snapshots agree. */
  page(after: string | undefined, limit: number = EXPORT_PAGE_SIZE.default): Promise<ProductExportPage> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      // Read from the rows, not the sequence: a sequence value may belong to a write not yet committed.
      const [mark] = await queryRows<{ mark: string }>(tx, `SELECT COALESCE(max(change_seq), 0) AS mark FROM products`);
      const highWaterMark = Number(mark.mark);
      const ids = await queryRows<{ id: string }>(
        tx,
        `SELECT id FROM products WHERE ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`,
        [after ?? null, limit + 1],
      );
      const more = ids.length > limit;
      const pageIds = ids.slice(0, limit).map((row) => row.id);
      const records = await loadProductRecords(tx, pageIds);
      return {
        items: records.map((record) => ({ productId: record.id, version: record.version, product: toProductSnapshot(record) })),
        nextAfter: more ? pageIds[pageIds.length - 1] : null,
        highWaterMark,
      };
    });
  }
}
